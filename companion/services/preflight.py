"""Before the app or a command starts: the journal file looked at without opening it (the app shows its unlock
screen without loading the journal's stack; this module needs only the header and the lock)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from companion.crypto import envelope
from companion.errors import CompanionError, VaultBusy, VaultDamaged
from companion.paths import capture_pin_path
from companion.storage.disk import read_bytes
from companion.storage.lock import BUSY_MESSAGE, is_busy

if TYPE_CHECKING:
    from companion.domain.clock import Clock


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


def ready_to_open(path: Path, clock: Clock) -> None:
    """What opening the journal at `path` needs besides its key, loaded while derive_ahead's thread derives the
    key, so that once it is there only the opening's own work is left (about 8 ms of `list` here): the
    machine's time zone, this device's state folder (platformdirs) and the capture keys' library. Nothing of
    the journal is read."""
    clock()
    capture_pin_path(path)
    import pyrage  # noqa: F401  the capture key is set up on every opening


def _header(path: Path) -> envelope.Header:
    """The journal's header, read alone (its first bytes; VaultDamaged when it is not a sound one)."""
    return envelope.parse_header(read_bytes(path, limit=envelope.HEAD_READ_LEN))
