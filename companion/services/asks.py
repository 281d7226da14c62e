"""Ask experiments over an unlocked vault: the ladder of asks not yet tried, the asks tried, and what
connection does to a week (see domain/insight.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from companion.domain.clock import Clock
from companion.domain.contact import Contact
from companion.domain.experiment import Experiment, ladder, tried, tried_line
from companion.domain.insight import INSIGHT_DAYS, REACHING, Noticing, home_line, noticings
from companion.domain.reflection import Reflection
from companion.domain.series import series
from companion.errors import UsageError
from companion.services.people import ContactService
from companion.services.records import RecordService
from companion.services.reflections import ReflectionService
from companion.storage.repositories import ExperimentRepository
from companion.storage.vault import Vault


class ExperimentService(RecordService[Experiment]):
    """Asks tested as experiments: before (the fear, believed 0-100), after (what happened, believed now)."""

    def __init__(self, vault: Vault, clock: Clock, contacts: ContactService,
                 reflections: ReflectionService) -> None:
        super().__init__(ExperimentRepository(vault), clock)
        self._vault = vault
        self._contacts = contacts
        self._reflections = reflections

    def all(self) -> list[Experiment]:
        """The ladder (small to big), then the asks tried (most recent first)."""
        items = self.repo.all()
        return [*ladder(items), *tried(items)]

    def save(self, record: Experiment) -> Experiment:
        """A new ask goes on the top of the ladder (the biggest rung so far); an edit keeps its place."""
        if record.id is None and not record.done:
            record.rung = max((e.rung for e in ladder(self.repo.all())), default=-1) + 1
        return super().save(record)

    def open_with(self, contact_id: int) -> Experiment | None:
        """The next ask on the ladder with this person, if any (logging a moment with them completes it)."""
        return next((e for e in ladder(self.repo.all()) if e.contact_id == contact_id), None)

    def move(self, record_id: int, step: int) -> bool:
        """Move an ask not yet tried one rung smaller (-1) or bigger (+1); False when it cannot move."""
        rungs = ladder(self.repo.all())
        index = next((i for i, e in enumerate(rungs) if e.id == record_id), None)
        if index is None or not 0 <= index + step < len(rungs):
            return False
        rungs[index], rungs[index + step] = rungs[index + step], rungs[index]
        with self._vault.batch():
            for rung, item in enumerate(rungs):
                if item.rung != rung:
                    self.repo.update(replace(item, rung=rung))
        return True

    def complete(self, record_id: int, day: date, happened: str, belief_after: int, felt: str = "",
                 learned: str = "") -> Experiment:
        """Write the after of an experiment (UsageError with a sentence when it cannot be)."""
        item = self.repo.get(record_id)
        if item is None:
            raise UsageError(f"There is no ask experiment {record_id}; `companion asks list` shows them.")
        try:
            done = item.complete(day, happened, belief_after, felt, learned)
        except ValueError as exc:
            raise UsageError(f"Could not keep that: {exc}") from None
        self.repo.update(done)
        return done

    def person(self, name: str) -> tuple[int | None, str]:
        """(contact id, "") for a name in the secure base (any case), else (None, the name as given)."""
        found = next((c for c in self._contacts.all() if c.name.casefold() == name.strip().casefold()), None)
        return (found.id, "") if found else (None, name.strip())

    def home_lines(self, entries: list[Reflection], people: list[Contact]) -> tuple[str | None, str | None]:
        """Home's line about the asks tried (None under three) and its line about connection (None without
        enough days), from the entries of the last INSIGHT_DAYS and the people Home has read already."""
        experiments = self.repo.all()
        return (tried_line(experiments, self._clock().date()),
                home_line(self.noticings(entries, people, experiments)))

    def noticings(self, entries: list[Reflection] | None = None, people: list[Contact] | None = None,
                  experiments: list[Experiment] | None = None) -> list[Noticing]:
        """Mood and reliance on days of reaching out or being helped, and after an ask, over INSIGHT_DAYS (from
        the entries since then, the people and the experiments, read here when not given)."""
        now = self._clock()
        today = now.date()
        start = today - timedelta(days=INSIGHT_DAYS - 1)
        if entries is None:
            entries = self._reflections.since(now - timedelta(days=INSIGHT_DAYS))
        moments = [i for c in (people if people is not None else self._contacts.all()) for i in c.interactions
                   if start <= i.day <= today]
        done = {e.done_on for e in (experiments if experiments is not None else self.repo.all())
                if e.done_on and start <= e.done_on <= today}
        reaching = {i.day for i in moments if i.kind in REACHING} | done
        asks = {i.day for i in moments if i.kind == "asked"} | done
        mood = series(entries, "mood", start, today, now.tzinfo, width=1)
        reliance = series(entries, "reliance", start, today, now.tzinfo, width=1)
        return noticings(mood, reliance, reaching, asks)
