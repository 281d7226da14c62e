"""Boundaries: limits to set or keep, grouped by status, with review dates and an event log."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets.option_list import Option

from companion.dialogs.editors import BoundaryDialog, LogDialog
from companion.domain.boundary import EVENT_KINDS, STATUSES, Boundary, BoundaryEvent
from companion.domain.clock import day_text
from companion.domain.query import words_match
from companion.screens.list_screen import Card, Found, ListScreen
from companion.services.journal import Journal
from companion.widgets.rows import boundary_rows


class BoundariesScreen(ListScreen[Boundary]):
    """The person's boundary notes."""

    AREA = "boundaries"
    LIST_ID = "boundaries"
    EMPTY = "No boundaries yet. Press n to write down a limit you want to set or keep."
    LOGGABLE = True
    BINDINGS = [Binding("s", "cycle_status", "Status", id="boundaries.status", show=False)]

    status_filter: str | None = None

    def find(self, journal: Journal, query: str, offset: int, limit: int) -> Found[Boundary]:
        items = [b for b in journal.boundaries.all(self.status_filter)
                 if words_match(query, b.who, b.boundary, b.why, b.script)]
        shown = STATUSES[self.status_filter] if self.status_filter else "all statuses"
        due = sum(1 for b in items if b.is_due(self.clock().date()))
        status = f"{self.status_of(len(items), 'boundary', 'boundaries', query)} · {shown} (s to change)"
        return Found(items[offset:offset + limit], len(items), status + (f" · {due} to review" if due else ""))

    def rows(self, items: list[Boundary]) -> list[Option | None]:
        return boundary_rows(items, self.clock().date())

    def card(self, journal: Journal, record_id: int) -> Card | None:
        record = journal.boundaries.get(record_id)
        if record is None:
            return None
        people = journal.contacts.names()
        lines: list[str | tuple[str, str]] = []
        for label, value in record.details(people.get(record.contact_id) if record.contact_id else None):
            lines.extend([(f"{label}: ", "dim"), value, "\n"])
        lines.append(("\nWhat has happened\n", "bold"))
        if not record.events:
            lines.append(("nothing logged yet (l to log)", "dim"))
        for event in reversed(record.events):
            lines.extend([(f"{day_text(event.day)}  ", "dim"), EVENT_KINDS[event.kind],
                          f" · {event.note}" if event.note else "", "\n"])
        return Card(record.boundary, Content.assemble(*lines), loggable=True)

    async def edit(self, record_id: int | None) -> None:
        found = await self.ask(lambda j: (None if record_id is None else j.boundaries.get(record_id),
                                          j.contacts.names()), None)
        if found is None:
            return
        record, people = found
        result = await self.form(BoundaryDialog(record, people), "edit", record.id if record else None)
        if isinstance(result, Boundary):
            await self.ask(lambda j: j.boundaries.save(result), None)

    async def log_moment(self, record_id: int) -> None:
        record = await self.ask(lambda j: j.boundaries.get(record_id), None)
        if record is None:
            return
        result = await self.form(
            LogDialog(f"What happened with: {record.boundary}", EVENT_KINDS, self.clock().date().isoformat()),
            "log", record_id)
        if isinstance(result, tuple):
            kind, note, day, _ = result
            await self.ask(lambda j: j.boundaries.log(record, BoundaryEvent(day, kind, note)), None)

    def describe(self, journal: Journal, record_id: int) -> str | None:
        record = journal.boundaries.get(record_id)
        return None if record is None else f"“{record.boundary}”"

    def delete(self, journal: Journal, record_id: int) -> None:
        journal.boundaries.delete(record_id)

    def action_cycle_status(self) -> None:
        """Show one status at a time, then all again."""
        order = [None, *STATUSES]
        self.status_filter = order[(order.index(self.status_filter) + 1) % len(order)]
        self.reload()
