"""Durable file operations: atomic replace with fsync, private folders, plain error sentences."""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from companion.errors import StorageFailure

FILE_MODE = 0o600
DIR_MODE = 0o700


def describe_os_error(exc: OSError, action: str, path: Path) -> str:
    """One plain sentence for an OSError met while doing `action` on `path`."""
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return f"The disk is full, so companion could not {action}; {path.name} is unchanged."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"companion is not allowed to {action} at {path}."
    if exc.errno == errno.ENOENT:
        return f"companion could not {action}: {path} does not exist."
    if exc.errno == errno.EROFS:
        return f"companion could not {action}: {path} is on a read-only disk."
    if exc.errno == errno.EISDIR:
        return f"companion could not {action}: {path} is a folder, not a file."
    reason = exc.strerror or type(exc).__name__
    return f"companion could not {action} at {path} ({reason})."


def ensure_private_dir(folder: Path) -> None:
    """Create `folder` (and parents) as 0700 if missing; existing folders keep their mode."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)
    except OSError as exc:
        raise StorageFailure(describe_os_error(exc, "create the folder", folder)) from None


def sync_file(fd: int) -> None:
    """Make what was written to `fd` durable: fsync, or on macOS F_FULLFSYNC, since fsync there does not
    reach the platter (SQLite's fullfsync does the same). A commit point of a save."""
    full = getattr(fcntl, "F_FULLFSYNC", None)
    if full is not None:
        try:
            fcntl.fcntl(fd, full)
            return
        except OSError:
            pass  # a file system that has no full sync: fsync is what there is
    os.fsync(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename inside `folder` durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def append_durably(path: Path, data: bytes, *, action: str) -> None:
    """Append `data` to `path` (created 0600 if missing) and fsync it; StorageFailure with a sentence."""
    try:
        created = not path.exists()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
        try:
            write_all(fd, data)
            sync_file(fd)
        finally:
            os.close(fd)
        if created:
            fsync_dir(path.parent)
    except OSError as exc:
        raise StorageFailure(describe_os_error(exc, action, path)) from None


# -- whole reads and writes on an open descriptor (a short read or write goes on until it is done) --------
def write_all(fd: int, data: bytes) -> None:
    """Write all of `data` at the descriptor's position."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_at(fd: int, data: bytes, offset: int) -> None:
    """Write all of `data` at `offset` (the descriptor's position is left alone)."""
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def read_all(fd: int, size: int) -> bytes:
    """Everything from the start of the file (`size`: what it is expected to hold; it may have grown)."""
    parts: list[bytes] = []
    offset = 0
    while True:
        chunk = os.pread(fd, max(size - offset, 1 << 16), offset)
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        offset += len(chunk)


def read_at(fd: int, offset: int, length: int) -> bytes:
    """Up to `length` bytes from `offset` (the descriptor's position is left alone)."""
    return os.pread(fd, length, offset)


def reader(fd: int) -> Callable[[int, int], bytes]:
    """read(offset, length) on an open file: the inode it was opened on, whatever its name points at later."""
    return lambda offset, length: read_at(fd, offset, length)


def temp_name(path: Path) -> Path:
    """A fresh hidden temp path beside `path` (same folder, so os.replace stays atomic)."""
    return path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")


def stale_temps(path: Path) -> list[Path]:
    """Temp files a killed save may have left beside `path` (they hold ciphertext only)."""
    return sorted(path.parent.glob(f".{path.name}.*.tmp"))


class Written(NamedTuple):
    """A finished atomic write: whether the disk confirmed it, and the identity of the new file."""

    confirmed: bool
    stat: os.stat_result


def write_temp(path: Path, data: bytes) -> tuple[Path, os.stat_result]:
    """Write `data` durably to a fresh temp file beside `path`; OSError leaves nothing behind."""
    tmp = temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
        try:
            write_all(fd, data)
            sync_file(fd)
            stat = os.fstat(fd)
        finally:
            os.close(fd)
    except BaseException:
        discard(tmp)
        raise
    return tmp, stat


def atomic_write(
    path: Path,
    data: bytes,
    *,
    before_replace: Callable[[], None] | None = None,
    action: str = "save your journal",
) -> Written:
    """Write `data` to `path` atomically and durably: temp, fsync, [hook], replace, fsync dir.

    On any failure before the replace, the temp file is removed, `path` is left exactly as it was
    and StorageFailure says why. Once the file is replaced the write has happened: if only the
    folder's fsync then fails, the result says so (written, but the disk did not confirm it).
    """
    tmp: Path | None = None
    try:
        tmp, stat = write_temp(path, data)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except OSError as exc:
        discard(tmp)
        raise StorageFailure(describe_os_error(exc, action, path)) from None
    except BaseException:
        discard(tmp)
        raise
    try:
        fsync_dir(path.parent)
    except OSError:
        return Written(False, stat)
    return Written(True, stat)


def discard(tmp: Path | None) -> None:
    """Remove a temp file if it is there (a leftover holds ciphertext only and is cleaned on the next open)."""
    if tmp is None:
        return
    try:
        tmp.unlink()
    except OSError:
        pass


def refuse_symlink(path: Path, what: str) -> None:
    """StorageFailure when `path` is a symbolic link: companion never follows one it did not make."""
    if path.is_symlink():
        raise StorageFailure(f"{what} at {path} is a symbolic link; companion will not follow it. "
                             "Replace it with a real folder or file.")


def read_bytes(path: Path, action: str = "read the journal", limit: int | None = None) -> bytes:
    """The file's bytes (the first `limit` only, if given), or StorageFailure with a plain sentence."""
    return read_file(path, action, limit)[0]


def read_file(path: Path, action: str = "read the journal", limit: int | None = None) -> tuple[bytes, os.stat_result]:
    """The file's bytes and the identity of the very file they were read from."""
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            return (handle.read() if limit is None else handle.read(limit)), stat
    except FileNotFoundError:
        if action == "read the journal":
            raise StorageFailure(f"There is no journal at {path} yet; run 'companion init' to create one.") from None
        raise StorageFailure(f"companion could not {action}: {path} does not exist.") from None
    except OSError as exc:
        raise StorageFailure(describe_os_error(exc, action, path)) from None
