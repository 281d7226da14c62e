"""What every record service shares: save, delete and get one kind of record."""

from __future__ import annotations

from typing import Generic, TypeVar

from companion.domain.clock import Clock
from companion.storage.repositories import Record, Repository

T = TypeVar("T", bound=Record)


class RecordService(Generic[T]):
    """Save, delete and get for one kind of record."""

    def __init__(self, repo: Repository[T], clock: Clock) -> None:
        self.repo = repo
        self._clock = clock

    def save(self, record: T) -> T:
        """Store a new or edited record."""
        if record.id is None:
            self.repo.add(record)
        else:
            self.repo.update(record)
        return record

    def delete(self, record_id: int) -> None:
        """Remove a record."""
        self.repo.delete(record_id)

    def get(self, record_id: int) -> T | None:
        """One record by id."""
        return self.repo.get(record_id)
