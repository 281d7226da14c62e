"""Repositories: typed access to the vault's tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from tinydb import TinyDB

from companion.domain.boundary import Boundary
from companion.domain.contact import Contact
from companion.domain.reflection import Reflection, ReflectionFilter


class Record(Protocol):
    """What a repository stores: a dataclass with an id and a dict form."""

    id: int | None

    def to_record(self) -> dict[str, Any]: ...


T = TypeVar("T", bound=Record)


class Repository(Generic[T]):
    """Add, update, delete and read one kind of record."""

    TABLE = ""

    def __init__(self, db: TinyDB, build: Callable[[dict[str, Any], int], T]) -> None:
        self._table = db.table(self.TABLE)
        self._build = build

    def add(self, item: T) -> int:
        """Store a new record and return its id."""
        item.id = self._table.insert(item.to_record())
        return item.id

    def update(self, item: T) -> None:
        """Replace a stored record with `item` (same id)."""
        if item.id is None or not self._table.contains(doc_id=item.id):
            raise KeyError(f"No record {item.id} to update.")
        self._table.upsert(_document(item.to_record(), item.id))

    def delete(self, item_id: int) -> None:
        """Remove a record."""
        self._table.remove(doc_ids=[item_id])

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


def _document(record: dict[str, Any], doc_id: int) -> Any:
    from tinydb.table import Document

    return Document(record, doc_id=doc_id)


class ReflectionRepository(Repository[Reflection]):
    """Reflections, newest first."""

    TABLE = "reflections"

    def __init__(self, db: TinyDB) -> None:
        super().__init__(db, Reflection.from_record)

    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        """(id, stored dict) pairs, newest first, without building Reflection objects."""
        # created is stored as UTC ISO 8601, so the strings sort in time order
        rows = [(doc.doc_id, doc) for doc in self._table]
        rows.sort(key=lambda row: row[1]["created"], reverse=True)
        return rows

    def newest(self, limit: int | None = None, search: str | None = None) -> list[Reflection]:
        """Reflections newest first, optionally only those containing `search` (any case)."""
        rule = ReflectionFilter(text=search or "")
        found: list[Reflection] = []
        for doc_id, record in self.rows():
            if rule.active and not rule.matches_record(record):
                continue
            found.append(Reflection.from_record(record, doc_id))
            if limit is not None and len(found) >= limit:
                break
        return found

    def tags(self) -> list[str]:
        """Every tag in use, sorted."""
        return sorted({t for doc in self._table for t in doc.get("tags", [])})


class BoundaryRepository(Repository[Boundary]):
    """Boundary notes."""

    TABLE = "boundaries"

    def __init__(self, db: TinyDB) -> None:
        super().__init__(db, Boundary.from_record)


class ContactRepository(Repository[Contact]):
    """Secure-base contacts."""

    TABLE = "contacts"

    def __init__(self, db: TinyDB) -> None:
        super().__init__(db, Contact.from_record)


class PromptRepository:
    """The person's own prompts, in the order they were added."""

    TABLE = "prompts"

    def __init__(self, db: TinyDB) -> None:
        self._table = db.table(self.TABLE)

    def all(self) -> list[str]:
        """Every custom prompt's text."""
        return [doc["text"] for doc in sorted(self._table, key=lambda d: d.doc_id)]

    def add(self, text: str) -> None:
        """Keep a new prompt."""
        if text.strip():
            self._table.insert({"text": text.strip()})
