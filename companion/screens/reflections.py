"""Reflections: the journal newest first, filtered as you type, loaded a page at a time."""

from __future__ import annotations

from datetime import tzinfo

from textual.binding import Binding
from textual.content import Content
from textual.widgets.option_list import Option

from companion.domain.clock import day_text, moment_text
from companion.domain.prompts import THEME_LABELS
from companion.domain.query import HELP as FILTER_HELP
from companion.domain.query import parse_filter
from companion.domain.reflection import Reflection
from companion.screens.list_screen import Card, Found, ListScreen
from companion.services.journal import Journal
from companion.widgets.rows import reflection_row


def reflection_body(entry: Reflection, people: dict[int, str], zone: tzinfo | None) -> Content:
    """A reflection in full, for the detail card."""
    parts: list[str | tuple[str, str]] = []
    if entry.prompt:
        parts += [(THEME_LABELS.get(entry.theme or "", "Prompt") + "\n", "dim"), (entry.prompt + "\n\n", "italic")]
    parts.append(entry.text.rstrip() + "\n\n")
    facts = entry.facts(people)
    if entry.edited:
        facts.append("edited " + moment_text(entry.edited.astimezone(zone)))
    parts.append(("\n".join(facts), "dim"))
    return Content.assemble(*parts)


class ReflectionsScreen(ListScreen[Reflection]):
    """List, filter, read, write, edit and delete reflections."""

    AREA = "reflections"
    LIST_ID = "entries"
    PLACEHOLDER = f"filter: {FILTER_HELP}"
    EMPTY = "No reflections yet. Press n to write one, or w for today's prompt."
    BINDINGS = [
        Binding("f", "toggle_flagged", "Flagged only", id="reflections.flagged", show=False),
        Binding("w", "write_today", "Write today's prompt", id="reflections.write", show=False),
    ]

    def find(self, journal: Journal, query: str, offset: int, limit: int) -> Found[Reflection]:
        rule = parse_filter(query)
        page = journal.reflections.page(rule, offset, limit)
        shown = offset + len(page.items)
        status = self.status_of(page.total, "reflection", "reflections", query)
        if shown < page.total:
            status += f" · showing the newest {shown}, more load as you scroll"
        return Found(page.items, page.total, status)

    def prepare(self, journal: Journal) -> None:
        journal.reflections.prepare_search()

    def rows(self, items: list[Reflection]) -> list[Option | None]:
        tz = self.clock().tzinfo
        return [reflection_row(e, tz, self.size.width) for e in items]

    def card(self, journal: Journal, record_id: int) -> Card | None:
        entry = journal.reflections.get(record_id)
        if entry is None:
            return None
        zone = self.clock().tzinfo
        return Card(moment_text(entry.local(zone)), reflection_body(entry, journal.contacts.names(), zone))

    async def edit(self, record_id: int | None) -> None:
        if record_id is None:
            self.choose_and_write()
            return
        entry = await self.ask(lambda j: j.reflections.get(record_id), None)
        if entry is not None:
            self.write(None, entry)

    def describe(self, journal: Journal, record_id: int) -> str | None:
        entry = journal.reflections.get(record_id)
        return None if entry is None else f"the entry from {day_text(entry.local(self.clock().tzinfo))}"

    def delete(self, journal: Journal, record_id: int) -> None:
        journal.reflections.delete(record_id)

    def action_write_today(self) -> None:
        """Write to today's prompt."""
        self.run(lambda j: j.reflections.today_prompt(), self.write)

    def action_toggle_flagged(self) -> None:
        """Show only entries to bring to therapy, or all again."""
        words = self.records.query_text.split()
        self.records.set_query(" ".join(w for w in words if w != "flagged") if "flagged" in words
                               else " ".join([*words, "flagged"]))
