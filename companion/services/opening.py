"""One way to open or create a journal, for the app and the command line alike."""

from __future__ import annotations

from pathlib import Path

from companion.crypto.kdf import DEFAULT_KDF, KdfParams
from companion.domain.clock import Clock
from companion.services.capture import capture_on_unlock
from companion.services.journal import Journal
from companion.storage.vault import Vault


def open_journal(path: Path, passphrase: str, *, clock: Clock, lock_timeout: float = 0.0) -> Journal:
    """Unlock the journal at `path` (slow: the KDF runs); it holds the lock until closed.

    Entries captured without unlocking are taken in (and the capture key set up) straight away.
    """
    return _ready(Journal(Vault.open(path, passphrase, lock_timeout=lock_timeout, clock=clock), clock))


def open_with_recovery_key(path: Path, code: str, *, clock: Clock, lock_timeout: float = 0.0) -> Journal:
    """Unlock with the recovery key, when the passphrase is forgotten (set a new one straight after)."""
    return _ready(Journal(Vault.open_with_recovery(path, code, lock_timeout=lock_timeout, clock=clock), clock))


def create_journal(path: Path, passphrase: str, *, clock: Clock, kdf: KdfParams = DEFAULT_KDF) -> Journal:
    """Create a new, empty journal at `path`; never overwrites anything."""
    return _ready(Journal(Vault.create(path, passphrase, kdf, clock=clock), clock))


def _ready(journal: Journal) -> Journal:
    try:
        capture_on_unlock(journal)
    except BaseException:
        journal.close()
        raise
    return journal

