"""The subcommands behind `companion init|add|list|check|passwd` (no textual here)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import orjson

from companion.crypto import envelope
from companion.domain.boundary import STATUSES
from companion.domain.clock import local_now
from companion.domain.contact import ROLES
from companion.domain.reflection import Reflection, ReflectionFilter
from companion.errors import StorageFailure, UsageError, VaultBusy, VaultDamaged
from companion.passphrase_input import ask, ask_new, check_new, read_passphrase_file
from companion.services.journal import Journal
from companion.storage.disk import read_bytes
from companion.storage.lock import BUSY_MESSAGE, is_busy
from companion.storage.vault import Vault, damaged_sentence, utc_now

CLI_LOCK_WAIT = 3.0
T = TypeVar("T")


def _passphrase(passphrase_file: str | None) -> str:
    if passphrase_file is not None:
        return read_passphrase_file(passphrase_file)
    return ask("Passphrase: ")


def _open(vault: Path, passphrase_file: str | None) -> Journal:
    passphrase = _passphrase(passphrase_file)
    return Journal(Vault.open(vault, passphrase, lock_timeout=CLI_LOCK_WAIT), utc_now)


def cmd_init(args: argparse.Namespace, vault: Path, passphrase_file: str | None) -> int:
    """Create a new vault; never overwrites."""
    if vault.exists():
        raise StorageFailure(f"A journal already exists at {vault}; companion will not overwrite it.")
    if passphrase_file is not None:
        passphrase = check_new(read_passphrase_file(passphrase_file))
    else:
        print("A forgotten passphrase cannot be recovered: nobody, not even companion, can open the "
              "journal without it.", file=sys.stderr)
        passphrase = ask_new()
    Vault.create(vault, passphrase).close()
    print(f"Created your journal at {vault}.")
    return 0


def cmd_add(args: argparse.Namespace, vault: Path, passphrase_file: str | None) -> int:
    """Add a free reflection from the argument or standard input."""
    if args.text is None and passphrase_file == "-":
        raise UsageError("Standard input carries the passphrase, so give the text as an argument.")
    passphrase = _passphrase(passphrase_file)  # first, so typed text never lands in the prompt
    text = args.text
    if text is None:
        if sys.stdin.isatty():
            print("Write your reflection, then press Ctrl-D on a new line.", file=sys.stderr)
        text = sys.stdin.read()
    if not text.strip():
        raise UsageError("A reflection needs some text.")
    with Vault.open(vault, passphrase, lock_timeout=CLI_LOCK_WAIT) as opened:
        Journal(opened, utc_now).add_reflection(text, mood=args.mood, tags=args.tag)
    print("Saved your reflection.")
    return 0


def reflection_json(entry: Reflection) -> dict[str, object]:
    """The JSON shape of a reflection for `list --json`."""
    return {"id": entry.id, **entry.to_record()}


def cmd_list(args: argparse.Namespace, vault: Path, passphrase_file: str | None) -> int:
    """Print reflections, newest first."""
    rule = ReflectionFilter(text=args.search or "")
    entries = _read(vault, passphrase_file, lambda j: j.reflections.page(rule, limit=args.n).items)
    if args.json:
        _print_json([reflection_json(e) for e in entries])
        return 0
    for entry in entries:
        sys.stdout.write(_format_entry(entry))
    return 0


def _format_entry(entry: Reflection) -> str:
    when = entry.created.astimezone().strftime("%Y-%m-%d %H:%M")
    extras = []
    if entry.mood:
        extras.append(f"mood {entry.mood}/5")
    extras.extend(f"#{t}" for t in entry.tags)
    head = "  ".join([when, *extras])
    body = "\n".join(f"  {line}" for line in entry.text.rstrip().splitlines())
    return f"{head}\n{body}\n\n"


def _print_json(data: object) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")


def _read(vault: Path, passphrase_file: str | None, read: Callable[[Journal], list[T]]) -> list[T]:
    """Open the journal, read what is asked, and close it again straight away."""
    journal = _open(vault, passphrase_file)
    try:
        return read(journal)
    finally:
        journal.close()


def cmd_boundaries(args: argparse.Namespace, vault: Path, passphrase_file: str | None) -> int:
    """`boundaries list`: boundary notes grouped by status."""
    items = _read(vault, passphrase_file, lambda j: j.boundaries.all())
    today = local_now().date()
    if args.json:
        _print_json([{"id": b.id, **b.to_record(), "review_due": b.is_due(today)} for b in items])
        return 0
    for b in items:
        due = "  (review due)" if b.is_due(today) else ""
        who = f"{b.who}: " if b.who else ""
        sys.stdout.write(f"[{STATUSES[b.status]}] {who}{b.boundary}{due}\n")
    return 0


def cmd_contacts(args: argparse.Namespace, vault: Path, passphrase_file: str | None) -> int:
    """`contacts list`: the secure base, by name."""
    items = _read(vault, passphrase_file, lambda j: j.contacts.all())
    today = local_now().date()
    if args.json:
        _print_json([
            {"id": c.id, **c.to_record(), "last_contact": c.last_contact.isoformat() if c.last_contact else None,
             "reconnect_due": c.is_due(today)}
            for c in items
        ])
        return 0
    for c in items:
        last = c.last_contact.isoformat() if c.last_contact else "never"
        due = "  (time to reconnect)" if c.is_due(today) else ""
        sys.stdout.write(f"{c.name} ({ROLES[c.role]}), last contact {last}{due}\n")
    return 0


def cmd_check(args: argparse.Namespace, vault: Path, passphrase_file: str | None) -> int:
    """Verify the vault and its backups; print counts."""
    passphrase = _passphrase(passphrase_file)
    with Vault.open(vault, passphrase, lock_timeout=CLI_LOCK_WAIT) as opened:
        report = opened.check(passphrase)
    c = report.counts
    print(f"{vault}: opens correctly; {c['reflections']} reflections, {c['boundaries']} boundaries, "
          f"{c['contacts']} contacts.")
    readable = sum(1 for b in report.backups if b.state == "ok")
    other = sum(1 for b in report.backups if b.state == "other passphrase")
    line = f"Backups: {readable} of {len(report.backups)} open correctly"
    if other:
        line += f", {other} open with a different passphrase"
    print(line + ".")
    if report.damaged_backups:
        first = report.damaged_backups[0]
        print(f"{len(report.damaged_backups)} backup(s) cannot be read, for example {first.path} "
              f"{first.state}.", file=sys.stderr)
        return VaultDamaged.exit_code
    return 0


def cmd_passwd(args: argparse.Namespace, vault: Path, passphrase_file: str | None) -> int:
    """Change the passphrase (the data key is rewrapped, not changed)."""
    if passphrase_file == "-" and args.new_passphrase_file == "-":
        raise UsageError("Only one of the passphrases can come from standard input.")
    passphrase = _passphrase(passphrase_file)
    if args.new_passphrase_file is not None:
        new = check_new(read_passphrase_file(args.new_passphrase_file))
    else:
        new = ask_new("passphrase")
    with Vault.open(vault, passphrase, lock_timeout=CLI_LOCK_WAIT) as opened:
        opened.change_passphrase(new)
    print("Your passphrase has been changed.")
    return 0


def preflight_tui(vault: Path) -> None:
    """Before the app starts: refuse plainly if the vault is busy, unreadable or damaged."""
    if vault.parent.is_dir() and is_busy(vault):
        raise VaultBusy(BUSY_MESSAGE)
    if vault.exists() or vault.is_symlink():
        try:
            envelope.parse_header(read_bytes(vault))
        except VaultDamaged as exc:
            raise VaultDamaged(damaged_sentence(vault, exc.message)) from None
