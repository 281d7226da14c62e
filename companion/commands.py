"""The subcommands: argument handling and printing only; the work is done by the services (no Textual here)."""

from __future__ import annotations

import argparse
import dataclasses
import re
import shlex
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, tzinfo
from pathlib import Path
from typing import TypeVar

import orjson

from companion import paths
from companion.domain.boundary import STATUSES
from companion.domain.clock import Clock, day_text
from companion.domain.contact import ROLES
from companion.domain.query import parse_filter
from companion.domain.reflection import Reflection
from companion.domain.text import plural
from companion.errors import StorageFailure, UsageError, VaultDamaged
from companion.passphrase_input import ask, ask_new, check_new, read_passphrase_file
from companion.quick import entry_text
from companion.services.journal import Journal
from companion.services.opening import create_journal, open_journal, open_with_recovery_key
from companion.services.recovery import read_recovery_key_file, write_recovery_key_file
from companion.storage.disk import read_bytes
from companion.storage.vault import CheckReport

CLI_LOCK_WAIT = 3.0
_C1 = re.compile("[\x7f-\x9f]")
T = TypeVar("T")


def _passphrase(passphrase_file: str | None) -> str:
    if passphrase_file is not None:
        return read_passphrase_file(passphrase_file)
    return ask("Passphrase: ")


@contextmanager
def _journal(vault: Path, passphrase_file: str | None, clock: Clock,
             passphrase: str | None = None) -> Iterator[Journal]:
    """The unlocked journal for one command; closed after, and what happened underneath told on stderr."""
    journal = open_journal(vault, passphrase if passphrase is not None else _passphrase(passphrase_file),
                           clock=clock, lock_timeout=CLI_LOCK_WAIT)
    try:
        yield journal
        for line in journal.news():
            print(line, file=sys.stderr)
    finally:
        journal.close()


def _read(vault: Path, passphrase_file: str | None, clock: Clock, read: Callable[[Journal], T]) -> T:
    """Open the journal, read what is asked, and close it again straight away."""
    with _journal(vault, passphrase_file, clock) as journal:
        return read(journal)


def _print_json(data: object) -> None:
    # orjson escapes C0 controls; DEL and C1 controls are escaped here too, so no terminal acts on them.
    out = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
    sys.stdout.buffer.write(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", out).encode("utf-8") + b"\n")


def _stdin_once(*files: str | None) -> None:
    if sum(1 for f in files if f == "-") > 1:
        raise UsageError("Only one passphrase can come from standard input.")


def _show_generated(passphrase: str) -> None:
    print(f"The passphrase that opens it:\n\n    {passphrase}\n")
    print("It is shown only this once. Pass it on by a different way than the file "
          "(say, tell it in person or send it by text if the file goes by e-mail).")


@contextmanager
def _forcing_hint() -> Iterator[None]:
    """On the command line, an existing file may be replaced with --force: say so."""
    from companion.services.export import ExportExists

    try:
        yield
    except ExportExists as exc:
        raise StorageFailure(f"{exc.path} already exists; choose another name, or use --force to replace it.") from None


# -- creating and writing ------------------------------------------------------------------------------
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
    create_journal(vault, passphrase, clock=clock).close()
    print(f"Created your journal at {vault}.")
    return 0


def cmd_add(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Add a free reflection from the argument or standard input."""
    if args.text is None and passphrase_file == "-":
        raise UsageError("Standard input carries the passphrase, so give the text as an argument.")
    passphrase = _passphrase(passphrase_file)  # first, so typed text never lands in the prompt
    text = entry_text(args.text)
    now = clock()
    created = now if args.date is None else args.date.replace(tzinfo=now.tzinfo)
    if created > now:
        raise UsageError(f"{created:%Y-%m-%d %H:%M} has not come yet; --date is for a day that has passed.")
    with _journal(vault, passphrase_file, clock, passphrase) as journal:
        journal.add_reflection(text, mood=args.mood, tags=args.tag, reliance=args.reliance, flagged=args.flag,
                               created=created)
        print("Saved your reflection." + (" It is marked to bring to therapy." if args.flag else ""))
    return 0




# -- reading ---------------------------------------------------------------------------------------------
def reflection_json(entry: Reflection) -> dict[str, object]:
    """The JSON shape of a reflection for `list --json`."""
    return {"id": entry.id, **entry.to_record()}


def cmd_list(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Print reflections, newest first; the filter words are the app's (#tag, theme:, since:, until:, flagged)."""
    try:
        rule = parse_filter(" ".join([*args.filter, args.search or ""]))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    entries = _read(vault, passphrase_file, clock, lambda j: j.reflections.page(rule, limit=args.n).items)
    if args.json or args.format == "json":
        _print_json([reflection_json(e) for e in entries])
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
    items = _read(vault, passphrase_file, clock, lambda j: j.boundaries.all())
    today = clock().date()
    if args.json:
        _print_json([{"id": b.id, **b.to_record(), "review_due": b.is_due(today)} for b in items])
        return 0
    for b in items:
        due = "  (review due)" if b.is_due(today) else ""
        who = f"{b.who}: " if b.who else ""
        sys.stdout.write(f"[{STATUSES[b.status]}] {who}{b.boundary}{due}\n")
    return 0


def cmd_contacts(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """`contacts list`: the secure base, by name."""
    items = _read(vault, passphrase_file, clock, lambda j: j.contacts.all())
    today = clock().date()
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


def cmd_sessions(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """`sessions list`: therapy sessions, the most recent first."""
    items = _read(vault, passphrase_file, clock, lambda j: j.sessions.all())
    today = clock().date()
    if args.json:
        _print_json([{"id": s.id, **s.to_record(), "state": s.state(today)} for s in items])
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
    text = _read(vault, passphrase_file, clock, lambda j: j.safety.written_text(lines))
    if text is None:
        sys.stdout.write("You have not written a safety plan yet. In the app, press 4 (Secure base), then p; it is "
                         "best written with your therapist.\n")
        return 0
    sys.stdout.write(text)
    return 0


# -- keeping it whole -----------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Verify the vault, its backups, kept copies and drafts; print counts; name conflict copies."""
    passphrase = _passphrase(passphrase_file)
    with _journal(vault, passphrase_file, clock, passphrase) as journal:
        report = journal.check(passphrase)
    _print_check(vault, report)
    if report.damaged_records:
        print(f"{len(report.damaged_records)} record(s) in the journal cannot be read back, for example "
              f"{report.damaged_records[0]}.", file=sys.stderr)
        return VaultDamaged.exit_code
    for side in (report.draft, report.form):
        if side is not None and side.state != "ok":
            print(f"The draft {side.path} {side.state}.", file=sys.stderr)
            return VaultDamaged.exit_code
    if report.damaged_backups:
        first = report.damaged_backups[0]
        print(f"{len(report.damaged_backups)} backup(s) cannot be read, for example {first.path} "
              f"{first.state}.", file=sys.stderr)
        return VaultDamaged.exit_code
    return 0


def _print_check(vault: Path, report: CheckReport) -> None:
    c = report.counts
    state = "opens, but some records cannot be read back" if report.damaged_records else "opens correctly"
    print(f"{vault}: {state}; {c['reflections']} reflections, {c['boundaries']} boundaries, "
          f"{c['contacts']} contacts.")
    readable = sum(1 for b in report.backups if b.state == "ok")
    other = sum(1 for b in report.backups if b.state == "other passphrase")
    line = f"Backups: {readable} of {len(report.backups)} open correctly"
    print(line + (f", {other} open with a different passphrase" if other else "") + ".")
    if report.kept:
        print(f"Kept copies (never pruned), in {report.kept[0].path.parent}:")
        for kept in report.kept:
            print(f"  {kept.path.name}: {'opens correctly' if kept.state == 'ok' else kept.state}")
    for side, what in ((report.draft, "Unfinished entry (draft)"), (report.form, "Unfinished form")):
        if side is not None:
            print(f"{what} {side.path.name}: {'opens correctly' if side.state == 'ok' else side.state}.")
    for copy in report.conflicts:
        print(f"A sync tool left a conflict copy: {copy.name}. Merge it with: companion merge {shlex.quote(str(copy))}")
    for copy in report.offered:
        print(f"Kept aside to bring back: {copy.name}. Merge it with: companion merge {shlex.quote(str(copy))}")


def cmd_merge(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Merge a copy of the journal (a sync tool's conflict copy) in; the copy then moves into backups/."""
    copy = Path(args.copy).expanduser()
    if copy.resolve() == vault.resolve():
        raise UsageError("That is the journal itself; give the path of a copy to merge into it.")
    with _journal(vault, passphrase_file, clock) as journal:
        report, moved = journal.merge_copy(copy)
        print(report.sentence())
        print(f"The copy was moved to {moved}.")
    return 0


def cmd_passwd(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Change the passphrase; the journal and every copy are sealed again, or nothing changes."""
    if passphrase_file == "-" and args.new_passphrase_file == "-":
        raise UsageError("Only one of the passphrases can come from standard input.")
    recovery_file = getattr(args, "recovery_key_file", None)
    if recovery_file is not None:
        return _passwd_with_recovery_key(args, vault, recovery_file, clock)
    passphrase = _passphrase(passphrase_file)
    new = _new_passphrase(args)
    with _journal(vault, passphrase_file, clock, passphrase) as journal:
        failed = journal.change_passphrase(passphrase, new)
        print("Your passphrase has been changed.")
    if failed:
        print(f"{len(failed)} older copies could not be re-sealed and still open with the old passphrase: "
              + ", ".join(str(p) for p in failed), file=sys.stderr)
        return 1
    return 0


def _new_passphrase(args: argparse.Namespace) -> str:
    if args.new_passphrase_file is not None:
        return check_new(read_passphrase_file(args.new_passphrase_file))
    return ask_new("passphrase")


def _passwd_with_recovery_key(args: argparse.Namespace, vault: Path, recovery_file: str, clock: Clock) -> int:
    """The passphrase was forgotten: open with the recovery key, then seal everything under a new one."""
    code = read_recovery_key_file(Path(recovery_file))
    journal = open_with_recovery_key(vault, code, clock=clock, lock_timeout=CLI_LOCK_WAIT)
    try:
        failed = journal.set_new_passphrase(_new_passphrase(args))
        print("Your journal has a new passphrase. The recovery key still works; keep it safe.")
    finally:
        journal.close()
    if failed:
        print(f"{len(failed)} older copies could not be re-sealed: " + ", ".join(str(p) for p in failed),
              file=sys.stderr)
        return 1
    return 0


def cmd_recovery_key(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Make or replace the recovery key; a replaced key stops opening anything companion keeps."""
    out = Path(args.out).expanduser() if args.out else None
    if out is not None and out.exists() and not args.force:
        raise StorageFailure(f"{out} already exists; choose another name, or use --force to replace it.")
    if out is None and not sys.stdout.isatty():
        raise UsageError("Give --out FILE: a recovery key is shown only on a terminal.")
    passphrase = _passphrase(passphrase_file)
    with _journal(vault, passphrase_file, clock, passphrase) as journal:
        replacing = journal.vault.has_recovery_key
        code, failed = journal.make_recovery_key(passphrase)
    if out is not None:
        write_recovery_key_file(out, code, vault)
        print(f"Wrote your recovery key to {out} (readable by you alone). Keep it somewhere safe, away from "
              "this computer: with it, anyone can open your journal.")
    else:
        print(f"Your recovery key:\n\n    {code}\n\nWrite it down and keep it somewhere safe, away from this "
              "computer: with it, anyone can open your journal. It is shown only this once.")
    if replacing:
        print("The previous recovery key no longer opens your journal or its backups.")
    if failed:
        print(f"{len(failed)} older copies could not be re-sealed: " + ", ".join(str(p) for p in failed),
              file=sys.stderr)
        return 1
    return 0


# -- sharing, backing up, bringing in ---------------------------------------------------------------------
def cmd_export(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """An encrypted PDF or age file holding exactly what was chosen (and, with --session, a session record)."""
    from companion.services.export import AUTHOR_KEY, DEFAULT_SECTIONS, ExportChoice, ExportRequest, build
    from companion.services.sharing import produce, remember

    _stdin_once(passphrase_file, args.export_passphrase_file)
    secret = read_passphrase_file(args.export_passphrase_file) if args.export_passphrase_file else None
    request = ExportRequest(args.format, Path(args.out), tuple(args.recipient), secret, args.force)
    from companion.settings import load_settings

    lines = tuple(load_settings(paths.settings_path(vault)).crisis_lines)
    choice = ExportChoice(sections=args.include or DEFAULT_SECTIONS, since=args.since, until=args.until,
                          flagged_only=args.flagged_only, with_contact_details=args.with_contact_details,
                          author=args.author or "", note=args.note or "", checkins=args.checkins,
                          crisis_lines=lines)
    with _forcing_hint():
        request.check()  # before the journal is opened: a typo costs nothing
        choice.check()
    with _journal(vault, passphrase_file, clock) as journal:
        if args.author is None:  # not given: the name remembered from the last export
            choice = dataclasses.replace(choice, author=journal.preferences.get(AUTHOR_KEY))
        content = build(journal, choice)
        if content.empty:
            raise StorageFailure("Nothing matched what you chose, so no file was written.")
        with _forcing_hint():
            done = produce(content, journal.contacts.names(), request, isolated=False)
        done = remember(journal, content, done, args.format, args.session)
    print(f"Wrote {done.path}: {content.summary()} ({content.range_text()}).")
    if done.session is not None:
        print(f"Recorded for your session on {day_text(done.session.day)}; afterwards, note what you took "
              "away in the app (Sessions).")
    if done.passphrase:
        _show_generated(done.passphrase)
    return 0


def cmd_backup(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """The whole journal as documented JSON inside an age file."""
    from companion.services.export import ExportRequest
    from companion.services.sharing import write_backup

    _stdin_once(passphrase_file, args.export_passphrase_file)
    secret = read_passphrase_file(args.export_passphrase_file) if args.export_passphrase_file else None
    request = ExportRequest("age", Path(args.out), tuple(args.recipient), secret, args.force)
    with _forcing_hint():
        request.check()
        with _journal(vault, passphrase_file, clock) as journal:
            done = write_backup(journal, request, isolated=False)
    print(f"Wrote the backup to {done.path}.")
    if done.passphrase:
        _show_generated(done.passphrase)
    return 0


def cmd_restore(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Show what a backup holds, ask, then replace the journal (the replaced one is kept in backups/)."""
    from companion.services.backup import open_backup_files

    _stdin_once(passphrase_file, args.export_passphrase_file)
    identity = Path(args.identity) if args.identity else None
    secret = None
    if identity is None:
        secret = (read_passphrase_file(args.export_passphrase_file) if args.export_passphrase_file
                  else ask("Backup passphrase: "))
    tables, summary = open_backup_files(Path(args.backup_file), identity, secret)
    print(summary.describe())
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("Add --yes to replace the journal without being asked.")
        if input("Replace your journal with this backup? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing was changed.")
            return 0
    if vault.exists():
        journal = open_journal(vault, _passphrase(passphrase_file), clock=clock, lock_timeout=CLI_LOCK_WAIT)
    else:
        journal = create_journal(vault, check_new(read_passphrase_file(passphrase_file)) if passphrase_file
                                 else ask_new(), clock=clock)
    try:
        kept = journal.restore(tables)
    finally:
        journal.close()
    print(f"Restored. The journal it replaced is kept at {kept}.")
    return 0


def cmd_import(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Entries from jrnl's or Day One's JSON export, or Daylio's CSV; nothing is added twice."""
    from companion.services.backup import MAX_IMPORT_BYTES, PHOTO_NOTE, import_entries, parse_dayone, parse_jrnl
    from companion.services.daylio import mood_map, parse_daylio

    raw = read_bytes(Path(args.file), "read the file to import", limit=MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise UsageError(f"{args.file} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB; companion imports "
                         "smaller exports (split it by year with jrnl's --from and --to).")
    if args.mood and args.source != "daylio":
        raise UsageError("--mood is for Daylio's moods only.")
    if args.source == "daylio":  # checked whole first, in the journal's own zone (Daylio's times have none)
        entries = parse_daylio(raw, clock().tzinfo or UTC, mood_map(args.mood))
    else:
        entries = parse_jrnl(raw) if args.source == "jrnl" else parse_dayone(raw)
    with _journal(vault, passphrase_file, clock) as journal:
        result = import_entries(journal, entries)
    photos = sum(entry.text.count(PHOTO_NOTE) for entry, _ in entries)
    print(f"Imported {plural(result.added, 'entry', 'entries')}"
          + (f"; {result.skipped} were already here." if result.skipped else ".")
          + (f" {plural(photos, 'photo was', 'photos were')} left out: companion keeps words only, and each "
             f"shows as {PHOTO_NOTE}." if photos else ""))
    return 0
