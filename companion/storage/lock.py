"""One writer at a time: an exclusive flock on a lock file beside the vault, checked by identity.

A sync tool may replace the lock file by renaming another device's copy over it; a flock held on the
old inode would then let a second writer in. So after taking the lock, and again before every save,
the holder checks that the name still points at the inode it locked, and locks the new one if not.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

from companion.errors import StorageFailure, VaultBusy
from companion.paths import lock_path
from companion.storage.disk import FILE_MODE, describe_os_error, refuse_symlink

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

    def _open(self) -> int:
        refuse_symlink(self.path, "The lock file")
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
        except OSError as exc:
            raise StorageFailure(describe_os_error(exc, "open the lock file", self.path)) from None

    def acquire(self, timeout: float = 0.0, poll: float = 0.05) -> None:
        """Take the lock, waiting up to `timeout` seconds, else raise VaultBusy.

        (A real wait for another process, so the machine's monotonic clock; the pause between tries is a
        timed wait, not time.sleep, which fails with EINVAL under libfaketime 0.9.10, as the tests run it.)
        """
        if self._fd is not None:
            return
        deadline = time.monotonic() + timeout
        pause = threading.Event()  # never set: waiting on it is the pause
        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise VaultBusy(BUSY_MESSAGE) from None
                pause.wait(poll)
                continue
            if self._same_file(fd):
                self._fd = fd
                return
            os.close(fd)  # replaced while we waited: lock the file the name points at now

    def _same_file(self, fd: int) -> bool:
        try:
            named = os.stat(self.path, follow_symlinks=False)
        except OSError:
            return False
        held = os.fstat(fd)
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)

    def verify(self) -> None:
        """Before a save: if the lock file was replaced (a sync tool), lock the new one or raise VaultBusy."""
        if self._fd is not None and self._same_file(self._fd):
            return
        old, self._fd = self._fd, None
        try:
            self.acquire(timeout=0.0)
        except BaseException:
            self._fd = old  # still ours; the next save checks again
            raise
        if old is not None:
            os.close(old)

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
