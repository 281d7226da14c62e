"""The vault: create, open (under the lock), save atomically with backups, merge copies, change passphrase."""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from companion.crypto import envelope
from companion.crypto.envelope import DEFAULT_KDF, KdfParams
from companion.domain.clock import Clock
from companion.domain.schema import SchemaError, check_structure
from companion.errors import StorageFailure, VaultDamaged, WrongPassphrase
from companion.paths import backups_dir
from companion.storage import backups, checking, copies, disk, segments
from companion.storage.backups import damaged_sentence
from companion.storage.checking import CheckReport
from companion.storage.disk import (
    atomic_write,
    describe_os_error,
    discard,
    ensure_private_dir,
    fsync_dir,
    read_bytes,
    stale_temps,
    sync_file,
    write_temp,
)
from companion.storage.documents import (
    TABLES,
    checked,
    cut_short,
    decode,
    fresh_document,
    legacy_tables,
    read_document,
    seal_document,
    summarise,
)
from companion.storage.lock import VaultLock
from companion.storage.merge import TOMBSTONES, Kept, MergeReport, canonical, counted, merge, rev_of, set_aside
from companion.storage.sealed import Saved, SegmentDB, SegmentedStorage
from companion.storage.segments import Document
from companion.storage.side_files import SideFiles

SAVE_ATTEMPTS = 3
COMPACT_MIN_WASTE = 1 << 20  # compact once earlier versions of segments take more than this and the live ones
BACKUP_EVERY = timedelta(days=1)  # or when the newest rolling backup is older than this

UNCONFIRMED = ("Saved, but the disk reported an error while confirming it; "
               "companion will confirm again on the next save.")


@dataclass(frozen=True)
class FileStamp:
    """Which file a path names, cheaply: a sync tool's rename or rewrite changes it."""

    dev: int
    ino: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, stat: os.stat_result) -> FileStamp:
        """From a stat result."""
        return cls(stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)

    @classmethod
    def at(cls, path: Path) -> FileStamp | None:
        """The stamp of the file at `path`, or None when there is none."""
        try:
            return cls.of(os.stat(path))
        except OSError:
            return None


@dataclass
class _Live:
    """The file this process last read or wrote: an open descriptor on its inode, and its manifest.

    Reading segments through the descriptor keeps reading the same file even after a sync tool
    renamed another one over the name.
    """

    fd: int
    manifest: segments.Manifest

    def read(self, offset: int, length: int) -> bytes:
        return disk.read_at(self.fd, offset, length)

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


@dataclass
class _Copy:
    """The vault file as found on disk after it changed underneath."""

    header: envelope.Header
    document: Document
    stamp: FileStamp
    digest: bytes
    live: _Live | None  # the file opened, when it is format 3 and can be appended to


class _ChangedUnderneath(Exception):
    """The file changed between the merge and the rename: merge again."""


def _open_live(path: Path, writable: bool = True) -> tuple[int, os.stat_result]:
    flags = os.O_NOFOLLOW | (os.O_RDWR if writable else os.O_RDONLY)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if writable and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return _open_live(path, writable=False)
        if exc.errno == errno.ENOENT:
            raise StorageFailure(f"There is no journal at {path} yet; run 'companion init' to create one.") from None
        raise StorageFailure(describe_os_error(exc, "read the journal", path)) from None
    return fd, os.fstat(fd)


class Vault:
    """An unlocked vault: holds the lock, the data key, the open file and TinyDB over its segments."""

    def __init__(self, path: Path, header: envelope.Header, data_key: bytes, lock: VaultLock, clock: Clock) -> None:
        self.path = path
        self._header = header
        self._data_key = data_key
        self._side = SideFiles(path, data_key)
        self._lock = lock
        self._clock = clock
        self._stamp: FileStamp | None = None
        self._digest = b""
        self._live: _Live | None = None
        self._legacy: Document | None = None  # a format 1 or 2 document (opened by recovery key)
        self._foreign: FileStamp | None = None
        self._compacting = True  # off for this session once a backup could not be kept
        self.news: list[str] = []  # sentences for the person: merges, warnings, drafts set aside
        self._kept: set[tuple[str, str]] = set()  # (table, revision) of versions set aside this session
        self._read_only = ""  # why saving is refused, when it is (a damaged end that could not be kept)
        self._storage: SegmentedStorage | None = SegmentedStorage({}, self._load, self._persist, summarise)
        self._db: TinyDB | None = None
        self._db_generation = -1

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        kdf: KdfParams = DEFAULT_KDF,
        *,
        clock: Clock,
    ) -> Vault:
        """Create a new vault at `path`; refuses to overwrite anything already there."""
        ensure_private_dir(path.parent)
        lock = VaultLock(path)
        lock.acquire(timeout=0.0)
        try:
            if path.exists() or path.is_symlink():
                raise StorageFailure(f"A journal already exists at {path}; companion will not overwrite it.")
            header, data_key = envelope.new_envelope(passphrase, kdf)
            vault = cls(path, header, data_key, lock, clock)
            document = fresh_document(clock())
            vault.storage.adopt(vault._write_whole(document, action="create your journal", keep=False), document)
            return vault
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(
        cls,
        path: Path,
        passphrase: str,
        *,
        lock_timeout: float = 0.0,
        clock: Clock,
    ) -> Vault:
        """Open the vault at `path` under its lock; errors leave the file untouched.

        A file in an older format is moved to format 3 (segments), and the old file is kept in backups/.
        """
        return cls._open(path, lambda header: envelope.unlock(header, passphrase), lock_timeout, clock)

    @classmethod
    def _open(
        cls,
        path: Path,
        unlock: Callable[[envelope.Header], tuple[bytes, envelope.Header]],
        lock_timeout: float,
        clock: Clock,
    ) -> Vault:
        lock = VaultLock(path)
        if path.parent.is_dir():
            lock.acquire(timeout=lock_timeout)
        fd: int | None = None
        try:
            fd, stat = _open_live(path)
            replaced = _replaced_after_refusal(path, stat)
            try:
                header = envelope.parse_header(disk.read_at(fd, 0, envelope.HEAD_READ_LEN))
                try:
                    data_key, upgraded = unlock(header)
                except WrongPassphrase as exc:
                    if replaced is None:
                        raise
                    raise WrongPassphrase(f"{exc.message.rstrip('.')}; {_replaced_sentence(replaced)}") from None
                if header.segmented:
                    manifest = segments.read_manifest(segments.fd_reader(fd), stat.st_size, data_key, header)
                else:
                    blob = disk.read_all(fd, stat.st_size)
                    document = decode(path, envelope.open_body(blob, data_key, header))
            except VaultDamaged as exc:
                raise VaultDamaged(damaged_sentence(path, exc.message)) from None
            for tmp in stale_temps(path):
                tmp.unlink(missing_ok=True)
            vault = cls(path, upgraded, data_key, lock, clock)
            vault._stamp = FileStamp.of(stat)
            if header.segmented:
                vault._take_live(_Live(fd, manifest))
                vault.storage.adopt(manifest.tables)
                if manifest.cut_short:
                    vault._keep_cut_short(fd, stat)
            else:
                os.close(fd)
                vault._stamp_legacy(blob, document, stat)
                if upgraded.segmented:
                    vault._upgrade(document)
            fd = None
            vault.news.extend(vault._side.migrate_legacy(vault._open_with_key))
            if replaced is not None:
                text = _replaced_sentence(replaced)
                vault.news.append(text[0].upper() + text[1:])
            return vault
        except BaseException:
            if fd is not None:
                os.close(fd)
            lock.release()
            raise

    @classmethod
    def open_with_recovery(cls, path: Path, code: str, *, clock: Clock, lock_timeout: float = 0.0) -> Vault:
        """Open the vault with its recovery key (the passphrase was forgotten); then set a new passphrase."""
        return cls._open(path, lambda header: (envelope.unwrap_with_recovery(header, code), header),
                         lock_timeout, clock)

    def _keep_cut_short(self, fd: int, stat: os.stat_result) -> None:
        """The end of the file is unreadable: keep the file as found (once), before a save writes there.

        Opening never cuts or rewrites the journal: the next save writes over what follows the last whole
        save, after this copy is kept. If it cannot be kept (a full disk), the journal opens read-only."""
        assert self._live is not None
        data = disk.read_all(fd, stat.st_size)
        recovered = segments.recover_tail(segments.blob_reader(data), len(data), self._data_key, self._live.manifest)
        said = ("The end of your journal file could not be read (a save cut short by a crash or a power cut, "
                "or damage), so it opened as of its last complete save")
        try:
            kept = backups.kept_already(self.path, "unreadable-end", data) or \
                backups.keep_copy(self.path, "unreadable-end", self._clock(), data=data)
        except StorageFailure as exc:
            self._read_only = f"{said}, and the file as found could not be kept ({exc.message.rstrip('.')}); " \
                              "it is open read-only, so nothing is written over it. Free some space and open it again."
            self.news.append(self._read_only)
            return
        if recovered:
            self.news.append(f"{said}. Its last save could still be read, in the copy kept at {kept}: merging "
                             "that copy (m on Home, or companion merge) brings it back.")
        else:
            self.news.append(f"{said}; the file as it was is kept at {kept}.")

    def _upgrade(self, document: Document) -> None:
        """Keep the format 1 or 2 file in backups/ for good, and write the journal in format 3."""
        try:
            kept = backups.keep_copy(self.path, "before-upgrade", self._clock(), source=self.path)
            tables = self._write_whole(document, action="move your journal to the new format", keep=False)
        except (StorageFailure, _ChangedUnderneath):
            return  # a read-only disk, say: it stays as it is, readable, and moves on a later unlock
        self.storage.adopt(tables, document)
        self.news.append(f"Your journal now saves in a faster format; the file as it was is kept at {kept}.")

    def close(self) -> None:
        """Forget the decrypted records and key, close the file and release the lock."""
        if self._storage is not None:
            self._storage.close()
            self._storage = None
        if self._live is not None:
            self._live.close()
            self._live = None
        self._legacy = None
        self._db = None
        self._data_key = b""
        self._side.forget()
        self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the document --------------------------------------------------------------------------
    @property
    def storage(self) -> SegmentedStorage:
        """The open document's storage (an error once locked)."""
        if self._storage is None:
            raise StorageFailure("The journal is locked.")
        return self._storage

    @property
    def db(self) -> TinyDB:
        """TinyDB over the segments; rebuilt when a merge replaced the tables (fresh id counters)."""
        storage = self.storage
        if self._db is None or self._db_generation != storage.generation:
            self._db = SegmentDB(storage=lambda: storage)
            self._db_generation = storage.generation
        return self._db

    @property
    def generation(self) -> int:
        """Goes up whenever the document changed other than by a plain write (a merge, a restore)."""
        return self.storage.generation

    def now(self) -> datetime:
        """The vault's clock (for change stamps)."""
        return self._clock()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Several changes saved as one (or none of them)."""
        with self.storage.batch():
            yield

    def document(self) -> Document:
        """The whole document as last saved (for an encrypted backup; never written in the clear)."""
        return self._saved_document()

    def take_news(self) -> list[str]:
        """Sentences about what happened underneath (merges, warnings), each told once."""
        news, self.news = self.news, []
        return news

    def _load(self, table: str, index: int, ref: segments.SegmentRef) -> segments.Records:
        """One segment's records, read through the open file (or from the format 1 document in memory)."""
        if self._legacy is not None:
            part = segments.split(self._legacy.get(table, {})).get(index, {})
            records: segments.Records = segments.deep_copy(part)
            return records
        if self._live is None:
            raise StorageFailure("The journal is locked.")
        try:
            records = segments.open_segment(self._live.read, self._data_key, table, index, ref)
            check_structure({table: records})
        except (VaultDamaged, SchemaError):
            raise VaultDamaged(damaged_sentence(self.path, "has been damaged or tampered with")) from None
        except OSError as exc:
            raise StorageFailure(describe_os_error(exc, "read the journal", self.path)) from None
        return records

    def _saved_document(self) -> Document:
        """A fresh copy of every record as last saved (the common ancestor for a merge)."""
        if self._legacy is not None:
            legacy: Document = segments.deep_copy(self._legacy)
            return legacy
        if self._live is None:
            raise StorageFailure("The journal is locked.")
        return segments.load_all(self._live.manifest, self._load)

    def _take_live(self, live: _Live) -> None:
        """From now on, segments are read from (and saves appended to) this file."""
        if self._live is not None and self._live.fd != live.fd:
            self._live.close()
        self._live, self._legacy = live, None
        self._digest = live.manifest.digest

    def _stamp_legacy(self, blob: bytes, document: Document, stat: os.stat_result) -> None:
        self._legacy = document
        self._stamp = FileStamp.of(stat)
        self._digest = _digest(blob)
        # held in memory already: a copy for the tables, the original is what was saved
        self.storage.adopt(legacy_tables(document), segments.deep_copy(document))

    # -- saving ------------------------------------------------------------------------------
    def _persist(self, changes: dict[str, dict[int, segments.Records]]) -> Saved:
        """Save the changed segments; if the file changed underneath (a sync tool), merge it in first."""
        if self._read_only:
            raise StorageFailure(self._read_only)
        self._lock.verify()
        for _ in range(SAVE_ATTEMPTS):
            remote = self._changed_copy(self.storage.document)
            if remote is not None:
                merged = self._merge_in(self.storage.document(), remote)
                try:
                    return Saved(self._write_whole(merged, check=True), merged)
                except _ChangedUnderneath:
                    continue
            if self._live is None or self._stamp is None:  # an old-format file, or the file vanished
                document = self.storage.document()
                try:
                    return Saved(self._write_whole(document, check=True), document)
                except _ChangedUnderneath:
                    continue
            try:
                tables = self._append(changes)
            except _ChangedUnderneath:
                continue
            if self._compaction_due() and self._compact():
                return Saved(self._live.manifest.tables if self._live else tables)  # the frames moved
            return Saved(tables)
        raise StorageFailure(f"{self.path} kept changing while companion saved (a sync tool at work?); "
                             "nothing was saved. Try again in a moment.")

    def _append(self, changes: dict[str, dict[int, segments.Records]]) -> segments.Tables:
        """Seal the changed segments onto the end of the file and sync them, then a new manifest and its
        trailer, and sync again: two commit points, so no manifest is ever durable before its frames."""
        live = self._live
        assert live is not None
        old = live.manifest
        tables = {name: dict(refs) for name, refs in old.tables.items()}
        frames, offset = segments.add_segments(self._data_key, tables, changes, old.end, summarise)
        tail, manifest = segments.seal_manifest(self._data_key, self._header, tables, old.seq + 1, offset,
                                                start=old.end)
        expected = self._stamp
        assert expected is not None
        try:
            if FileStamp.of(os.fstat(live.fd)) != expected:
                raise _ChangedUnderneath  # written to in place by someone else
            if expected.size > old.end:  # what followed the last whole save (kept in backups/ when opened)
                os.ftruncate(live.fd, old.end)
            disk.write_at(live.fd, b"".join(frames), old.end)
            sync_file(live.fd)
            disk.write_at(live.fd, tail, offset)
            sync_file(live.fd)
            stat = os.fstat(live.fd)
        except OSError as exc:
            self._stamp = _truncated(live.fd, old.end) or expected
            raise StorageFailure(describe_os_error(exc, "save your journal", self.path)) from None
        live.manifest = manifest
        self._digest = manifest.digest
        self._stamp = FileStamp.of(stat)
        if FileStamp.at(self.path) != self._stamp:
            # Renamed over while we wrote: what we appended went to the file that was replaced. It is
            # still in memory; the next attempt merges it into the new file.
            raise _ChangedUnderneath
        return tables

    def _compaction_due(self) -> bool:
        """When earlier versions of segments take more room than the live ones, or no backup is a day old."""
        live = self._live
        if live is None or not self._compacting:
            return False
        waste = live.manifest.end - self._header.length - live.manifest.live
        if waste > max(live.manifest.live, COMPACT_MIN_WASTE):
            return True
        newest = backups.newest_backup(self.path)
        return waste > 0 and (newest is None or self._clock() - newest > BACKUP_EVERY)

    def _compact(self) -> bool:
        """Rewrite the file with only its live segments (copied sealed); the old file becomes a backup.

        Whether it happened: the segments then lie elsewhere, and the storage must be told.
        """
        live = self._live
        assert live is not None
        try:
            self._replace_file(*segments.compacted(self._header, self._data_key, live.read, live.manifest),
                               action="tidy your journal", check=True)
        except _ChangedUnderneath:
            return False  # the save itself is done; tried again on the next save
        except StorageFailure as exc:  # the save itself is done; say why no backup was kept, once
            self._compacting = False
            self.news.append(exc.message)
            return False
        except VaultDamaged:  # the save itself is done: never report it failed; leave the file as it is
            self._compacting = False
            self.news.append(f"Saved. Part of {self.path} is damaged, so companion left the file as it is "
                             "instead of tidying it; run companion check to see what it found.")
            return False
        return True

    def _write_whole(self, document: Document, *, action: str = "save your journal", check: bool = False,
                     keep: bool = True) -> segments.Tables:
        """Write `document` as a whole new file (atomically, the old one kept as a backup)."""
        self._replace_file(*seal_document(self._header, self._data_key, document), action=action,
                           check=check, keep=keep)
        if self._live is None:
            self._legacy = segments.deep_copy(document)
            return legacy_tables(document)
        return self._live.manifest.tables

    def _replace_file(self, blob: bytes, manifest: segments.Manifest | None, *, action: str, check: bool = False,
                      keep: bool = True) -> None:
        """Write `blob` beside the journal, then rename it over; the previous file becomes a backup."""
        def before_replace() -> None:
            if check and FileStamp.at(self.path) != self._stamp:
                raise _ChangedUnderneath
            if keep:
                backups.keep_previous(self.path, self._clock())

        written = atomic_write(self.path, blob, before_replace=before_replace, action=action)
        if not written.confirmed:
            self.news.append(UNCONFIRMED)
        self._adopt_written(blob, manifest, written.stat)

    def _adopt_written(self, blob: bytes, manifest: segments.Manifest | None, written: os.stat_result) -> None:
        """The file just renamed into place (its manifest, None for formats 1 and 2) is the one known from now on."""
        if manifest is None:
            self._stamp = FileStamp.of(written)
            self._digest = _digest(blob)
            return
        fd, stat = _open_live(self.path)
        if (stat.st_dev, stat.st_ino) != (written.st_dev, written.st_ino):
            os.close(fd)
            raise _ChangedUnderneath  # renamed over straight away: what we wrote is still in memory
        self._stamp = FileStamp.of(stat)
        self._take_live(_Live(fd, manifest))

    def _changed_copy(self, ours: Callable[[], Document]) -> _Copy | None:
        """The file on disk, opened, when it is not what this process last read or wrote."""
        stamp = FileStamp.at(self.path)
        if stamp == self._stamp:
            return None
        if stamp is None:
            self._stamp = None  # gone (a sync tool's doing): writing it again loses nothing
            return None
        fd, stat = _open_live(self.path)
        kept_open = False  # the descriptor stays open only when this file becomes the one saves go to
        try:
            blob = disk.read_all(fd, stat.st_size)
            stamp = FileStamp.of(stat)
            header = envelope.parse_header(blob)
            live = None
            if header.segmented:
                manifest = segments.read_manifest(segments.blob_reader(blob), len(blob), self._data_key, header)
                live = _Live(fd, manifest)
                digest = manifest.digest
            else:
                digest = _digest(blob)
            if digest == self._digest and header.to_bytes() == self._header.to_bytes():
                self._stamp = stamp  # touched, or copied whole, not changed: carry on with that file
                if live is not None:
                    self._take_live(live)
                    kept_open = True
                return None
            _, document = read_document(self.path, blob, self._data_key)
            document = checked(self.path, document)
            kept_open = live is not None  # handed over with the copy
        except VaultDamaged:
            kept = backups.keep_copy(self.path, "unmerged", self._clock(),
                                     data=seal_document(self._header, self._data_key, ours())[0])
            self._foreign = stamp
            raise VaultDamaged(
                f"{self.path} was replaced by a file companion cannot merge (another journal, or a damaged "
                f"copy), so companion did not save over it; your version is kept at {kept}."
            ) from None
        finally:
            if not kept_open:
                os.close(fd)
        return _Copy(header, document, stamp, digest, live)

    def _take(self, copy: _Copy) -> None:
        """From now on, the copy on disk is the one this process knows."""
        self._stamp, self._digest = copy.stamp, copy.digest
        self._adopt_header(copy.header)
        if copy.live is not None:
            self._take_live(copy.live)
        elif self._live is not None:  # an older-format file arrived: the next save writes it whole
            self._live.close()
            self._live = None
            self._legacy = segments.deep_copy(copy.document)

    def _merge_in(self, ours: Document, copy: _Copy) -> Document:
        merged, report = merge(ours, copy.document)
        self._take(copy)
        self._told(report, ours, copy.document)
        return merged

    def _told(self, report: MergeReport, ours: Document, theirs: Document) -> None:
        """Set aside what lost to a concurrent edit, and say what the merge did."""
        self._keep_versions([k for k in report.concurrent if k.local], ours)
        self._keep_versions([k for k in report.concurrent if not k.local], theirs)
        if report.changed or report.edits_kept:
            self.news.append(report.sentence())

    def set_aside(self, kept: list[Kept]) -> None:
        """Versions of this journal's records that lost to a concurrent edit (see merge.py), kept for good."""
        self._keep_versions(kept, self.storage.document())

    def _keep_versions(self, kept: list[Kept], document: Document) -> None:
        """A copy of `document` in backups/ in which the kept versions are records of their own: merged back
        (`companion merge`, or m on Home), each comes in beside the version that won. Said once."""
        kept = [k for k in kept if (k.table, rev_of(k.record)) not in self._kept]
        if not kept:
            return
        blob = seal_document(self._header, self._data_key, set_aside(document, kept))[0]
        path = backups.keep_copy(self.path, "concurrent-edit", self._clock(), data=blob)
        self._kept |= {(k.table, rev_of(k.record)) for k in kept}
        what = counted(k.table for k in kept)
        self.news.append(f"{what[0].upper()}{what[1:]} changed on two devices at once: the later change is kept "
                         f"here, the other in {path}; merging that copy brings it back beside it.")

    def _adopt_header(self, header: envelope.Header) -> None:
        """Another device changed the passphrase: use its header, and re-seal this device's copies."""
        if header.to_bytes() == self._header.to_bytes():
            return
        if not header.segmented:  # an older companion wrote it: keep our own (format 3) header
            return
        self._header = header
        try:
            failed = copies.swap_in(copies.stage_resealed(self.path, self._data_key, header))
        except StorageFailure:
            failed = copies.kept_copies(self.path)
        if failed:
            self.news.append(f"The passphrase was changed on another device; {len(failed)} older copies in "
                             f"{backups_dir(self.path)} could not be updated and still open with the old one.")

    def sync(self) -> MergeReport | None:
        """Fold in a copy that changed underneath (on unlock, on resume, when polled); None if none did.

        Saves only when this copy holds something the other does not, so two devices never keep
        rewriting each other's file.
        """
        stamp = FileStamp.at(self.path)
        if stamp is None or stamp == self._stamp or stamp == self._foreign:
            return None
        copy = self._changed_copy(self._saved_document)
        if copy is None:
            return None
        ours = self._saved_document()
        merged, report = merge(ours, copy.document)
        self._take(copy)
        if canonical(merged) != canonical(copy.document) or self._live is None:
            self.storage.adopt(self._write_whole(merged), merged)
        else:
            self.storage.adopt(self._live.manifest.tables)
        self._told(report, ours, copy.document)
        return report

    def merge_copy(self, copy: Path) -> tuple[MergeReport, Path]:
        """Merge a conflict copy (or a kept copy) of this journal in, then move it into backups/ (a kept copy
        offered for merging is renamed `merged-…` there, so it is not offered again).

        A copy whose end cannot be read gives what it can: its last whole save, and the segments sealed
        after it, merged by record (lineage decides); it says so."""
        blob = read_bytes(copy, "read the copy to merge")
        try:
            header, theirs = read_document(copy, blob, self._data_key, recover=True)
            theirs = checked(copy, theirs)
        except VaultDamaged:
            raise VaultDamaged(f"{copy} is not a copy of this journal (or it is damaged), so companion "
                               "did not merge it; it is left where it is.") from None
        self.sync()
        ours = self._saved_document()
        merged, report = merge(ours, theirs)
        if canonical(merged) != canonical(ours):
            self._replace_document(merged)
        self._keep_versions([k for k in report.concurrent if k.local], ours)
        self._keep_versions([k for k in report.concurrent if not k.local], theirs)
        offered = copy in backups.list_offered(self.path)  # kept by companion: the person was told already
        if not offered and cut_short(blob, self._data_key, header):
            self.news.append(f"The end of {copy.name} could not be read, so it was merged as far as it could "
                             "be read: its last whole save, and every part of a later save still whole.")
        if offered or copy.parent != backups_dir(self.path):
            return report, backups.move_in(self.path, copy, "merged")
        return report, copy

    def _replace_document(self, document: Document, **kwargs: Any) -> None:
        try:
            tables = self._write_whole(document, check=True, **kwargs)
        except _ChangedUnderneath:
            raise StorageFailure(f"{self.path} changed while companion was saving (a sync tool at work?); "
                                 "nothing was changed. Try again in a moment.") from None
        self.storage.adopt(tables, document)

    def replace_document(self, tables: dict[str, Any]) -> Path:
        """Swap in a whole document (a restore); the replaced file is kept for good in backups/.

        Returns where the replaced journal was kept.
        """
        kept = backups.keep_copy(self.path, "before-restore", self._clock(), source=self.path)
        self._replace_document({**fresh_document(self._clock()), **tables}, action="restore your journal",
                               keep=False)
        return kept

    # -- passphrase --------------------------------------------------------------------------
    def verify_passphrase(self, passphrase: str) -> None:
        """WrongPassphrase unless `passphrase` opens this vault's header."""
        if envelope.unwrap_key(self._header, passphrase) != self._data_key:
            raise WrongPassphrase("That passphrase does not open this journal.")

    def change_passphrase(self, new_passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> list[Path]:
        """Re-wrap the data key under a new passphrase, and re-seal every copy companion keeps."""
        return self.rewrap_to(self.new_header(new_passphrase, kdf))

    def new_header(self, new_passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> envelope.Header:
        """A header wrapping this vault's data key under a new passphrase (slow: the KDF runs).

        The recovery key, if there is one, keeps working.
        """
        return envelope.rewrap(self._data_key, new_passphrase, kdf, self._header.recovery)

    @property
    def has_recovery_key(self) -> bool:
        """Whether a recovery key can open this vault."""
        return self._header.recovery is not None

    def header_with_new_recovery_key(self, passphrase: str,
                                     kdf: KdfParams = DEFAULT_KDF) -> tuple[envelope.Header, str]:
        """A header holding a fresh recovery key (and the passphrase wrapped anew), and that key.

        Put in force with rewrap_to: every copy is sealed again, so a replaced key opens nothing.
        """
        code = envelope.new_recovery_key()
        slot = envelope.recovery_slot(self._data_key, code)
        return envelope.rewrap(self._data_key, passphrase, kdf, slot), code

    def rewrap_to(self, header: envelope.Header) -> list[Path]:
        """Put `header` in force: the journal and every copy companion keeps are sealed under it.

        All new files are written beside the old ones first; if any of that fails (a full disk),
        nothing has changed and StorageFailure says so. Then the journal is swapped in (the change
        has happened) and the copies after it. Returns the copies that could not be swapped in.
        """
        self.sync()
        live = self._live
        blob, manifest = (segments.compacted(header, self._data_key, live.read, live.manifest) if live is not None
                          else seal_document(header, self._data_key, self._saved_document()))
        try:
            tmp, stat = write_temp(self.path, blob)
        except OSError as exc:
            raise StorageFailure(copies.not_changed(exc)) from None
        try:
            staged = copies.stage_resealed(self.path, self._data_key, header)
        except BaseException:
            discard(tmp)
            raise
        try:
            self._lock.verify()
            if FileStamp.at(self.path) != self._stamp:
                raise StorageFailure(f"{self.path} changed while the passphrase was being changed; "
                                     "your passphrase was not changed. Try again.")
            os.replace(tmp, self.path)
        except BaseException as exc:
            discard(tmp)
            for _, staged_tmp in staged:
                discard(staged_tmp)
            if isinstance(exc, OSError):
                raise StorageFailure(copies.not_changed(exc)) from None
            raise
        self._header = header
        try:
            self._adopt_written(blob, manifest, stat)
        except _ChangedUnderneath:
            pass  # renamed over at once: the next save merges with whatever is there now
        if self._live is not None:  # the same segments, in the new file
            self.storage.moved(self._live.manifest.tables)
        failed = copies.swap_in(staged)
        _fsync_quietly(self.path.parent, backups_dir(self.path))
        return failed

    def _open_with_key(self, blob: bytes) -> bytes:
        envelope.parse_header(blob)
        return envelope.open_body(blob, self._data_key)

    # -- the drafts: small files sealed with the data key, so autosave never rewrites the vault ----
    # -- this device's side files: the draft and an open form (side_files.py) ---------------------------
    def save_draft(self, plaintext: bytes | None, kind: str = "draft") -> None:
        """Seal `plaintext` into this device's draft file (`kind`: draft or form) beside the vault; None
        removes it."""
        self._side.save(plaintext, kind)

    def load_draft(self, kind: str = "draft") -> bytes | None:
        """The sealed draft, if one was left; a damaged or foreign one is set aside in backups/."""
        data, said = self._side.load(kind)
        self.news.extend(said)
        return data

    # -- checking ----------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """How many records each table holds."""
        return {name: len(self.db.table(name)) for name in TABLES}

    def check(self, passphrase: str) -> CheckReport:
        """Verify every backup, kept copy and the draft (the vault itself was verified when it opened)."""
        return checking.check(self.path, self._data_key, passphrase, counts=self.counts(),
                              document=self.storage.document(), side_files=self._side.states())


def _replaced_after_refusal(path: Path, stat: os.stat_result) -> Path | None:
    """The copy of this journal kept when a file companion could not merge replaced it (see _changed_copy),
    if that file is still the one here (nothing saved to it since): the next command must say so."""
    refused = [p for p in backups.list_kept(path) if p.name.startswith("unmerged-")]
    newest = max(refused, key=lambda p: p.stat().st_mtime_ns, default=None)
    return newest if newest is not None and newest.stat().st_mtime_ns > stat.st_mtime_ns else None


def _replaced_sentence(kept: Path) -> str:
    return (f"this file is not the journal companion last saved here: a file it could not merge replaced that "
            f"one, which is kept at {kept}")


def _digest(blob: bytes) -> bytes:
    return hashlib.sha256(blob).digest()


def _truncated(fd: int, size: int) -> FileStamp | None:
    """Cut off what a failed save appended; the file's new stamp, or None if even that failed."""
    try:
        os.ftruncate(fd, size)
        return FileStamp.of(os.fstat(fd))
    except OSError:
        return None


def _fsync_quietly(*folders: Path) -> None:
    for folder in folders:
        try:
            fsync_dir(folder)
        except OSError:
            pass


__all__ = ["TOMBSTONES", "CheckReport", "Vault"]
