"""Rolling encrypted backups: the previous good file is hard-linked into backups/ before each save."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.paths import backups_dir
from companion.storage.disk import FILE_MODE, ensure_private_dir

KEEP_RECENT = 5
KEEP_DAILY_DAYS = 7
_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)(?:-(?P<n>\d+))?\.companion$")


@dataclass(frozen=True)
class Backup:
    """One backup file and the moment it was taken (UTC)."""

    path: Path
    taken: datetime


def list_backups(vault: Path) -> list[Backup]:
    """This vault's backups, newest first."""
    folder = backups_dir(vault)
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match or match["stem"] != vault.stem or not entry.is_file():
            continue
        taken = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
        found.append(Backup(entry, taken))
    found.sort(key=lambda b: (b.taken, b.path.name), reverse=True)
    return found


def keep_previous(vault: Path, now: datetime) -> Path | None:
    """Keep the current vault file as a backup (a hard link: no copy, no extra write)."""
    if not vault.exists():
        return None
    folder = backups_dir(vault)
    ensure_private_dir(folder)
    stamp = now.astimezone(UTC).strftime(_STAMP)
    dest = folder / f"{vault.stem}-{stamp}.companion"
    n = 1
    while dest.exists():
        dest = folder / f"{vault.stem}-{stamp}-{n}.companion"
        n += 1
    try:
        os.link(vault, dest)
    except OSError:
        # Some file systems have no hard links: copy the (already encrypted) bytes.
        shutil.copyfile(vault, dest)
        os.chmod(dest, FILE_MODE)
    prune(vault, now)
    return dest


def prune(vault: Path, now: datetime) -> None:
    """Keep the newest few backups plus the newest one of each of the last week's days."""
    keep: set[Path] = set()
    seen_days: set[str] = set()
    horizon = now.astimezone(UTC) - timedelta(days=KEEP_DAILY_DAYS)
    for i, backup in enumerate(list_backups(vault)):
        day = backup.taken.strftime("%Y-%m-%d")
        if i < KEEP_RECENT:
            keep.add(backup.path)
            seen_days.add(day)
        elif backup.taken >= horizon and day not in seen_days:
            keep.add(backup.path)
            seen_days.add(day)
        if backup.path not in keep:
            try:
                backup.path.unlink()
            except OSError:
                pass  # an extra encrypted backup is harmless; try again next save
