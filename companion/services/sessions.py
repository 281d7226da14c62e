"""Therapy sessions: recorded when an export is made for one, closed afterwards with take-aways."""

from __future__ import annotations

import dataclasses
from datetime import date

from companion.domain.clock import Clock
from companion.domain.session import Session, Shared
from companion.services.records import RecordService
from companion.storage.repositories import ReflectionRepository, SessionRepository
from companion.storage.vault import Vault


class SessionService(RecordService[Session]):
    """Sessions, newest first."""

    def __init__(self, vault: Vault, clock: Clock) -> None:
        super().__init__(SessionRepository(vault), clock)
        self._vault = vault
        self._reflections = ReflectionRepository(vault)

    def all(self) -> list[Session]:
        """Every session, the most recent day first."""
        return sorted(self.repo.all(), key=lambda s: (s.day, s.id or 0), reverse=True)

    def on(self, day: date) -> Session | None:
        """The session on `day`, if one is recorded."""
        return next((s for s in self.all() if s.day == day), None)

    def waiting(self) -> Session | None:
        """The most recent session held without take-aways yet (Home asks about it, gently)."""
        today = self._clock().date()
        return next((s for s in self.all() if s.waiting_for_takeaways(today)), None)

    def record_export(self, day: date, agenda: str, shared: Shared, reflection_ids: list[int]) -> Session:
        """An export was made for the session on `day`: note what it held (one session per day)."""
        existing = self.on(day)
        if existing is None:
            session = Session(day=day, agenda=agenda, shared=shared, shared_reflections=reflection_ids)
        else:
            session = dataclasses.replace(existing, agenda=agenda or existing.agenda, shared=shared,
                                          shared_reflections=reflection_ids)
        return self.save(session)

    def close(self, session: Session, *, mark_discussed: bool) -> Session:
        """Save the take-aways and follow-ups; the shared entries can be marked discussed at once."""
        with self._vault.batch():
            self.save(session)
            if mark_discussed:
                self.mark_discussed(session)
        return session

    def mark_discussed(self, session: Session) -> int:
        """The entries shared for a session were talked through: kept, no longer 'bring to therapy'."""
        marked = 0
        with self._vault.batch():
            for reflection_id in session.shared_reflections:
                entry = self._reflections.get(reflection_id)
                if entry is None or (entry.discussed == session.day and not entry.flagged):
                    continue
                entry.flagged = False
                entry.discussed = session.day
                self._reflections.update(entry)
                marked += 1
        return marked
