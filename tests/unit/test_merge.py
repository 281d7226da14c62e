"""The pure merge of two copies of one journal: by uid, newest change wins, deletions by tombstone."""

from __future__ import annotations

import copy
from typing import Any

from companion.storage.merge import TOMBSTONES, canonical, merge, record_uid


def _doc(**tables: dict[str, Any]) -> dict[str, Any]:
    return {"_meta": {"1": {"schema": 1}}, "reflections": {}, "boundaries": {}, "contacts": {}, "prompts": {},
            **tables}


def _entry(uid: str, text: str, changed: str = "2026-11-01T10:00:00+00:00", **more: Any) -> dict[str, Any]:
    return {"uid": uid, "text": text, "created": "2026-11-01T09:00:00+00:00", "changed": changed, **more}


def _texts(doc: dict[str, Any]) -> dict[str, str]:
    return {i: r["text"] for i, r in doc["reflections"].items()}


def test_records_created_on_both_sides_with_the_same_id_are_both_kept() -> None:
    base = _doc(reflections={"1": _entry("a", "shared")})
    mine = copy.deepcopy(base)
    mine["reflections"]["2"] = _entry("b", "written on the laptop")
    theirs = copy.deepcopy(base)
    theirs["reflections"]["2"] = _entry("c", "written on the phone")
    merged, report = merge(mine, theirs, base)
    assert _texts(merged) == {"1": "shared", "2": "written on the laptop", "3": "written on the phone"}
    assert report.added == {"reflections": 1}
    assert report.sentence() == "1 entry from another copy of your journal was merged."


def test_newer_change_wins_when_both_edited() -> None:
    base = _doc(reflections={"1": _entry("a", "first words")})
    mine = _doc(reflections={"1": _entry("a", "edited here", changed="2026-11-02T10:00:00+00:00")})
    theirs = _doc(reflections={"1": _entry("a", "edited there, later", changed="2026-11-03T10:00:00+00:00")})
    assert _texts(merge(mine, theirs, base)[0]) == {"1": "edited there, later"}
    assert _texts(merge(theirs, mine, base)[0]) == {"1": "edited there, later"}


def test_a_side_that_did_not_touch_a_record_yields_even_with_a_skewed_clock() -> None:
    base = _doc(reflections={"1": _entry("a", "first words", changed="2026-11-09T10:00:00+00:00")})
    mine = copy.deepcopy(base)
    # the other device's clock runs behind, but only it changed the entry
    theirs = _doc(reflections={"1": _entry("a", "changed there", changed="2026-11-05T10:00:00+00:00")})
    merged, report = merge(mine, theirs, base)
    assert _texts(merged) == {"1": "changed there"}
    assert report.updated == {"reflections": 1}


def test_deletion_travels_only_with_a_tombstone() -> None:
    base = _doc(reflections={"1": _entry("a", "keep me"), "2": _entry("b", "delete me")})
    mine = copy.deepcopy(base)
    theirs = copy.deepcopy(base)
    del theirs["reflections"]["2"]
    theirs[TOMBSTONES] = {"1": {"table": "reflections", "uid": "b", "deleted": "2026-11-02T00:00:00+00:00"}}
    merged, report = merge(mine, theirs, base)
    assert _texts(merged) == {"1": "keep me"}
    assert report.removed == {"reflections": 1}
    assert "removed here" in report.sentence()
    # a copy that merely lacks a record (no tombstone) is not a deletion: nothing is lost
    lacking = copy.deepcopy(base)
    del lacking["reflections"]["1"]
    assert set(_texts(merge(mine, lacking, base)[0])) == {"1", "2"}


def test_a_deleted_record_is_not_brought_back_by_an_older_copy() -> None:
    mine = _doc(reflections={})
    mine[TOMBSTONES] = {"1": {"table": "reflections", "uid": "b", "deleted": "2026-11-02T00:00:00+00:00"}}
    old_copy = _doc(reflections={"2": _entry("b", "deleted here already")})
    merged, report = merge(mine, old_copy)
    assert merged["reflections"] == {}
    assert not report.changed


def test_links_follow_a_renumbered_person() -> None:
    mine = _doc(contacts={"1": {"uid": "p1", "name": "Priya", "changed": "x"}})
    theirs = _doc(
        contacts={"1": {"uid": "p2", "name": "Jonas", "changed": "x"}},
        reflections={"1": _entry("r", "with Jonas", contacts=[1])},
        boundaries={"1": {"uid": "b", "boundary": "No calls after nine", "contact_id": 1, "changed": "x"}},
    )
    merged, _ = merge(mine, theirs)
    assert merged["contacts"]["2"]["name"] == "Jonas"
    assert merged["reflections"]["1"]["contacts"] == [2]
    assert merged["boundaries"]["1"]["contact_id"] == 2


def test_records_from_before_uids_match_on_both_devices() -> None:
    legacy = {"text": "old entry", "created": "2025-01-01T00:00:00+00:00"}
    mine = _doc(reflections={"1": dict(legacy)})
    theirs = _doc(reflections={"1": dict(legacy), "2": {"text": "new there", "created": "2026-01-01T00:00:00+00:00"}})
    merged, report = merge(mine, theirs)
    assert _texts(merged) == {"1": "old entry", "2": "new there"}
    assert report.added == {"reflections": 1}
    assert record_uid("reflections", "1", legacy) == record_uid("reflections", "1", dict(legacy))


def test_merging_is_stable_so_devices_stop_rewriting() -> None:
    a = _doc(reflections={"1": _entry("a", "one"), "2": _entry("b", "two")})
    b = _doc(reflections={"1": _entry("a", "one"), "2": _entry("c", "three")})
    ab, _ = merge(a, b)
    ba, _ = merge(b, a)
    again, report = merge(ab, ba)
    assert not report.changed
    assert canonical(merge(ab, again)[0]) == canonical(ab)
    assert sorted(r["uid"] for r in ab["reflections"].values()) == sorted(r["uid"] for r in ba["reflections"].values())


def test_the_sentence_is_calm_and_counts() -> None:
    base = _doc()
    theirs = _doc(reflections={"1": _entry("a", "x"), "2": _entry("b", "y"), "3": _entry("c", "z")},
                  contacts={"1": {"uid": "p", "name": "Sam"}})
    _, report = merge(base, theirs, base)
    assert report.sentence() == "3 entries and 1 person from another copy of your journal were merged."
