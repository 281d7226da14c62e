"""Home: today's prompt, who to reconnect with, what to review, how the month has felt."""

from __future__ import annotations

from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static

from companion.dialogs.info import NoticeDialog
from companion.domain.clock import friendly_day, greeting
from companion.domain.insight import INSIGHT_DAYS, NOT_A_CAUSE, Noticing
from companion.domain.prompts import THEME_LABELS
from companion.domain.text import plural
from companion.screens.area import AreaScreen
from companion.services.journal import Summary
from companion.widgets.charts import ScaleChart
from companion.widgets.rows import reflection_row

EMPTY = "Nothing written yet. Press w to answer today's prompt, or n to choose another."


class HomeScreen(AreaScreen):
    """The first screen after unlocking."""

    AREA = "home"
    BINDINGS = [
        Binding("w", "write_today", "Write", id="home.write"),
        Binding("s", "skip_prompt", "Another prompt", id="home.skip", show=False),
        Binding("n", "new", "Choose a prompt", id="home.new", show=False),
        Binding("m", "merge_copies", "Merge copies", id="home.merge"),
        Binding("t", "takeaways", "Take-aways", id="home.takeaways"),
        Binding("i", "connection", "Connection", id="home.connection"),
    ]

    skip = 0
    summary: Summary | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="home"):
            yield Static("", id="greeting")
            yield Static("", id="counts")
            with Vertical(id="prompt-card"):
                yield Static("", id="prompt-theme")
                yield Static("", id="prompt-text")
                yield Static("w write to it · s another prompt · n choose a prompt", id="prompt-keys")
            yield Static("", id="conflicts")
            yield Static("", id="set-aside")
            yield Static("", id="session-line")
            yield Static("", id="due")
            with Vertical(id="sparks"):
                yield ScaleChart("Mood, 30 days", "1 very low … 5 very good", id="mood-spark",
                                 short=("Mood", "1 low…5 good"))
                yield ScaleChart("Reliance, 30 days", "1 alone … ▄▅ healthy middle … 5 leaning",
                                 id="reliance-spark", short=("Reliance", "▄▅ the healthy middle", "▄▅ the middle"),
                                 middle=True)
            yield Static("", id="practice")
            yield Static("", id="flagged")
            yield Static("Newest reflections", classes="section-title")
            yield OptionList(id="newest")
            yield Static(EMPTY, id="newest-empty")

    def reload(self) -> None:
        """Read the summary again (on the journal's thread)."""
        skip = self.skip
        self.run(lambda j: j.summary(newest=5, prompt_skip=skip), self.show)

    def show(self, summary: Summary) -> None:
        """Draw what the summary holds."""
        if not self.is_mounted:
            return
        self.summary = summary
        now = self.clock()
        self.query_one("#greeting", Static).update(greeting(now))
        self.query_one("#counts", Static).update(holdings(summary.reflections, summary.boundaries, summary.contacts))
        self.query_one("#prompt-theme", Static).update(
            Content.assemble(("Today's prompt", "bold"), ("  " + THEME_LABELS[summary.prompt.theme], "dim"))
        )
        self.query_one("#prompt-text", Static).update(Content(summary.prompt.text))
        conflicts = self.query_one("#conflicts", Static)
        conflicts.display = bool(summary.conflicts)
        conflicts.update(Content.assemble(
            ("A sync tool left another copy of your journal: ", "bold"), ", ".join(summary.conflicts),
            ". Press m to merge it in; nothing is lost either way."))
        set_aside = self.query_one("#set-aside", Static)
        set_aside.display = bool(summary.set_aside)
        set_aside.update(Content.assemble(
            ("Kept aside for you to bring back: ", "bold"), ", ".join(summary.set_aside),
            ". Press m to merge it in beside what is here."))
        line = self.query_one("#session-line", Static)
        line.display = summary.waiting_session is not None
        if summary.waiting_session is not None:
            line.update(Content.assemble(
                f"Anything you want to keep from {summary.waiting_session.called(now.date())}? ",
                ("t to note it, whenever you like", "dim")))
        due = self._due_text(summary, now)
        self.query_one("#due", Static).update(due or "Nothing is waiting for you. Take your time.")
        self.query_one("#due", Static).display = bool(due) or summary.waiting_session is None  # one or the other
        self.query_one("#mood-spark", ScaleChart).show(summary.mood)
        self.query_one("#reliance-spark", ScaleChart).show(summary.reliance)
        practice = [line for line in (summary.asks_tried, summary.connection) if line]
        shown = self.query_one("#practice", Static)
        shown.update(Content("\n".join(practice)))
        shown.display = bool(practice)
        flagged = self.query_one("#flagged", Static)
        flagged.update(f"{plural(summary.flagged, 'entry is', 'entries are')} marked to bring to therapy.")
        flagged.display = summary.flagged > 0
        newest = self.query_one("#newest", OptionList)
        newest.clear_options()
        newest.add_options([reflection_row(entry, now.tzinfo, self.size.width) for entry in summary.newest])
        newest.display = bool(summary.newest)
        self.query_one("#newest-empty").display = not summary.newest
        self.refresh_bindings()

    def _due_text(self, summary: Summary, now: datetime) -> Content | None:
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
        return Content.assemble(*parts) if parts else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "merge_copies":
            return self.summary is not None and bool(self.summary.conflicts or self.summary.set_aside)
        if action == "takeaways":
            return self.summary is not None and self.summary.waiting_session is not None
        return True

    def action_write_today(self) -> None:
        """Write to the prompt shown."""
        if self.summary is not None:
            self.write(self.summary.prompt)

    def action_skip_prompt(self) -> None:
        """Show the next prompt in the rotation."""
        self.skip += 1
        self.reload()

    def action_new(self) -> None:
        """Choose a prompt, or write freely."""
        self.choose_and_write()

    def action_merge_copies(self) -> None:
        """Merge the copies a sync tool left beside the journal and those kept aside; each then moves into
        backups/ (a kept one is renamed merged-…)."""

        def tell(lines: list[str]) -> None:
            for line in lines:
                self.notify(line, timeout=10)
            self.reload()

        self.run(lambda journal: journal.merge_waiting(), tell)

    def action_connection(self) -> None:
        """What connection does to a week: mood and reliance on days of reaching out, and after an ask."""
        def show(found: list[Noticing]) -> None:
            self.app.push_screen(NoticeDialog("What connection does to a week", connection_text(found)))

        self.run(lambda journal: journal.asks.noticings(), show)

    @work(group="area-dialog")
    async def action_takeaways(self) -> None:
        """Note what you took away from the session Home asks about."""
        if self.summary is not None and self.summary.waiting_session is not None:
            await self.edit_session(self.summary.waiting_session, after=True)
            self.reload()


def holdings(reflections: int, boundaries: int, people: int) -> str:
    """What the journal holds, naming only what is there, and what can be done first when it is new."""
    if not (reflections or boundaries or people):
        return "Your journal is ready: w writes, 3 keeps a boundary, 4 adds someone you can turn to."
    held = [plural(n, one, many) for n, one, many in ((reflections, "reflection", "reflections"),
                                                     (boundaries, "boundary note", "boundary notes"),
                                                     (people, "person in your secure base",
                                                      "people in your secure base")) if n]
    listed = held[0] if len(held) == 1 else ", ".join(held[:-1]) + " and " + held[-1]
    return f"Your journal holds {listed}."


def connection_text(found: list[Noticing]) -> str:
    """The insight view's words: each noticing with its days, and that it is noticed, not a cause."""
    parts = [f"Over the last {INSIGHT_DAYS} days, from the check-ins in your reflections and the moments logged "
             "with your secure base (4):"]
    for noticing in found:
        parts.append(f"On days {noticing.days_are}:\n" + "\n".join(f"• {line}" for line in noticing.lines()))
    parts.append(NOT_A_CAUSE)
    return "\n\n".join(parts)
