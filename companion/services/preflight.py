"""Before the app or a command starts: the journal file looked at without opening it (the app shows its unlock
screen without loading the journal's stack; this module needs only the header and the lock)."""

from __future__ import annotations

from pathlib import Path

from companion.crypto import envelope
from companion.errors import CompanionError, VaultBusy, VaultDamaged
from companion.storage.disk import read_bytes
from companion.storage.lock import BUSY_MESSAGE, is_busy


def preflight(path: Path) -> None:
    """Refuse plainly if the journal is busy, unreadable or damaged."""
    if path.parent.is_dir() and is_busy(path):
        raise VaultBusy(BUSY_MESSAGE)
    if path.exists() or path.is_symlink():
        try:
            _header(path)  # the header is enough here
        except VaultDamaged as exc:
            from companion.storage.backups import damaged_sentence  # shutil and the rest: only for this sentence

            raise VaultDamaged(damaged_sentence(path, exc.message)) from None


def derive_ahead(path: Path, passphrase: str) -> None:
    """Start deriving the key that opens the journal at `path` while a command's modules load (the command then
    opens it with the same passphrase). A file that cannot be read is left for the command to report."""
    try:
        header = _header(path)
    except CompanionError:
        return
    envelope.derive_ahead(passphrase, header)


def _header(path: Path) -> envelope.Header:
    """The journal's header, read alone (its first bytes; VaultDamaged when it is not a sound one)."""
    return envelope.parse_header(read_bytes(path, limit=envelope.HEAD_READ_LEN))
