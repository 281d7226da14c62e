"""What an unlocked journal knows of its file, as one immutable value: the vault swaps it whole after each step.

`Site` is what never changes while the journal is open (where it is, its data key, its clock, its lock); `Known`
is what each step reads and returns anew (the header in force, the file last read or written, and what the person
is still to be told). Every job (saving.py, syncing.py, rekeying.py) is a function from one `Known` to the next.
"""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from companion.crypto import envelope
from companion.domain.clock import Clock
from companion.errors import StorageFailure
from companion.storage import disk, segments
from companion.storage.disk import describe_os_error
from companion.storage.lock import VaultLock


@dataclass(frozen=True)
class FileStamp:
    """Which file a path names, cheaply: a sync tool's rename or rewrite changes it."""

    dev: int
    ino: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, stat: os.stat_result) -> FileStamp:
        """From a stat result."""
        return cls(stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)

    @classmethod
    def at(cls, path: Path) -> FileStamp | None:
        """The stamp of the file at `path`, or None when there is none."""
        try:
            return cls.of(os.stat(path))
        except OSError:
            return None


@dataclass(frozen=True)
class Source:
    """Where the segments of the known file are read from, always format 3 (documents.py turns older files
    into it): the file's own descriptor, which saves append to, or a sealing held in memory, which the next
    save writes whole.

    Reading through the descriptor keeps reading the same file even after a sync tool renamed another one
    over the name.
    """

    manifest: segments.Manifest
    fd: int | None = None
    blob: bytes = b""

    @property
    def appendable(self) -> bool:
        """Whether saves can be appended to the file on disk (format 3, open here)."""
        return self.fd is not None

    def read(self, offset: int, length: int) -> bytes:
        if self.fd is None:
            return self.blob[offset:offset + length]
        return disk.read_at(self.fd, offset, length)

    def close(self) -> None:
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass


@dataclass(frozen=True)
class Site:
    """What stays the same while a journal is open."""

    path: Path
    data_key: bytes
    clock: Clock
    lock: VaultLock


@dataclass(frozen=True)
class Known:
    """The file this process last read or wrote, and what follows from it; replaced whole, never changed."""

    header: envelope.Header  # the header saves write
    source: Source | None  # None once the journal is closed
    stamp: FileStamp | None  # None when the file vanished (a sync tool's doing): writing it again loses nothing
    digest: bytes  # tells two saves apart: a manifest's digest, or an older file's SHA-256
    foreign: FileStamp | None = None  # a file found here that could not be merged (refused until it changes)
    compacting: bool = True  # off for the session once a backup could not be kept
    read_only: str = ""  # why saving is refused, when it is (a damaged end that could not be kept)
    set_aside: frozenset[tuple[str, str]] = frozenset()  # (table, revision) of versions set aside this session
    news: tuple[str, ...] = field(default=())  # sentences the person is still to be told, in order

    def told(self, *lines: str) -> Known:
        """The same, with more to tell."""
        return replace(self, news=(*self.news, *lines))

    def reading(self, source: Source, stamp: FileStamp | None, digest: bytes) -> Known:
        """From now on, segments are read from (and saves go to) `source`; the one before is closed."""
        old = self.source
        if old is not None and old.fd is not None and old.fd != source.fd:
            old.close()
        return replace(self, source=source, stamp=stamp, digest=digest)

    @property
    def open_source(self) -> Source:
        """The source, or StorageFailure once locked."""
        if self.source is None:
            raise StorageFailure("The journal is locked.")
        return self.source


class ChangedUnderneath(Exception):
    """The file changed between a merge and the rename (a sync tool): `known` is what to carry on from."""

    def __init__(self, known: Known) -> None:
        super().__init__("changed underneath")
        self.known = known


class StepFailed(Exception):
    """A step failed with `failure` (for the person) after learning `known` (what to carry on from)."""

    def __init__(self, known: Known, failure: Exception) -> None:
        super().__init__(str(failure))
        self.known = known
        self.failure = failure


def open_file(path: Path, writable: bool = True) -> tuple[int, os.stat_result]:
    """A descriptor on the journal file (read-only where it cannot be written), and its stat."""
    flags = os.O_NOFOLLOW | (os.O_RDWR if writable else os.O_RDONLY)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if writable and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return open_file(path, writable=False)
        if exc.errno == errno.ENOENT:
            raise StorageFailure(f"There is no journal at {path} yet; run 'companion init' to create one.") from None
        raise StorageFailure(describe_os_error(exc, "read the journal", path)) from None
    return fd, os.fstat(fd)


def digest_of(blob: bytes) -> bytes:
    """An older format's whole-file digest."""
    return hashlib.sha256(blob).digest()
