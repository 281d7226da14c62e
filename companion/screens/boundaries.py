"""Boundaries: limits to set or keep, grouped by status, with review dates and an event log."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets.option_list import Option

from companion.dialogs.editors import BoundaryDialog, LogDialog
from companion.domain.boundary import EVENT_KINDS, STATUSES, Boundary, BoundaryEvent
from companion.screens.records import RecordListScreen


class BoundariesScreen(RecordListScreen[Boundary]):
    """The person's boundary notes."""

    AREA = "boundaries"
    LIST_ID = "boundaries"
    EMPTY = "No boundaries yet. Press n to write down a limit you want to set or keep."
    BINDINGS = [Binding("s", "cycle_status", "Status", id="boundaries.status", show=False)]

    status_filter: str | None = None

    def load_records(self) -> list[Boundary]:
        return self.journal.boundaries.all(self.status_filter)

    def record_options(self, records: list[Boundary]) -> list[Option | None]:
        today = self.clock().date()
        rows: list[Option | None] = []
        current = None
        for b in records:
            if b.status != current:
                if rows:
                    rows.append(None)
                rows.append(Option(Content.styled(STATUSES[b.status], "bold"), disabled=True))
                current = b.status
            due = ("  ● review due", "bold") if b.is_due(today) else ""
            who = (f"{b.who}: ", "dim") if b.who else ""
            rows.append(Option(Content.assemble("  ", who, b.boundary, due), id=str(b.id)))
        return rows

    def record_status(self, records: list[Boundary]) -> str:
        shown = STATUSES[self.status_filter] if self.status_filter else "all statuses"
        due = sum(1 for b in records if b.is_due(self.clock().date()))
        text = f"{len(records)} boundar{'y' if len(records) == 1 else 'ies'} · {shown} (s to change)"
        return text + (f" · {due} to review" if due else "")

    def find_record(self, record_id: int) -> Boundary | None:
        return self.journal.boundaries.get(record_id)

    def title_of(self, record: Boundary) -> str:
        return record.boundary

    def record_text(self, record: Boundary) -> str:
        return " ".join([record.who, record.boundary, record.why, record.script])

    def body_of(self, record: Boundary) -> Content:
        people = self.journal.contacts.names()
        lines: list[str | tuple[str, str]] = []
        for label, value in record.details(people.get(record.contact_id) if record.contact_id else None):
            lines.extend([(f"{label}: ", "dim"), value, "\n"])
        lines.append(("\nWhat has happened\n", "bold"))
        if not record.events:
            lines.append(("nothing logged yet (l to log)", "dim"))
        for event in reversed(record.events):
            lines.extend([(f"{event.day.isoformat()}  ", "dim"), EVENT_KINDS[event.kind],
                          f" · {event.note}" if event.note else "", "\n"])
        return Content.assemble(*lines)

    async def edit_record(self, record: Boundary | None) -> None:
        result = await self.app.push_screen_wait(BoundaryDialog(record, self.journal.contacts.names()))
        if isinstance(result, Boundary):
            self.attempt(lambda: self.journal.boundaries.save(result))

    async def log_record(self, record: Boundary) -> None:
        result = await self.app.push_screen_wait(
            LogDialog(f"What happened with: {record.boundary}", EVENT_KINDS, self.clock().date().isoformat())
        )
        if isinstance(result, tuple):
            kind, note, day = result
            self.attempt(lambda: self.journal.boundaries.log(record, BoundaryEvent(day, kind, note)))

    def delete_record(self, record: Boundary) -> None:
        assert record.id is not None
        self.attempt(lambda: self.journal.boundaries.delete(record.id))  # type: ignore[arg-type]

    def action_cycle_status(self) -> None:
        """Show one status at a time, then all again."""
        order = [None, *STATUSES]
        self.status_filter = order[(order.index(self.status_filter) + 1) % len(order)]
        self.reload()
