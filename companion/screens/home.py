"""Home: a greeting, what the journal holds, and the newest reflections."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from companion.domain.clock import Clock, greeting
from companion.domain.reflection import Reflection
from companion.services.journal import Journal
from companion.widgets.urgent_help import UrgentHelp

EMPTY = "Nothing written yet. Whenever you are ready, you can add a reflection from a shell: companion add"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class HomeScreen(Screen[None]):
    """The first screen after unlocking."""

    TITLE = "companion"
    SUB_TITLE = "Home"

    def __init__(self, journal: Journal, clock: Clock) -> None:
        super().__init__()
        self._journal = journal
        self._clock = clock

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        with Vertical(id="home"):
            yield Static("", id="greeting")
            yield Static("", id="counts")
            yield Static("Newest reflections", classes="section-title")
            yield OptionList(id="newest")
            yield Static(EMPTY, id="newest-empty")
        yield UrgentHelp()
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the summary again from the journal."""
        now = self._clock()
        summary = self._journal.summary(newest=8)
        self.query_one("#greeting", Static).update(greeting(now))
        self.query_one("#counts", Static).update(
            "Your journal holds "
            f"{_plural(summary.reflections, 'reflection', 'reflections')}, "
            f"{_plural(summary.boundaries, 'boundary note', 'boundary notes')} and "
            f"{_plural(summary.contacts, 'person', 'people')} in your secure base."
        )
        newest = self.query_one("#newest", OptionList)
        newest.clear_options()
        newest.add_options([self._option(entry, now) for entry in summary.newest])
        newest.display = bool(summary.newest)
        self.query_one("#newest-empty").display = not summary.newest

    @staticmethod
    def _option(entry: Reflection, now: datetime) -> Option:
        when = entry.created.astimezone(now.tzinfo).strftime("%a %d %b %Y  %H:%M")
        # Content, not a markup string: the person's words are never parsed as markup
        return Option(Content.assemble((when, "dim"), "  ·  ", entry.first_line), id=str(entry.id))
