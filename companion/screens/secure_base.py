"""Secure base: the people to turn to and come back to, with a quick log and the give and take."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets.option_list import Option

from companion.dialogs.ask import AskDialog, AskMessage
from companion.dialogs.editors import ContactDialog, LogDialog
from companion.dialogs.experiments import ExperimentDialog
from companion.dialogs.info import NoticeDialog
from companion.dialogs.safety import SafetyPlanDialog, SafetyPlanForm
from companion.domain.clock import day_text, friendly_day
from companion.domain.contact import INTERACTION_KINDS, RINGS, ROLES, SUPPORT_KINDS, Contact
from companion.domain.experiment import Experiment
from companion.domain.query import words_match
from companion.domain.safety_plan import SafetyPlan
from companion.screens.list_screen import Card, Found, ListScreen
from companion.services.journal import Journal
from companion.services.safety import keeps_readable_copy
from companion.widgets.charts import balance_content
from companion.widgets.circles import CirclesView
from companion.widgets.record_list import RecordList
from companion.widgets.rows import contact_row

ASK_NOTE = 200  # how much of the message the logged moment keeps
KIND_LABELS = {kind: label for kind, (label, _) in INTERACTION_KINDS.items()}


class SecureBaseScreen(ListScreen[Contact]):
    """The people in the secure base."""

    AREA = "secure"
    LIST_ID = "contacts"
    LOGGABLE = True
    BINDINGS = [Binding("a", "ask", "Ask for help", id="secure.ask"),
                Binding("p", "plan", "Safety plan", id="secure.plan")]
    EMPTY = "Nobody here yet. Press n to add someone you can turn to, and come back to."

    def compose_body(self) -> ComposeResult:
        yield CirclesView(id="circles")
        yield RecordList(self.LIST_ID, self.PLACEHOLDER)

    def reload(self) -> None:
        super().reload()
        self.run(lambda journal: journal.contacts.circles(), self.query_one(CirclesView).show)

    def find(self, journal: Journal, query: str, offset: int, limit: int) -> Found[Contact]:
        items = [c for c in journal.contacts.all() if words_match(query, c.name, ROLES[c.role], c.supports, c.offer)]
        due = sum(1 for c in items if c.is_due(self.clock().date()))
        status = f"{self.status_of(len(items), 'person', 'people', query)} · a asks for help · l logs a moment"
        return Found(items[offset:offset + limit], len(items), status + (f" · {due} to reconnect with" if due else ""))

    def rows(self, items: list[Contact]) -> list[Option | None]:
        today = self.clock().date()
        return [contact_row(c, today, self.size.width) for c in items]

    def card(self, journal: Journal, record_id: int) -> Card | None:
        record = journal.contacts.get(record_id)
        if record is None:
            return None
        today = self.clock().date()
        lines: list[str | tuple[str, str] | Content] = []

        def field(label: str, value: str) -> None:
            if value:
                lines.extend([(f"{label}: ", "dim"), value, "\n"])

        field("Role", ROLES[record.role])
        field("Ring", RINGS.get(record.ring, ""))
        for label, value in record.details():
            field(label, value)
        field("Last contact", friendly_day(record.last_contact, today))
        if record.reconnect_days:
            due = record.reconnect_on()
            around = f", next around {day_text(due)}" if due else ""
            field("Reconnect", f"every {record.reconnect_days} days{around}")
        lines.append(("\nGive and take, last 90 days\n", "bold"))
        balance = record.balance(today)
        lines.append(balance_content(balance))
        for flow in balance.flows():
            lines.extend(["\n", (flow, "dim")])
        lines.append(("\n\nMoments\n", "bold"))
        if not record.interactions:
            lines.append(("nothing logged yet (l to log)", "dim"))
        for i in reversed(record.interactions[-20:]):
            support = f" ({SUPPORT_KINDS[i.support]})" if i.support else ""
            lines.extend([(f"{day_text(i.day)}  ", "dim"), KIND_LABELS[i.kind], support,
                          f" · {i.note}" if i.note else "", "\n"])
        return Card(record.name, Content.assemble(*lines), loggable=True, askable=True)

    async def edit(self, record_id: int | None) -> None:
        record = None if record_id is None else await self.ask(lambda j: j.contacts.get(record_id), None)
        result = await self.form(ContactDialog(record), "edit", record.id if record else None)
        if isinstance(result, Contact):
            await self.ask(lambda j: j.contacts.save(result), None)

    async def log_moment(self, record_id: int) -> None:
        """Log a moment; when it is an ask and an ask experiment waits with this person, its after comes next."""
        found = await self.ask(lambda j: (j.contacts.get(record_id), j.asks.open_with(record_id)), None)
        record, waiting = found or (None, None)
        if record is None:
            return
        dialog = LogDialog(f"A moment with {record.name}", KIND_LABELS, self.clock().date().isoformat(),
                           supports=SUPPORT_KINDS)
        result = await self.form(dialog, "log", record_id)
        if not isinstance(result, tuple):
            return
        kind, note, day, support = result
        logged = await self.ask(lambda j: j.contacts.log(record, kind, note, day, support), None)
        if logged and kind == "asked" and waiting:
            await self.look_back(waiting, record.name, day.isoformat())

    @work(group="list-dialog")
    async def action_plan(self) -> None:
        """The safety plan: its six steps, with people from this secure base."""
        await self.edit_plan()

    async def edit_plan(self) -> None:
        """Open the plan (from its stored version) and keep what the dialog returns."""
        lines = self.host.settings.crisis_lines
        def gather(journal: Journal) -> tuple[SafetyPlan, str | None, list[Contact]]:
            plan = journal.safety.get()
            return plan, journal.safety.revision(plan), journal.contacts.all()

        found = await self.ask(gather, None)
        if found is None:
            return
        plan, since, people = found
        dialog = SafetyPlanDialog(plan, people, lines, keeps_readable_copy(self.host.vault_path))
        result = await self.form(dialog, "plan")
        if isinstance(result, SafetyPlanForm):
            kept = await self.ask(lambda j: j.safety.keep(result.plan, since, readable=result.readable,
                                                          crisis_lines=lines), None)
            if kept is not None:
                self.notify("Your safety plan is kept. ctrl+g shows it, wherever you are in companion.", timeout=6)

    @work(group="list-dialog")
    async def action_ask(self) -> None:
        """Ask the highlighted person for help."""
        await self.for_highlighted(self.ask_for_help)

    async def ask_for_help(self, record_id: int) -> None:
        """A short message, copied for the person to send; an "asked" moment is logged. Nothing is sent."""
        record = await self.ask(lambda j: j.contacts.get(record_id), None)
        if record is None:
            return
        answer = await self.app.push_screen_wait(AskDialog(record.name, record.reach))
        if not isinstance(answer, AskMessage):
            return
        message = answer.text
        self.app.copy_to_clipboard(message)
        if answer.experiment and await self.start_experiment(record, message):
            return  # else (the prediction not written after all) the ask is noted as any other
        note = message if len(message) <= ASK_NOTE else message[:ASK_NOTE - 1] + "…"
        if await self.ask(lambda j: j.contacts.log(record, "asked", note, self.clock().date()), None) is None:
            return
        self.app.push_screen(NoticeDialog(
            f"Your message to {record.name}", f"{message}\n\nYou reached out, and it is kept with {record.name}'s "
            "moments. companion sends nothing: paste it into the way you usually reach them.", (message, "message")))

    async def start_experiment(self, record: Contact, message: str) -> bool:
        """The ask as an experiment: its before is written now, and logging the ask later completes it. False
        when no prediction was kept."""
        names = await self.ask(lambda j: j.contacts.names(), None)
        if names is None:
            return False
        dialog = ExperimentDialog(None, names, ask=message, contact_id=record.id)
        result = await self.form(dialog, "edit", None, area="asks")
        kept = isinstance(result, Experiment) and await self.ask(lambda j: j.asks.save(result) is result, False)
        if kept:
            self.app.push_screen(NoticeDialog(
                f"Your message to {record.name}", f"{message}\n\nYour prediction is kept with your asks (7). "
                f"companion sends nothing: paste the message into the way you usually reach {record.name}. Once "
                f"you have asked, press l on {record.name} to log it and say how it went.", (message, "message")))
        return kept

    def describe(self, journal: Journal, record_id: int) -> str | None:
        record = journal.contacts.get(record_id)
        return None if record is None else f"“{record.name}”"

    def delete(self, journal: Journal, record_id: int) -> None:
        journal.contacts.delete(record_id)
