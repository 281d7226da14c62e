"""What every unlocked area shares: the area bar, the help line, the footer, the area keys."""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from companion.dialogs.choosers import PromptPickerDialog
from companion.dialogs.session import SessionDialog, SessionForm
from companion.domain.clock import Clock
from companion.domain.prompts import CUSTOM_THEME, Prompt, all_prompts
from companion.domain.reflection import Reflection
from companion.domain.session import Session
from companion.errors import CompanionError
from companion.services.journal import Journal
from companion.widgets.area_bar import AreaBar
from companion.widgets.urgent_help import UrgentHelp


AREAS_GROUP = Binding.Group("Areas", compact=True)


class AreaScreen(Screen[None]):
    """Base of Home, Reflections, Boundaries and Secure base."""

    AREA = ""
    BINDINGS = [
        Binding("1", "app.switch_area('home')", "Home", id="area.home", group=AREAS_GROUP),
        Binding("2", "app.switch_area('reflections')", "Reflections", id="area.reflections", group=AREAS_GROUP),
        Binding("3", "app.switch_area('boundaries')", "Boundaries", id="area.boundaries", group=AREAS_GROUP),
        Binding("4", "app.switch_area('secure')", "Secure base", id="area.secure", group=AREAS_GROUP),
        Binding("5", "app.switch_area('share')", "Share", id="area.share", group=AREAS_GROUP),
        Binding("6", "app.switch_area('sessions')", "Sessions", id="area.sessions", group=AREAS_GROUP),
        Binding("question_mark", "app.help", "Keys", id="help"),
    ]

    def __init__(self, journal: Journal, clock: Clock) -> None:
        super().__init__()
        self.journal = journal
        self.clock = clock

    def compose_body(self) -> ComposeResult:
        """The area's own content."""
        yield from ()

    def compose(self) -> ComposeResult:
        yield AreaBar(self.AREA)
        yield from self.compose_body()
        yield UrgentHelp()
        yield Footer(compact=True)

    def on_screen_resume(self) -> None:
        # Fires on first showing too, so this is the one place an area reads the journal.
        self.reload()

    def reload(self) -> None:
        """Read again from the journal (after a change, or coming back to this area)."""

    # -- writing flows shared by Home and Reflections ----------------------------------------------
    def write(self, prompt: Prompt | None, entry: Reflection | None = None) -> None:
        """Open the editor on a new entry (with a prompt, or free) or an existing one."""
        from companion.screens.editor import EditorScreen

        self.app.push_screen(EditorScreen(self.journal, self.clock, entry=entry, prompt=prompt))

    @work
    async def choose_and_write(self) -> None:
        """Ask which prompt, then open the editor."""
        service = self.journal.reflections
        choice = await self.app.push_screen_wait(
            PromptPickerDialog(service.today_prompt(), all_prompts(service.prompts.all()))
        )
        if choice is None:
            return
        prompt = choice.prompt
        if choice.new_prompt:
            service.add_prompt(choice.new_prompt)
            prompt = Prompt(CUSTOM_THEME, choice.new_prompt, custom=True)
        self.write(prompt)

    def attempt(self, change: Callable[[], object]) -> bool:
        """Run a change to the journal; a failure (say, a full disk) is told plainly and nothing is lost."""
        try:
            change()
        except CompanionError as exc:
            self.notify(exc.message, severity="error", timeout=8)
            return False
        return True

    async def edit_session(self, session: Session | None, *, after: bool) -> None:
        """Open the session dialog (on the take-aways once it was held) and save what it returns."""
        boundaries = {b.id: b.boundary for b in self.journal.boundaries.all() if b.id is not None}
        result = await self.app.push_screen_wait(
            SessionDialog(session, self.clock().date().isoformat(), boundaries, self.journal.contacts.names(),
                          after=after))
        if isinstance(result, SessionForm):
            self.attempt(lambda: self.journal.sessions.close(result.session, mark_discussed=result.mark_discussed))
