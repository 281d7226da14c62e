"""Reading passphrases for the CLI: from a file (or stdin), or from the terminal without echo."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from companion.domain.passphrase import MIN_LENGTH, too_short
from companion.errors import StorageFailure, UsageError
from companion.storage.disk import describe_os_error

MAX_LINE_BYTES = 1024  # a passphrase is one short line; /dev/zero or a huge file must not fill memory


def read_passphrase_file(name: str) -> str:
    """The first line of FILE ('-' = standard input), without its line ending; at most 1 KiB is read."""
    try:
        if name == "-":
            raw = sys.stdin.buffer.readline(MAX_LINE_BYTES + 2)
        else:
            with open(name, "rb") as handle:
                raw = handle.readline(MAX_LINE_BYTES + 2)
    except OSError as exc:
        raise StorageFailure(describe_os_error(exc, "read the passphrase file", Path(name))) from None
    line = raw.rstrip(b"\r\n")
    if len(line) > MAX_LINE_BYTES:
        raise UsageError(f"The passphrase file {name} does not start with a short line (at most "
                         f"{MAX_LINE_BYTES:,} bytes); a passphrase is one line of text.")
    try:
        passphrase = line.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"The passphrase file {name} is not UTF-8 text.") from None
    if not passphrase:
        raise UsageError(f"The passphrase file {name} is empty.")
    return passphrase


def _has_terminal() -> bool:
    try:
        fd = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return False
    os.close(fd)
    return True


def ask(prompt: str) -> str:
    """Ask on the terminal without echo."""
    if not _has_terminal():
        raise UsageError("There is no terminal to ask for the passphrase; use --passphrase-file FILE.")
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UsageError("No passphrase was given.") from None


def ask_new(what: str = "passphrase") -> str:
    """Ask twice for a new passphrase, enforcing the minimum length."""
    first = ask(f"New {what} (at least {MIN_LENGTH} characters): ")
    if too_short(first):
        raise UsageError(f"A {what} needs at least {MIN_LENGTH} characters.")
    if ask(f"Type the {what} again: ") != first:
        raise UsageError(f"The two {what}s did not match; nothing was changed.")
    return first


def check_new(passphrase: str) -> str:
    """A new passphrase from a file must meet the minimum length too."""
    if too_short(passphrase):
        raise UsageError(f"A passphrase needs at least {MIN_LENGTH} characters.")
    return passphrase

