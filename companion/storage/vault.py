"""The vault: create, open (under the lock), save atomically with backups, merge copies, change passphrase."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB

from companion.crypto import envelope
from companion.crypto.envelope import DEFAULT_KDF, KdfParams
from companion.domain.clock import Clock, local_now
from companion.domain.schema import SchemaError, check_structure, check_tables, damaged_records
from companion.errors import CompanionError, StorageFailure, VaultDamaged, WrongPassphrase
from companion.paths import backups_dir, draft_path, legacy_draft_path
from companion.storage import backups
from companion.storage.conflicts import conflict_copies
from companion.storage.disk import (
    atomic_write,
    discard,
    ensure_private_dir,
    fsync_dir,
    read_bytes,
    read_file,
    stale_temps,
    write_temp,
)
from companion.storage.lock import VaultLock
from companion.storage.merge import TOMBSTONES, MergeReport, canonical, merge
from companion.storage.sealed import Document, SealedStorage

SCHEMA_VERSION = 1
TABLES = ("reflections", "boundaries", "contacts")
EXTRA_TABLES = ("prompts", "sessions")
SAVE_ATTEMPTS = 3

UNCONFIRMED = ("Saved, but the disk reported an error while confirming it; "
               "companion will confirm again on the next save.")


def damaged_sentence(path: Path, reason: str) -> str:
    """The one sentence for a file that cannot be read as a vault."""
    return (
        f"{path} {reason}, so companion left it untouched; "
        f"earlier copies are kept in {backups_dir(path)}."
    )


def _decode(path: Path, plaintext: bytes) -> Document:
    try:
        document = orjson.loads(plaintext)
        check_structure(document)  # every record is read (and checked) by `companion check`
    except (orjson.JSONDecodeError, SchemaError):
        raise VaultDamaged(damaged_sentence(path, "holds data companion cannot read")) from None
    assert isinstance(document, dict)
    return document


def _fresh_document(now: datetime) -> Document:
    return {
        "_meta": {"1": {"schema": SCHEMA_VERSION, "created": now.isoformat()}},
        **{name: {} for name in (*TABLES, *EXTRA_TABLES)},
    }


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
class FileStatus:
    """What `check` found for one file kept beside the vault."""

    path: Path
    state: str  # "ok", "other passphrase", or a damage reason
    taken: datetime | None = None


@dataclass
class CheckReport:
    """What `check` found: record counts and the state of every file companion keeps."""

    counts: dict[str, int]
    backups: list[FileStatus] = field(default_factory=list)
    kept: list[FileStatus] = field(default_factory=list)
    conflicts: list[Path] = field(default_factory=list)
    draft: FileStatus | None = None
    damaged_records: list[str] = field(default_factory=list)

    @property
    def damaged_backups(self) -> list[FileStatus]:
        """Backups and kept copies that are neither readable nor merely under another passphrase."""
        return [b for b in (*self.backups, *self.kept) if b.state not in ("ok", "other passphrase")]


@dataclass(frozen=True)
class _Copy:
    """The vault file as found on disk after it changed underneath."""

    header: envelope.Header
    document: Document
    stamp: FileStamp
    digest: bytes


class _ChangedUnderneath(Exception):
    """The file changed between the merge and the rename: merge again."""


class Vault:
    """An unlocked vault: holds the lock, the data key and the TinyDB over the decrypted document."""

    def __init__(
        self,
        path: Path,
        header: envelope.Header,
        data_key: bytes,
        document: Document,
        lock: VaultLock,
        clock: Clock,
        stamp: FileStamp | None,
        digest: bytes,
    ) -> None:
        self.path = path
        self._header = header
        self._data_key = data_key
        self._lock = lock
        self._clock = clock
        self._stamp = stamp
        self._digest = digest
        self._foreign: FileStamp | None = None
        self.news: list[str] = []  # sentences for the person: merges, warnings, drafts set aside
        self._storage: SealedStorage | None = SealedStorage(document, self._persist)
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
        clock: Clock = local_now,
    ) -> Vault:
        """Create a new vault at `path`; refuses to overwrite anything already there."""
        ensure_private_dir(path.parent)
        lock = VaultLock(path)
        lock.acquire(timeout=0.0)
        try:
            if path.exists() or path.is_symlink():
                raise StorageFailure(f"A journal already exists at {path}; companion will not overwrite it.")
            header, data_key = envelope.new_envelope(passphrase, kdf)
            document = _fresh_document(clock())
            blob = envelope.seal(header, data_key, orjson.dumps(document))
            written = atomic_write(path, blob, action="create your journal")
            return cls(path, header, data_key, document, lock, clock, FileStamp.of(written.stat), _digest(blob))
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
        clock: Clock = local_now,
    ) -> Vault:
        """Open the vault at `path` under its lock; errors leave the file untouched."""
        return cls._open(path, lambda blob: envelope.open_file(blob, passphrase), lock_timeout, clock)

    @classmethod
    def _open(
        cls,
        path: Path,
        unlock: Callable[[bytes], tuple[envelope.Header, bytes, bytes]],
        lock_timeout: float,
        clock: Clock,
    ) -> Vault:
        lock = VaultLock(path)
        if path.parent.is_dir():
            lock.acquire(timeout=lock_timeout)
        try:
            blob, stat = read_file(path)
            try:
                header, data_key, plaintext = unlock(blob)
            except VaultDamaged as exc:
                raise VaultDamaged(damaged_sentence(path, exc.message)) from None
            document = _decode(path, plaintext)
            for tmp in stale_temps(path):
                tmp.unlink(missing_ok=True)
            vault = cls(path, header, data_key, document, lock, clock, FileStamp.of(stat), _digest(blob))
            vault._migrate_legacy_draft()
            return vault
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open_with_recovery(cls, path: Path, code: str, *, lock_timeout: float = 0.0, clock: Clock = local_now) -> Vault:
        """Open the vault with its recovery key (the passphrase was forgotten); then set a new passphrase."""
        return cls._open(path, lambda blob: envelope.open_file_with_recovery(blob, code), lock_timeout, clock)

    def close(self) -> None:
        """Forget the decrypted document and key, and release the lock."""
        if self._storage is not None:
            self._storage.close()
            self._storage = None
        self._db = None
        self._data_key = b""
        self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the document --------------------------------------------------------------------------
    @property
    def storage(self) -> SealedStorage:
        """The open document's storage (an error once locked)."""
        if self._storage is None:
            raise StorageFailure("The journal is locked.")
        return self._storage

    @property
    def db(self) -> TinyDB:
        """TinyDB over the document; rebuilt when a merge replaced the document (fresh id counters)."""
        storage = self.storage
        if self._db is None or self._db_generation != storage.generation:
            self._db = TinyDB(storage=lambda: storage)
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

    def plaintext(self) -> bytes:
        """The whole document as last saved (for an encrypted backup; never written in the clear)."""
        return self.storage.saved_plaintext()

    def take_news(self) -> list[str]:
        """Sentences about what happened underneath (merges, warnings), each told once."""
        news, self.news = self.news, []
        return news

    # -- saving ------------------------------------------------------------------------------
    def _persist(self, document: Document) -> Document:
        """Seal and save; if the file changed underneath (a sync tool), merge it in first."""
        self._lock.verify()
        for _ in range(SAVE_ATTEMPTS):
            remote = self._changed_copy(document)
            if remote is not None:
                document = self._merge_in(document, remote)
            blob = envelope.seal(self._header, self._data_key, orjson.dumps(document))
            try:
                written = atomic_write(self.path, blob, before_replace=self._before_replace)
            except _ChangedUnderneath:
                continue
            self._stamp, self._digest = FileStamp.of(written.stat), _digest(blob)
            if not written.confirmed:
                self.news.append(UNCONFIRMED)
            return document
        raise StorageFailure(f"{self.path} kept changing while companion saved (a sync tool at work?); "
                             "nothing was saved. Try again in a moment.")

    def _before_replace(self) -> None:
        if FileStamp.at(self.path) != self._stamp:
            raise _ChangedUnderneath
        backups.keep_previous(self.path, self._clock())

    def _changed_copy(self, ours: Document) -> _Copy | None:
        """The file on disk, opened, when it is not what this process last read or wrote."""
        stamp = FileStamp.at(self.path)
        if stamp == self._stamp:
            return None
        if stamp is None:
            self._stamp = None  # gone (a sync tool's doing): writing it again loses nothing
            return None
        blob, stat = read_file(self.path)
        stamp = FileStamp.of(stat)
        if _digest(blob) == self._digest:
            self._stamp = stamp  # touched, not changed
            return None
        try:
            header = envelope.parse_header(blob)
            document = _checked(self.path, _decode(self.path, envelope.open_body(blob, self._data_key)))
        except VaultDamaged:
            kept = backups.keep_copy(self.path, "unmerged", self._clock(),
                                     data=envelope.seal(self._header, self._data_key, orjson.dumps(ours)))
            self._foreign = stamp
            raise VaultDamaged(
                f"{self.path} was replaced by a file companion cannot merge (another journal, or a damaged "
                f"copy), so companion did not save over it; your version is kept at {kept}."
            ) from None
        return _Copy(header, document, stamp, _digest(blob))

    def _take(self, copy: _Copy) -> None:
        """From now on, the copy on disk is the one this process knows."""
        self._stamp, self._digest = copy.stamp, copy.digest
        self._adopt_header(copy.header)

    def _merge_in(self, ours: Document, copy: _Copy) -> Document:
        merged, report = merge(ours, copy.document, base=self.storage.saved_document())
        self._take(copy)
        if report.changed:
            self.news.append(report.sentence())
        return merged

    def _adopt_header(self, header: envelope.Header) -> None:
        """Another device changed the passphrase: use its header, and re-seal this device's copies."""
        if header.to_bytes() == self._header.to_bytes():
            return
        self._header = header
        try:
            failed = _swap_in(self._stage_copies(header))
        except StorageFailure:
            failed = self._copies()
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
        ours = self.storage.saved_document()
        copy = self._changed_copy(ours)
        if copy is None:
            return None
        merged, report = merge(ours, copy.document, base=ours)
        self._take(copy)
        self.storage.adopt(copy.document)
        if canonical(merged) != canonical(copy.document):
            self.storage.replace(merged)
        if report.changed:
            self.news.append(report.sentence())
        return report

    def merge_copy(self, copy: Path) -> tuple[MergeReport, Path]:
        """Merge a conflict copy (or a kept copy) of this journal in, then move it into backups/."""
        blob = read_bytes(copy, "read the copy to merge")
        try:
            envelope.parse_header(blob)
            theirs = _checked(copy, _decode(copy, envelope.open_body(blob, self._data_key)))
        except VaultDamaged:
            raise VaultDamaged(f"{copy} is not a copy of this journal (or it is damaged), so companion "
                               "did not merge it; it is left where it is.") from None
        self.sync()
        ours = self.storage.saved_document()
        merged, report = merge(ours, theirs)
        if canonical(merged) != canonical(ours):
            self.storage.replace(merged)
        moved = copy if copy.parent == backups_dir(self.path) else backups.move_in(self.path, copy, "merged")
        return report, moved

    def replace_document(self, tables: dict[str, Any]) -> Path:
        """Swap in a whole document (a restore); the replaced file is kept for good in backups/.

        Returns where the replaced journal was kept.
        """
        kept = backups.keep_copy(self.path, "before-restore", self._clock(), source=self.path)
        document = {**_fresh_document(self._clock()), **tables}
        blob = envelope.seal(self._header, self._data_key, orjson.dumps(document))
        written = atomic_write(self.path, blob, action="restore your journal")
        self._stamp, self._digest = FileStamp.of(written.stat), _digest(blob)
        self.storage.adopt(document)
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
        blob = envelope.seal(header, self._data_key, self.storage.saved_plaintext())
        try:
            tmp, stat = write_temp(self.path, blob)
        except OSError as exc:
            raise StorageFailure(_not_changed(exc)) from None
        try:
            staged = self._stage_copies(header)
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
                raise StorageFailure(_not_changed(exc)) from None
            raise
        self._header = header
        self._stamp, self._digest = FileStamp.of(stat), _digest(blob)
        failed = _swap_in(staged)
        _fsync_quietly(self.path.parent, backups_dir(self.path))
        return failed

    def _copies(self) -> list[Path]:
        """Every file companion keeps that is sealed like the vault: backups, kept copies, conflict copies."""
        return [*(b.path for b in backups.list_backups(self.path)), *backups.list_kept(self.path),
                *conflict_copies(self.path)]

    def _stage_copies(self, header: envelope.Header) -> list[tuple[Path, Path]]:
        """Each copy that opens with this data key, sealed again under `header` into a temp file beside it.

        Returns (copy, temp) pairs for _swap_in; an OSError removes them all and raises StorageFailure.
        """
        staged: list[tuple[Path, Path]] = []
        try:
            for path in self._copies():
                try:
                    plaintext = self._open_with_key(read_bytes(path, "read a backup"))
                except CompanionError:
                    continue  # damaged or another journal: leave it exactly as it is
                tmp, _ = write_temp(path, envelope.seal(header, self._data_key, plaintext))
                staged.append((path, tmp))
        except OSError as exc:
            for _, tmp in staged:
                discard(tmp)
            raise StorageFailure(_not_changed(exc)) from None
        return staged

    def _open_with_key(self, blob: bytes) -> bytes:
        envelope.parse_header(blob)
        return envelope.open_body(blob, self._data_key)

    # -- the draft: a small file sealed with the data key, so autosave never rewrites the vault --
    def save_draft(self, plaintext: bytes | None) -> None:
        """Seal `plaintext` into this device's draft file beside the vault; None removes it."""
        path = draft_path(self.path)
        if plaintext is None:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise StorageFailure(f"companion could not remove the draft at {path} "
                                     f"({exc.strerror or type(exc).__name__}).") from None
            return
        atomic_write(path, envelope.seal_draft(self._data_key, plaintext), action="keep your draft")

    def load_draft(self) -> bytes | None:
        """The sealed draft, if one was left; a damaged or foreign one is set aside in backups/."""
        path = draft_path(self.path)
        if not path.exists():
            return None
        try:
            return envelope.open_draft(read_bytes(path, "read the draft"), self._data_key)
        except VaultDamaged:
            kept = backups.move_in(self.path, path, "set-aside-draft")
            self.news.append(f"An unfinished entry could not be read (damaged, or from another journal), "
                             f"so it was set aside as {kept}.")
            return None

    def _migrate_legacy_draft(self) -> None:
        """companion 0.1 sealed the draft under the vault's header: re-seal it the new way, once."""
        old = legacy_draft_path(self.path)
        if not old.exists() or draft_path(self.path).exists():
            return
        try:
            plaintext = self._open_with_key(read_bytes(old, "read the draft"))
            value = orjson.loads(plaintext)
            if not isinstance(value, dict) or "text" not in value:
                raise VaultDamaged("is not a draft")
        except (CompanionError, orjson.JSONDecodeError):
            kept = backups.move_in(self.path, old, "set-aside-draft")
            self.news.append(f"An unfinished entry could not be read, so it was set aside as {kept}.")
            return
        self.save_draft(plaintext)
        old.unlink(missing_ok=True)

    # -- checking ----------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """How many records each table holds."""
        return {name: len(self.db.table(name)) for name in TABLES}

    def check(self, passphrase: str) -> CheckReport:
        """Verify every backup, kept copy and the draft (the vault itself was verified when it opened)."""
        report = CheckReport(counts=self.counts(), conflicts=conflict_copies(self.path),
                             damaged_records=damaged_records(self.storage.read()))
        for backup in backups.list_backups(self.path):
            report.backups.append(FileStatus(backup.path, self._copy_state(backup.path, passphrase), backup.taken))
        report.kept = [FileStatus(path, self._copy_state(path, passphrase)) for path in backups.list_kept(self.path)]
        draft = draft_path(self.path)
        if draft.exists():
            report.draft = FileStatus(draft, self._draft_state(draft))
        return report

    def _copy_state(self, path: Path, passphrase: str) -> str:
        try:
            blob = read_bytes(path, "read a backup")
            try:
                plaintext = self._open_with_key(blob)
            except VaultDamaged:
                # Sealed under another data key (say, another journal's copy): try the passphrase.
                _, _, plaintext = envelope.open_file(blob, passphrase)
            _decode(path, plaintext)
        except WrongPassphrase:
            return "other passphrase"
        except CompanionError as exc:
            return exc.message
        return "ok"

    def _draft_state(self, path: Path) -> str:
        try:
            value = orjson.loads(envelope.open_draft(read_bytes(path, "read the draft"), self._data_key))
        except CompanionError as exc:
            return exc.message
        except orjson.JSONDecodeError:
            return "holds data companion cannot read"
        return "ok" if isinstance(value, dict) else "holds data companion cannot read"


def _checked(path: Path, document: Document) -> Document:
    """A document read from a file companion did not just write: every record must fit the schema."""
    try:
        check_tables(document)
    except SchemaError as exc:
        raise VaultDamaged(damaged_sentence(path, f"holds a record companion cannot read ({exc})")) from None
    return document


def _digest(blob: bytes) -> bytes:
    return hashlib.sha256(blob).digest()


def _not_changed(exc: OSError | StorageFailure) -> str:
    reason = exc.message if isinstance(exc, StorageFailure) else (exc.strerror or type(exc).__name__)
    return f"companion could not write the re-sealed files ({reason.rstrip('.')}); your passphrase was not changed."


def _swap_in(staged: list[tuple[Path, Path]]) -> list[Path]:
    failed = []
    for path, tmp in staged:
        try:
            os.replace(tmp, path)
        except OSError:
            discard(tmp)
            failed.append(path)
    return failed


def _fsync_quietly(*folders: Path) -> None:
    for folder in folders:
        try:
            fsync_dir(folder)
        except OSError:
            pass


__all__ = ["TOMBSTONES", "CheckReport", "FileStatus", "Vault", "damaged_sentence"]
