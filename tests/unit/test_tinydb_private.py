"""What companion takes from TinyDB's private side (companion/storage/sealed.py, TINYDB_PRIVATE): if an upgrade
renames or stops calling any of it, these fail loudly, instead of a save quietly leaving out what was written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tinydb
from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Table

from companion.storage.sealed import TINYDB_PRIVATE, Persist, Saved, SegmentDB, SegmentedStorage
from companion.storage.segments import SEGMENT_RECORDS


def test_tinydb_still_has_what_companion_overrides_and_uses() -> None:
    table = TinyDB(storage=MemoryStorage).table("t")
    for name in TINYDB_PRIVATE:
        assert hasattr(Table, name) or hasattr(table, name), (
            f"TinyDB {tinydb.__version__} has no Table.{name}: update companion/storage/sealed.py")


def test_tinydb_still_reads_writes_and_numbers_through_them() -> None:
    calls: list[str] = []

    class Watched(Table):
        def _read_table(self) -> dict[str, Any]:
            calls.append("read")
            return super()._read_table()

        def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
            calls.append("update")
            super()._update_table(updater)

        def _get_next_id(self) -> int:
            calls.append("next id")
            return super()._get_next_id()

    class WatchedDB(TinyDB):
        table_class = Watched

    table = WatchedDB(storage=MemoryStorage).table("t")
    table.insert({"a": 1})
    assert {"next id", "update"} <= set(calls)  # a new id, then the write
    calls.clear()
    table.search(Query().a == 1)
    table.get(doc_id=1)
    assert set(calls) == {"read"}  # reads never write
    for change in (lambda: table.update({"a": 2}, doc_ids=[1]),
                   lambda: table.upsert(tinydb.table.Document({"a": 3}, doc_id=1)),
                   lambda: table.remove(doc_ids=[1])):
        calls.clear()
        change()
        assert "update" in calls  # every change goes through the one write companion seals


def _segmented() -> tuple[SegmentDB, list[dict[str, dict[int, Any]]]]:
    saves: list[dict[str, dict[int, Any]]] = []

    def persist(changes: dict[str, dict[int, Any]]) -> Saved:
        saves.append({name: dict(segments) for name, segments in changes.items()})
        return Saved({name: {} for name in changes})

    def never_load(table: str, index: int, ref: object) -> dict[str, Any]:
        raise AssertionError("everything is held in memory here")

    keep: Persist = persist
    storage = SegmentedStorage({}, never_load, keep, lambda table, records: {})
    return SegmentDB(storage=lambda: storage), saves


def test_a_write_saves_only_the_segment_it_changed() -> None:
    db, saves = _segmented()
    table = db.table("reflections")
    table.insert_multiple({"text": f"entry {n}", "flagged": False} for n in range(3 * SEGMENT_RECORDS))
    saves.clear()
    table.update({"flagged": True}, Query().text == f"entry {2 * SEGMENT_RECORDS + 5}")
    assert [sorted(save["reflections"]) for save in saves] == [[2]]  # looked at every record, changed one
    table.update({"flagged": True}, Query().text == "nobody wrote this")
    assert len(saves) == 1  # nothing changed: nothing saved
