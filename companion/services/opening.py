"""One way to open or create a journal, for the app and the command line alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from companion.crypto.kdf import DEFAULT_KDF, KdfParams
from companion.domain.clock import Clock
from companion.services.capture import capture_on_unlock
from companion.services.journal import Journal
from companion.storage.vault import Vault


@dataclass(frozen=True)
class Opened:
    """A journal just opened (it holds the lock until closed), and what the person is to be told of the opening:
    a file that replaced it, an older format moved on, entries captured meanwhile and the capture key's state."""

    journal: Journal
    told: list[str]


def open_journal(path: Path, passphrase: str, *, clock: Clock, lock_timeout: float = 0.0) -> Opened:
    """Unlock the journal at `path` (slow: the KDF runs), in one pass: the file opened and unlocked, then the
    entries captured without unlocking taken in (and the capture key set up)."""
    return _ready(Journal(Vault.open(path, passphrase, lock_timeout=lock_timeout, clock=clock), clock))


def open_with_recovery_key(path: Path, code: str, *, clock: Clock, lock_timeout: float = 0.0) -> Opened:
    """Unlock with the recovery key, when the passphrase is forgotten (set a new one straight after)."""
    return _ready(Journal(Vault.open_with_recovery(path, code, lock_timeout=lock_timeout, clock=clock), clock))


def create_journal(path: Path, passphrase: str, *, clock: Clock, kdf: KdfParams = DEFAULT_KDF) -> Opened:
    """Create a new, empty journal at `path`; never overwrites anything."""
    return _ready(Journal(Vault.create(path, passphrase, kdf, clock=clock), clock))


def _ready(journal: Journal) -> Opened:
    try:
        captured = capture_on_unlock(journal)
        return Opened(journal, [*journal.news(), *captured])
    except BaseException:
        journal.close()
        raise
