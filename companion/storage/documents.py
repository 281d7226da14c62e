"""Whole journal documents in any of the three file formats: read one (formats 1 and 2, one sealed body, and
format 3, segments bound by a manifest, all into the same document), seal one, check a document that came from
elsewhere, and what a new journal holds. The vault appends and compacts; this reads and writes whole files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from companion.crypto import envelope
from companion.domain.schema import SchemaError, check_structure, check_tables
from companion.errors import VaultDamaged
from companion.storage import segments
from companion.storage.backups import damaged_sentence
from companion.storage.segments import Document

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


def legacy_tables(document: Document) -> segments.Tables:
    """Pseudo-segments for a document held in memory (a format 1 or 2 file not yet moved on)."""
    return {name: {index: segments.SegmentRef(0, 0, "", len(part), max(int(k) for k in part), summarise(name, part))
                   for index, part in segments.split(records).items()}
            for name, records in document.items()}


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
