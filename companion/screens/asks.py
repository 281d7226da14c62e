"""Asks: the asks a person is afraid to make, tested as experiments. The ladder orders the asks not yet tried
from small to big; each is written down before (the fear, believed 0-100) and looked at again after."""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.content import Content
from textual.widgets.option_list import Option

from companion.dialogs.experiments import ExperimentDialog
from companion.domain.clock import day_text
from companion.domain.experiment import Experiment
from companion.domain.prompts import Prompt
from companion.domain.query import words_match
from companion.screens.list_screen import Card, Found, ListScreen
from companion.services.journal import Journal
from companion.widgets.rows import experiment_rows

REFLECT_PROMPT = "Looking back on asking {whom}: what did I expect, what happened, and what do I want to keep?"


class AsksScreen(ListScreen[tuple[Experiment, str]]):
    """The ladder of asks and the asks tried."""

    AREA = "asks"
    LIST_ID = "asks"
    LOGGABLE = True  # l: how it went
    BINDINGS = [
        Binding("l", "log", "How it went", id="list.log"),
        Binding("K", "rung(-1)", "Move up", id="asks.up"),
        Binding("J", "rung(1)", "Move down", id="asks.down", show=False),
        Binding("w", "reflect", "Reflect", id="asks.reflect", show=False),
    ]
    EMPTY = "No asks yet. n writes one down before you ask it: whom, what, the fear."

    def find(self, journal: Journal, query: str, offset: int, limit: int) -> Found[tuple[Experiment, str]]:
        """Each ask with whom it is to (named here, on the journal's thread), as the filter lets through."""
        names = journal.contacts.names()
        named = [(e, e.whom(names)) for e in journal.asks.all()]
        items = [(e, whom) for e, whom in named
                 if words_match(query, e.ask, e.fear, whom, e.happened, e.felt, e.learned)]
        waiting = sum(1 for e, _ in items if not e.done)
        status = self.status_of(len(items), "ask", "asks", query)
        if items:
            status += f" · {waiting} on the ladder · l how it went · K/J move an ask up or down"
        return Found(items[offset:offset + limit], len(items), status)

    def rows(self, items: list[tuple[Experiment, str]]) -> list[Option | None]:
        return experiment_rows(items, self.size.width)

    def card(self, journal: Journal, record_id: int) -> Card | None:
        e = journal.asks.get(record_id)
        if e is None:
            return None
        names = journal.contacts.names()
        lines: list[str | tuple[str, str]] = [("Before\n", "bold"), e.before_text(names), "\n"]
        lines.append(("\nAfter\n", "bold"))
        lines.append(e.after_text() or ("not tried yet: l says how it went, once you have asked", "dim"))
        entries = journal.reflections.about_experiment(record_id)
        if entries:
            lines.append(("\n\nReflections about it\n", "bold"))
            for entry in entries:
                lines.extend([(f"{day_text(entry.created)}  ", "dim"), entry.first_line, "\n"])
        return Card(f"Asking {e.whom(names) or 'someone'}", Content.assemble(*lines), loggable=True, writable=True,
                    log_label="how it went")

    async def edit(self, record_id: int | None) -> None:
        found = await self.ask(lambda j: (None if record_id is None else j.asks.get(record_id), j.contacts.names()),
                               None)
        if found is None:
            return
        record, names = found
        result = await self.form(ExperimentDialog(record, names), "edit", record_id)
        if isinstance(result, Experiment):
            await self.ask(lambda j: j.asks.save(result), None)

    async def log_moment(self, record_id: int) -> None:
        """How the ask went."""
        await self.after(record_id)

    async def after(self, record_id: int) -> None:
        """Write the after of an experiment beside its before, and keep it."""
        found = await self.ask(lambda j: (j.asks.get(record_id), j.contacts.names()), None)
        record, names = found or (None, {})
        if record is not None:
            await self.look_back(record, record.whom(names))

    @work(group="list-dialog")
    async def action_rung(self, step: int) -> None:
        """Move the highlighted ask one rung up (smaller) or down (bigger)."""
        record_id = self.records.highlighted_id
        if record_id is not None and await self.ask(lambda j: j.asks.move(record_id, step), False):
            self.reload()

    def action_reflect(self) -> None:
        """Write a reflection about the highlighted ask."""
        record_id = self.records.highlighted_id
        if record_id is not None:
            self.reflect_on(record_id)

    def reflect_on(self, record_id: int) -> None:
        def found(journal: Journal) -> tuple[Experiment | None, dict[int, str]]:
            return journal.asks.get(record_id), journal.contacts.names()

        def write(result: tuple[Experiment | None, dict[int, str]]) -> None:
            record, names = result
            if record is not None and record.id is not None:
                prompt = Prompt("asking", REFLECT_PROMPT.format(whom=record.whom(names) or "someone"))
                self.host.open_editor(prompt=prompt, experiment=record.id,
                                      people=[record.contact_id] if record.contact_id else [])

        self.run(found, write)

    def describe(self, journal: Journal, record_id: int) -> str | None:
        record = journal.asks.get(record_id)
        return None if record is None else f"the ask “{record.ask}”"

    def delete(self, journal: Journal, record_id: int) -> None:
        journal.asks.delete(record_id)
