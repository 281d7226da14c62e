"""Merging two copies of one journal document (a synced copy, a conflict copy): nothing is lost.

Records are matched by their `uid`, not their document id (ids are per copy). For a record both
copies hold, the version changed most recently wins (`changed`, else `edited`, else `created`);
with the common ancestor known (`base`), a side that did not touch the record always yields to the
side that did. A record only one copy holds is kept, unless the other copy's tombstones say it was
deleted there. A record that arrives under an id already taken here gets the next free id, and every
link to it (an entry's people, a boundary's person) follows it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

Document = dict[str, Any]

TOMBSTONES = "_tombstones"
# Tables of records, in merge order: contacts first, because other records link to them.
RECORD_TABLES = ("contacts", "reflections", "boundaries", "prompts", "sessions")
# table -> [(field, linked table, is a list)]
LINKS: dict[str, list[tuple[str, str, bool]]] = {
    "reflections": [("contacts", "contacts", True)],
    "boundaries": [("contact_id", "contacts", False)],
    "sessions": [("shared_reflections", "reflections", True), ("follow_boundaries", "boundaries", True),
                 ("follow_contacts", "contacts", True)],
}
# Fields that name a record for the derived uid of records written before uids existed.
_ANCHOR = {"reflections": "created", "contacts": "name", "boundaries": "boundary", "prompts": "text", "sessions": "day"}
# Words for the person: (one, many).
NOUNS = {
    "reflections": ("entry", "entries"),
    "boundaries": ("boundary note", "boundary notes"),
    "contacts": ("person", "people"),
    "prompts": ("prompt", "prompts"),
    "sessions": ("session", "sessions"),
}


def record_uid(table: str, doc_id: str, record: dict[str, Any]) -> str:
    """The record's uid; records from before uids existed get one derived from what they are.

    Two devices that upgrade the same old journal derive the same uids, so their records still
    match; if the anchor was edited on one of them, both versions are kept rather than one lost.
    """
    uid = record.get("uid")
    if isinstance(uid, str) and uid:
        return uid
    anchor = str(record.get(_ANCHOR.get(table, ""), ""))
    return "legacy-" + hashlib.sha256(f"{table}\x1f{doc_id}\x1f{anchor}".encode()).hexdigest()[:24]


def revision(record: dict[str, Any]) -> str:
    """When this version of the record was made (UTC ISO 8601 strings sort in time order)."""
    return str(record.get("changed") or record.get("edited") or record.get("created") or "")


@dataclass
class MergeReport:
    """What came in from the other copy, per table."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether the other copy brought anything."""
        return any(self.added.values()) or any(self.updated.values()) or any(self.removed.values())

    def sentence(self) -> str:
        """One calm line, e.g. '3 entries and 1 person from another copy were merged.'"""
        parts = []
        total = 0
        for table, (one, many) in NOUNS.items():
            n = self.added.get(table, 0) + self.updated.get(table, 0)
            if n:
                parts.append(f"{n} {one if n == 1 else many}")
                total += n
        removed = sum(self.removed.values())
        if not parts and not removed:
            return "Another copy of your journal was checked; it held nothing new."
        verb = "was" if total == 1 else "were"
        text = _join(parts) + (f" from another copy of your journal {verb} merged" if parts else "")
        if removed:
            records = "1 record deleted there was" if removed == 1 else f"{removed} records deleted there were"
            what = f"{records} removed here"
            text = f"{text}; {what}" if parts else f"From another copy of your journal: {what}"
        return text[0].upper() + text[1:] + "."


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _tombstones(doc: Document) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for stone in (doc.get(TOMBSTONES) or {}).values():
        if isinstance(stone, dict) and isinstance(stone.get("table"), str) and isinstance(stone.get("uid"), str):
            found[(stone["table"], stone["uid"])] = str(stone.get("deleted", ""))
    return found


def _by_uid(table: str, records: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {record_uid(table, doc_id, rec): (doc_id, rec) for doc_id, rec in records.items() if isinstance(rec, dict)}


def _remap(table: str, record: dict[str, Any], maps: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Links in a record that came from the other copy, renumbered into this copy's ids."""
    links = LINKS.get(table)
    if not links:
        return record
    out = dict(record)
    for name, target, many in links:
        mapping = maps.get(target, {})
        value = out.get(name)
        if many and isinstance(value, list):
            out[name] = [_mapped(v, mapping) for v in value]
        elif not many and value is not None:
            out[name] = _mapped(value, mapping)
    return out


def _mapped(value: Any, mapping: dict[str, str]) -> Any:
    new = mapping.get(str(value))
    return int(new) if new is not None else value


def canonical(doc: Document) -> Document:
    """The document with its tombstones in one fixed order, so equal content compares equal."""
    stones = sorted(_tombstones(doc).items())
    return {**doc, TOMBSTONES: {str(i): {"table": t, "uid": u, "deleted": d}
                                for i, ((t, u), d) in enumerate(stones, start=1)}}


def merge(local: Document, remote: Document, base: Document | None = None) -> tuple[Document, MergeReport]:
    """Both copies in one document, keeping this copy's ids; see the module docstring for the rules."""
    report = MergeReport()
    stones = _tombstones(local)
    for key, when in _tombstones(remote).items():
        stones[key] = max(stones.get(key, ""), when)
    result: Document = {name: value for name, value in local.items() if name not in RECORD_TABLES}
    for name, value in remote.items():  # tables only the other copy knows of (written by a newer version)
        if name not in RECORD_TABLES and name not in result:
            result[name] = value
    maps: dict[str, dict[str, str]] = {}
    for table in RECORD_TABLES:
        mine = local.get(table) or {}
        theirs = remote.get(table) or {}
        if not mine and not theirs and table not in local and table not in remote:
            continue
        result[table], maps[table] = _merge_table(table, mine, theirs, (base or {}).get(table), stones, maps, report)
    result[TOMBSTONES] = {str(i): {"table": t, "uid": u, "deleted": d}
                          for i, ((t, u), d) in enumerate(sorted(stones.items()), start=1)}
    return result, report


def _merge_table(
    table: str,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    base: dict[str, Any] | None,
    stones: dict[tuple[str, str], str],
    maps: dict[str, dict[str, str]],
    report: MergeReport,
) -> tuple[dict[str, Any], dict[str, str]]:
    local, remote = _by_uid(table, mine), _by_uid(table, theirs)
    base_by_uid = _by_uid(table, base) if base is not None else {}
    out: dict[str, Any] = {}
    for uid, (doc_id, rec) in local.items():
        if (table, uid) in stones:  # deleted in the other copy after it reached this one
            report.removed[table] = report.removed.get(table, 0) + 1
            continue
        out[doc_id] = rec
    mapping: dict[str, str] = {}
    arrivals: list[tuple[str, str, dict[str, Any]]] = []
    for uid, (their_id, rec) in remote.items():
        if (table, uid) in stones:
            continue
        if uid in local:
            my_id, my_rec = local[uid]
            mapping[their_id] = my_id
            if my_rec != rec and _theirs_wins(my_rec, rec, base_by_uid.get(uid, (None, None))[1]):
                arrivals.append((my_id, their_id, rec))
                report.updated[table] = report.updated.get(table, 0) + 1
            continue
        arrivals.append(("", their_id, rec))
        report.added[table] = report.added.get(table, 0) + 1
    taken = {int(i) for i in out} | {int(i) for i in theirs if i.isdigit()}
    next_id = max(taken, default=0) + 1
    for my_id, their_id, rec in arrivals:
        if not my_id:
            if their_id not in out and their_id.isdigit():
                my_id = their_id
            else:
                my_id, next_id = str(next_id), next_id + 1
            mapping[their_id] = my_id
        out[my_id] = (their_id, rec)
    maps[table] = mapping  # links inside this same table (none today) would see it too
    for my_id, value in list(out.items()):
        if isinstance(value, tuple):
            out[my_id] = _remap(table, value[1], maps)
    return dict(sorted(out.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0)), mapping


def _theirs_wins(mine: dict[str, Any], theirs: dict[str, Any], base: dict[str, Any] | None) -> bool:
    if base is not None:
        if mine == base:
            return True
        if theirs == base:
            return False
    return revision(theirs) > revision(mine)
