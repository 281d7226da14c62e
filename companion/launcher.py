"""The console script's first step: on a system companion does not run on, one plain sentence instead of a
traceback; everywhere else, the command line (cli.py), a command's key already being derived (ahead.py).
Imports nothing but the standard library first."""

from __future__ import annotations

import gc
import sys

WINDOWS = ("companion does not run on Windows itself yet: run it under WSL (Windows Subsystem for Linux), where it "
           "works as on Linux.")


def main() -> int:
    """Run `companion`, or say why it cannot run here (exit code 1)."""
    if sys.platform == "win32":
        sys.stderr.write(WINDOWS + "\n")
        return 1
    # Starting makes only what lasts as long as the process (modules, classes, functions): collecting garbage
    # meanwhile frees nothing and cost about 10 ms of the 0.2 s to the unlock screen here (benchmarks/launch.py).
    # cli.started turns collecting on once the app or the command is about to run.
    gc.disable()
    from companion.ahead import derive_early

    derive_early(sys.argv[1:])  # a command's key, derived while the rest loads
    from companion.cli import main as run

    return run()
