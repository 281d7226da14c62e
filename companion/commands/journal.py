"""The journal's own commands: create it, add to it, and read reflections, boundaries, people, sessions and
the safety plan."""

from __future__ import annotations

import argparse
import sys
from datetime import tzinfo
from pathlib import Path

from companion import paths
from companion.commands.base import held, opened, passphrase_of, print_json, read
from companion.domain.boundary import STATUSES
from companion.domain.clock import Clock, day_text
from companion.domain.contact import ROLES
from companion.domain.query import parse_filter
from companion.domain.reflection import Reflection
from companion.errors import StorageFailure, UsageError
from companion.passphrase_input import ask_new, check_new, read_passphrase_file
from companion.quick import entry_text
from companion.services.opening import create_journal


def cmd_init(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Create a new vault; never overwrites."""
    if vault.exists():
        raise StorageFailure(f"A journal already exists at {vault}; companion will not overwrite it.")
    if passphrase_file is not None:
        passphrase = check_new(read_passphrase_file(passphrase_file))
    else:
        print("A forgotten passphrase cannot be recovered: nobody, not even companion, can open the "
              "journal without it.", file=sys.stderr)
        passphrase = ask_new()
    with held(create_journal(vault, passphrase, clock=clock)):
        pass
    print(f"Created your journal at {vault}.")
    return 0


def cmd_add(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Add a free reflection from the argument or standard input."""
    if args.text is None and passphrase_file == "-":
        raise UsageError("Standard input carries the passphrase, so give the text as an argument.")
    passphrase = passphrase_of(passphrase_file)  # first, so typed text never lands in the prompt
    text = entry_text(args.text)
    now = clock()
    created = now if args.date is None else args.date.replace(tzinfo=now.tzinfo)
    if created > now:
        raise UsageError(f"{created:%Y-%m-%d %H:%M} has not come yet; --date is for a day that has passed.")
    with opened(vault, passphrase_file, clock, passphrase) as journal:
        journal.add_reflection(text, mood=args.mood, tags=args.tag, reliance=args.reliance, flagged=args.flag,
                               created=created)
        print("Saved your reflection." + (" It is marked to bring to therapy." if args.flag else ""))
    return 0


def reflection_json(entry: Reflection) -> dict[str, object]:
    """The JSON shape of a reflection for `list --json`."""
    return {"id": entry.id, **entry.to_record()}


def cmd_list(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Print reflections, newest first; the filter words are the app's (#tag, theme:, since:, until:, flagged)."""
    try:
        rule = parse_filter(" ".join([*args.filter, args.search or ""]))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    entries = read(vault, passphrase_file, clock, lambda j: j.reflections.page(rule, limit=args.n).items)
    if args.json or args.format == "json":
        print_json([reflection_json(e) for e in entries])
        return 0
    zone = clock().tzinfo
    show = _markdown_entry if args.format == "markdown" else _format_entry
    for entry in entries:
        sys.stdout.write(show(entry, zone))
    return 0


def _markdown_entry(entry: Reflection, zone: tzinfo | None) -> str:
    """One entry as Markdown: a heading with its time, its marks on a line, then the words as written."""
    when = entry.local(zone).strftime("%Y-%m-%d %H:%M")
    marks = [f"mood {entry.mood}/5"] if entry.mood else []
    marks += [f"reliance {entry.reliance}/5"] if entry.reliance else []
    marks += [f"#{t}" for t in entry.tags] + (["to bring to therapy"] if entry.flagged else [])
    return f"## {when}\n\n" + (f"*{' · '.join(marks)}*\n\n" if marks else "") + f"{entry.text.rstrip()}\n\n"


def _format_entry(entry: Reflection, zone: tzinfo | None) -> str:
    when = entry.local(zone).strftime("%Y-%m-%d %H:%M")
    extras = []
    if entry.mood:
        extras.append(f"mood {entry.mood}/5")
    extras.extend(f"#{t}" for t in entry.tags)
    head = "  ".join([when, *extras])
    body = "\n".join(f"  {line}" for line in entry.text.rstrip().splitlines())
    return f"{head}\n{body}\n\n"


def cmd_boundaries(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """`boundaries list`: boundary notes grouped by status."""
    items = read(vault, passphrase_file, clock, lambda j: j.boundaries.all())
    today = clock().date()
    if args.json:
        print_json([{"id": b.id, **b.to_record(), "review_due": b.is_due(today)} for b in items])
        return 0
    for b in items:
        due = "  (review due)" if b.is_due(today) else ""
        who = f"{b.who}: " if b.who else ""
        sys.stdout.write(f"[{STATUSES[b.status]}] {who}{b.boundary}{due}\n")
    return 0


def cmd_contacts(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """`contacts list`: the secure base, by name."""
    items = read(vault, passphrase_file, clock, lambda j: j.contacts.all())
    today = clock().date()
    if args.json:
        print_json([
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


def cmd_sessions(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """`sessions list`: therapy sessions, the most recent first."""
    items = read(vault, passphrase_file, clock, lambda j: j.sessions.all())
    today = clock().date()
    if args.json:
        print_json([{"id": s.id, **s.to_record(), "state": s.state(today)} for s in items])
        return 0
    for s in items:
        shared = "".join(f"; shared {e.summary} ({e.file})" for e in s.exports)
        sys.stdout.write(f"{day_text(s.day)}  {s.state(today)}{shared}\n")
        if s.agenda:
            sys.stdout.write(f"  to bring up: {s.agenda}\n")
        if s.takeaways:
            sys.stdout.write(f"  took away: {s.takeaways}\n")
    return 0


def cmd_plan(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """`plan show`: the safety plan as plain text, the people from the secure base and the support card's lines."""
    from companion.settings import load_settings

    lines = load_settings(paths.settings_path(vault)).crisis_lines
    text = read(vault, passphrase_file, clock, lambda j: j.safety.written_text(lines))
    if text is None:
        sys.stdout.write("You have not written a safety plan yet. In the app, press 4 (Secure base), then p; it is "
                         "best written with your therapist.\n")
        return 0
    sys.stdout.write(text)
    return 0
