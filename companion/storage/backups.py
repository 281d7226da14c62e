"""Encrypted copies in backups/: rolling ones made at each save, and kept ones that are never pruned.

Rolling backups (`vault-<time>.companion`) are hard links of the previous file, pruned to the five
newest plus one a day for a week. Kept copies (`before-restore-<time>.companion`,
`unmerged-<time>.companion`, `merged-<name>`, `set-aside-draft-<time>.companion`) hold something a
restore, a merge or a damaged draft set aside: companion never deletes them.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.errors import StorageFailure
from companion.paths import backups_dir
from companion.storage.disk import DIR_MODE, FILE_MODE, atomic_write, refuse_symlink

KEEP_RECENT = 5
KEEP_DAILY_DAYS = 7
_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)(?:-(?P<n>\d+))?\.companion$")
KEPT_KINDS = ("before-restore", "before-upgrade", "unreadable-end", "unmerged", "merged", "set-aside-draft",
              "concurrent-edit")


@dataclass(frozen=True)
class Backup:
    """One backup file and the moment it was taken (UTC)."""

    path: Path
    taken: datetime


def folder(vault: Path) -> Path:
    """backups/ beside the vault, made private if missing; a symlink or a read-only folder is refused."""
    where = backups_dir(vault)
    refuse_symlink(where, "The backups folder")
    if where.exists() and not where.is_dir():
        raise StorageFailure(f"{where} should be the backups folder but is a file; companion did not save. "
                             "Move it away and save again.")
    if not where.is_dir():
        try:
            where.mkdir(mode=DIR_MODE)
        except OSError as exc:
            raise _backups_failure(where, exc) from None
    return where


def _backups_failure(where: Path, exc: OSError) -> StorageFailure:
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageFailure(f"The backups folder {where} is read-only, so companion kept your journal "
                              "as it was and did not save; make that folder writable and save again.")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFailure(f"The disk is full, so companion could not keep a backup in {where}; "
                              "your journal is unchanged.")
    return StorageFailure(f"companion could not keep a backup in {where} ({exc.strerror or type(exc).__name__}); "
                          "your journal is unchanged.")


def _entries(vault: Path) -> list[Path]:
    where = backups_dir(vault)
    if where.is_symlink() or not where.is_dir():
        return []
    return [e for e in where.iterdir() if not e.is_symlink() and e.is_file()]


def list_backups(vault: Path) -> list[Backup]:
    """This vault's rolling backups, newest first."""
    found = []
    for entry in _entries(vault):
        match = _NAME.match(entry.name)
        if not match or match["stem"] != vault.stem:
            continue
        taken = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
        found.append(Backup(entry, taken))
    found.sort(key=lambda b: (b.taken, b.path.name), reverse=True)
    return found


OFFERED_KINDS = ("unreadable-end", "concurrent-edit")  # kept copies that hold words to bring back: offered


def folder_files(vault: Path, prefix: str) -> list[Path]:
    """Files in backups/ whose names start with `prefix`, by name."""
    return sorted(e for e in _entries(vault) if e.name.startswith(prefix))


def list_kept(vault: Path) -> list[Path]:
    """Copies set aside by a restore, a merge or a damaged draft (never pruned), by name."""
    return sorted(e for e in _entries(vault) if e.name.startswith(tuple(f"{k}-" for k in KEPT_KINDS)))


def list_offered(vault: Path) -> list[Path]:
    """Kept copies that hold something to bring back and were not merged yet (a merged one is renamed
    `merged-…`): the last save of a journal whose end could not be read, versions set aside by a merge."""
    return [p for p in list_kept(vault) if p.name.startswith(tuple(f"{k}-" for k in OFFERED_KINDS))]


def kept_already(vault: Path, kind: str, data: bytes) -> Path | None:
    """A copy of `kind` already kept that holds exactly `data`, so the same file is not kept twice."""
    for path in list_kept(vault):
        if path.name.startswith(f"{kind}-"):
            try:
                if path.stat().st_size == len(data) and path.read_bytes() == data:
                    return path
            except OSError:
                continue
    return None


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime(_STAMP)


def _free(where: Path, name: str, suffix: str = ".companion") -> Path:
    dest = where / f"{name}{suffix}"
    n = 1
    while dest.exists() or dest.is_symlink():
        dest = where / f"{name}-{n}{suffix}"
        n += 1
    return dest


def _link_or_copy(source: Path, dest: Path) -> None:
    try:
        os.link(source, dest, follow_symlinks=False)
    except OSError:
        # Some file systems have no hard links: copy the (already encrypted) bytes.
        shutil.copyfile(source, dest, follow_symlinks=False)
        os.chmod(dest, FILE_MODE)


def keep_previous(vault: Path, now: datetime) -> Path | None:
    """Keep the current vault file as a rolling backup (a hard link: no copy, no extra write)."""
    if not vault.exists():
        return None
    where = folder(vault)
    dest = _free(where, f"{vault.stem}-{_stamp(now)}")
    try:
        _link_or_copy(vault, dest)
    except OSError as exc:
        raise _backups_failure(where, exc) from None
    prune(vault, now)
    return dest


def keep_copy(vault: Path, kind: str, now: datetime, *, source: Path | None = None, data: bytes | None = None) -> Path:
    """Set a copy aside for good (`kind` is one of KEPT_KINDS): a file moved or linked in, or sealed bytes."""
    assert kind in KEPT_KINDS
    where = folder(vault)
    dest = _free(where, f"{kind}-{_stamp(now)}")
    try:
        if data is not None:
            atomic_write(dest, data, action="keep a copy in backups")
        elif source is not None:
            _link_or_copy(source, dest)
    except OSError as exc:
        raise _backups_failure(where, exc) from None
    return dest


def move_aside(vault: Path, source: Path, name: str, suffix: str) -> Path:
    """Move a file into backups/ as `<name><suffix>` (or `<name>-<n><suffix>` when taken), for good."""
    where = folder(vault)
    dest = _free(where, name, suffix)
    try:
        os.replace(source, dest)
    except OSError as exc:
        raise _backups_failure(where, exc) from None
    return dest


def move_in(vault: Path, source: Path, kind: str) -> Path:
    """Move a file (a merged conflict copy) into backups/ as `<kind>-<its name>`, never pruned."""
    assert kind in KEPT_KINDS
    where = folder(vault)
    dest = _free(where, f"{kind}-{source.stem}", source.suffix or ".companion")
    try:
        os.replace(source, dest)
    except OSError as exc:
        raise _backups_failure(where, exc) from None
    return dest


def prune(vault: Path, now: datetime) -> None:
    """Keep the newest few rolling backups plus the newest one of each of the last week's days."""
    keep: set[Path] = set()
    seen_days: set[str] = set()
    horizon = now.astimezone(UTC) - timedelta(days=KEEP_DAILY_DAYS)
    for i, backup in enumerate(list_backups(vault)):
        day = backup.taken.strftime("%Y-%m-%d")
        if i < KEEP_RECENT or backup.taken >= horizon and day not in seen_days:
            keep.add(backup.path)
            seen_days.add(day)
        if backup.path not in keep:
            try:
                backup.path.unlink()
            except OSError:
                pass  # an extra encrypted backup is harmless; try again next save


def newest_backup(vault: Path) -> datetime | None:
    """When the newest rolling backup was taken, or None when there is none."""
    found = list_backups(vault)
    return found[0].taken if found else None


def damaged_sentence(path: Path, reason: str) -> str:
    """The one sentence for a file that cannot be read as a vault (naming backups/ only when it holds any)."""
    where = backups_dir(path)
    if list_backups(path) or list_kept(path):
        return f"{path} {reason}, so companion left it untouched; earlier copies are kept in {where}."
    return f"{path} {reason}, so companion left it untouched."
