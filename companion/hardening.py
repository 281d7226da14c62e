"""Process hardening done first thing in main: no core dumps, private umask, no Textual logs."""

from __future__ import annotations

import ctypes
import os
import resource
import sys
from collections.abc import MutableMapping

PR_SET_DUMPABLE = 4


def disable_core_dumps() -> None:
    """A core file would hold decrypted text: forbid them, and ptrace by other processes."""
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)  # the process's own symbols include libc's prctl
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        except OSError:
            pass


def scrub_textual_environment(environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Remove TEXTUAL_* variables (TEXTUAL_LOG writes every keystroke to a plaintext file)."""
    env = os.environ if environ is None else environ
    removed = [name for name in env if name.upper().startswith("TEXTUAL")]
    for name in removed:
        del env[name]
    return removed


def harden_process() -> None:
    """Everything main does before anything else."""
    disable_core_dumps()
    os.umask(0o077)
    scrub_textual_environment()
