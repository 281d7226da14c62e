"""The commands that must start quickly: `companion capture` imports only what sealing one line needs.

(`companion add` shares how an entry's text is read.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.domain.clock import Clock
from companion.domain.text import MAX_ENTRY_BYTES, checked, decoded
from companion.errors import UsageError
from companion.services.inbox import capture


def entry_text(given: str | None) -> str:
    """The reflection's text: the argument, else standard input (bounded); UsageError with the reason."""
    try:
        if given is not None:
            text = checked(given, "The reflection")
        else:
            if sys.stdin.isatty():
                print("Write your reflection, then press Ctrl-D on a new line.", file=sys.stderr)
            text = decoded(sys.stdin.buffer.read(MAX_ENTRY_BYTES + 1), "The text on standard input")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not text.strip():
        raise UsageError("A reflection needs some text.")
    return text


def cmd_capture(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Seal a reflection to the journal's capture key without unlocking; the next unlock takes it in."""
    if passphrase_file is not None:
        raise UsageError("capture needs no passphrase; leave out --passphrase-file.")
    _, note = capture(vault, entry_text(args.text), args.tag, clock())
    print("Captured, sealed. It joins your journal the next time you unlock it.")
    if note:
        print(note, file=sys.stderr)
    return 0
