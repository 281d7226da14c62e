"""The pure merge of two copies of one journal: by uid, by lineage (a version that descends from the other
wins whatever the clocks say), deletions by tombstone, and nothing a person wrote is dropped."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from companion.domain.schema import RECORDS
from companion.storage.lineage import next_version, record_uid, rev_of
from companion.storage.merge import (
    LINK_ORDER,
    NOUNS,
    TOMBSTONES,
    canonical,
    merge,
    set_aside,
    tombstone,
)
from companion.storage.vault import Vault

from conftest import NOW, PASSPHRASE

EARLY, LATE = "2026-11-01T10:00:00+00:00", "2026-11-01T10:10:00+00:00"  # ten minutes apart


def _doc(**tables: dict[str, Any]) -> dict[str, Any]:
    return {"_meta": {"1": {"schema": 1}}, "reflections": {}, "boundaries": {}, "contacts": {}, "prompts": {},
            **tables}


def _entry(uid: str, text: str, changed: str = EARLY, **more: Any) -> dict[str, Any]:
    return {"uid": uid, "text": text, "created": "2026-11-01T09:00:00+00:00", "changed": changed,
            "rev": f"r-{uid}-0", "ancestors": [], **more}


def _edit(record: dict[str, Any], text: str, changed: str) -> dict[str, Any]:
    return next_version(record, {"text": text, "changed": changed})


def _texts(doc: dict[str, Any]) -> dict[str, str]:
    return {i: r["text"] for i, r in doc["reflections"].items()}


def _both_ways(a: dict[str, Any], b: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    return _texts(merge(a, b)[0]), _texts(merge(b, a)[0])


def test_records_created_on_both_sides_with_the_same_id_are_both_kept() -> None:
    shared = _doc(reflections={"1": _entry("a", "shared")})
    mine = copy.deepcopy(shared)
    mine["reflections"]["2"] = _entry("b", "written on the laptop")
    theirs = copy.deepcopy(shared)
    theirs["reflections"]["2"] = _entry("c", "written on the phone")
    merged, report = merge(mine, theirs)
    assert _texts(merged) == {"1": "shared", "2": "written on the laptop", "3": "written on the phone"}
    assert report.added == {"reflections": 1}
    assert report.sentence() == "1 entry from another copy of your journal was merged."


@pytest.mark.parametrize("edit_at", [EARLY, LATE], ids=["clock-behind", "clock-ahead"])
@pytest.mark.parametrize("other_at", [EARLY, LATE], ids=["other-behind", "other-ahead"])
def test_an_edit_on_one_side_wins_whatever_the_clocks_say(edit_at: str, other_at: str) -> None:
    original = _entry("a", "first words", changed=other_at)
    edited = _edit(original, "edited here", edit_at)  # the other device's clock may run ten minutes either way
    here, there = _doc(reflections={"1": edited}), _doc(reflections={"1": original})
    assert _both_ways(here, there) == ({"1": "edited here"}, {"1": "edited here"})
    merged, report = merge(there, here)
    assert report.updated == {"reflections": 1} and not report.concurrent


def test_edits_on_both_sides_keep_the_later_and_hand_back_the_other() -> None:
    original = _entry("a", "first words")
    laptop = _doc(reflections={"1": _edit(original, "edited on the laptop", EARLY)})
    phone = _doc(reflections={"1": _edit(original, "edited on the phone, later", LATE)})
    for mine, theirs in ((laptop, phone), (phone, laptop)):
        merged, report = merge(mine, theirs)
        assert _texts(merged) == {"1": "edited on the phone, later"}
        [kept] = report.concurrent
        assert kept.record["text"] == "edited on the laptop" and kept.local == (mine is laptop)


def test_a_round_trip_keeps_the_newest_edit() -> None:
    v1 = _entry("a", "first words", changed=LATE)
    v2 = _edit(v1, "B edited it", EARLY)  # B writes; A takes it in...
    v3 = _edit(v2, "A edited it after", EARLY)  # ...and edits the same entry (its clock behind)
    b, a = _doc(reflections={"1": v2}), _doc(reflections={"1": v3})
    assert _both_ways(b, a) == ({"1": "A edited it after"}, {"1": "A edited it after"})
    assert not merge(b, a)[1].concurrent


def test_a_version_replayed_from_an_older_copy_never_wins() -> None:
    v1 = _entry("a", "old words", changed="2030-01-01T00:00:00+00:00")  # even with a clock far ahead
    v2 = _edit(_edit(v1, "newer", EARLY), "newest", EARLY)
    assert _both_ways(_doc(reflections={"1": v2}), _doc(reflections={"1": v1})) == ({"1": "newest"}, {"1": "newest"})


def test_a_deletion_removes_the_version_it_deleted() -> None:
    kept, gone = _entry("a", "keep me"), _entry("b", "delete me")
    mine = _doc(reflections={"1": kept, "2": gone})
    theirs = _doc(reflections={"1": kept})
    theirs[TOMBSTONES] = {"1": tombstone("reflections", "b", LATE, gone)}
    merged, report = merge(mine, theirs)
    assert _texts(merged) == {"1": "keep me"}
    assert report.removed == {"reflections": 1}
    assert "removed here" in report.sentence()
    # a copy that merely lacks a record (no tombstone) is not a deletion: nothing is lost
    assert set(_texts(merge(mine, _doc(reflections={"2": gone}))[0])) == {"1", "2"}


@pytest.mark.parametrize("edited_here", [True, False], ids=["edit-here", "edit-there"])
def test_an_edit_concurrent_with_a_deletion_is_kept_and_said(edited_here: bool) -> None:
    original = _entry("b", "words")
    edited = _edit(original, "words, edited on one device", LATE)
    deleting = _doc()  # the other device deleted the version it had: the original
    deleting[TOMBSTONES] = {"1": tombstone("reflections", "b", LATE, original)}
    editing = _doc(reflections={"1": edited})
    mine, theirs = (editing, deleting) if edited_here else (deleting, editing)
    merged, report = merge(mine, theirs)
    assert _texts(merged) == {"1": "words, edited on one device"}
    assert report.edits_kept == {"reflections": 1}
    assert "An edit to something deleted in the other copy was kept." in report.sentence()
    # once merged, the edit and the tombstone live together: merging again says nothing more
    again = merge(merged, theirs)[1]
    assert not again.edits_kept and not again.changed


def test_a_deleted_record_is_not_brought_back_by_an_older_copy() -> None:
    old = _entry("b", "deleted here already")
    mine = _doc()
    mine[TOMBSTONES] = {"1": tombstone("reflections", "b", LATE, old)}
    merged, report = merge(mine, _doc(reflections={"2": old}))
    assert merged["reflections"] == {}
    assert not report.changed


def test_records_and_tombstones_from_before_lineage() -> None:
    legacy = {"uid": "a", "text": "old entry", "created": "2025-01-01T00:00:00+00:00"}  # no rev: its content is it
    edited = _edit(legacy, "edited with lineage", "2025-01-01T00:00:00+00:00")
    assert rev_of(legacy) in edited["ancestors"] and rev_of(legacy) == rev_of(dict(legacy))
    assert _both_ways(_doc(reflections={"1": edited}), _doc(reflections={"1": legacy}))[1] == {"1": "edited with lineage"}
    # a tombstone without a version deletes whatever it meets, as before
    old_stone = _doc()
    old_stone[TOMBSTONES] = {"1": {"table": "reflections", "uid": "a", "deleted": "2025-02-01T00:00:00+00:00"}}
    assert merge(_doc(reflections={"1": edited}), old_stone)[0]["reflections"] == {}
    # records from before uids still match on both devices
    no_uid = {"text": "older still", "created": "2024-01-01T00:00:00+00:00"}
    assert record_uid("reflections", "1", no_uid) == record_uid("reflections", "1", dict(no_uid))
    assert _texts(merge(_doc(reflections={"1": dict(no_uid)}), _doc(reflections={"1": dict(no_uid)}))[0]) == {
        "1": "older still"}


def test_every_table_the_schema_knows_merges_by_record() -> None:
    # A table added to the schema must be taught to the merge (its order, its links, its words), or this fails.
    assert set(RECORDS) == set(LINK_ORDER) == set(NOUNS)


@pytest.mark.parametrize("table", [*RECORDS, "asks"])  # "asks": a table a newer companion wrote
def test_new_records_on_both_sides_of_any_table_are_both_kept(table: str) -> None:
    mine = _doc(**{table: {"1": {"uid": "here", "rev": "1", "name": "x", "text": "x"}}})
    theirs = _doc(**{table: {"1": {"uid": "there", "rev": "2", "name": "y", "text": "y"}}})
    for a, b in ((mine, theirs), (theirs, mine)):
        merged = merge(a, b)[0]
        assert sorted(r["uid"] for r in merged[table].values()) == ["here", "there"]


def test_preferences_stay_this_devices() -> None:
    mine = _doc(preferences={"1": {"export_author": "A."}})
    theirs = _doc(preferences={"1": {"export_author": "Someone else"}})
    assert merge(mine, theirs)[0]["preferences"] == {"1": {"export_author": "A."}}


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


def test_a_version_set_aside_comes_back_beside_the_winner() -> None:
    original = _entry("a", "first words", contacts=[1])
    people = {"1": {"uid": "p1", "name": "Priya", "rev": "p"}}
    laptop = _doc(contacts=people, reflections={"1": _edit(original, "laptop's words", EARLY)})
    phone = _doc(contacts=people, reflections={"1": _edit(original, "phone's words", LATE)})
    merged, report = merge(laptop, phone)
    kept = set_aside(laptop, report.concurrent)
    back, again = merge(merged, kept)
    assert sorted(_texts(back).values()) == ["laptop's words", "phone's words"]
    assert again.added == {"reflections": 1} and not again.concurrent
    assert all(r["contacts"] == [1] for r in back["reflections"].values())  # the link still names Priya


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
    theirs = _doc(reflections={"1": _entry("a", "x"), "2": _entry("b", "y"), "3": _entry("c", "z")},
                  contacts={"1": {"uid": "p", "name": "Sam"}})
    _, report = merge(_doc(), theirs)
    assert report.sentence() == "3 entries and 1 person from another copy of your journal were merged."


def test_two_devices_plans_are_one_plan_merged_by_lineage(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    """Each device writes its safety plan: a merge holds one plan (the later), and keeps the other aside;
    merging the result again changes nothing."""
    from companion.domain.safety_plan import SafetyPlan
    from companion.services.journal import Journal

    laptop = make_vault([])
    phone = tmp_path / "phone.companion"
    shutil.copy(laptop, phone)
    docs = []
    for path, words, minutes in ((laptop, "written on the laptop", 0), (phone, "written on the phone", 5)):
        clock = lambda m=minutes: NOW + timedelta(minutes=m)  # noqa: E731
        with Vault.open(path, PASSPHRASE, clock=clock) as vault:
            Journal(vault, clock).safety.save(SafetyPlan(warning_signs=words))
            docs.append(vault.document())
    merged, report = merge(docs[0], docs[1])
    [plan] = merged["safety_plan"].values()
    assert plan["warning_signs"] == "written on the phone"  # the later
    [aside] = report.concurrent
    assert aside.record["warning_signs"] == "written on the laptop"  # never dropped
    again, report = merge(copy.deepcopy(merged), docs[1])
    assert report.concurrent == [] and list(again["safety_plan"].values()) == [plan]
