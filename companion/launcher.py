"""The console script's first step: on a system companion does not run on, one plain sentence instead of a
traceback; everywhere else, the command line (cli.py). Imports nothing but the standard library first."""

from __future__ import annotations

import sys

WINDOWS = ("companion does not run on Windows itself yet: run it under WSL (Windows Subsystem for Linux), where it "
           "works as on Linux.")


def main() -> int:
    """Run `companion`, or say why it cannot run here (exit code 1)."""
    if sys.platform == "win32":
        sys.stderr.write(WINDOWS + "\n")
        return 1
    from companion.cli import main as run

    return run()
