"""Merging two copies of one journal document (a synced copy, a conflict copy): nothing is lost.

Records are matched by their `uid`, not their document id (ids are per copy). Every version of a record
carries its lineage: its own revision id (`rev`) and the revisions it was edited from, oldest first
(`ancestors`, the last one it was edited from at the end). For a record both copies hold:

- a version that descends from the other (the other's `rev` is among its ancestors) wins, whatever the
  clocks say; so a version replayed from an older copy never wins over its descendant;
- versions that are truly concurrent (edited on both sides since they parted) fall back to the later
  `changed`; the other version is not dropped: the merge reports it, and the vault keeps it in a copy in
  backups/ that `companion merge` brings back beside the winner.

A record written before lineage existed has no `rev`: its revision is the hash of its content, so a
version edited from it descends from it on every device that holds it unchanged.

A record only one copy holds is kept, unless the other copy's tombstones say it was deleted there. A
tombstone names the version that was deleted: a version that is neither it nor one of its ancestors (an
edit made concurrently with the deletion) is kept, and the merge says so. Tombstones from before lineage
name no version: they delete whatever version they meet, as they always did.

Every table of records merges this way, those this version of companion does not know included;
`_meta` and `preferences` (this device's choices) are kept from the local copy. A record that arrives
under an id already taken here gets the next free id, and every link to it (an entry's people, a
boundary's person) follows it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from companion.storage.lineage import LINEAGE, ancestors, later, record_uid, relation, rev_of

Document = dict[str, Any]
Record = dict[str, Any]

TOMBSTONES = "_tombstones"
NOT_MERGED = ("_meta", "preferences", TOMBSTONES)  # kept from the local copy; tombstones are united
PREFERENCES = "preferences"
CAPTURE_IDENTITY = "capture_identity"  # the journal's capture key (an age identity), a preference
CAPTURE_IDENTITIES = "capture_identities"  # every capture key it ever had, one a line: united by a merge
# Tables whose records others link to come first; every other table of records follows, by name.
LINK_ORDER = ("contacts", "experiments", "reflections", "boundaries", "prompts", "sessions", "safety_plan")
# table -> [(field, linked table, is a list)]
LINKS: dict[str, list[tuple[str, str, bool]]] = {
    "reflections": [("contacts", "contacts", True), ("experiment", "experiments", False)],
    "experiments": [("contact_id", "contacts", False)],
    "boundaries": [("contact_id", "contacts", False)],
    "sessions": [("shared_reflections", "reflections", True), ("follow_boundaries", "boundaries", True),
                 ("follow_contacts", "contacts", True)],
    "safety_plan": [("distraction_people", "contacts", True), ("helpers", "contacts", True)],
}
# Fields that name a record for the derived uid of records written before uids existed.
# Words for the person: (one, many).
NOUNS = {
    "reflections": ("entry", "entries"),
    "boundaries": ("boundary note", "boundary notes"),
    "contacts": ("person", "people"),
    "prompts": ("prompt", "prompts"),
    "sessions": ("session", "sessions"),
    "safety_plan": ("safety plan", "safety plans"),
    "experiments": ("ask experiment", "ask experiments"),
}


def _noun(table: str, n: int) -> str:
    one, many = NOUNS.get(table, ("record", "records"))
    return f"{n} {one if n == 1 else many}"


def counted(tables: Iterable[str]) -> str:
    """Records named by their tables, counted in words: '1 entry', '2 entries and 1 person'."""
    counts: dict[str, int] = {}
    for table in tables:
        counts[table] = counts.get(table, 0) + 1
    return _join([_noun(table, counts[table]) for table in _said(set(counts))])


@dataclass(frozen=True)
class Kept:
    """A version that lost to a concurrent one: which copy it came from, and where it was in that copy."""

    table: str
    doc_id: str
    record: Record
    local: bool  # from this copy (else from the other)


@dataclass
class MergeReport:
    """What came in from the other copy, per table, and what was kept aside."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    concurrent: list[Kept] = field(default_factory=list)  # versions that lost to a concurrent edit
    edits_kept: dict[str, int] = field(default_factory=dict)  # edits kept although deleted in a copy

    @property
    def changed(self) -> bool:
        """Whether the other copy brought anything."""
        return any(self.added.values()) or any(self.updated.values()) or any(self.removed.values())

    def sentence(self) -> str:
        """One calm line, e.g. '3 entries and 1 person from another copy were merged.'"""
        parts = []
        total = 0
        for table in _said(set(self.added) | set(self.updated)):
            n = self.added.get(table, 0) + self.updated.get(table, 0)
            if n:
                parts.append(_noun(table, n))
                total += n
        removed = sum(self.removed.values())
        if not parts and not removed:
            text = "Another copy of your journal was checked; it held nothing new."
        else:
            verb = "was" if total == 1 else "were"
            text = _join(parts) + (f" from another copy of your journal {verb} merged" if parts else "")
            if removed:
                records = "1 record deleted there was" if removed == 1 else f"{removed} records deleted there were"
                what = f"{records} removed here"
                text = f"{text}; {what}" if parts else f"From another copy of your journal: {what}"
            text = text[0].upper() + text[1:] + "."
        kept = sum(self.edits_kept.values())
        if kept:
            text += (f" {'An edit' if kept == 1 else f'{kept} edits'} to something deleted in the other copy "
                     f"{'was' if kept == 1 else 'were'} kept.")
        return text


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _ordered(tables: set[str], order: tuple[str, ...] = LINK_ORDER) -> list[str]:
    return [t for t in order if t in tables] + sorted(t for t in tables if t not in order)


def _said(tables: set[str]) -> list[str]:
    """Tables in the order a sentence names them: entries first."""
    return _ordered(tables, tuple(NOUNS))


def record_tables(*docs: Document) -> list[str]:
    """The tables of records in these documents, in merge order (linked-to tables first)."""
    names = {name for doc in docs for name, value in doc.items() if name not in NOT_MERGED and isinstance(value, dict)}
    return _ordered(names)


def _tombstones(doc: Document) -> dict[tuple[str, str], Record]:
    found: dict[tuple[str, str], Record] = {}
    for stone in (doc.get(TOMBSTONES) or {}).values():
        if isinstance(stone, dict) and isinstance(stone.get("table"), str) and isinstance(stone.get("uid"), str):
            key = (stone["table"], stone["uid"])
            if key not in found or _stone_order(stone) > _stone_order(found[key]):
                found[key] = stone
    return found


def _stone_order(stone: Record) -> tuple[str, str]:
    return str(stone.get("deleted", "")), str(stone.get("rev", ""))


def tombstone(table: str, uid: str, deleted: str, record: Record) -> Record:
    """The tombstone of deleting this version of a record: which version, and what it descended from."""
    return {"table": table, "uid": uid, "deleted": deleted, "rev": rev_of(record), "ancestors": ancestors(record)}


def _deleted_by(stone: Record, record: Record) -> bool:
    """Whether `stone` deletes this version: it is the version deleted, or one it descended from."""
    rev = stone.get("rev")
    if not isinstance(rev, str):
        return True  # a tombstone from before lineage: it deletes whatever it meets, as it always did
    mine = rev_of(record)
    return mine == rev or mine in ancestors(stone)


def _by_uid(table: str, records: dict[str, Any]) -> dict[str, tuple[str, Record | None]]:
    return {record_uid(table, doc_id, rec): (doc_id, rec) for doc_id, rec in records.items() if isinstance(rec, dict)}


def _remap(table: str, record: Record, maps: dict[str, dict[str, str]]) -> Record:
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


def _stones_table(stones: dict[tuple[str, str], Record]) -> dict[str, Record]:
    return {str(i): stones[key] for i, key in enumerate(sorted(stones), start=1)}


def canonical(doc: Document) -> Document:
    """The document with its tombstones in one fixed order, so equal content compares equal."""
    return {**doc, TOMBSTONES: _stones_table(_tombstones(doc))}


def merge(local: Document, remote: Document) -> tuple[Document, MergeReport]:
    """Both copies in one document, keeping this copy's ids; see the module docstring for the rules."""
    report = MergeReport()
    mine_stones = _tombstones(local)
    stones = dict(mine_stones)
    for key, stone in _tombstones(remote).items():
        if key not in stones or _stone_order(stone) > _stone_order(stones[key]):
            stones[key] = stone
    result: Document = {name: value for name, value in local.items() if name in NOT_MERGED}
    maps: dict[str, dict[str, str]] = {}
    for table in record_tables(local, remote):
        mine = local.get(table) if isinstance(local.get(table), dict) else {}
        theirs = remote.get(table) if isinstance(remote.get(table), dict) else {}
        result[table], maps[table] = _merge_table(table, mine or {}, theirs or {}, stones, mine_stones, maps, report)
    result[TOMBSTONES] = _stones_table(stones)
    _unite_capture_keys(result, remote)
    return result, report


def _unite_capture_keys(result: Document, remote: Document) -> None:
    """Preferences stay this device's, but every capture key either copy ever had is kept: an entry captured
    to the other device's key can still be taken in here."""
    def keys(doc: Document) -> list[str]:
        prefs = doc.get(PREFERENCES)
        record = prefs.get("1") if isinstance(prefs, dict) else None
        if not isinstance(record, dict):
            return []
        listed = record.get(CAPTURE_IDENTITIES)
        return [k for k in [record.get(CAPTURE_IDENTITY), *(listed.split() if isinstance(listed, str) else [])]
                if isinstance(k, str) and k]

    ours, theirs = keys(result), keys(remote)
    united = list(dict.fromkeys([*ours, *theirs]))
    if united == ours or not theirs:
        return
    prefs = dict(result.get(PREFERENCES) or {})
    record = dict(prefs.get("1") or {})
    record[CAPTURE_IDENTITIES] = "\n".join(united)
    prefs["1"] = record
    result[PREFERENCES] = prefs


def _merge_table(
    table: str,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    stones: dict[tuple[str, str], Record],
    mine_stones: dict[tuple[str, str], Record],
    maps: dict[str, dict[str, str]],
    report: MergeReport,
) -> tuple[dict[str, Any], dict[str, str]]:
    local, remote = _by_uid(table, mine), _by_uid(table, theirs)
    out: dict[str, Any] = {}
    mapping: dict[str, str] = {}
    arrivals: list[tuple[str, str, Record]] = []  # (id here, or "" for a new one; id there; the version)

    def tally(counts: dict[str, int]) -> None:
        counts[table] = counts.get(table, 0) + 1

    for uid in [*local, *(u for u in remote if u not in local)]:
        my_id, my_rec = local.get(uid, ("", None))
        their_id, their_rec = remote.get(uid, ("", None))
        version: Record | None
        if my_rec is not None and their_rec is not None:
            mapping[their_id] = my_id
            version = _winner(table, my_id, my_rec, their_id, their_rec, report)
        else:
            version = my_rec if my_rec is not None else their_rec
        assert version is not None  # the uid came from one of the copies
        stone = stones.get((table, uid))
        if stone is not None:
            if _deleted_by(stone, version):
                if my_rec is not None:
                    tally(report.removed)
                continue
            if not ((table, uid) in mine_stones and version is my_rec):
                tally(report.edits_kept)  # the stone and this version meet for the first time here
        if version is my_rec:
            out[my_id] = version
        else:
            arrivals.append((my_id, their_id, version))
            tally(report.updated if my_rec is not None else report.added)
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


def _winner(table: str, my_id: str, mine: Record, their_id: str, theirs: Record, report: MergeReport) -> Record:
    """Which version of a record both copies hold stays; a concurrent loser is reported, never dropped."""
    found = relation(mine, theirs)
    if found in ("same", "mine"):
        return mine
    if found == "theirs":
        return theirs
    if later(mine, theirs):
        report.concurrent.append(Kept(table, my_id, mine, local=True))
        return theirs
    report.concurrent.append(Kept(table, their_id, theirs, local=False))
    return mine


def set_aside(document: Document, kept: list[Kept]) -> Document:
    """`document` with the kept versions under new uids and no lineage: merged into the journal later, each
    comes in beside the version that won, as a record of its own."""
    out = {name: (dict(value) if isinstance(value, dict) else value) for name, value in document.items()}
    for item in kept:
        table = out.get(item.table)
        if isinstance(table, dict) and item.doc_id in table:
            record = {k: v for k, v in item.record.items() if k not in LINEAGE}
            table[item.doc_id] = {**record, "uid": uuid.uuid4().hex}
    return out
