"""Durable file operations: atomic replace with fsync, private folders, plain error sentences."""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path

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


def fsync_dir(folder: Path) -> None:
    """Make a rename inside `folder` durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def temp_name(path: Path) -> Path:
    """A fresh hidden temp path beside `path` (same folder, so os.replace stays atomic)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


def stale_temps(path: Path) -> list[Path]:
    """Temp files a killed save may have left beside `path` (they hold ciphertext only)."""
    return sorted(path.parent.glob(f".{path.name}.*.tmp"))


def atomic_write(
    path: Path,
    data: bytes,
    *,
    before_replace: Callable[[], None] | None = None,
    action: str = "save your journal",
) -> None:
    """Write `data` to `path` atomically and durably: temp, fsync, [hook], replace, fsync dir.

    On any failure the temp file is removed and `path` is left exactly as it was.
    """
    tmp = temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        _discard(tmp)
        raise StorageFailure(describe_os_error(exc, action, path)) from None
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass  # a leftover temp holds ciphertext only and is cleaned on the next open


def read_bytes(path: Path, action: str = "read the journal", limit: int | None = None) -> bytes:
    """The file's bytes (the first `limit` only, if given), or StorageFailure with a plain sentence."""
    try:
        with open(path, "rb") as handle:
            return handle.read() if limit is None else handle.read(limit)
    except FileNotFoundError:
        if action == "read the journal":
            raise StorageFailure(f"There is no journal at {path} yet; run 'companion init' to create one.") from None
        raise StorageFailure(f"companion could not {action}: {path} does not exist.") from None
    except OSError as exc:
        raise StorageFailure(describe_os_error(exc, action, path)) from None
