"""Reflections: the journal newest first, filtered as you type, loaded a page at a time."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Input, OptionList, Static

from companion.dialogs.confirm import ConfirmDialog
from companion.dialogs.info import DetailDialog
from companion.domain.prompts import THEME_LABELS
from companion.domain.query import HELP as FILTER_HELP
from companion.domain.query import parse_filter
from companion.domain.reflection import Reflection, ReflectionFilter
from companion.screens.area import AreaScreen
from companion.screens.home import reflection_option

PAGE = 200


def reflection_body(entry: Reflection, people: dict[int, str]) -> Content:
    """A reflection in full, for the detail card."""
    parts: list[str | tuple[str, str]] = []
    if entry.prompt:
        parts += [(THEME_LABELS.get(entry.theme or "", "Prompt") + "\n", "dim"), (entry.prompt + "\n\n", "italic")]
    parts.append(entry.text.rstrip() + "\n\n")
    facts = entry.facts(people)
    if entry.edited:
        facts.append("edited " + entry.edited.astimezone().strftime("%Y-%m-%d %H:%M"))
    parts.append(("\n".join(facts), "dim"))
    return Content.assemble(*parts)


class ReflectionsScreen(AreaScreen):
    """List, filter, view, write, edit and delete reflections."""

    AREA = "reflections"
    BINDINGS = [
        Binding("n", "new", "New", id="reflections.new"),
        Binding("slash", "filter", "Filter", id="reflections.filter"),
        Binding("enter", "open", "Open", id="reflections.open", show=False),
        Binding("e", "edit", "Edit", id="reflections.edit", show=False),
        Binding("d", "delete", "Delete", id="reflections.delete", show=False),
        Binding("f", "toggle_flagged", "Flagged only", id="reflections.flagged", show=False),
        Binding("w", "write_today", "Write today's prompt", id="reflections.write", show=False),
        Binding("escape", "clear", "Clear filter / Home", id="reflections.clear", show=False),
    ]

    query_text: reactive[str] = reactive("")
    shown = 0

    def compose_body(self) -> ComposeResult:
        with Vertical(id="reflections"):
            yield Input(id="filter", placeholder=f"filter: {FILTER_HELP}", compact=True)
            yield Static("", id="filter-status")
            yield OptionList(id="entries")
            yield Static("", id="entries-empty")

    def on_mount(self) -> None:
        self.query_one("#entries", OptionList).focus()

    # -- loading -------------------------------------------------------------------------------
    def _filter(self) -> ReflectionFilter | None:
        status = self.query_one("#filter-status", Static)
        try:
            rule = parse_filter(self.query_text)
        except ValueError as exc:
            status.update(str(exc))
            status.add_class("error")
            return None
        status.remove_class("error")
        return rule

    def reload(self) -> None:
        """Show the first page for the current filter."""
        rule = self._filter()
        if rule is None:
            return
        page = self.journal.reflections.page(rule, 0, PAGE)
        entries = self.query_one("#entries", OptionList)
        highlighted = entries.highlighted
        entries.clear_options()
        now = self.clock()
        entries.add_options([reflection_option(e, now) for e in page.items])
        self.shown = len(page.items)
        self._total = page.total
        if page.items:
            entries.highlighted = min(highlighted or 0, len(page.items) - 1)
        self._show_counts(rule)
        entries.display = bool(page.items)
        empty = self.query_one("#entries-empty", Static)
        empty.display = not page.items
        empty.update("Nothing matches this filter." if rule.active else
                     "No reflections yet. Press n to write one, or w for today's prompt.")

    def _show_counts(self, rule: ReflectionFilter) -> None:
        total = self._total
        what = "reflection" if total == 1 else "reflections"
        text = f"{total} {what}" + (" match" if rule.active and total != 1 else " matches" if rule.active else "")
        if self.shown < total:
            text += f" · showing the newest {self.shown}, more load as you scroll"
        self.query_one("#filter-status", Static).update(text)

    @on(OptionList.OptionHighlighted, "#entries")
    def _maybe_load_more(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index >= self.shown - 20 and self.shown < self._total:
            rule = self._filter()
            if rule is None:
                return
            page = self.journal.reflections.page(rule, self.shown, PAGE)
            now = self.clock()
            event.option_list.add_options([reflection_option(e, now) for e in page.items])
            self.shown += len(page.items)
            self._show_counts(rule)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.reload()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#entries", OptionList).focus()

    @on(OptionList.OptionSelected, "#entries")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    # -- actions -------------------------------------------------------------------------------
    def _current(self) -> Reflection | None:
        entries = self.query_one("#entries", OptionList)
        if entries.highlighted is None or not entries.option_count:
            return None
        option_id = entries.get_option_at_index(entries.highlighted).id
        return self.journal.reflections.get(int(option_id)) if option_id else None

    def action_new(self) -> None:
        """Choose a prompt (or write freely) and start writing."""
        self.choose_and_write()

    def action_write_today(self) -> None:
        """Write to today's prompt."""
        self.write(self.journal.reflections.today_prompt())

    def action_filter(self) -> None:
        """Focus the filter field."""
        self.query_one("#filter", Input).focus()

    def action_clear(self) -> None:
        """Clear the filter, or go back Home when there is none."""
        field = self.query_one("#filter", Input)
        if not field.value and not field.has_focus:
            self.app.switch_mode("home")
            return
        field.value = ""
        self.query_one("#entries", OptionList).focus()

    def action_toggle_flagged(self) -> None:
        """Show only entries to bring to therapy, or all again."""
        field = self.query_one("#filter", Input)
        words = field.value.split()
        field.value = " ".join(w for w in words if w != "flagged") if "flagged" in words else " ".join([*words, "flagged"])

    @work
    async def action_open(self) -> None:
        """Read the highlighted entry in full."""
        entry = self._current()
        if entry is None:
            return
        when = entry.created.astimezone(self.clock().tzinfo).strftime("%A %d %B %Y, %H:%M")
        choice = await self.app.push_screen_wait(
            DetailDialog(when, reflection_body(entry, self.journal.contacts.names()))
        )
        if choice == "edit":
            self.write(None, entry)
        elif choice == "delete":
            await self._delete(entry)

    def action_edit(self) -> None:
        """Edit the highlighted entry."""
        entry = self._current()
        if entry is not None:
            self.write(None, entry)

    @work
    async def action_delete(self) -> None:
        """Delete the highlighted entry, after asking."""
        entry = self._current()
        if entry is not None:
            await self._delete(entry)

    async def _delete(self, entry: Reflection) -> None:
        question = f"Delete the entry from {entry.created.astimezone(self.clock().tzinfo):%d %b %Y}? It cannot be undone."
        if await self.app.push_screen_wait(ConfirmDialog(question, yes="Delete", no="Keep it")):
            assert entry.id is not None
            self.journal.reflections.delete(entry.id)
            self.reload()
