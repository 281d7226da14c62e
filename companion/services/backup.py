"""Backup (the whole vault as documented JSON inside an age file), restore, and import from jrnl and Day One."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

from companion.domain.clock import EARLIEST, LATEST
from companion.domain.reflection import Reflection, clean_tags
from companion.domain.schema import MAX_RECORDS, SchemaError, check_record, check_tables
from companion.domain.text import checked
from companion.errors import UsageError, VaultDamaged
from companion.services.journal import Journal
from companion.storage.disk import read_bytes
from companion.storage.documents import TABLES
from companion.storage.vault import Vault

MAX_BACKUP_BYTES = 512 * 1024 * 1024
MAX_KEY_FILE_BYTES = 1024 * 1024
MAX_IMPORT_BYTES = 64 * 1024 * 1024  # 100,000 entries of an ordinary length fit easily


def read_import_file(path: Path) -> bytes:
    """Another journal's export, read whole (UsageError with a sentence when it is larger than companion imports)."""
    raw = read_bytes(path, "read the file to import", limit=MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise UsageError(f"{path} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB; companion imports "
                         "smaller exports (split it by year with jrnl's --from and --to).")
    return raw
BACKUP_FORMAT = "companion-backup"
BACKUP_VERSION = 1


def backup_json(vault: Vault, now: datetime) -> bytes:
    """The whole document with a small envelope saying what it is (see docs/FORMAT.md)."""
    document = vault.document()
    return orjson.dumps({"format": BACKUP_FORMAT, "version": BACKUP_VERSION, "made": now.isoformat(),
                         "tables": document}, option=orjson.OPT_INDENT_2)


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, shown before anything is replaced."""

    counts: dict[str, int]
    first: date | None
    last: date | None
    made: str

    def describe(self) -> str:
        """One plain sentence."""
        c = self.counts
        span = f", written {self.first} to {self.last}" if self.first and self.last else ""
        return (f"This backup (made {self.made[:10]}) holds {c.get('reflections', 0)} reflections{span}, "
                f"{c.get('boundaries', 0)} boundaries and {c.get('contacts', 0)} contacts.")


def read_backup(plaintext: bytes) -> tuple[dict[str, Any], BackupSummary]:
    """Parse and check a decrypted backup; VaultDamaged when it is not one."""
    try:
        data = orjson.loads(plaintext)
    except orjson.JSONDecodeError:
        raise VaultDamaged("is not a companion backup") from None
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise VaultDamaged("is not a companion backup")
    if data.get("version", 0) > BACKUP_VERSION:
        raise VaultDamaged("was made by a newer version of companion")
    tables = data.get("tables")
    try:
        check_tables(tables)  # every record, before anything is replaced
    except SchemaError as exc:
        raise VaultDamaged(f"is a damaged companion backup ({exc})") from None
    assert isinstance(tables, dict)
    created = sorted(r.get("created", "") for r in tables.get("reflections", {}).values() if isinstance(r, dict))
    first = datetime.fromisoformat(created[0]).date() if created else None
    last = datetime.fromisoformat(created[-1]).date() if created else None
    counts = {t: len(tables.get(t, {})) for t in TABLES}
    return tables, BackupSummary(counts, first, last, str(data.get("made", "")))


def open_backup(blob: bytes, identity_text: str | None, passphrase: str | None) -> tuple[dict[str, Any], BackupSummary]:
    """Decrypt (age key or passphrase) and check a backup; nothing is changed yet."""
    from companion.crypto import age

    if identity_text:
        plaintext = age.decrypt_with_identity(blob, identity_text)
    else:
        plaintext = age.decrypt_with_passphrase(blob, passphrase or "")
    return read_backup(plaintext)


def open_backup_files(backup: Path, identity: Path | None,
                      passphrase: str | None) -> tuple[dict[str, Any], BackupSummary]:
    """open_backup for files named by the person; unreadable paths give one plain sentence."""
    blob = _bounded(backup.expanduser(), "read the backup", MAX_BACKUP_BYTES, "a backup")
    identity_text = None
    if identity is not None:
        identity_text = _bounded(identity.expanduser(), "read the age key file", MAX_KEY_FILE_BYTES,
                                 "an age key file").decode("utf-8", "replace")
    try:
        return open_backup(blob, identity_text, passphrase)
    except VaultDamaged as exc:
        raise VaultDamaged(f"{backup} {exc.message}.") from None


def _bounded(path: Path, action: str, limit: int, what: str) -> bytes:
    """A file's bytes, refusing (plainly, before reading it all) one far larger than `what` can be."""
    data = read_bytes(path, action, limit=limit + 1)
    if len(data) > limit:
        raise UsageError(f"{path} is larger than {what} companion would make ({limit // (1024 * 1024):,} MiB at "
                         "most), so it was not read.")
    return data


# -- import ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportResult:
    """How an import went."""

    added: int
    skipped: int


def source_key(kind: str, *parts: str) -> str:
    return f"{kind}:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


Imported = tuple[Reflection, str]  # an entry and its source key (importing twice adds nothing twice)


def parse_jrnl(raw: bytes) -> list[Imported]:
    """jrnl's `--export json`: entries with title, body, date, time, tags and starred."""
    found = []
    for n, e in _entries(raw, "jrnl"):
        try:
            created = datetime.fromisoformat(f"{e['date']}T{e.get('time', '00:00')}").astimezone(UTC)
        except (KeyError, TypeError, ValueError, OverflowError):
            raise UsageError(f"Entry {n} of the jrnl export has no readable date and time.") from None
        title, body = str(e.get("title", "")).strip(), str(e.get("body", "")).strip()
        text = f"{title}\n\n{body}".strip() if body else title
        tags = [str(t).lstrip("@") for t in _tag_list(e, n, "jrnl")]
        source = source_key("jrnl", str(e["date"]), str(e.get("time", "")), title, body)
        found.append(checked_entry(n, "jrnl", text, created, tags + _starred(e), source))
    return found


def parse_dayone(raw: bytes) -> list[Imported]:
    """Day One's JSON export: entries with uuid, creationDate, text, tags and starred."""
    found = []
    for n, e in _entries(raw, "Day One"):
        try:
            created = datetime.fromisoformat(str(e["creationDate"]).replace("Z", "+00:00")).astimezone(UTC)
        except (KeyError, ValueError, OverflowError):
            raise UsageError(f"Entry {n} of the Day One export has no readable creationDate.") from None
        text = dayone_text(str(e.get("text", "")))
        tags = [str(t) for t in _tag_list(e, n, "Day One")]
        raw_text = str(e.get("text", "")).strip()  # as before the escapes were undone: a second import adds nothing
        source = source_key("dayone", str(e.get("uuid") or ""), str(e["creationDate"]), raw_text)
        entry, key = checked_entry(n, "Day One", text, created, tags + _starred(e), source)
        entry.zone = _zone_name(e.get("timeZone"))
        found.append((entry, key))
    return found


def _zone_name(value: object) -> str:
    """Day One's `timeZone` when this machine knows it (the entry is shown on that clock), else ""."""
    if not isinstance(value, str) or not value or len(value) > 64:
        return ""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return value


PHOTO_NOTE = "(a photo, not imported)"
_DAYONE_PHOTO = re.compile(r"!\[[^\]]*\]\(dayone-moment:[^)]*\)")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")


def dayone_text(text: str) -> str:
    """Day One's Markdown as a person wrote it: its escapes undone ("again\\." reads "again."), each photo a
    short note (companion keeps words only)."""
    return _MARKDOWN_ESCAPE.sub(r"\1", _DAYONE_PHOTO.sub(PHOTO_NOTE, text)).strip()


def _entries(raw: bytes, what: str) -> list[tuple[int, dict[str, Any]]]:
    data = _json(raw, what)
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise UsageError(f"This is not a {what} JSON export: there is no list of entries.")
    if len(entries) > MAX_RECORDS:
        raise UsageError(f"This {what} export holds {len(entries):,} entries; companion keeps at most "
                         f"{MAX_RECORDS:,}, so nothing was imported.")
    for n, e in enumerate(entries, start=1):
        if not isinstance(e, dict):
            raise UsageError(f"Entry {n} of the {what} export is not an entry.")
    return list(enumerate(entries, start=1))


def _tag_list(entry: dict[str, Any], n: int, what: str) -> list[Any]:
    tags = entry.get("tags", [])
    if not isinstance(tags, list):
        raise UsageError(f"Entry {n} of the {what} export has tags that are not a list.")
    return tags


def checked_entry(n: int, what: str, text: str, created: datetime, tags: list[str], source: str) -> Imported:
    """One checked entry: text, a date companion can always show, and a shape the schema accepts."""
    if not text:
        raise UsageError(f"Entry {n} of the {what} export has no text.")
    if not EARLIEST <= created.date() <= LATEST:
        raise UsageError(f"Entry {n} of the {what} export is dated {created.date().isoformat()}; companion "
                         "accepts dates from 1900 to 2200, so nothing was imported.")
    try:
        checked(text, f"Entry {n} of the {what} export")
        item = Reflection(text=text, created=created, tags=clean_tags(tags))
        check_record("reflections", str(n), item.to_record())
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return item, source


def _starred(entry: dict[str, Any]) -> list[str]:
    """A star in jrnl or Day One is a tag here, never consent to share ('bring to therapy' stays off)."""
    return ["starred"] if entry.get("starred") else []


def _json(raw: bytes, what: str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise UsageError(f"This {what} export is not valid JSON ({exc}).") from None


def import_entries(journal: Journal, entries: list[Imported]) -> ImportResult:
    """Add entries not imported before, in one save; the file is checked whole before anything is added."""
    rows = journal.reflections.repo.rows()
    known = {row.get("source") for _, row in rows if row.get("source")}
    fresh = []
    for entry, source in entries:
        if source in known:
            continue
        known.add(source)
        fresh.append({**entry.to_record(), "source": source})
    if len(rows) + len(fresh) > MAX_RECORDS:
        raise UsageError(f"With these, your journal would hold {len(rows) + len(fresh):,} reflections; companion "
                         f"keeps at most {MAX_RECORDS:,}, so nothing was imported.")
    if fresh:
        journal.reflections.insert_records(fresh)
    return ImportResult(added=len(fresh), skipped=len(entries) - len(fresh))
