"""The segmented vault file (format 3): sealed segments after the header, bound by a sealed manifest.

A save appends only the segments it changed and fsyncs them, then a new manifest and a trailer, and
fsyncs again (two commit points: a disk that reorders writes cannot leave a manifest naming frames it
never wrote): its cost follows the change, not the journal. The manifest names every live segment by
offset, length and SHA-256, so no segment can be dropped, replayed from an older save or swapped in from
another file unnoticed, and where the frames of its own save begin, so opening checks them and falls
back to the save before when they do not hold. Earlier frames stay in the file until it is compacted
(rewritten whole, atomically). See docs/FORMAT.md.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from companion.crypto.envelope import NONCE_LEN, TAG_LEN, Header
from companion.domain.schema import RECORDS
from companion.errors import VaultDamaged
from companion.storage.disk import reader

SEGMENT_RECORDS = 256  # records of one table per segment, by document id
KIND_SEGMENT = b"S"
KIND_MANIFEST = b"M"
FRAME_HEAD = struct.Struct(">cI")  # kind, then the length of nonce + ciphertext + tag
TAIL_MAGIC = b"CMPTAIL\n"
TRAILER = struct.Struct(">QI8s")  # offset of the manifest frame, its whole length, magic
SEGMENT_LABEL = b"companion segment\x00"
MANIFEST_LABEL = b"companion manifest"
MAX_MANIFEST = 64 * 1024 * 1024

Records = dict[str, Any]  # document id (decimal string) -> record
Document = dict[str, Any]  # table -> Records
Summarise = Callable[[str, Records], dict[str, Any]]
Read = Callable[[int, int], bytes]  # (offset, length) -> bytes


@dataclass(frozen=True)
class SegmentRef:
    """Where one sealed segment lies in the file, what it must hash to, and a small summary of it."""

    offset: int  # of the frame (its kind byte)
    length: int  # of the whole frame
    digest: str  # SHA-256 hex of the whole frame
    count: int
    max_id: int
    summary: dict[str, Any]

    def to_json(self) -> list[Any]:
        """The manifest's form: a list, to keep it small."""
        return [self.offset, self.length, self.digest, self.count, self.max_id, self.summary]

    @classmethod
    def from_json(cls, value: Any) -> SegmentRef:
        """VaultDamaged unless it has the manifest's shape."""
        try:
            offset, length, digest, count, max_id, summary = value
            ok = (all(isinstance(n, int) and n >= 0 for n in (offset, length, count, max_id))
                  and isinstance(digest, str) and isinstance(summary, dict))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise VaultDamaged("has a damaged manifest")
        kept = {k: v for k, v in summary.items() if (k, type(v)) in (("newest", str), ("flagged", int))}
        return cls(offset, length, digest, count, max_id, kept)


Tables = dict[str, dict[int, SegmentRef]]  # table -> segment index -> where it is


@dataclass(frozen=True)
class Manifest:
    """The set of live segments, as last saved."""

    tables: Tables
    seq: int
    end: int  # where the next frame goes: just after this manifest's trailer
    digest: bytes  # SHA-256 of the manifest frame: cheaply tells two saves apart
    cut_short: int = 0  # bytes after `end` that could not be read (a save cut short, or damage)
    start: int | None = None  # where the frames this save appended begin (None: a file from before it was noted)

    @property
    def live(self) -> int:
        """Bytes the live segments take."""
        return sum(ref.length for refs in self.tables.values() for ref in refs.values())


def index_of(doc_id: int) -> int:
    """Which segment of its table a record id falls in."""
    return doc_id // SEGMENT_RECORDS


def split(records: Records) -> dict[int, Records]:
    """A table's records grouped by segment."""
    out: dict[int, Records] = {}
    for key, record in records.items():
        out.setdefault(index_of(int(key)), {})[key] = record
    return out


def _seal_frame(kind: bytes, key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_LEN)
    body = nonce + AESGCM(key).encrypt(nonce, plaintext, aad)
    return FRAME_HEAD.pack(kind, len(body)) + body


def _segment_aad(table: str, index: int) -> bytes:
    return SEGMENT_LABEL + f"{table}/{index}".encode()


def _open_frame(kind: bytes, key: bytes, frame: bytes, aad: bytes) -> bytes:
    if len(frame) < FRAME_HEAD.size + NONCE_LEN + TAG_LEN:
        raise VaultDamaged("is truncated")
    found, length = FRAME_HEAD.unpack_from(frame)
    if found != kind or length != len(frame) - FRAME_HEAD.size:
        raise VaultDamaged("has been damaged or tampered with")
    body = frame[FRAME_HEAD.size :]
    try:
        return AESGCM(key).decrypt(body[:NONCE_LEN], body[NONCE_LEN:], aad)
    except InvalidTag:
        raise VaultDamaged("has been damaged or tampered with") from None


def seal_segment(key: bytes, table: str, index: int, records: Records) -> bytes:
    """One segment's frame."""
    return _seal_frame(KIND_SEGMENT, key, orjson.dumps(records), _segment_aad(table, index))


def open_segment(read: Read, key: bytes, table: str, index: int, ref: SegmentRef) -> Records:
    """One segment's records, checked against the manifest's digest; VaultDamaged if anything differs."""
    frame = read(ref.offset, ref.length)
    if len(frame) != ref.length or hashlib.sha256(frame).hexdigest() != ref.digest:
        raise VaultDamaged("has been damaged or tampered with")
    try:
        records = orjson.loads(_open_frame(KIND_SEGMENT, key, frame, _segment_aad(table, index)))
    except orjson.JSONDecodeError:
        raise VaultDamaged("holds data companion cannot read") from None
    if not isinstance(records, dict) or len(records) != ref.count:
        raise VaultDamaged("holds data companion cannot read")
    return records


def _manifest_aad(header: Header) -> bytes:
    return header.to_bytes() + MANIFEST_LABEL


def seal_manifest(key: bytes, header: Header, tables: Tables, seq: int, offset: int,
                  start: int | None = None) -> tuple[bytes, Manifest]:
    """The manifest frame and its trailer, for a manifest written at `offset` after the frames its save
    appended from `start` on (by default none: a whole file, written beside and renamed in), and the
    manifest they hold."""
    start = offset if start is None else start
    plain = orjson.dumps({"seq": seq, "from": start, "tables": {
        name: {str(i): ref.to_json() for i, ref in sorted(refs.items())} for name, refs in tables.items()}})
    frame = _seal_frame(KIND_MANIFEST, key, plain, _manifest_aad(header))
    end = offset + len(frame) + TRAILER.size
    manifest = Manifest(tables, seq, end, _frame_digest(frame), start=start)
    return frame + TRAILER.pack(offset, len(frame), TAIL_MAGIC), manifest


def _parse_manifest(plain: bytes, offset: int) -> tuple[Tables, int, int | None]:
    try:
        value = orjson.loads(plain)
        seq, raw, start = value["seq"], value["tables"], value.get("from")
        tables = {str(name): {int(i): SegmentRef.from_json(ref) for i, ref in refs.items()}
                  for name, refs in raw.items()}
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        raise VaultDamaged("has a damaged manifest") from None
    if not isinstance(seq, int) or not (start is None or (isinstance(start, int) and 0 <= start <= offset)):
        raise VaultDamaged("has a damaged manifest")
    for refs in tables.values():
        for ref in refs.values():
            if ref.offset + ref.length > offset:
                raise VaultDamaged("has a damaged manifest")
    return tables, seq, start


def _try_manifest(read: Read, key: bytes, header: Header, trailer_at: int) -> Manifest | None:
    offset, length, magic = TRAILER.unpack(read(trailer_at, TRAILER.size))
    if magic != TAIL_MAGIC or offset < header.length or offset + length != trailer_at or length > MAX_MANIFEST:
        return None
    frame = read(offset, length)
    try:
        plain = _open_frame(KIND_MANIFEST, key, frame, _manifest_aad(header))
    except VaultDamaged:
        return None
    tables, seq, start = _parse_manifest(plain, offset)
    return Manifest(tables, seq, trailer_at + TRAILER.size, _frame_digest(frame), start=start)


def _frames_hold(read: Read, manifest: Manifest) -> bool:
    """Whether the frames this manifest's own save appended are there as it names them (a disk that
    reordered writes, or lost power, may have written the manifest and not all of them)."""
    if manifest.start is None:
        return True  # written before saves noted where their frames begin: as trusted as it always was
    for refs in manifest.tables.values():
        for ref in refs.values():
            if ref.offset >= manifest.start:
                frame = read(ref.offset, ref.length)
                if len(frame) != ref.length or hashlib.sha256(frame).hexdigest() != ref.digest:
                    return False
    return True


def _frame_digest(frame: bytes) -> bytes:
    return hashlib.sha256(frame).digest()


def read_manifest(read: Read, size: int, key: bytes, header: Header) -> Manifest:
    """The newest whole save: normally the manifest at the very end; else the last one whose save's frames
    all hold, with `cut_short` set.

    Bytes after the last whole save are a save killed or out of disk half way (never acknowledged), a save
    torn by a power cut, or damage: the caller tells the person and keeps the file as it was found.
    """
    last = size - TRAILER.size
    if last >= header.length:
        found = _try_manifest(read, key, header, last)
        if found is not None and _frames_hold(read, found):
            return found
    body = read(0, size)
    at = body.rfind(TAIL_MAGIC)
    while at >= header.length:
        trailer_at = at + len(TAIL_MAGIC) - TRAILER.size
        if trailer_at >= header.length:
            found = _try_manifest(read, key, header, trailer_at)
            if found is not None and _frames_hold(read, found):
                return replace(found, cut_short=size - found.end)
        at = body.rfind(TAIL_MAGIC, 0, at)
    raise VaultDamaged("has been damaged or tampered with")


def recover_tail(read: Read, size: int, key: bytes, manifest: Manifest) -> dict[tuple[str, int], Records]:
    """The segments sealed with this journal's key in the bytes after its last whole save (a save whose
    manifest or trailer was damaged, or cut off before them), by (table, index): each frame is authentic
    or not by its own tag. What a frame held may be older than the journal (spliced in from elsewhere):
    it is only ever merged by record, by lineage, never taken as it is."""
    found: dict[tuple[str, int], Records] = {}
    # Every table the schema knows, named in a manifest yet or not: the first record of a new table (the first
    # ask experiment, the safety plan) is in a segment no whole save has listed.
    names = sorted(set(manifest.tables) | set(RECORDS) | {"preferences", "_tombstones", "_meta"})
    top = {name: max(manifest.tables.get(name, {}), default=0) + 8 for name in names}  # a new segment or a few
    at = manifest.end
    while at + FRAME_HEAD.size <= size:
        kind, length = FRAME_HEAD.unpack(read(at, FRAME_HEAD.size))
        if kind not in (KIND_SEGMENT, KIND_MANIFEST) or at + FRAME_HEAD.size + length > size:
            break  # not a frame: what follows cannot be told apart from damage
        frame = read(at, FRAME_HEAD.size + length)
        if kind == KIND_SEGMENT:
            opened = _open_anywhere(frame, key, names, top)
            if opened is not None:
                found[opened[0]] = opened[1]
        at += len(frame)
    return found


def _open_anywhere(frame: bytes, key: bytes, names: list[str],
                   top: dict[str, int]) -> tuple[tuple[str, int], Records] | None:
    """A segment frame opened under whichever table and index it was sealed for, if any."""
    for name in names:
        for index in range(top[name] + 1):
            try:
                records = orjson.loads(_open_frame(KIND_SEGMENT, key, frame, _segment_aad(name, index)))
            except (VaultDamaged, orjson.JSONDecodeError):
                continue
            return ((name, index), records) if isinstance(records, dict) else None
    return None


def blob_reader(blob: bytes) -> Read:
    """Read from bytes in memory."""
    return lambda offset, length: blob[offset : offset + length]


def fd_reader(fd: int) -> Read:
    """Read from an open file (the inode it was opened on, whatever its name points at later)."""
    return reader(fd)


def deep_copy(value: Any) -> Any:
    """A copy of a document (or any part of it) that shares nothing with it: JSON in, JSON out."""
    return orjson.loads(orjson.dumps(value))


Load = Callable[[str, int, SegmentRef], Records]  # (table, index, where) -> records


def load_all(manifest: Manifest, load: Load) -> Document:
    """Every table, every record (a merge, a check, a backup), each segment read by `load`."""
    return {name: {k: v for i in sorted(refs) for k, v in load(name, i, refs[i]).items()}
            for name, refs in manifest.tables.items()}


def add_segments(key: bytes, tables: Tables, changes: dict[str, dict[int, Records]], offset: int,
                 summarise: Summarise) -> tuple[list[bytes], int]:
    """Seal each changed segment to lie from `offset` on, and note it in `tables` (an emptied one leaves).

    Returns the frames, in order, and where the next frame goes.
    """
    frames: list[bytes] = []
    for name, changed in changes.items():
        refs = tables.setdefault(name, {})
        for index, records in sorted(changed.items()):
            if not records:
                refs.pop(index, None)
                continue
            frame = seal_segment(key, name, index, records)
            refs[index] = SegmentRef(offset, len(frame), hashlib.sha256(frame).hexdigest(), len(records),
                                     max(int(k) for k in records), summarise(name, records))
            frames.append(frame)
            offset += len(frame)
    return frames, offset


def whole_file(header: Header, key: bytes, document: Document, summarise: Summarise) -> tuple[bytes, Manifest]:
    """A fresh, compact file holding `document`, and its manifest."""
    head = header.to_bytes()
    tables: Tables = {name: {} for name in document}
    frames, offset = add_segments(key, tables, {name: split(records) for name, records in document.items()},
                                  len(head), summarise)
    tail, manifest = seal_manifest(key, header, tables, 1, offset)
    return b"".join([head, *frames, tail]), manifest


def compacted(header: Header, key: bytes, read: Read, manifest: Manifest) -> tuple[bytes, Manifest]:
    """The same live segments in a fresh file under `header`, copied as sealed bytes (no re-encryption)."""
    head = header.to_bytes()
    parts, tables, offset = [head], {}, len(head)
    for name, refs in manifest.tables.items():
        moved = {}
        for index, ref in sorted(refs.items()):
            frame = read(ref.offset, ref.length)
            if hashlib.sha256(frame).hexdigest() != ref.digest:
                raise VaultDamaged("has been damaged or tampered with")
            parts.append(frame)
            moved[index] = replace(ref, offset=offset)
            offset += ref.length
        tables[name] = moved
    tail, fresh = seal_manifest(key, header, tables, manifest.seq + 1, offset)
    return b"".join([*parts, tail]), fresh


def open_whole(blob: bytes, key: bytes, header: Header, *, whole: bool = False,
               recover: bool = False) -> Document:
    """A whole format-3 file in memory, every record read (and, if `whole`, nothing cut short at its end).

    With `recover`, the segments found sealed after the last whole save are laid over it: a kept copy of a
    journal whose newest manifest was damaged gives back its last save (to be merged by record)."""
    read = blob_reader(blob)
    manifest = read_manifest(read, len(blob), key, header)
    if whole and manifest.cut_short:
        raise VaultDamaged(f"ends with {manifest.cut_short:,} bytes that cannot be read (a save cut short, or damage)")
    document = load_all(manifest, lambda table, index, ref: open_segment(read, key, table, index, ref))
    if recover and manifest.cut_short:
        for (name, index), records in recover_tail(read, len(blob), key, manifest).items():
            table = document.setdefault(name, {})
            for doc_id in [k for k in table if k.isdigit() and index_of(int(k)) == index]:
                del table[doc_id]
            table.update(records)
    return document
