"""Reflections: write, edit, delete, filter (cached, newest first), prompts and the draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson

from companion.domain.clock import Clock
from companion.domain.prompts import Prompt, prompt_of_the_day
from companion.domain.reflection import (
    Reflection,
    ReflectionFilter,
    check_mood,
    check_reliance,
    clean_tags,
    searchable,
)
from companion.domain.text import checked
from companion.errors import UsageError
from companion.storage.repositories import PromptRepository, ReflectionRepository
from companion.storage.vault import Vault


@dataclass(frozen=True)
class Page:
    """A slice of a filtered list, and how many match in all."""

    items: list[Reflection]
    total: int


class ReflectionService:
    """Reflections over an unlocked vault, kept sorted in memory so filtering stays instant."""

    def __init__(self, vault: Vault, clock: Clock) -> None:
        self._vault = vault
        self._clock = clock
        self.repo = ReflectionRepository(vault)
        self.prompts = PromptRepository(vault)
        self._haystacks: dict[int, str] = {}
        self._hay_rows: list[tuple[int, dict[str, Any]]] | None = None  # the sorted rows the haystacks are of

    # -- reading -------------------------------------------------------------------------------
    def _all(self) -> list[tuple[int, dict[str, Any]]]:
        # Sorted by the repository once per change; Reflection objects are built only for the rows shown.
        rows = self.repo.rows()
        if rows is not self._hay_rows:
            self._hay_rows, self._haystacks = rows, {}
        return rows

    def _haystack(self, doc_id: int, record: dict[str, Any]) -> str:
        hay = self._haystacks.get(doc_id)
        if hay is None:
            hay = self._haystacks[doc_id] = searchable(record)
        return hay

    def prepare_search(self) -> None:
        """Read and sort every entry and make its search text now, so the first filter keystroke is quick.

        The first page and Home read only the newest segments; filtering needs them all.
        """
        for doc_id, record in self._all():
            self._haystack(doc_id, record)

    @property
    def prepared(self) -> bool:
        """Whether every entry is read and sorted already (else the segments' summaries answer)."""
        return self.repo.sorted_already

    def count(self) -> int:
        """How many reflections there are."""
        return len(self._all()) if self.prepared else self.repo.count()

    def page(self, where: ReflectionFilter | None = None, offset: int = 0, limit: int | None = 200) -> Page:
        """Newest first, filtered, from `offset`."""
        if (where is None or not where.active) and limit is not None and not self.prepared:
            newest = self.repo.newest(offset + limit)[offset:]  # reads only the newest segments
            return Page([Reflection.from_record(record, doc_id) for doc_id, record in newest], self.repo.count())
        rows = self._all()
        if where is not None and where.active:
            tz = self._clock().tzinfo
            rows = [r for r in rows
                    if where.matches_record(r[1], tz, self._haystack(r[0], r[1]) if where.text else None)]
        end = None if limit is None else offset + limit
        return Page([Reflection.from_record(record, doc_id) for doc_id, record in rows[offset:end]], len(rows))

    def since(self, moment: datetime) -> list[Reflection]:
        """Every reflection written at or after `moment`, newest first (a prefix of the sorted rows)."""
        cutoff = moment.astimezone(UTC).isoformat()
        if not self.prepared:
            return [Reflection.from_record(record, doc_id) for doc_id, record in self.repo.since(cutoff)]
        found = []
        for doc_id, record in self._all():
            if record["created"] < cutoff:
                break
            found.append(Reflection.from_record(record, doc_id))
        return found

    def about_experiment(self, experiment_id: int) -> list[Reflection]:
        """The reflections that reflect on an ask experiment, newest first."""
        return [Reflection.from_record(record, doc_id) for doc_id, record in self.repo.rows()
                if record.get("experiment") == experiment_id]

    def get(self, reflection_id: int) -> Reflection | None:
        """One reflection."""
        return self.repo.get(reflection_id)

    def flagged_count(self) -> int:
        """How many are marked to bring to therapy."""
        if not self.prepared:
            return self.repo.flagged()
        return sum(1 for _, record in self._all() if record.get("flagged"))

    # -- writing -------------------------------------------------------------------------------
    def save(self, entry: Reflection, base: str | None = None) -> Reflection:
        """Validate and store a new or edited reflection; `base` is the revision an edit started from (if the
        stored entry changed since, on another device, that version is set aside, never lost)."""
        if not entry.text.strip():
            raise UsageError("A reflection needs some text.")
        try:
            checked(entry.text, "The reflection")
            check_mood(entry.mood)
            check_reliance(entry.reliance)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        entry.tags = clean_tags(entry.tags)
        if entry.id is None:
            self.repo.add(entry)
        else:
            entry.edited = self._clock()
            self.repo.update(entry, since=base)
        return entry

    def delete(self, reflection_id: int) -> None:
        """Remove a reflection."""
        self.repo.delete(reflection_id)

    # -- prompts -------------------------------------------------------------------------------
    def today_prompt(self, skip: int = 0, day: date | None = None) -> Prompt:
        """The prompt of the day (or `skip` days further along the rotation)."""
        return prompt_of_the_day(day or self._clock().date(), self.prompts.all(), skip)

    def add_prompt(self, text: str) -> None:
        """Keep one of the person's own prompts."""
        if not text.strip():
            raise UsageError("A prompt needs some words.")
        self.prompts.add(text)

    # -- the draft -----------------------------------------------------------------------------
    def keep_draft(self, draft: dict[str, Any]) -> None:
        """Seal the unfinished entry aside (cheap: the vault itself is not rewritten)."""
        self._vault.save_draft(orjson.dumps(draft))

    def revision(self, reflection_id: int | None) -> str | None:
        """Which version of an entry is stored: a draft remembers it, to notice the entry changed since."""
        return None if reflection_id is None else self.repo.revision(reflection_id)

    def draft(self) -> tuple[dict[str, Any] | None, str]:
        """The unfinished entry left by a lock, a hang-up or a crash, if any, and a line about it.

        A draft of an edit whose entry has changed or vanished since (another device, a restore)
        comes back as a new entry, so it can never be saved over the newer version.
        """
        raw = self._vault.load_draft()
        if raw is None:
            return None, ""
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            value = None
        if not isinstance(value, dict) or not isinstance(value.get("text", ""), str):
            return None, ""
        if value.get("id") is not None and self.revision(_int(value["id"])) != value.get("base"):
            value = {**value, "id": None, "base": None}
            return value, ("Your unfinished changes were to an entry that has changed since, so they come "
                           "back as a new entry; the saved one is untouched.")
        return value, "Your unfinished entry was kept safe; here it is."

    def drop_draft(self) -> None:
        """Forget the draft (after saving or discarding)."""
        self._vault.save_draft(None)

    def insert_records(self, records: list[dict[str, Any]]) -> None:
        """Store many new entries in one save (an import)."""
        self.repo.insert_many(records)

    def now(self) -> datetime:
        """The injected clock."""
        return self._clock()


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
