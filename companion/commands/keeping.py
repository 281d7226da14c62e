"""Keeping the journal whole: check it, merge a copy in, change the passphrase, make a recovery key."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from companion.commands.base import CLI_LOCK_WAIT, held, opened, passphrase_of
from companion.domain.clock import Clock
from companion.errors import StorageFailure, UsageError, VaultDamaged
from companion.passphrase_input import ask_new, check_new, read_passphrase_file
from companion.services.journal import CheckReport
from companion.services.opening import open_with_recovery_key
from companion.services.recovery import read_recovery_key_file, write_recovery_key_file


def cmd_check(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """Verify the vault, its backups, kept copies and drafts; print counts; name conflict copies."""
    passphrase = passphrase_of(passphrase_file)
    with opened(vault, passphrase_file, clock, passphrase) as journal:
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
    with opened(vault, passphrase_file, clock) as journal:
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
    passphrase = passphrase_of(passphrase_file)
    new = _new_passphrase(args)
    with opened(vault, passphrase_file, clock, passphrase) as journal:
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
    with held(open_with_recovery_key(vault, code, clock=clock, lock_timeout=CLI_LOCK_WAIT)) as journal:
        failed = journal.set_new_passphrase(_new_passphrase(args))
        print("Your journal has a new passphrase. The recovery key still works; keep it safe.")
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
    passphrase = passphrase_of(passphrase_file)
    with opened(vault, passphrase_file, clock, passphrase) as journal:
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
