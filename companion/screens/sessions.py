"""Sessions: each therapy session, what was prepared and shared for it, and what you took away."""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from companion.domain.clock import day_text
from companion.domain.query import words_match
from companion.domain.session import Session
from companion.screens.list_screen import Card, Found, ListScreen
from companion.services.journal import Journal
from companion.widgets.rows import session_row


class SessionsScreen(ListScreen[Session]):
    """The session loop: prepare (Share, ctrl+e), go, come back and keep what matters."""

    AREA = "sessions"
    LIST_ID = "sessions"
    EMPTY = ("No sessions yet. Press n to note one, or give a session day when you export from Share (5); "
             "afterwards, note here what you took away.")

    def find(self, journal: Journal, query: str, offset: int, limit: int) -> Found[Session]:
        today = self.clock().date()
        items = [s for s in journal.sessions.all() if words_match(query, day_text(s.day), s.agenda, s.takeaways)]
        waiting = sum(1 for s in items if s.waiting_for_takeaways(today))
        status = self.status_of(len(items), "session", "sessions", query)
        return Found(items[offset:offset + limit], len(items),
                     status + (" · e to note what you took away" if waiting else ""))

    def rows(self, items: list[Session]) -> list[Option | None]:
        today = self.clock().date()
        return [session_row(s, today) for s in items]

    def card(self, journal: Journal, record_id: int) -> Card | None:
        record = journal.sessions.get(record_id)
        if record is None:
            return None
        now = self.clock()
        today = now.date()
        names = journal.contacts.names()
        boundaries = {b.id: b.boundary for b in journal.boundaries.all() if b.id is not None}
        lines: list[str | tuple[str, str]] = [("State: ", "dim"), record.state(today), "\n"]
        if record.agenda:
            lines += [("To bring up: ", "dim"), record.agenda, "\n"]
        for shared in record.exports:
            lines += [("Shared: ", "dim"), f"{shared.summary} in {shared.file} "
                                           f"({shared.format}, made {day_text(shared.made)})", "\n"]
        entries = [journal.reflections.get(i) for i in record.shared_reflections]
        for entry in (e for e in entries if e is not None):
            talked = "  talked through" if entry.discussed == record.day else ""
            when = day_text(entry.local(now.tzinfo))  # the day on the person's clock, not in UTC
            lines += ["  • ", (f"{when}  ", "dim"), entry.first_line, (talked, "dim"), "\n"]
        lines += [("\nWhat I took away\n", "bold"), record.takeaways or ("nothing noted yet (e to add)", "dim"), "\n"]
        follow = [boundaries[i] for i in record.follow_boundaries if i in boundaries]
        follow += [f"reach out to {names[i]}" for i in record.follow_contacts if i in names]
        if follow:
            lines += [("\nFollow-ups: ", "dim"), "; ".join(follow)]
        return Card(f"Session on {day_text(record.day)}", Content.assemble(*lines))

    async def edit(self, record_id: int | None) -> None:
        record = None if record_id is None else await self.ask(lambda j: j.sessions.get(record_id), None)
        await self.edit_session(record, after=record is not None and record.held(self.clock().date()))

    def describe(self, journal: Journal, record_id: int) -> str | None:
        record = journal.sessions.get(record_id)
        return None if record is None else f"the session on {day_text(record.day)}"

    def delete(self, journal: Journal, record_id: int) -> None:
        journal.sessions.delete(record_id)
