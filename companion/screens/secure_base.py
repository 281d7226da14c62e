"""Secure base: the people to turn to and come back to, with a quick log and the give and take."""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from companion.dialogs.editors import ContactDialog, LogDialog
from companion.domain.clock import friendly_day
from companion.domain.contact import INTERACTION_KINDS, ROLES, Contact
from companion.screens.records import RecordListScreen
from companion.widgets.charts import balance_content

KIND_LABELS = {kind: label for kind, (label, _) in INTERACTION_KINDS.items()}


class SecureBaseScreen(RecordListScreen[Contact]):
    """The people in the secure base."""

    AREA = "secure"
    LIST_ID = "contacts"
    EMPTY = "Nobody here yet. Press n to add someone you can turn to, and come back to."

    def load_records(self) -> list[Contact]:
        return self.journal.contacts.all()

    def record_options(self, records: list[Contact]) -> list[Option | None]:
        today = self.clock().date()
        rows: list[Option | None] = []
        for c in records:
            due = ("  ● reconnect when you can", "bold") if c.is_due(today) else ""
            rows.append(Option(Content.assemble(
                (f"{c.name:<18}", "bold"), (f"{ROLES[c.role]:<14}", "dim"),
                f"last: {friendly_day(c.last_contact, today)}", due,
            ), id=str(c.id)))
        return rows

    def record_status(self, records: list[Contact]) -> str:
        due = sum(1 for c in records if c.is_due(self.clock().date()))
        text = f"{len(records)} {'person' if len(records) == 1 else 'people'} · l then 1-5 logs a moment"
        return text + (f" · {due} to reconnect with" if due else "")

    def find_record(self, record_id: int) -> Contact | None:
        return self.journal.contacts.get(record_id)

    def title_of(self, record: Contact) -> str:
        return record.name

    def record_text(self, record: Contact) -> str:
        return " ".join([record.name, ROLES[record.role], record.supports, record.offer])

    def body_of(self, record: Contact) -> Content:
        today = self.clock().date()
        lines: list[str | tuple[str, str] | Content] = []

        def field(label: str, value: str) -> None:
            if value:
                lines.extend([(f"{label}: ", "dim"), value, "\n"])

        field("Role", ROLES[record.role])
        for label, value in record.details():
            field(label, value)
        field("Last contact", friendly_day(record.last_contact, today))
        if record.reconnect_days:
            due = record.reconnect_on()
            field("Reconnect", f"every {record.reconnect_days} days" + (f", next around {due.isoformat()}" if due else ""))
        lines.append(("\nGive and take, last 90 days\n", "bold"))
        lines.append(balance_content(record.balance(today)))
        lines.append(("\n\nMoments\n", "bold"))
        if not record.interactions:
            lines.append(("nothing logged yet (l to log)", "dim"))
        for i in reversed(record.interactions[-20:]):
            lines.extend([(f"{i.day.isoformat()}  ", "dim"), KIND_LABELS[i.kind], f" · {i.note}" if i.note else "", "\n"])
        return Content.assemble(*lines)

    async def edit_record(self, record: Contact | None) -> None:
        result = await self.app.push_screen_wait(ContactDialog(record))
        if isinstance(result, Contact):
            self.attempt(lambda: self.journal.contacts.save(result))

    async def log_record(self, record: Contact) -> None:
        result = await self.app.push_screen_wait(
            LogDialog(f"A moment with {record.name}", KIND_LABELS, self.clock().date().isoformat())
        )
        if isinstance(result, tuple):
            kind, note, day = result
            self.attempt(lambda: self.journal.contacts.log(record, kind, note, day))

    def delete_record(self, record: Contact) -> None:
        assert record.id is not None
        self.attempt(lambda: self.journal.contacts.delete(record.id))  # type: ignore[arg-type]
