"""Opening a journal file: take its lock, read its header, unlock it, and learn what is known of it (the format
3 source documents.py makes of any format, and a damaged end kept before anything is written after it)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from companion.crypto import envelope
from companion.domain.clock import Clock
from companion.errors import VaultDamaged, WrongPassphrase
from companion.storage import backups, disk, saving
from companion.storage.backups import damaged_sentence
from companion.storage.disk import stale_temps
from companion.storage.documents import open_source
from companion.storage.lock import VaultLock
from companion.storage.state import FileStamp, Known, Site, Source, open_file

# Opens a header: the data key, and the header saves will write (an older file's moved to format 3).
Unlock = Callable[[envelope.Header], tuple[bytes, envelope.Header]]


def open_file_known(path: Path, unlock: Unlock, lock_timeout: float,
                    clock: Clock) -> tuple[Site, Known, list[str]]:
    """The journal at `path` under its lock, unlocked: what stays, what is known, and what to tell (a file that
    replaced the journal without being merged). Errors release the lock and leave the file untouched."""
    lock = VaultLock(path)
    if path.parent.is_dir():
        lock.acquire(timeout=lock_timeout)
    fd: int | None = None
    source: Source | None = None
    try:
        fd, stat = open_file(path)
        replaced = _replaced_after_refusal(path, stat)
        try:
            found = envelope.parse_header(disk.read_at(fd, 0, envelope.HEAD_READ_LEN))
            try:
                data_key, header = unlock(found)
            except WrongPassphrase as exc:
                if replaced is None:
                    raise
                raise WrongPassphrase(f"{exc.message.rstrip('.')}; {_replaced_sentence(replaced)}") from None
            source, digest = open_source(path, fd, stat.st_size, found, data_key)
        except VaultDamaged as exc:
            raise VaultDamaged(damaged_sentence(path, exc.message)) from None
        if source.fd is None:  # an older file, read whole: held in memory
            os.close(fd)
        fd = None
        for tmp in stale_temps(path):
            tmp.unlink(missing_ok=True)
        site = Site(path, data_key, clock, lock)
        known = Known(header, source, FileStamp.of(stat), digest)
        if source.manifest.cut_short and source.fd is not None:
            known = saving.keep_cut_short(site, known, disk.read_all(source.fd, stat.st_size))
        told = [] if replaced is None else [_replaced_sentence(replaced, start=True)]
        return site, known, told
    except BaseException:
        if fd is not None:
            os.close(fd)
        elif source is not None:
            source.close()
        lock.release()
        raise


def _replaced_after_refusal(path: Path, stat: os.stat_result) -> Path | None:
    """The copy of this journal kept when a file companion could not merge replaced it (see
    syncing.changed_copy), if that file is still the one here (nothing saved to it since): the next command
    must say so."""
    refused = [p for p in backups.list_kept(path) if p.name.startswith("unmerged-")]
    newest = max(refused, key=lambda p: p.stat().st_mtime_ns, default=None)
    return newest if newest is not None and newest.stat().st_mtime_ns > stat.st_mtime_ns else None


def _replaced_sentence(kept: Path, *, start: bool = False) -> str:
    said = (f"this file is not the journal companion last saved here: a file it could not merge replaced that "
            f"one, which is kept at {kept}")
    return said[0].upper() + said[1:] if start else said
