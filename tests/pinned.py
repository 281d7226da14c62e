"""The real program started at a pinned date and zone, from outside, with Debian's faketime.

companion has no switch to fake its clock. Tests that start the real program (the CLI in a subprocess, the
app in tmux or over sshd) load the faketime package's libfaketime into it, its clock starting at
2026-11-27 19:30 in Europe/Paris: the moment the in-process tests' fixed clock stands at (conftest.NOW).
The clock then runs on from there, as a real one does.

libfaketime 0.9.10 (Debian 12) needs three settings to leave a Python program working, found here:
- not the `faketime` command but its library: the command stays on as the program's parent, so a pid or a
  signal would reach it instead of companion;
- FAKETIME_DONT_FAKE_MONOTONIC: a faked monotonic clock leaves Python's timed waits waiting for ever;
- FAKETIME_FORCE_MONOTONIC_FIX=0: on glibc 2.30 and later the library otherwise shifts every timed wait on a
  monotonic condition by the fake offset, so it returns at once and the GIL handover spins (a test run
  four times slower).
time.sleep still fails with EINVAL under it (the library shifts its monotonic deadline too): companion's
only pause is a timed wait (storage/lock.py), and conftest gives the test process the same.
"""

from __future__ import annotations

import glob
import os
import re
from datetime import datetime
from pathlib import Path

from conftest import NOW

ZONE = "Europe/Paris"  # +01:00 in November, as NOW
LIBFAKETIME = "/usr/$LIB/faketime/libfaketime.so.1"  # as the faketime command preloads it ($LIB: the loader's)


def _settings(at: datetime) -> dict[str, str]:
    """libfaketime's settings for a clock that starts at `at` (a time in ZONE)."""
    return {"FAKETIME": f"@{at:%Y-%m-%d %H:%M:%S}", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            "FAKETIME_FORCE_MONOTONIC_FIX": "0", "TZ": ZONE}


def pinned_env(extra: dict[str, str] | None = None, at: datetime = NOW) -> dict[str, str]:
    """The environment that starts a program at `at`: this one without any outer faketime (a suite run under
    `faketime -f +400d` must not move the pin) or COMPANION_* setting of the machine's; then `extra`.

    Every program pinned at the same moment starts at the same second: a test that needs one program's
    words to be newer than another's starts the later one later."""
    assert glob.glob("/usr/lib/*/faketime/libfaketime.so.1"), "faketime is installed by .ci/run and the README"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FAKETIME", "COMPANION", "DONT_FAKE")) and k != "LD_PRELOAD"}
    others = [lib for lib in re.split(r"[: ]+", os.environ.get("LD_PRELOAD", "")) if lib and "faketime" not in lib]
    env.update(LD_PRELOAD=" ".join([LIBFAKETIME, *others]), **_settings(at))
    env.update(extra or {})
    return env


def pinned_shell(command: str) -> str:
    """A shell command line that runs `command` at NOW (for a program started by tmux or sshd), in this
    test's own user folders (sshd gives a program an environment of its own)."""
    folders = {k: v for k, v in os.environ.items() if k.startswith("XDG_") and k.endswith("_HOME")}
    settings = " ".join(f"{name}='{value}'" for name, value in {**_settings(NOW), **folders}.items())
    return f"env LD_PRELOAD='{LIBFAKETIME}' {settings} {command}"


SHARED_MEMORY = Path("/dev/shm")
LEFT_BEHIND = ("sem.faketime_sem_", "faketime_shm_")


def forget_shared_memory(pids: set[int]) -> int:
    """Remove what libfaketime left in /dev/shm for processes that ended without its clean-up (a pinned program
    killed with its tmux pane): a semaphore and a segment named by the pid. Left there, a later `faketime`
    whose pid comes round again refuses to start ("sem_open: File exists"). Only the given pids, and only
    those no process holds now (a running one keeps its own). Returns how many were removed."""
    removed = 0
    for prefix in LEFT_BEHIND:
        for pid in pids:
            path = SHARED_MEMORY / f"{prefix}{pid}"
            if path.exists() and not Path(f"/proc/{pid}").exists():
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def shared_memory_pids() -> set[int]:
    """The pids libfaketime has named in /dev/shm so far."""
    found = set()
    for prefix in LEFT_BEHIND:
        for path in SHARED_MEMORY.glob(f"{prefix}*"):
            tail = path.name.removeprefix(prefix)
            if tail.isdigit():
                found.add(int(tail))
    return found
