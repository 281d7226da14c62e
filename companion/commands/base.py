"""What every subcommand shares: the passphrase, the journal opened for one command, JSON out, and the
sentences a script reads on stderr."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import orjson

from companion.domain.clock import Clock
from companion.errors import StorageFailure, UsageError
from companion.passphrase_input import ask, read_passphrase_file
from companion.services.journal import Journal
from companion.services.opening import Opened, open_journal

CLI_LOCK_WAIT = 3.0


_C1 = re.compile("[\x7f-\x9f]")


T = TypeVar("T")


def passphrase_of(passphrase_file: str | None) -> str:
    if passphrase_file is not None:
        return read_passphrase_file(passphrase_file)
    return ask("Passphrase: ")


@contextmanager
def opened(vault: Path, passphrase_file: str | None, clock: Clock,
             passphrase: str | None = None) -> Iterator[Journal]:
    """The unlocked journal for one command; closed after, and what happened underneath told on stderr."""
    with held(open_journal(vault, passphrase if passphrase is not None else passphrase_of(passphrase_file),
                           clock=clock, lock_timeout=CLI_LOCK_WAIT)) as journal:
        yield journal


@contextmanager
def held(opened: Opened) -> Iterator[Journal]:
    """A journal just opened (or created), for one command: what the opening and the command had to tell is
    printed on stderr after it, and the journal is closed."""
    journal = opened.journal
    try:
        yield journal
        for line in [*opened.told, *journal.news()]:
            print(line, file=sys.stderr)
    finally:
        journal.close()


def read(vault: Path, passphrase_file: str | None, clock: Clock, read: Callable[[Journal], T]) -> T:
    """Open the journal, read what is asked, and close it again straight away."""
    with opened(vault, passphrase_file, clock) as journal:
        return read(journal)


def print_json(data: object) -> None:
    # orjson escapes C0 controls; DEL and C1 controls are escaped here too, so no terminal acts on them.
    out = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
    sys.stdout.buffer.write(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", out).encode("utf-8") + b"\n")


def stdin_once(*files: str | None) -> None:
    if sum(1 for f in files if f == "-") > 1:
        raise UsageError("Only one passphrase can come from standard input.")


def show_generated(passphrase: str) -> None:
    print(f"The passphrase that opens it:\n\n    {passphrase}\n")
    print("It is shown only this once. Pass it on by a different way than the file "
          "(say, tell it in person or send it by text if the file goes by e-mail).")


@contextmanager
def forcing_hint() -> Iterator[None]:
    """On the command line, an existing file may be replaced with --force: say so."""
    from companion.services.export import ExportExists

    try:
        yield
    except ExportExists as exc:
        raise StorageFailure(f"{exc.path} already exists; choose another name, or use --force to replace it.") from None
