"""The lineage of a record's versions: its uid (matched across copies), its revision id (`rev`) and the revisions
it was edited from, oldest first (`ancestors`). A version that descends from another wins a merge whatever the clocks
say (merge.py); a record written before lineage existed has the hash of its content as its revision."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import orjson

Record = dict[str, Any]

ANCESTRY = 100  # revisions a version remembers; past that, an old copy's version reads as concurrent (kept)
LINEAGE = ("rev", "ancestors")
_ANCHOR = {"reflections": "created", "contacts": "name", "boundaries": "boundary", "prompts": "text", "sessions": "day"}


def record_uid(table: str, doc_id: str, record: Record) -> str:
    """The record's uid; records from before uids existed get one derived from what they are.

    Two devices that upgrade the same old journal derive the same uids, so their records still
    match; if the anchor was edited on one of them, both versions are kept rather than one lost.
    """
    uid = record.get("uid")
    if isinstance(uid, str) and uid:
        return uid
    anchor = str(record.get(_ANCHOR.get(table, ""), ""))
    return "legacy-" + hashlib.sha256(f"{table}\x1f{doc_id}\x1f{anchor}".encode()).hexdigest()[:24]


def revision(record: Record) -> str:
    """When this version of the record was made (UTC ISO 8601 strings sort in time order)."""
    return str(record.get("changed") or record.get("edited") or record.get("created") or "")


def new_rev() -> str:
    """A fresh revision id."""
    return uuid.uuid4().hex[:16]


def rev_of(record: Record) -> str:
    """This version's revision id; for a record written before lineage, the hash of its content."""
    rev = record.get("rev")
    if isinstance(rev, str) and rev:
        return rev
    content = {k: v for k, v in record.items() if k not in LINEAGE}
    return "c-" + hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def ancestors(record: Record) -> list[str]:
    """The revisions this version was edited from, oldest first."""
    found = record.get("ancestors")
    return [a for a in found if isinstance(a, str)] if isinstance(found, list) else []


def next_version(stored: Record, changes: Record) -> Record:
    """`stored` edited by `changes`: a new revision that descends from the stored one."""
    lineage = [*ancestors(stored), rev_of(stored)][-ANCESTRY:]
    return {**stored, **changes, "rev": new_rev(), "ancestors": lineage}


def edited_from(base: Record, changes: Record) -> Record:
    """A new version edited from `base`, a version that may no longer be the stored one (an editor that
    was open while another device's change came in): it descends from `base`, not from what is stored."""
    return next_version(base, changes)


def relation(mine: Record, theirs: Record) -> str:
    """'same', 'mine' (mine descends from theirs), 'theirs' (theirs descends from mine) or 'concurrent'."""
    my_rev, their_rev = rev_of(mine), rev_of(theirs)
    if my_rev == their_rev:
        return "same" if mine == theirs else "concurrent"
    if their_rev in ancestors(mine):
        return "mine"
    if my_rev in ancestors(theirs):
        return "theirs"
    return "concurrent"


def later(mine: Record, theirs: Record) -> bool:
    """Of two concurrent versions, whether theirs is the later (the same answer on every device)."""
    return (revision(theirs), rev_of(theirs)) > (revision(mine), rev_of(mine))
