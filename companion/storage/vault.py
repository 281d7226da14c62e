"""The vault: create, open (under the lock), save atomically with backups, change passphrase."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB

from companion.crypto import envelope
from companion.crypto.envelope import DEFAULT_KDF, KdfParams
from companion.errors import CompanionError, StorageFailure, VaultDamaged, WrongPassphrase
from companion.paths import backups_dir, draft_path
from companion.storage import backups
from companion.storage.disk import atomic_write, ensure_private_dir, read_bytes, stale_temps
from companion.storage.lock import VaultLock
from companion.storage.sealed import SealedStorage

SCHEMA_VERSION = 1
TABLES = ("reflections", "boundaries", "contacts")
EXTRA_TABLES = ("prompts",)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


def damaged_sentence(path: Path, reason: str) -> str:
    """The one sentence for a file that cannot be read as a vault."""
    return (
        f"{path} {reason}, so companion left it untouched; "
        f"earlier copies are kept in {backups_dir(path)}."
    )


def _decode(path: Path, plaintext: bytes) -> dict[str, Any]:
    try:
        document = orjson.loads(plaintext)
    except orjson.JSONDecodeError:
        raise VaultDamaged(damaged_sentence(path, "holds data companion cannot read")) from None
    if not isinstance(document, dict):
        raise VaultDamaged(damaged_sentence(path, "holds data companion cannot read"))
    return document


def _fresh_document(now: datetime) -> dict[str, Any]:
    return {
        "_meta": {"1": {"schema": SCHEMA_VERSION, "created": now.isoformat()}},
        **{name: {} for name in (*TABLES, *EXTRA_TABLES)},
    }


@dataclass
class BackupStatus:
    """What `check` found for one backup file."""

    path: Path
    taken: datetime
    state: str  # "ok", "other passphrase" or a damage reason


@dataclass
class CheckReport:
    """What `check` found: record counts and each backup's state."""

    counts: dict[str, int]
    backups: list[BackupStatus] = field(default_factory=list)

    @property
    def damaged_backups(self) -> list[BackupStatus]:
        """Backups that are neither readable nor merely under another passphrase."""
        return [b for b in self.backups if b.state not in ("ok", "other passphrase")]


class Vault:
    """An unlocked vault: holds the lock, the data key and the TinyDB over the decrypted document."""

    def __init__(
        self,
        path: Path,
        header: envelope.Header,
        data_key: bytes,
        document: dict[str, Any],
        lock: VaultLock,
        clock: Clock,
    ) -> None:
        self.path = path
        self._header = header
        self._data_key = data_key
        self._lock = lock
        self._clock = clock
        self._storage: SealedStorage | None = None
        self.db = TinyDB(document, self._persist, storage=SealedStorage)
        self._storage = self.db.storage  # type: ignore[assignment]

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        kdf: KdfParams = DEFAULT_KDF,
        *,
        clock: Clock = utc_now,
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
            atomic_write(path, blob, action="create your journal")
            return cls(path, header, data_key, document, lock, clock)
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
        clock: Clock = utc_now,
    ) -> Vault:
        """Open the vault at `path` under its lock; errors leave the file untouched."""
        lock = VaultLock(path)
        if path.parent.is_dir():
            lock.acquire(timeout=lock_timeout)
        try:
            blob = read_bytes(path)
            try:
                header, data_key, plaintext = envelope.open_file(blob, passphrase)
            except VaultDamaged as exc:
                raise VaultDamaged(damaged_sentence(path, exc.message)) from None
            document = _decode(path, plaintext)
            for tmp in stale_temps(path):
                tmp.unlink(missing_ok=True)
            return cls(path, header, data_key, document, lock, clock)
        except BaseException:
            lock.release()
            raise

    def close(self) -> None:
        """Forget the decrypted document and key, and release the lock."""
        if self._storage is not None:
            self.db.close()
            self._storage = None
        self._data_key = b""
        self._lock.release()

    @property
    def is_open(self) -> bool:
        """Whether the vault is still unlocked."""
        return self._storage is not None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- saving ------------------------------------------------------------------------------
    def _persist(self, plaintext: bytes) -> None:
        blob = envelope.seal(self._header, self._data_key, plaintext)
        atomic_write(
            self.path,
            blob,
            before_replace=lambda: backups.keep_previous(self.path, self._clock()),
        )

    def change_passphrase(self, new_passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> None:
        """Rewrap the data key under a new passphrase; backups are rewrapped too."""
        assert self._storage is not None
        old_header = self._header
        self._header = envelope.rewrap(self._data_key, new_passphrase, kdf)
        try:
            self._persist(self._storage.saved_plaintext())
        except BaseException:
            self._header = old_header
            raise
        for backup in backups.list_backups(self.path):
            self._rewrap_backup(backup.path)

    def _rewrap_backup(self, path: Path) -> None:
        try:
            plaintext = self._open_with_key(read_bytes(path))
        except CompanionError:
            return  # damaged or under another key: leave it exactly as it is
        atomic_write(path, envelope.seal(self._header, self._data_key, plaintext), action="update a backup")

    def _open_with_key(self, blob: bytes) -> bytes:
        envelope.parse_header(blob)
        return envelope.open_body(blob, self._data_key)

    def plaintext(self) -> bytes:
        """The whole document as last saved (for an encrypted backup; never written in the clear)."""
        assert self._storage is not None
        return self._storage.saved_plaintext()

    def replace_document(self, tables: dict[str, Any]) -> None:
        """Swap in a whole document (a restore); the current file goes to backups/ as on every save.

        The TinyDB is rebuilt, so services made before this must be made again.
        """
        assert self._storage is not None
        document = {**_fresh_document(self._clock()), **tables}
        self._persist(orjson.dumps(document))
        self.db = TinyDB(document, self._persist, storage=SealedStorage)
        self._storage = self.db.storage  # type: ignore[assignment]

    # -- the draft: a small file sealed with the same key, so autosave never rewrites the vault --
    def save_draft(self, plaintext: bytes | None) -> None:
        """Seal `plaintext` into the draft file beside the vault; None removes it."""
        path = draft_path(self.path)
        if plaintext is None:
            path.unlink(missing_ok=True)
            return
        atomic_write(path, envelope.seal(self._header, self._data_key, plaintext), action="keep your draft")

    def load_draft(self) -> bytes | None:
        """The sealed draft, if one was left (a damaged or foreign one is ignored, not deleted)."""
        path = draft_path(self.path)
        if not path.exists():
            return None
        try:
            return self._open_with_key(read_bytes(path))
        except CompanionError:
            return None

    # -- checking ----------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """How many records each table holds."""
        return {name: len(self.db.table(name)) for name in TABLES}

    def check(self, passphrase: str) -> CheckReport:
        """Verify every backup decrypts (the vault itself was verified when it opened)."""
        report = CheckReport(counts=self.counts())
        for backup in backups.list_backups(self.path):
            report.backups.append(BackupStatus(backup.path, backup.taken, self._backup_state(backup.path, passphrase)))
        return report

    def _backup_state(self, path: Path, passphrase: str) -> str:
        try:
            blob = read_bytes(path)
            try:
                plaintext = self._open_with_key(blob)
            except VaultDamaged:
                # Sealed under another data key (say, before a restore): try the passphrase.
                _, _, plaintext = envelope.open_file(blob, passphrase)
            _decode(path, plaintext)
        except WrongPassphrase:
            return "other passphrase"
        except CompanionError as exc:
            return exc.message
        return "ok"
