"""Home: today's prompt, who to reconnect with, what to review, how the month has felt."""

from __future__ import annotations

from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from companion.domain.clock import friendly_day, greeting
from companion.domain.prompts import THEME_LABELS, THEME_SHORT
from companion.domain.reflection import Reflection
from companion.errors import CompanionError
from companion.screens.area import AreaScreen
from companion.services.journal import Summary
from companion.widgets.charts import ScaleChart

EMPTY = "Nothing written yet. Press w to answer today's prompt, or n to choose another."


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def reflection_option(entry: Reflection, now: datetime) -> Option:
    """One list row: date, theme, a flag mark, the first line (Content: never parsed as markup)."""
    when = entry.created.astimezone(now.tzinfo).strftime("%a %d %b %Y %H:%M")
    theme = THEME_SHORT.get(entry.theme or "", "free")
    mark = ("⚑ " if entry.flagged else "  ", "bold")
    return Option(Content.assemble((when, "dim"), "  ", (f"{theme:<12}", "italic dim"), mark, entry.first_line),
                  id=str(entry.id))


class HomeScreen(AreaScreen):
    """The first screen after unlocking."""

    AREA = "home"
    BINDINGS = [
        Binding("w", "write_today", "Write", id="home.write"),
        Binding("s", "skip_prompt", "Another prompt", id="home.skip", show=False),
        Binding("n", "new", "Choose a prompt", id="home.new", show=False),
        Binding("m", "merge_copies", "Merge copies", id="home.merge"),
        Binding("t", "takeaways", "Take-aways", id="home.takeaways"),
    ]

    skip = 0

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="home"):
            yield Static("", id="greeting")
            yield Static("", id="counts")
            with Vertical(id="prompt-card"):
                yield Static("", id="prompt-theme")
                yield Static("", id="prompt-text")
                yield Static("w write to it · s another prompt · n choose a prompt", id="prompt-keys")
            yield Static("", id="conflicts")
            yield Static("", id="session-line")
            yield Static("", id="due")
            with Vertical(id="sparks"):
                yield ScaleChart("Mood, 30 days", "1 very low … 5 very good", id="mood-spark")
                yield ScaleChart("Reliance, 30 days", "1 alone … 5 leaning", id="reliance-spark")
            yield Static("", id="flagged")
            yield Static("Newest reflections", classes="section-title")
            yield OptionList(id="newest")
            yield Static(EMPTY, id="newest-empty")

    def reload(self) -> None:
        """Read the summary again."""
        now = self.clock()
        summary = self.journal.summary(newest=5, prompt_skip=self.skip)
        self.query_one("#greeting", Static).update(greeting(now))
        self.query_one("#counts", Static).update(
            "Your journal holds "
            f"{_plural(summary.reflections, 'reflection', 'reflections')}, "
            f"{_plural(summary.boundaries, 'boundary note', 'boundary notes')} and "
            f"{_plural(summary.contacts, 'person', 'people')} in your secure base."
        )
        self.query_one("#prompt-theme", Static).update(
            Content.assemble(("Today's prompt", "bold"), ("  " + THEME_LABELS[summary.prompt.theme], "dim"))
        )
        self.query_one("#prompt-text", Static).update(Content(summary.prompt.text))
        self._show_conflicts()
        self._waiting = summary.waiting_session
        line = self.query_one("#session-line", Static)
        line.display = self._waiting is not None
        if self._waiting is not None:
            line.update(Content.assemble(f"Anything you want to keep from {self._waiting.called(now.date())}? ",
                                         ("t to note it, whenever you like", "dim")))
        self.query_one("#due", Static).update(self._due_text(summary, now))
        self.query_one("#mood-spark", ScaleChart).show(summary.mood)
        self.query_one("#reliance-spark", ScaleChart).show(summary.reliance)
        flagged = self.query_one("#flagged", Static)
        flagged.update(f"{_plural(summary.flagged, 'entry is', 'entries are')} marked to bring to therapy.")
        flagged.display = summary.flagged > 0
        newest = self.query_one("#newest", OptionList)
        newest.clear_options()
        newest.add_options([reflection_option(entry, now) for entry in summary.newest])
        newest.display = bool(summary.newest)
        self.query_one("#newest-empty").display = not summary.newest

    def _show_conflicts(self) -> None:
        copies = self.journal.conflicts()
        line = self.query_one("#conflicts", Static)
        line.display = bool(copies)
        if copies:
            names = ", ".join(c.name for c in copies)
            line.update(Content.assemble(
                ("A sync tool left another copy of your journal: ", "bold"), names,
                ". Press m to merge it in; nothing is lost either way."))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "merge_copies":
            return bool(self.journal.conflicts())
        if action == "takeaways":
            return getattr(self, "_waiting", None) is not None
        return True

    @work
    async def action_takeaways(self) -> None:
        """Note what you took away from the session Home asks about."""
        if self._waiting is not None:
            await self.edit_session(self._waiting, after=True)
            self.reload()

    def action_merge_copies(self) -> None:
        """Merge the copies a sync tool left beside the journal; each then moves into backups/."""
        for copy in self.journal.conflicts():
            try:
                report, moved = self.journal.merge_copy(copy)
            except CompanionError as exc:
                self.notify(exc.message, severity="error", timeout=10)
                continue
            self.notify(f"{report.sentence()} The copy was moved to {moved}.", timeout=10)
        self.reload()

    def _due_text(self, summary: Summary, now: datetime) -> Content:
        today = now.date()
        parts: list[str | tuple[str, str]] = []
        if summary.due_contacts:
            people = ", ".join(f"{c.name} (last {friendly_day(c.last_contact, today)})" for c in summary.due_contacts)
            parts.extend([("Reconnect when you can: ", "bold"), people])
        if summary.due_boundaries:
            if parts:
                parts.append("\n")
            notes = ", ".join(b.boundary for b in summary.due_boundaries)
            parts.extend([("Boundaries to look at again: ", "bold"), notes])
        return Content.assemble(*parts) if parts else Content("Nothing is waiting for you. Take your time.")

    def action_write_today(self) -> None:
        """Write to the prompt shown."""
        self.write(self.journal.reflections.today_prompt(self.skip))

    def action_skip_prompt(self) -> None:
        """Show the next prompt in the rotation."""
        self.skip += 1
        self.reload()

    def action_new(self) -> None:
        """Choose a prompt, or write freely."""
        self.choose_and_write()
