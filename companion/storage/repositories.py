"""Repositories: typed access to the vault's tables."""

from __future__ import annotations

from tinydb import TinyDB

from companion.domain.reflection import Reflection


class ReflectionRepository:
    """Reflections, newest first."""

    TABLE = "reflections"

    def __init__(self, db: TinyDB) -> None:
        self._table = db.table(self.TABLE)

    def add(self, reflection: Reflection) -> int:
        """Store a new reflection and return its id."""
        reflection.id = self._table.insert(reflection.to_record())
        return reflection.id

    def count(self) -> int:
        """How many reflections there are."""
        return len(self._table)

    def newest(self, limit: int | None = None, search: str | None = None) -> list[Reflection]:
        """Reflections newest first, optionally filtered by case-insensitive text."""
        # created is stored as UTC ISO 8601, so the strings sort in time order
        order = sorted(self._table, key=lambda doc: doc["created"], reverse=True)
        found: list[Reflection] = []
        for doc in order:
            item = Reflection.from_record(doc, doc.doc_id)
            if search and not item.matches(search):
                continue
            found.append(item)
            if limit is not None and len(found) >= limit:
                break
        return found
