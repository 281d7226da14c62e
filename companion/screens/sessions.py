"""Sessions: each therapy session, what was prepared and shared for it, and what you took away."""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from companion.domain.clock import day_text
from companion.domain.session import Session
from companion.screens.records import RecordListScreen

STATE_MARKS = {"coming up": "→", "take-aways noted": "✓", "nothing noted yet": "·"}


class SessionsScreen(RecordListScreen[Session]):
    """The session loop: prepare (Share, ctrl+e), go, come back and keep what matters."""

    AREA = "sessions"
    LIST_ID = "sessions"
    EMPTY = ("No sessions yet. Press n to note one, or give a session day when you export from Share (5); "
             "afterwards, note here what you took away.")

    def load_records(self) -> list[Session]:
        return self.journal.sessions.all()

    def record_options(self, records: list[Session]) -> list[Option | None]:
        today = self.clock().date()
        rows: list[Option | None] = []
        for s in records:
            state = s.state(today)
            shared = f"  shared {s.shared.summary}" if s.shared else ""
            rows.append(Option(Content.assemble(
                (f"{day_text(s.day)}  ", "bold"), f"{STATE_MARKS[state]} {state:<18}", (shared, "dim"),
            ), id=str(s.id)))
        return rows

    def record_status(self, records: list[Session]) -> str:
        waiting = sum(1 for s in records if s.waiting_for_takeaways(self.clock().date()))
        text = f"{len(records)} session{'s' if len(records) != 1 else ''}"
        return text + (" · e to note what you took away" if waiting else "")

    def find_record(self, record_id: int) -> Session | None:
        return self.journal.sessions.get(record_id)

    def title_of(self, record: Session) -> str:
        return f"Session on {day_text(record.day)}"

    def record_text(self, record: Session) -> str:
        return " ".join([day_text(record.day), record.agenda, record.takeaways])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "log"  # a session has nothing to log; e notes the take-aways

    def body_of(self, record: Session) -> Content:
        today = self.clock().date()
        names = self.journal.contacts.names()
        boundaries = {b.id: b.boundary for b in self.journal.boundaries.all() if b.id is not None}
        lines: list[str | tuple[str, str]] = [("State: ", "dim"), record.state(today), "\n"]
        if record.agenda:
            lines += [("To bring up: ", "dim"), record.agenda, "\n"]
        if record.shared:
            lines += [("Shared: ", "dim"), f"{record.shared.summary} in {record.shared.file} "
                                           f"({record.shared.format}, made {day_text(record.shared.made)})", "\n"]
        entries = [self.journal.reflections.get(i) for i in record.shared_reflections]
        for entry in (e for e in entries if e is not None):
            mark = "talked through" if entry.discussed else "to bring" if entry.flagged else ""
            lines += ["  • ", entry.first_line, (f"  {mark}" if mark else "", "dim"), "\n"]
        lines += [("\nWhat I took away\n", "bold"), record.takeaways or ("nothing noted yet (e to add)", "dim"), "\n"]
        follow = [boundaries[i] for i in record.follow_boundaries if i in boundaries]
        follow += [f"reach out to {names[i]}" for i in record.follow_contacts if i in names]
        if follow:
            lines += [("\nFollow-ups: ", "dim"), "; ".join(follow)]
        return Content.assemble(*lines)

    async def edit_record(self, record: Session | None) -> None:
        await self.edit_session(record, after=record is not None and record.day <= self.clock().date())

    async def log_record(self, record: Session) -> None:
        await self.edit_record(record)

    def delete_record(self, record: Session) -> None:
        assert record.id is not None
        self.attempt(lambda: self.journal.sessions.delete(record.id))  # type: ignore[arg-type]

