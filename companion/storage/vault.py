"""The vault: an unlocked journal file under its lock, seen through TinyDB. It creates and opens the file, and runs
each job on what it knows of the file (state.py), one immutable value swapped whole after every step:

- saving.py appends the changed segments, compacts, or writes the file whole;
- syncing.py notices another device's copy and takes it in;
- rekeying.py puts a new passphrase or recovery key in force;
- documents.py reads any format (formats 1 and 2 only there), side_files.py keeps the drafts, checking.py checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from companion.crypto import envelope
from companion.crypto.kdf import DEFAULT_KDF, KdfParams
from companion.domain.clock import Clock
from companion.domain.schema import SchemaError, check_structure
from companion.errors import StorageFailure, VaultDamaged, WrongPassphrase
from companion.paths import backups_dir
from companion.storage import backups, checking, opening, rekeying, saving, segments, syncing
from companion.storage.backups import damaged_sentence
from companion.storage.checking import CheckReport
from companion.storage.disk import describe_os_error, ensure_private_dir, read_bytes
from companion.storage.documents import (
    TABLES,
    checked,
    cut_short,
    fresh_document,
    read_document,
    summarise,
    upgrade_due,
)
from companion.storage.lock import VaultLock
from companion.storage.merge import TOMBSTONES, Kept, MergeReport, canonical, merge
from companion.storage.saving import UNCONFIRMED
from companion.storage.sealed import Saved, SegmentDB, SegmentedStorage
from companion.storage.segments import Document
from companion.storage.side_files import SideFiles
from companion.storage.state import ChangedUnderneath, FileStamp, Known, Site, StepFailed

SAVE_ATTEMPTS = 3


class Vault:
    """An unlocked vault: holds the lock, the data key, what is known of the file, and TinyDB over its segments."""

    def __init__(self, site: Site, known: Known) -> None:
        self._site = site
        self._known = known
        self._side = SideFiles(site.path, site.data_key)
        self._storage: SegmentedStorage | None = SegmentedStorage({}, self._load, self._persist, summarise)
        self._db: TinyDB | None = None
        self._db_generation = -1

    @property
    def path(self) -> Path:
        """The journal file."""
        return self._site.path

    @property
    def header(self) -> envelope.Header:
        """The header saves write."""
        return self._known.header

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, passphrase: str, kdf: KdfParams = DEFAULT_KDF, *, clock: Clock) -> Vault:
        """Create a new vault at `path`; refuses to overwrite anything already there."""
        ensure_private_dir(path.parent)
        lock = VaultLock(path)
        lock.acquire(timeout=0.0)
        try:
            if path.exists() or path.is_symlink():
                raise StorageFailure(f"A journal already exists at {path}; companion will not overwrite it.")
            header, data_key = envelope.new_envelope(passphrase, kdf)
            document = fresh_document(clock())
            site = Site(path, data_key, clock, lock)
            vault = cls(site, saving.write_whole(site, Known(header, None, None, b""), document,
                                                 action="create your journal", keep=False))
            vault.storage.adopt(vault._tables, document)
            return vault
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(cls, path: Path, passphrase: str, *, lock_timeout: float = 0.0, clock: Clock) -> Vault:
        """Open the vault at `path` under its lock; errors leave the file untouched.

        A file in an older format is moved to format 3 (segments), and the old file is kept in backups/.
        """
        return cls._open(path, lambda header: envelope.unlock(header, passphrase), lock_timeout, clock)

    @classmethod
    def open_with_recovery(cls, path: Path, code: str, *, clock: Clock, lock_timeout: float = 0.0) -> Vault:
        """Open the vault with its recovery key (the passphrase was forgotten); then set a new passphrase."""
        return cls._open(path, lambda header: (envelope.unwrap_with_recovery(header, code), header),
                         lock_timeout, clock)

    @classmethod
    def _open(cls, path: Path, unlock: opening.Unlock, lock_timeout: float, clock: Clock) -> Vault:
        site, known, replaced = opening.open_file_known(path, unlock, lock_timeout, clock)
        vault = cls(site, known)
        try:
            if upgrade_due(known.open_source, known.header):
                vault._known = saving.upgrade(site, known, vault._saved_document())
            vault.storage.adopt(vault._tables)
            vault._tell(*vault._side.migrate_legacy(), *replaced)
            return vault
        except BaseException:
            vault.close()
            raise

    def close(self) -> None:
        """Forget the decrypted records and key, close the file and release the lock."""
        if self._storage is not None:
            self._storage.close()
            self._storage = None
        if self._known.source is not None:
            self._known.source.close()
        self._known = replace(self._known, source=None)
        self._db = None
        self._site = replace(self._site, data_key=b"")
        self._side.forget()
        self._site.lock.release()

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

    def now(self) -> datetime:
        """The vault's clock (for change stamps)."""
        return self._site.clock()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Several changes saved as one (or none of them)."""
        with self.storage.batch():
            yield

    def document(self) -> Document:
        """The whole document as last saved (for an encrypted backup; never written in the clear)."""
        return self._saved_document()

    def take_news(self) -> list[str]:
        """What the steps since the last call had to tell the person (merges, warnings), each told once.

        Every step returns what it has to tell with the state it leaves; saves run inside TinyDB's calls, which
        return nothing of their own, so the sentences are taken where a job ends, on the thread that ran it (the
        journal's runner, a command): they come back as that job's."""
        news = list(self._known.news)
        self._known = replace(self._known, news=())
        return news

    def _tell(self, *lines: str) -> None:
        """More for the person, with what the steps return (a side file set aside, say)."""
        self._known = self._known.told(*lines)

    @property
    def _tables(self) -> segments.Tables:
        return self._known.open_source.manifest.tables

    def _load(self, table: str, index: int, ref: segments.SegmentRef) -> segments.Records:
        """One segment's records, read through the known file (or its older format's sealing in memory)."""
        source = self._known.open_source
        try:
            records = segments.open_segment(source.read, self._site.data_key, table, index, ref)
            check_structure({table: records})
        except (VaultDamaged, SchemaError):
            raise VaultDamaged(damaged_sentence(self.path, "has been damaged or tampered with")) from None
        except OSError as exc:
            raise StorageFailure(describe_os_error(exc, "read the journal", self.path)) from None
        return records

    def _saved_document(self) -> Document:
        """A fresh copy of every record as last saved (the common ancestor for a merge)."""
        return segments.load_all(self._known.open_source.manifest, self._load)

    # -- saving (saving.py) ----------------------------------------------------------------------
    def _persist(self, changes: dict[str, dict[int, segments.Records]]) -> Saved:
        """Save the changed segments; if the file changed underneath (a sync tool), merge it in first."""
        if self._known.read_only:
            raise StorageFailure(self._known.read_only)
        self._site.lock.verify()
        for _ in range(SAVE_ATTEMPTS):
            try:
                return self._save_once(changes)
            except ChangedUnderneath as moved:
                self._known = moved.known
            except StepFailed as failed:
                self._known = failed.known
                raise failed.failure from None
        raise StorageFailure(f"{self.path} kept changing while companion saved (a sync tool at work?); "
                             "nothing was saved. Try again in a moment.")

    def _save_once(self, changes: dict[str, dict[int, segments.Records]]) -> Saved:
        site = self._site
        known, copy = syncing.changed_copy(site, self._known, self.storage.document)
        self._known = known
        if copy is not None:
            ours = self.storage.document()
            merged, report = merge(ours, copy.document)
            self._known = syncing.taken(site, known, copy, report, ours)
            self._known = saving.write_whole(site, self._known, merged, check=True)
            return Saved(self._tables, merged)
        source = known.open_source
        if not source.appendable or known.stamp is None:  # an older-format file, or the file vanished
            document = self.storage.document()
            self._known = saving.write_whole(site, known, document, check=True)
            return Saved(self._tables, document)
        self._known = saving.append(site, known, changes)
        if saving.compaction_due(site, self._known):
            self._known = saving.compact(site, self._known)
        return Saved(self._tables)

    # -- another device's copy (syncing.py) ---------------------------------------------------------
    def sync(self) -> MergeReport | None:
        """Fold in a copy that changed underneath (on unlock, on resume, when polled); None if none did.

        Saves only when this copy holds something the other does not, so two devices never keep
        rewriting each other's file.
        """
        stamp = FileStamp.at(self.path)
        if stamp is None or stamp == self._known.stamp or stamp == self._known.foreign:
            return None
        try:
            self._known, copy = syncing.changed_copy(self._site, self._known, self._saved_document)
        except StepFailed as failed:
            self._known = failed.known
            raise failed.failure from None
        if copy is None:
            return None
        ours = self._saved_document()
        merged, report = merge(ours, copy.document)
        self._known = syncing.taken(self._site, self._known, copy, report, ours)
        if canonical(merged) != canonical(copy.document) or not copy.source.appendable:
            self._known = saving.write_whole(self._site, self._known, merged)
            self.storage.adopt(self._tables, merged)
        else:
            self.storage.adopt(self._tables)
        return report

    def set_aside(self, kept: list[Kept]) -> None:
        """Versions of this journal's records that lost to a concurrent edit (see merge.py), kept for good."""
        self._known = syncing.keep_versions(self._site, self._known, kept, self.storage.document())

    def merge_copy(self, copy: Path) -> tuple[MergeReport, Path]:
        """Merge a conflict copy (or a kept copy) of this journal in, then move it into backups/ (a kept copy
        offered for merging is renamed `merged-…` there, so it is not offered again).

        A copy whose end cannot be read gives what it can: its last whole save, and the segments sealed
        after it, merged by record (lineage decides); it says so."""
        blob = read_bytes(copy, "read the copy to merge")
        try:
            header, theirs = read_document(copy, blob, self._site.data_key, recover=True)
            theirs = checked(copy, theirs)
        except VaultDamaged:
            raise VaultDamaged(f"{copy} is not a copy of this journal (or it is damaged), so companion "
                               "did not merge it; it is left where it is.") from None
        self.sync()
        ours = self._saved_document()
        merged, report = merge(ours, theirs)
        if canonical(merged) != canonical(ours):
            self._replace_document(merged)
        self._known = syncing.keep_lost(self._site, self._known, report, ours, theirs)
        offered = copy in backups.list_offered(self.path)  # kept by companion: the person was told already
        if not offered and cut_short(blob, self._site.data_key, header):
            self._tell(f"The end of {copy.name} could not be read, so it was merged as far as it could "
                       "be read: its last whole save, and every part of a later save still whole.")
        if offered or copy.parent != backups_dir(self.path):
            return report, backups.move_in(self.path, copy, "merged")
        return report, copy

    def _replace_document(self, document: Document, **kwargs: Any) -> None:
        try:
            self._known = saving.write_whole(self._site, self._known, document, check=True, **kwargs)
        except ChangedUnderneath:
            raise StorageFailure(f"{self.path} changed while companion was saving (a sync tool at work?); "
                                 "nothing was changed. Try again in a moment.") from None
        self.storage.adopt(self._tables, document)

    def replace_document(self, tables: dict[str, Any]) -> Path:
        """Swap in a whole document (a restore); the replaced file is kept for good in backups/.

        Returns where the replaced journal was kept.
        """
        kept = backups.keep_copy(self.path, "before-restore", self.now(), source=self.path)
        self._replace_document({**fresh_document(self.now()), **tables}, action="restore your journal", keep=False)
        return kept

    # -- passphrase (rekeying.py) ----------------------------------------------------------------
    def verify_passphrase(self, passphrase: str) -> None:
        """WrongPassphrase unless `passphrase` opens this vault's header."""
        if envelope.unwrap_key(self.header, passphrase) != self._site.data_key:
            raise WrongPassphrase("That passphrase does not open this journal.")

    def change_passphrase(self, new_passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> list[Path]:
        """Re-wrap the data key under a new passphrase, and re-seal every copy companion keeps."""
        return self.rewrap_to(self.new_header(new_passphrase, kdf))

    def new_header(self, new_passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> envelope.Header:
        """A header wrapping this vault's data key under a new passphrase (slow: the KDF runs).

        The recovery key, if there is one, keeps working.
        """
        return envelope.rewrap(self._site.data_key, new_passphrase, kdf, self.header.recovery)

    @property
    def has_recovery_key(self) -> bool:
        """Whether a recovery key can open this vault."""
        return self.header.recovery is not None

    def header_with_new_recovery_key(self, passphrase: str,
                                     kdf: KdfParams = DEFAULT_KDF) -> tuple[envelope.Header, str]:
        """A header holding a fresh recovery key (and the passphrase wrapped anew), and that key.

        Put in force with rewrap_to: every copy is sealed again, so a replaced key opens nothing.
        """
        code = envelope.new_recovery_key()
        slot = envelope.recovery_slot(self._site.data_key, code)
        return envelope.rewrap(self._site.data_key, passphrase, kdf, slot), code

    def rewrap_to(self, header: envelope.Header) -> list[Path]:
        """Put `header` in force: the journal and every copy companion keeps are sealed under it (see
        rekeying.rewrap). Returns the copies that could not be swapped in."""
        self.sync()
        self._known, failed = rekeying.rewrap(self._site, self._known, header)
        self.storage.moved(self._tables)  # the same segments, in the new file
        return failed

    # -- this device's side files: the draft and an open form (side_files.py) ---------------------------
    def save_draft(self, plaintext: bytes | None, kind: str = "draft") -> None:
        """Seal `plaintext` into this device's draft file (`kind`: draft or form) beside the vault; None
        removes it."""
        self._side.save(plaintext, kind)

    def load_draft(self, kind: str = "draft") -> bytes | None:
        """The sealed draft, if one was left; a damaged or foreign one is set aside in backups/."""
        data, said = self._side.load(kind)
        self._tell(*said)
        return data

    # -- checking (checking.py) ----------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """How many records each table holds."""
        return {name: len(self.db.table(name)) for name in TABLES}

    def check(self, passphrase: str) -> CheckReport:
        """Verify every backup, kept copy and the draft (the vault itself was verified when it opened)."""
        return checking.check(self.path, self._site.data_key, passphrase, counts=self.counts(),
                              document=self.storage.document(), side_files=self._side.states())
__all__ = ["TOMBSTONES", "UNCONFIRMED", "CheckReport", "Vault"]
