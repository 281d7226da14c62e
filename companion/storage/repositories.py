"""Repositories: typed access to the vault's tables."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar, cast

from tinydb import TinyDB
from tinydb.table import Document
from tinydb.table import Table as TinyTable

from companion.domain.boundary import Boundary
from companion.domain.contact import Contact
from companion.domain.experiment import Experiment
from companion.domain.reflection import Reflection
from companion.domain.safety_plan import SafetyPlan
from companion.domain.session import Session
from companion.domain.text import visible
from companion.storage.lineage import ancestors, new_rev, next_version, record_uid, rev_of
from companion.storage.merge import TOMBSTONES, Kept, tombstone
from companion.storage.sealed import SegmentTable, TableView


class Record(Protocol):
    """What a repository stores: a dataclass with an id and a dict form."""

    id: int | None

    def to_record(self) -> dict[str, Any]: ...


class Store(Protocol):
    """What repositories need of an unlocked vault."""

    @property
    def db(self) -> TinyDB: ...

    def now(self) -> datetime: ...

    def batch(self) -> AbstractContextManager[None]: ...

    def set_aside(self, kept: list[Kept]) -> None: ...


T = TypeVar("T", bound=Record)


def new_uid() -> str:
    """A record's identity across copies of the journal (document ids are per copy)."""
    return uuid.uuid4().hex


class Table:
    """One table of the vault, with the bookkeeping every record carries (uid, changed, tombstones)."""

    TABLE = ""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def _table(self) -> TinyTable:
        # Looked up each time: a merge may have given the vault a fresh TinyDB.
        return self._store.db.table(self.TABLE)

    def _stamp(self) -> str:
        return self._store.now().astimezone(UTC).isoformat()

    def insert(self, record: dict[str, Any]) -> int:
        """Store a new record (a fresh uid and revision, stamped now) and return its id."""
        return int(self._table.insert(self._new(record, self._stamp())))

    def insert_many(self, records: list[dict[str, Any]]) -> list[int]:
        """Store several new records in one save."""
        stamp = self._stamp()
        return [int(i) for i in self._table.insert_multiple([self._new(r, stamp) for r in records])]

    @staticmethod
    def _new(record: dict[str, Any], stamp: str) -> dict[str, Any]:
        return {**record, "uid": new_uid(), "changed": stamp, "rev": new_rev(), "ancestors": []}

    def replace(self, record_id: int, record: dict[str, Any], *, since: str | None = None) -> None:
        """Replace a stored record's fields (keys it had that `record` lacks, uid and source, are kept) with a
        new version that descends from the stored one, or from revision `since`, the one the change was made
        from. When the stored version is no longer that one (another device's change came in meanwhile), the
        two are concurrent: this later one is stored, and the other is set aside, never dropped."""
        stored = self._table.get(doc_id=record_id)
        if stored is None:
            raise KeyError(f"No record {record_id} to update.")
        current = dict(stored)
        changes = {**record, "changed": self._stamp()}
        if since is None or since == rev_of(current):
            self._table.upsert(Document(next_version(current, changes), doc_id=record_id))
            return
        lineage = ancestors(current)
        lineage = lineage[: lineage.index(since)] if since in lineage else []
        base = {**current, "rev": since, "ancestors": lineage}  # the version the change was made from
        with self._store.batch():
            self._store.set_aside([Kept(self.TABLE, str(record_id), current, local=True)])
            self._table.upsert(Document(next_version(base, changes), doc_id=record_id))

    def remove(self, record_id: int) -> None:
        """Remove a record and leave a tombstone naming the version deleted, so a synced copy does not
        bring it back (and an edit made meanwhile on another device is not lost)."""
        stored = self._table.get(doc_id=record_id)
        if stored is None:
            return
        uid = record_uid(self.TABLE, str(record_id), dict(stored))
        with self._store.batch():
            self._table.remove(doc_ids=[record_id])
            self._store.db.table(TOMBSTONES).insert(tombstone(self.TABLE, uid, self._stamp(), dict(stored)))

    def revision(self, record_id: int) -> str | None:
        """Which version of a record is stored (its revision id), or None when it is gone."""
        stored = self._table.get(doc_id=record_id)
        return None if stored is None else rev_of(dict(stored))


class Repository(Table, Generic[T]):
    """Add, update, delete and read one kind of record."""

    def __init__(self, store: Store, build: Callable[[dict[str, Any], int], T]) -> None:
        super().__init__(store)
        self._build = build

    def add(self, item: T) -> int:
        """Store a new record and return its id."""
        item.id = self.insert(item.to_record())
        return item.id

    def update(self, item: T, *, since: str | None = None) -> None:
        """Replace a stored record with `item` (same id), edited from revision `since` if given."""
        if item.id is None:
            raise KeyError("No record None to update.")
        self.replace(item.id, item.to_record(), since=since)

    def delete(self, item_id: int) -> None:
        """Remove a record."""
        self.remove(item_id)

    def get(self, item_id: int) -> T | None:
        """One record by id."""
        doc = self._table.get(doc_id=item_id)
        return None if doc is None else self._build(doc, item_id)

    def all(self) -> list[T]:
        """Every record."""
        return [self._build(doc, doc.doc_id) for doc in self._table]

    def count(self) -> int:
        """How many records there are."""
        return len(self._table)


class ReflectionRepository(Repository[Reflection]):
    """Reflections, newest first."""

    TABLE = "reflections"

    def __init__(self, store: Store) -> None:
        super().__init__(store, Reflection.from_record)
        self._sorted: tuple[TableView, int, list[tuple[int, dict[str, Any]]]] | None = None

    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        """(id, stored dict) pairs, newest first, without building Reflection objects: sorted once, and again
        only after a record changed (here, or by a merge or a restore, which bring new tables)."""
        view = self._view
        if not self.sorted_already:
            self._sorted = (view, view.version, _newest_first([(int(k), r) for k, r in view.records().items()]))
        assert self._sorted is not None
        return self._sorted[2]  # no copies

    @property
    def sorted_already(self) -> bool:
        """Whether `rows` holds every entry sorted since the last change (else summaries answer cheaper)."""
        view = self._view
        return self._sorted is not None and self._sorted[0] is view and self._sorted[1] == view.version

    @property
    def _view(self) -> TableView:
        return cast(SegmentTable, self._table).view

    def _newest_segments(self) -> list[tuple[str, int]]:
        view = self._view
        return sorted(((view.summary(i).get("newest", ""), i) for i in view.indices()), reverse=True)

    def newest(self, count: int) -> list[tuple[int, dict[str, Any]]]:
        """The `count` newest rows, as rows() orders them, opening only the segments that hold them."""
        view, rows = self._view, cast(list[tuple[int, dict[str, Any]]], [])
        for newest, index in self._newest_segments():
            if len(rows) >= count and newest < rows[count - 1][1]["created"]:
                break
            rows = _newest_first([*rows, *((int(k), r) for k, r in view.segment(index).items())])
        return rows[:count]

    def since(self, cutoff: str) -> list[tuple[int, dict[str, Any]]]:
        """Rows created at or after `cutoff` (UTC ISO 8601), newest first, opening only their segments."""
        view, rows = self._view, cast(list[tuple[int, dict[str, Any]]], [])
        for newest, index in self._newest_segments():
            if newest < cutoff:
                break
            rows.extend((int(k), r) for k, r in view.segment(index).items() if r["created"] >= cutoff)
        return _newest_first(rows)

    def flagged(self) -> int:
        """How many are flagged, from the segments' summaries."""
        view = self._view
        return sum(int(view.summary(i).get("flagged", 0)) for i in view.indices())


def _newest_first(rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    # created is stored as UTC ISO 8601, so the strings sort in time order; equal times keep id order
    rows.sort(key=lambda row: row[0])
    rows.sort(key=lambda row: row[1]["created"], reverse=True)
    return rows


class BoundaryRepository(Repository[Boundary]):
    """Boundary notes."""

    TABLE = "boundaries"

    def __init__(self, store: Store) -> None:
        super().__init__(store, Boundary.from_record)


class ContactRepository(Repository[Contact]):
    """Secure-base contacts."""

    TABLE = "contacts"

    def __init__(self, store: Store) -> None:
        super().__init__(store, Contact.from_record)


class ExperimentRepository(Repository[Experiment]):
    """Ask experiments."""

    TABLE = "experiments"

    def __init__(self, store: Store) -> None:
        super().__init__(store, Experiment.from_record)


class SessionRepository(Repository[Session]):
    """Therapy sessions."""

    TABLE = "sessions"

    def __init__(self, store: Store) -> None:
        super().__init__(store, Session.from_record)


class PreferenceRepository(Table):
    """Small choices remembered inside the vault (they can be personal: never in settings.toml)."""

    TABLE = "preferences"

    def get(self, key: str, default: str = "") -> str:
        """A remembered value."""
        doc = self._table.get(doc_id=1)
        value = doc.get(key) if doc else None
        return value if isinstance(value, str) else default

    def set(self, key: str, value: str) -> None:
        """Remember a value (saved only when it changed)."""
        doc = self._table.get(doc_id=1)
        if doc is None:
            self._table.insert({key: value})
        elif doc.get(key) != value:
            self.replace(1, {key: value})


class PromptRepository(Table):
    """The person's own prompts, in the order they were added."""

    TABLE = "prompts"

    def all(self) -> list[str]:
        """Every custom prompt's text."""
        return [visible(doc["text"]) for doc in sorted(self._table, key=lambda d: d.doc_id)]

    def add(self, text: str) -> None:
        """Keep a new prompt."""
        if text.strip():
            self.insert({"text": text.strip()})


class SafetyPlanRepository(Repository[SafetyPlan]):
    """The one safety plan. Its uid is the same on every device, so two devices' plans are one record that a
    merge follows by lineage (concurrent edits: the later kept, the other set aside), never two plans."""

    TABLE = "safety_plan"
    UID = "safety-plan"

    def __init__(self, store: Store) -> None:
        super().__init__(store, SafetyPlan.from_record)

    def current(self) -> SafetyPlan:
        """The plan (the lowest-numbered, should a damaged merge ever leave two), or an empty one."""
        plans = sorted(self.all(), key=lambda p: p.id or 0)
        return plans[0] if plans else SafetyPlan()

    def _new(self, record: dict[str, Any], stamp: str) -> dict[str, Any]:  # type: ignore[override]
        return {**Table._new(record, stamp), "uid": self.UID}
