"""TinyDB over a segmented vault: records are read a segment at a time, and a save seals only what changed.

TinyDB stays the query layer. Its Table rebuilds a whole table dict on every write and reads the
storage as one document; `SegmentTable` instead works on a `TableView`, which decrypts a segment the
first time one of its records is asked for and remembers which segments a write changed.

This is the one module that reaches into TinyDB's private side (`TINYDB_PRIVATE`, which the guard test in
tests/unit/test_tinydb_private.py checks against the installed TinyDB, so an upgrade that changes them fails
loudly there rather than saving less than was written).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from companion.storage.segments import Document, Load, Records, SegmentRef, Summarise, Tables, index_of, split


@dataclass(frozen=True)
class Saved:
    """What a save left on disk: the new manifest's segments, and the whole document when it was merged."""

    tables: Tables
    document: Document | None = None  # set when the file was rewritten with other content (a merge)


# What SegmentTable overrides or uses of tinydb.table.Table beyond its documented API: the methods its reads,
# writes and new ids go through, and two attributes its constructor sets.
TINYDB_PRIVATE = ("_read_table", "_update_table", "_get_next_id", "_next_id", "_storage")


# Saves the changed segments (table -> index -> records, {} for an emptied one) and says what is on disk.
Persist = Callable[[dict[str, dict[int, Records]]], Saved]


class TableView(MutableMapping[Any, dict[str, Any]]):
    """One table's records by id (int or decimal string), decrypted a segment at a time."""

    def __init__(self, name: str, refs: dict[int, SegmentRef], load: Load, summarise: Summarise,
                 held: dict[int, Records] | None = None) -> None:
        self.name = name
        self._refs = refs
        self._load = load
        self._summarise = summarise
        self._segments: dict[int, Records] = held or {}  # segments already read (or held in memory)
        self.dirty: set[int] = set()
        self._looked: dict[tuple[int, str], bytes] | None = None  # while tracking: records as first looked up
        self.version = 0  # goes up whenever a record is written, changed in place or rolled back

    def segment(self, index: int) -> Records:
        """The records of one segment (decrypted now if they were not yet)."""
        found = self._segments.get(index)
        if found is None:
            ref = self._refs.get(index)
            found = self._segments[index] = {} if ref is None else self._load(self.name, index, ref)
        return found

    def indices(self) -> list[int]:
        """Every segment that holds, or may hold, records."""
        return sorted(set(self._refs) | set(self._segments))

    def summary(self, index: int) -> dict[str, Any]:
        """The segment's summary (newest entry, flags): from the manifest unless it changed since."""
        ref = self._refs.get(index)
        if index in self.dirty or ref is None:
            records = self._segments.get(index) or {}
            return self._summarise(self.name, records) if records else {}
        return ref.summary

    def max_id(self) -> int:
        """The highest record id, from the manifest where it can (0 when empty)."""
        best = 0
        for index in reversed(self.indices()):
            ref = self._refs.get(index)
            if index in self._segments or ref is None:
                records = self._segments.get(index) or {}
                best = max([best, *(int(k) for k in records)])
            else:
                best = max(best, ref.max_id)
        return best

    @staticmethod
    def _key(key: Any) -> tuple[int, str]:
        number = int(key)
        return index_of(number), str(number)

    def __getitem__(self, key: Any) -> dict[str, Any]:
        try:
            index, name = self._key(key)
        except (TypeError, ValueError):
            raise KeyError(key) from None
        record: dict[str, Any] = self.segment(index)[name]
        if self._looked is not None and (index, name) not in self._looked:
            # TinyDB's updaters change the records they look up in place: remember it as it was
            self._looked[(index, name)] = orjson.dumps(record)
        return record

    def __setitem__(self, key: Any, value: dict[str, Any]) -> None:
        index, name = self._key(key)
        self.segment(index)[name] = value
        self._touched(index)

    def __delitem__(self, key: Any) -> None:
        index, name = self._key(key)
        del self.segment(index)[name]
        self._touched(index)

    def _touched(self, index: int) -> None:
        self.dirty.add(index)
        self.version += 1

    def __contains__(self, key: object) -> bool:
        try:
            index, name = self._key(key)
        except (TypeError, ValueError):
            return False
        if index not in self._refs and index not in self._segments:
            return False
        return name in self.segment(index)

    def __iter__(self) -> Iterator[int]:
        for index in self.indices():
            yield from (int(k) for k in list(self.segment(index)))

    def __len__(self) -> int:
        return sum(len(self._segments[i]) if i in self._segments else self._refs[i].count for i in self.indices())

    def items(self) -> Iterator[tuple[int, dict[str, Any]]]:  # type: ignore[override]
        """(id, record) pairs a segment at a time (TinyDB iterates a table this way)."""
        for index in self.indices():
            for key, record in self.segment(index).items():
                yield int(key), record

    def records(self) -> Records:
        """Every record, by decimal id (all segments decrypted)."""
        return {k: v for i in self.indices() for k, v in self.segment(i).items()}

    @contextmanager
    def tracking(self) -> Iterator[None]:
        """Inside, a record looked up and then changed in place (as TinyDB updates records) marks its segment as
        changed; one only looked at (a query's condition) does not."""
        self._looked = {}
        try:
            yield
        finally:
            looked, self._looked = self._looked, None
            for (index, name), before in looked.items():
                now = self._segments.get(index, {}).get(name)
                if now is None or orjson.dumps(now) != before:
                    self._touched(index)

    def changes(self) -> dict[int, Records]:
        """The touched segments' records."""
        return {i: self._segments.get(i, {}) for i in self.dirty}

    def saved(self, refs: dict[int, SegmentRef]) -> None:
        """The touched segments are on disk now, here."""
        self._refs = refs
        self.dirty.clear()

    def roll_back(self) -> None:
        """Forget the touched segments' unsaved changes: they are read again from the file."""
        for index in self.dirty:
            self._segments.pop(index, None)
        self.dirty.clear()
        self.version += 1

    def forget(self) -> None:
        """Drop the decrypted records (locking)."""
        self._segments.clear()


class SegmentedStorage(Storage):
    """The open vault's tables; each write saves the touched segments once.

    If saving fails, the touched segments are read again from the file, so what the person sees
    never runs ahead of what is on disk. Inside `batch()`, writes collect in memory and are saved
    once at the end (a deletion and its tombstone, an import).
    """

    def __init__(self, tables: Tables, load: Load, persist: Persist, summarise: Summarise) -> None:
        self._load = load
        self._persist = persist
        self._summarise = summarise
        self._views: dict[str, TableView] = {}
        self._depth = 0
        self._pending = False
        self.generation = 0  # goes up when the tables were replaced (a merge, a restore, a failed save)
        self._reset(tables)

    def _reset(self, tables: Tables, document: Document | None = None) -> None:
        held = {name: split(records) for name, records in (document or {}).items()}  # no need to decrypt again
        self._views = {name: TableView(name, dict(tables.get(name, {})), self._load, self._summarise,
                                       held.get(name))
                       for name in dict.fromkeys([*tables, *held])}

    def table(self, name: str) -> TableView:
        """A table's view (an empty one if the table is new)."""
        view = self._views.get(name)
        if view is None:
            view = self._views[name] = TableView(name, {}, self._load, self._summarise)
        return view

    def read(self) -> dict[str, TableView]:  # type: ignore[override]
        return self._views

    def write(self, data: dict[str, Any]) -> None:
        if data is not self._views:  # TinyDB's drop_tables: a whole new document
            for view in self._views.values():
                for index in view.indices():
                    view.segment(index).clear()
                    view.dirty.add(index)
            for name, records in data.items():
                view = self.table(name)
                for key, record in records.items():
                    view[key] = record
        self.changed()

    def changed(self) -> None:
        """Some view was written: save now, or at the end of the batch."""
        if self._depth:
            self._pending = True
            return
        self._save()

    def _save(self) -> None:
        changes = {name: view.changes() for name, view in self._views.items() if view.dirty}
        if not changes:
            return
        try:
            saved = self._persist(changes)
        except BaseException:
            self._roll_back()
            raise
        if saved.document is not None:
            self._reset(saved.tables, saved.document)
            self.generation += 1
            return
        for name, view in self._views.items():
            view.saved(dict(saved.tables.get(name, {})))

    def _roll_back(self) -> None:
        for view in self._views.values():
            view.roll_back()
        self.generation += 1

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Collect the writes made inside, and save them once (or roll them all back)."""
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._pending and not self._depth:
                self._pending = False
                self._roll_back()
            raise
        self._depth -= 1
        if self._pending and not self._depth:
            self._pending = False
            self._save()

    def adopt(self, tables: Tables, document: Document | None = None) -> None:
        """Take what is on disk now (read back after another copy changed it, or a whole new file)."""
        self._reset(tables, document)
        self.generation += 1

    def moved(self, tables: Tables) -> None:
        """The same saved segments now lie elsewhere (a compacted or re-sealed file): read them from there."""
        for name, refs in tables.items():
            self.table(name).saved(dict(refs))

    def document(self) -> Document:
        """Every table with every record, as held now (decrypting what was not read yet)."""
        return {name: view.records() for name, view in self._views.items()}

    def close(self) -> None:
        for view in self._views.values():
            view.forget()
        self._views = {}


class SegmentTable(Table):
    """A TinyDB table that works on a TableView instead of rebuilding the whole table per write."""

    _storage: SegmentedStorage

    @property
    def view(self) -> TableView:
        """This table's records, a segment at a time."""
        return self._storage.table(self.name)

    def _read_table(self) -> TableView:  # type: ignore[override]
        return self.view

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        view = self.view
        with view.tracking():
            updater(view)  # type: ignore[arg-type]
        self._storage.changed()
        self.clear_cache()

    def _get_next_id(self) -> int:
        known: int | None = self._next_id
        next_id = self.view.max_id() + 1 if known is None else known
        self._next_id = next_id + 1  # type: ignore[assignment]
        return next_id


class SegmentDB(TinyDB):
    """TinyDB whose tables are SegmentTables."""

    table_class = SegmentTable
