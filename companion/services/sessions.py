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
        """An export was made for the session on `day`: add it to the session's exports (one session per day;
        every export made for it is kept, and the entries any of them held)."""
        existing = self.on(day)
        if existing is None:
            session = Session(day=day, agenda=agenda, exports=[shared], shared_reflections=reflection_ids)
        else:
            held = existing.shared_reflections + [i for i in reflection_ids if i not in existing.shared_reflections]
            session = dataclasses.replace(existing, agenda=agenda or existing.agenda,
                                          exports=[*existing.exports, shared], shared_reflections=held)
        return self.save(session)

    def close(self, session: Session, *, discussed: list[int]) -> Session:
        """Save the take-aways and follow-ups, and mark the shared entries the person ticked as talked through."""
        with self._vault.batch():
            self.save(session)
            self.mark_discussed(session, discussed)
        return session

    def mark_discussed(self, session: Session, ids: list[int]) -> int:
        """These entries shared for a session were talked through: kept, no longer 'bring to therapy'."""
        marked = 0
        with self._vault.batch():
            for reflection_id in (i for i in ids if i in session.shared_reflections):
                entry = self._reflections.get(reflection_id)
                if entry is None or (entry.discussed == session.day and not entry.flagged):
                    continue
                entry.flagged = False
                entry.discussed = session.day
                self._reflections.update(entry)
                marked += 1
        return marked
