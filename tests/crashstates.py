"""A crash-state explorer, after ALICE and CrashMonkey: record what a real save does to the files (writes,
syncs of files and folders, renames, links, truncations), then build every state a crash may leave.

- Every prefix of the operations (a crash after the k-th).
- For each prefix, each operation that no later sync had made durable yet, dropped; and each write of
  those, zeroed one 4 KiB block at a time (a disk that reorders or loses writes on power loss). A bounded
  set, not every subset.

Each distinct state is laid out in a folder of its own; the caller opens it and says whether it holds one
whole save. Only files under the recorded folder are followed; reads are not recorded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BLOCK = 4096


@dataclass(frozen=True)
class Op:
    """One thing done to the files: `kind` is write, truncate, create, rename, link, unlink, sync or dirsync."""

    kind: str
    inode: int = -1
    path: str = ""
    target: str = ""
    offset: int = 0
    data: bytes = b""


@dataclass
class Recording:
    """The files as they were, and what was done to them since."""

    root: Path
    names: dict[str, int]  # relative path -> inode
    contents: dict[int, bytes]
    ops: list[Op] = field(default_factory=list)
    acks: list[int] = field(default_factory=list)  # len(ops) when each acknowledged step returned

    def acknowledge(self) -> None:
        """The step that just returned was acknowledged to the person (a save said "Saved")."""
        self.acks.append(len(self.ops))


class _Recorder:
    def __init__(self, recording: Recording) -> None:
        self.rec = recording
        self.inodes: dict[tuple[int, int], int] = {}
        self.fds: dict[int, tuple[int, bool, str]] = {}  # fd -> (inode or -1 for a folder, append, path)
        for rel, inode in recording.names.items():
            st = os.stat(recording.root / rel)
            self.inodes[(st.st_dev, st.st_ino)] = inode

    def rel(self, path: object) -> str | None:
        full = os.path.abspath(os.fspath(path))  # type: ignore[call-overload]
        root = str(self.rec.root)
        return os.path.relpath(full, root) if full == root or full.startswith(root + os.sep) else None

    def inode_of(self, fd: int) -> int | None:
        st = os.fstat(fd)
        return self.inodes.get((st.st_dev, st.st_ino))


@contextmanager
def recording(root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Recording]:
    """Record what is done to the files under `root` while the block runs."""
    names: dict[str, int] = {}
    contents: dict[int, bytes] = {}
    seen: dict[tuple[int, int], int] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        st = path.stat()
        inode = seen.setdefault((st.st_dev, st.st_ino), len(seen))
        names[str(path.relative_to(root))] = inode
        contents[inode] = path.read_bytes()
    rec = Recording(root, names, contents)
    r = _Recorder(rec)
    real = {name: getattr(os, name) for name in ("open", "close", "write", "pwrite", "fsync", "ftruncate",
                                                 "replace", "rename", "link", "unlink")}

    def op(kind: str, **kw: object) -> None:
        rec.ops.append(Op(kind, **kw))  # type: ignore[arg-type]

    def fake_open(path: object, flags: int, mode: int = 0o777, *a: object, **k: object) -> int:
        rel = r.rel(path)
        existed = rel is not None and os.path.exists(os.fspath(path))  # type: ignore[call-overload]
        fd = real["open"](path, flags, mode, *a, **k)
        if rel is not None:
            st = os.fstat(fd)
            if os.path.isdir(os.fspath(path)):  # type: ignore[call-overload]
                r.fds[fd] = (-1, False, rel)
            else:
                key = (st.st_dev, st.st_ino)
                if not existed:
                    r.inodes[key] = len(r.inodes) + 1000
                    op("create", inode=r.inodes[key], path=rel)
                elif key not in r.inodes:  # made by something not recorded: as it is now
                    r.inodes[key] = len(r.inodes) + 1000
                    rec.contents[r.inodes[key]] = Path(os.fspath(path)).read_bytes()  # type: ignore[call-overload]
                    rec.names.setdefault(rel, r.inodes[key])
                r.fds[fd] = (r.inodes[key], bool(flags & os.O_APPEND), rel)
        return fd

    def fake_close(fd: int) -> None:
        r.fds.pop(fd, None)
        real["close"](fd)

    def fake_write(fd: int, data: object) -> int:
        known = r.fds.get(fd)
        offset = os.fstat(fd).st_size if known and known[1] else os.lseek(fd, 0, os.SEEK_CUR)
        written = real["write"](fd, data)
        if known and known[0] >= 0:
            op("write", inode=known[0], offset=offset, data=bytes(memoryview(data)[:written]))  # type: ignore[arg-type]
        return int(written)

    def fake_pwrite(fd: int, data: object, offset: int) -> int:
        written = real["pwrite"](fd, data, offset)
        inode = r.inode_of(fd)
        if inode is not None:
            op("write", inode=inode, offset=offset, data=bytes(memoryview(data)[:written]))  # type: ignore[arg-type]
        return int(written)

    def fake_fsync(fd: int) -> None:
        real["fsync"](fd)
        known = r.fds.get(fd)
        if known is not None and known[0] < 0:
            op("dirsync", path=known[2])
        else:
            inode = r.inode_of(fd)
            if inode is not None:
                op("sync", inode=inode)

    def fake_ftruncate(fd: int, size: int) -> None:
        real["ftruncate"](fd, size)
        inode = r.inode_of(fd)
        if inode is not None:
            op("truncate", inode=inode, offset=size)

    def renamer(name: str) -> Callable[..., None]:
        def fake(src: object, dst: object, *a: object, **k: object) -> None:
            real[name](src, dst, *a, **k)
            s, d = r.rel(src), r.rel(dst)
            if s is not None and d is not None:
                op("rename", path=s, target=d)

        return fake

    def fake_link(src: object, dst: object, *a: object, **k: object) -> None:
        real["link"](src, dst, *a, **k)
        s, d = r.rel(src), r.rel(dst)
        if s is not None and d is not None:
            op("link", path=s, target=d)

    def fake_unlink(path: object, *a: object, **k: object) -> None:
        real["unlink"](path, *a, **k)
        rel = r.rel(path)
        if rel is not None:
            op("unlink", path=rel)

    with monkeypatch.context() as patch:
        for name, fake in (("open", fake_open), ("close", fake_close), ("write", fake_write),
                           ("pwrite", fake_pwrite), ("fsync", fake_fsync), ("ftruncate", fake_ftruncate),
                           ("replace", renamer("replace")), ("rename", renamer("rename")), ("link", fake_link),
                           ("unlink", fake_unlink)):
            patch.setattr(os, name, fake)
        yield rec


def _durable(ops: list[Op], upto: int) -> set[int]:
    """Which of the first `upto` operations a later sync (before `upto`) made durable."""
    durable: set[int] = set()
    for i in range(upto):
        o = ops[i]
        later = ops[i + 1 : upto]
        if o.kind in ("write", "truncate"):
            if any(s.kind == "sync" and s.inode == o.inode for s in later):
                durable.add(i)
        elif o.kind in ("create", "rename", "link", "unlink"):
            folder = os.path.dirname(o.target or o.path)
            if any(s.kind == "dirsync" and s.path in (folder, folder or ".") for s in later):
                durable.add(i)
        else:
            durable.add(i)
    return durable


def _apply(rec: Recording, upto: int, dropped: int = -1, zeroed: tuple[int, int] = (-1, -1)) -> dict[str, bytes]:
    names = dict(rec.names)
    data = {inode: bytearray(content) for inode, content in rec.contents.items()}
    for i, o in enumerate(rec.ops[:upto]):
        if i == dropped:
            continue
        if o.kind == "create":
            names[o.path] = o.inode
            data.setdefault(o.inode, bytearray())
        elif o.kind == "write":
            body = bytearray(o.data)
            if zeroed[0] == i:
                start = zeroed[1] * BLOCK
                body[start : start + BLOCK] = bytes(len(body[start : start + BLOCK]))
            f = data.setdefault(o.inode, bytearray())
            if len(f) < o.offset:
                f.extend(bytes(o.offset - len(f)))
            f[o.offset : o.offset + len(body)] = body
        elif o.kind == "truncate":
            f = data.setdefault(o.inode, bytearray())
            del f[o.offset :]
            f.extend(bytes(max(0, o.offset - len(f))))
        elif o.kind == "rename" and o.path in names:
            names[o.target] = names.pop(o.path)
        elif o.kind == "link" and o.path in names:
            names[o.target] = names[o.path]
        elif o.kind == "unlink":
            names.pop(o.path, None)
    return {name: bytes(data.get(inode, b"")) for name, inode in names.items()}


def states(rec: Recording) -> Iterator[tuple[int, dict[str, bytes]]]:
    """Each distinct crash state once, with the number of operations that happened before it."""
    seen: set[str] = set()
    for upto in range(len(rec.ops) + 1):
        durable = _durable(rec.ops, upto)
        variants: list[tuple[int, tuple[int, int]]] = [(-1, (-1, -1))]
        for i in range(upto):
            if i in durable:
                continue
            variants.append((i, (-1, -1)))
            o = rec.ops[i]
            if o.kind == "write":
                variants.extend((-1, (i, b)) for b in range((len(o.data) + BLOCK - 1) // BLOCK))
        for dropped, zeroed in variants:
            state = _apply(rec, upto, dropped, zeroed)
            key = hashlib.sha256(repr(sorted((k, hashlib.sha256(v).hexdigest()) for k, v in state.items()))
                                 .encode()).hexdigest()
            if key not in seen:
                seen.add(key)
                yield upto, state


def lay_out(state: dict[str, bytes], folder: Path) -> None:
    """Write a state's files into an empty `folder`."""
    if folder.exists():
        shutil.rmtree(folder)
    for rel, content in state.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
