"""A lock that forgets: once the journal is locked, the app replaces its own process image with a fresh companion
showing the lock screen (`os.execve` of the same Python into `python -m companion`). The terminal, the pid, an SSH
session or a tmux pane carry on; every page that held a word of the journal or the passphrase is gone with the old
image, which Python alone cannot promise (freed buffers, copies in parsers, interned strings). See docs/SECURITY.md.

What the fresh process needs comes through a pipe it inherits (never argv or the environment, which other tools
show): the journal's path, the colours, a demo's folder, the lock's note, what was typed on the lock screen
meanwhile, and the terminal's settings from before the app started (so quitting later restores them). Standard
library only: the fresh process reads this before anything else."""

from __future__ import annotations

import os
import sys
from dataclasses import asdict, dataclass, field
from typing import Any, NoReturn

ENV = "COMPANION_LOCKED_FD"  # the number of the inherited pipe's reading end (not a secret)
MAX_TYPED = 4096  # what was typed on the lock screen while it changed hands; more than any passphrase


@dataclass(frozen=True)
class Handover:
    """What the locked app hands to the fresh process that replaces it."""

    vault: str
    color: str | None = None
    demo_folder: str | None = None
    note: str = ""  # why it locked (after some idle minutes, say)
    typed: str = ""  # keys typed into the lock screen's passphrase field while it changed hands
    terminal: list[Any] | None = field(default=None)  # termios attributes from before the first app started
    submitted: bool = False  # Enter was pressed after typing: the fresh process unlocks with it


def relaunch(handover: Handover) -> NoReturn:
    """Replace this process with a fresh companion on its lock screen (never returns)."""
    import json  # here, as in take_handover: a start that is not a handover does without it

    data = json.dumps({**asdict(handover), "terminal": _settings_out(handover.terminal)}).encode()
    read_end, write_end = os.pipe()  # a pipe buffer (64 KiB) holds this whole: the write never blocks
    os.write(write_end, data)
    os.close(write_end)
    os.set_inheritable(read_end, True)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-P", "-m", "companion"], {**os.environ, ENV: str(read_end)})


def take_handover() -> Handover | None:
    """In a fresh process: the handover, if this process replaced a locked app (read once)."""
    fd_text = os.environ.pop(ENV, None)
    if fd_text is None:
        return None
    import json

    try:
        fd = int(fd_text)
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
        os.close(fd)
        found = json.loads(b"".join(chunks))
        return Handover(vault=str(found["vault"]), color=found.get("color"), demo_folder=found.get("demo_folder"),
                        note=str(found.get("note", "")), typed=str(found.get("typed", ""))[:MAX_TYPED],
                        terminal=_settings_in(found.get("terminal")), submitted=found.get("submitted") is True)
    except (ValueError, OSError, KeyError, TypeError):
        return None  # not ours: start as companion always starts


def _settings_out(settings: list[Any] | None) -> list[Any] | None:
    """termios attributes as JSON: the control characters (bytes, or numbers for VMIN and VTIME) as numbers,
    bytes marked by a list of one."""
    if settings is None:
        return None
    *flags, cc = settings
    return [*flags, [[c[0]] if isinstance(c, bytes) else c for c in cc]]


def _settings_in(found: Any) -> list[Any] | None:
    if not isinstance(found, list) or len(found) != 7 or not isinstance(found[6], list):
        return None
    *flags, cc = found
    return [*flags, [bytes(c) if isinstance(c, list) else c for c in cc]]
