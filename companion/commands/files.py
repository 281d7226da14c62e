"""Files in and out: the therapist's export, a backup of the whole journal, restoring one, and imports
from jrnl, Day One and Daylio."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import UTC
from pathlib import Path

from companion import paths
from companion.commands.base import (
    CLI_LOCK_WAIT,
    forcing_hint,
    held,
    opened,
    passphrase_of,
    show_generated,
    stdin_once,
)
from companion.domain.clock import Clock, day_text
from companion.domain.text import plural
from companion.errors import StorageFailure, UsageError
from companion.passphrase_input import ask, ask_new, check_new, read_passphrase_file
from companion.services.opening import create_journal, open_journal


def cmd_export(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """An encrypted PDF or age file holding exactly what was chosen (and, with --session, a session record)."""
    from companion.services.export import AUTHOR_KEY, DEFAULT_SECTIONS, ExportChoice, ExportRequest, build
    from companion.services.sharing import produce, remember

    stdin_once(passphrase_file, args.export_passphrase_file)
    secret = read_passphrase_file(args.export_passphrase_file) if args.export_passphrase_file else None
    request = ExportRequest(args.format, Path(args.out), tuple(args.recipient), secret, args.force)
    from companion.settings import load_settings

    lines = tuple(load_settings(paths.settings_path(vault)).crisis_lines)
    choice = ExportChoice(sections=args.include or DEFAULT_SECTIONS, since=args.since, until=args.until,
                          flagged_only=args.flagged_only, with_contact_details=args.with_contact_details,
                          author=args.author or "", note=args.note or "", checkins=args.checkins,
                          crisis_lines=lines)
    with forcing_hint():
        request.check()  # before the journal is opened: a typo costs nothing
        choice.check()
    with opened(vault, passphrase_file, clock) as journal:
        if args.author is None:  # not given: the name remembered from the last export
            choice = dataclasses.replace(choice, author=journal.preferences.get(AUTHOR_KEY))
        content = build(journal, choice)
        if content.empty:
            raise StorageFailure("Nothing matched what you chose, so no file was written.")
        with forcing_hint():
            done = produce(content, journal.contacts.names(), request, isolated=False)
        done = remember(journal, content, done, args.format, args.session)
    print(f"Wrote {done.path}: {content.summary()} ({content.range_text()}).")
    if done.session is not None:
        print(f"Recorded for your session on {day_text(done.session.day)}; afterwards, note what you took "
              "away in the app (Sessions).")
    if done.passphrase:
        show_generated(done.passphrase)
    return 0


def cmd_backup(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """The whole journal as documented JSON inside an age file."""
    from companion.services.export import ExportRequest
    from companion.services.sharing import write_backup

    stdin_once(passphrase_file, args.export_passphrase_file)
    secret = read_passphrase_file(args.export_passphrase_file) if args.export_passphrase_file else None
    request = ExportRequest("age", Path(args.out), tuple(args.recipient), secret, args.force)
    with forcing_hint():
        request.check()
        with opened(vault, passphrase_file, clock) as journal:
            done = write_backup(journal, request, isolated=False)
    print(f"Wrote the backup to {done.path}.")
    if done.passphrase:
        show_generated(done.passphrase)
    return 0


def cmd_restore(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Show what a backup holds, ask, then replace the journal (the replaced one is kept in backups/)."""
    from companion.services.backup import open_backup_files

    stdin_once(passphrase_file, args.export_passphrase_file)
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
        opening = open_journal(vault, passphrase_of(passphrase_file), clock=clock, lock_timeout=CLI_LOCK_WAIT)
    else:
        opening = create_journal(vault, check_new(read_passphrase_file(passphrase_file)) if passphrase_file
                                 else ask_new(), clock=clock)
    with held(opening) as journal:
        kept = journal.restore(tables)
    print(f"Restored. The journal it replaced is kept at {kept}.")
    return 0


def cmd_import(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Entries from jrnl's or Day One's JSON export, or Daylio's CSV; nothing is added twice."""
    from companion.services.backup import PHOTO_NOTE, import_entries, parse_dayone, parse_jrnl, read_import_file
    from companion.services.daylio import mood_map, parse_daylio

    raw = read_import_file(Path(args.file))
    if args.mood and args.source != "daylio":
        raise UsageError("--mood is for Daylio's moods only.")
    if args.source == "daylio":  # checked whole first, in the journal's own zone (Daylio's times have none)
        entries = parse_daylio(raw, clock().tzinfo or UTC, mood_map(args.mood))
    else:
        entries = parse_jrnl(raw) if args.source == "jrnl" else parse_dayone(raw)
    with opened(vault, passphrase_file, clock) as journal:
        result = import_entries(journal, entries)
    photos = sum(entry.text.count(PHOTO_NOTE) for entry, _ in entries)
    print(f"Imported {plural(result.added, 'entry', 'entries')}"
          + (f"; {result.skipped} were already here." if result.skipped else ".")
          + (f" {plural(photos, 'photo was', 'photos were')} left out: companion keeps words only, and each "
             f"shows as {PHOTO_NOTE}." if photos else ""))
    return 0
