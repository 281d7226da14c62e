"""Whole journal documents in any of the three file formats: read one (formats 1 and 2, one sealed body, and
format 3, segments bound by a manifest, all into the same document), seal one, check a document that came from
elsewhere, and what a new journal holds. The vault appends and compacts; this reads and writes whole files.

This is the only module that knows formats 1 and 2: an older file is turned into a format 3 source at this edge
(`open_source`, held sealed in memory until the next save writes it whole), whether it was opened (an upgrade,
a recovery-key open) or synced from an older device; `check` and resealing kept copies read through here too."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from companion.crypto import envelope
from companion.domain.schema import SchemaError, check_structure, check_tables
from companion.errors import VaultDamaged
from companion.storage import disk, segments
from companion.storage.backups import damaged_sentence
from companion.storage.segments import Document
from companion.storage.state import Source, digest_of

SCHEMA_VERSION = 1
TABLES = ("reflections", "boundaries", "contacts")
EXTRA_TABLES = ("prompts", "sessions")


def decode(path: Path, plaintext: bytes) -> Document:
    """A format 1 or 2 body, decrypted, as a document (VaultDamaged naming `path` when it is not one)."""
    try:
        document = orjson.loads(plaintext)
        check_structure(document)  # every record is read (and checked) by `companion check`
    except (orjson.JSONDecodeError, SchemaError):
        raise VaultDamaged(damaged_sentence(path, "holds data companion cannot read")) from None
    assert isinstance(document, dict)
    return document


def fresh_document(now: datetime) -> Document:
    """What a new journal holds."""
    return {
        "_meta": {"1": {"schema": SCHEMA_VERSION, "created": now.isoformat()}},
        **{name: {} for name in (*TABLES, *EXTRA_TABLES)},
    }


def summarise(table: str, records: segments.Records) -> dict[str, Any]:
    """What the manifest remembers of a segment of reflections, so Home and `list -n` read few segments."""
    if table != "reflections":
        return {}
    created = [r["created"] for r in records.values() if isinstance(r, dict) and isinstance(r.get("created"), str)]
    return {"newest": max(created, default=""), "flagged": sum(1 for r in records.values()
                                                              if isinstance(r, dict) and r.get("flagged") is True)}


def read_document(path: Path, blob: bytes, data_key: bytes, *, whole: bool = False,
                  recover: bool = False) -> tuple[envelope.Header, Document]:
    """A whole vault file of any format, every record read; VaultDamaged names what is wrong.

    A format 3 file whose last save was cut short is read as of its last whole save, unless `whole`;
    with `recover`, the segments still whole after it are laid over (see segments.open_whole).
    """
    header = envelope.parse_header(blob)
    if header.segmented:
        document = segments.open_whole(blob, data_key, header, whole=whole, recover=recover)
        try:
            check_structure(document)
        except SchemaError:
            raise VaultDamaged("holds data companion cannot read") from None
        return header, document
    return header, decode(path, envelope.open_body(blob, data_key, header))


def seal_document(header: envelope.Header, data_key: bytes,
                  document: Document) -> tuple[bytes, segments.Manifest | None]:
    """A whole vault file holding `document`, in the format the header names (and its manifest, if any)."""
    if header.segmented:
        return segments.whole_file(header, data_key, document, summarise)
    return envelope.seal(header, data_key, orjson.dumps(document)), None


def memory_source(header: envelope.Header, data_key: bytes, document: Document) -> Source:
    """`document` sealed in format 3 in memory: what an older file is read as until a save writes it whole."""
    blob, manifest = segments.whole_file(header._replace(segmented=True), data_key, document, summarise)
    return Source(manifest, blob=blob)


def open_source(path: Path, fd: int, size: int, header: envelope.Header, data_key: bytes) -> tuple[Source, bytes]:
    """The file open on `fd` as a format 3 source, and its digest. A format 3 file is read through `fd` (only
    its manifest now); an older one is read whole and sealed in memory (the source has no descriptor)."""
    if header.segmented:
        manifest = segments.read_manifest(segments.fd_reader(fd), size, data_key, header)
        return Source(manifest, fd=fd), manifest.digest
    _, source, digest = blob_source(path, disk.read_all(fd, size), data_key)
    return source, digest


def blob_source(path: Path, blob: bytes, data_key: bytes,
                fd: int | None = None) -> tuple[envelope.Header, Source, bytes]:
    """A whole file read into memory (a copy a sync tool put in place) as a header, a source and a digest; a
    format 3 file is then read through `fd`, its descriptor, when one is given (the caller keeps it open)."""
    header = envelope.parse_header(blob)
    if header.segmented:
        manifest = segments.read_manifest(segments.blob_reader(blob), len(blob), data_key, header)
        source = Source(manifest, fd=fd) if fd is not None else Source(manifest, blob=blob)
        return header, source, manifest.digest
    document = decode(path, envelope.open_body(blob, data_key, header))
    return header, memory_source(header, data_key, document), digest_of(blob)


def upgrade_due(source: Source, header: envelope.Header) -> bool:
    """Whether an older file just opened (held in memory) is to be written in format 3 now: its header was moved
    on by the passphrase (a recovery-key open waits for the new passphrase)."""
    return not source.appendable and header.segmented


def header_to_keep(ours: envelope.Header, found: envelope.Header) -> envelope.Header:
    """The header to save under once another device's file was taken in: its own when it changed the
    passphrase; ours when an older companion wrote it (format 3 is kept)."""
    return found if found.segmented else ours


def cut_short(blob: bytes, data_key: bytes, header: envelope.Header) -> bool:
    """Whether a format 3 file ends with bytes after its last whole save."""
    if not header.segmented:
        return False
    return segments.read_manifest(segments.blob_reader(blob), len(blob), data_key, header).cut_short > 0


def checked(path: Path, document: Document) -> Document:
    """A document read from a file companion did not just write: every record must fit the schema."""
    try:
        check_tables(document)
    except SchemaError as exc:
        raise VaultDamaged(damaged_sentence(path, f"holds a record companion cannot read ({exc})")) from None
    return document
