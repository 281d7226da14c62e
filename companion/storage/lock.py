"""One writer at a time: an exclusive flock on a lock file beside the vault."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from companion.errors import StorageFailure, VaultBusy
from companion.paths import lock_path
from companion.storage.disk import FILE_MODE, describe_os_error

BUSY_MESSAGE = "Your journal is open in another companion window or command; close it there and try again."


class VaultLock:
    """Holds the exclusive lock for one vault until released (or the process dies)."""

    def __init__(self, vault: Path) -> None:
        self.path = lock_path(vault)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(self, timeout: float = 0.0, poll: float = 0.05) -> None:
        """Take the lock, waiting up to `timeout` seconds, else raise VaultBusy."""
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        except OSError as exc:
            raise StorageFailure(describe_os_error(exc, "open the lock file", self.path)) from None
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise VaultBusy(BUSY_MESSAGE) from None
                time.sleep(poll)
            else:
                self._fd = fd
                return

    def release(self) -> None:
        """Let go of the lock (the lock file stays: deleting it would race other openers)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> VaultLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def is_busy(vault: Path) -> bool:
    """Whether another process holds the vault's lock right now (takes and drops it)."""
    probe = VaultLock(vault)
    try:
        probe.acquire(timeout=0.0)
    except VaultBusy:
        return True
    probe.release()
    return False
