"""What every unlocked area shares: the area bar, the help line, the footer, the area keys, and the way
an area works with the journal — jobs run on the journal's thread and come back here."""

from __future__ import annotations

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding

from companion.dialogs.choosers import PromptPickerDialog
from companion.dialogs.editors import Fields, FormDialog
from companion.dialogs.experiments import AfterDialog, ExperimentAfter
from companion.dialogs.session import SessionDialog, SessionForm, SharedEntry
from companion.domain.clock import Clock, day_text
from companion.domain.experiment import Experiment
from companion.domain.prompts import CUSTOM_THEME, Prompt, all_prompts
from companion.domain.reflection import Reflection
from companion.domain.session import Session
from companion.domain.text import clip
from companion.screens.client import JournalScreen
from companion.services.journal import Journal
from companion.widgets.area_bar import AreaBar
from companion.widgets.key_bar import KeyBar
from companion.widgets.rows import width_class
from companion.widgets.urgent_help import DemoBanner, UrgentHelp

AREAS_GROUP = Binding.Group("Areas", compact=True)


class AreaScreen(JournalScreen):
    """Base of every area: Home, Reflections, Boundaries, Secure base, Share, Sessions and Asks."""

    AREA = ""
    _width_class: str | None = None  # the layout rows were last built for (see on_resize)
    _refill: Fields | None = None  # kept fields the next form opens with (see reopen)
    BINDINGS = [
        Binding("1", "app.switch_area('home')", "Home", id="area.home", group=AREAS_GROUP),
        Binding("2", "app.switch_area('reflections')", "Reflections", id="area.reflections", group=AREAS_GROUP),
        Binding("3", "app.switch_area('boundaries')", "Boundaries", id="area.boundaries", group=AREAS_GROUP),
        Binding("4", "app.switch_area('secure')", "Secure base", id="area.secure", group=AREAS_GROUP),
        Binding("5", "app.switch_area('share')", "Share", id="area.share", group=AREAS_GROUP),
        Binding("6", "app.switch_area('sessions')", "Sessions", id="area.sessions", group=AREAS_GROUP),
        Binding("7", "app.switch_area('asks')", "Asks", id="area.asks", group=AREAS_GROUP),
        Binding("question_mark", "app.help", "Keys", id="help"),
    ]

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock

    def compose_body(self) -> ComposeResult:
        """The area's own content."""
        yield from ()

    def compose(self) -> ComposeResult:
        if self.host.demo:
            yield DemoBanner()
        yield AreaBar(self.AREA)
        yield from self.compose_body()
        yield UrgentHelp()
        yield KeyBar()

    def on_screen_resume(self) -> None:
        # Fires on first showing too, so this is the one place an area reads the journal.
        self.reload()

    def reload(self) -> None:
        """Read again from the journal (after a change, or coming back to this area)."""

    def on_resize(self, event: events.Resize) -> None:
        # Rows drop or regain columns with the width: build them again when the layout class changes.
        kind = width_class(event.size.width)
        if self._width_class not in (None, kind):
            self.reload()
        self._width_class = kind

    # -- forms: a lock with one open keeps its words, and they come back after unlocking ---------------
    async def form(self, dialog: FormDialog, act: str, record: int | None = None, *, area: str = "") -> object:
        """Show `dialog` and wait for its answer. It knows how to open it again (`act` on `record` in `area`),
        so a lock, a quit or a hang-up keeps its fields; kept fields waiting here are put back in it."""
        dialog.kept_as = {"area": area or self.AREA, "act": act, "record": record, **self.kept_with_form()}
        refilled, dialog.refill, self._refill = self._refill is not None, self._refill, None
        result = await self.app.push_screen_wait(dialog)
        if refilled:
            self.run(lambda journal: journal.drop_form())  # answered: the kept fields are done with
        return result

    def reopen(self, kept: dict[str, object]) -> None:
        """Open again the form a lock left open here, with its fields (kept: `act`, `record`, `fields`): the
        next form this area opens is filled with them (see form)."""
        fields = kept.get("fields")
        self._refill = fields if isinstance(fields, dict) else None
        self.open_kept(kept)

    def kept_with_form(self) -> dict[str, object]:
        """What of this screen a kept form needs to open again as it was (the Share screen's choice); plain
        data, sealed with the form's fields."""
        return {}

    def open_kept(self, kept: dict[str, object]) -> None:
        """Open the form `kept` names (`act` on `record`); nothing here by default."""

    # -- flows shared by more than one area ------------------------------------------------------------
    def write(self, prompt: Prompt | None, entry: Reflection | None = None) -> None:
        """Open the editor on a new entry (with a prompt, or free) or an existing one."""
        self.host.open_editor(entry=entry, prompt=prompt)

    @work(group="area-dialog")
    async def choose_and_write(self) -> None:
        """Ask which prompt, then open the editor."""
        found = await self.ask(lambda j: (j.reflections.today_prompt(), j.reflections.prompts.all()), None)
        if found is None:
            return
        today, custom = found
        choice = await self.app.push_screen_wait(PromptPickerDialog(today, all_prompts(custom)))
        if choice is None:
            return
        prompt = choice.prompt
        if choice.new_prompt:
            text = choice.new_prompt

            def keep(journal: Journal) -> bool:
                journal.reflections.add_prompt(text)
                return True

            if not await self.ask(keep, False):
                return
            prompt = Prompt(CUSTOM_THEME, text, custom=True)
        self.write(prompt)

    async def look_back(self, experiment: Experiment, whom: str, day: str = "") -> None:
        """How an ask went (on `day`, else today), written beside its prediction, and kept (from Asks, or after
        logging the ask)."""
        if experiment.id is None:
            return
        record_id, day = experiment.id, day or self.clock().date().isoformat()
        result = await self.form(AfterDialog(experiment, whom, day), "log", record_id, area="asks")
        if isinstance(result, ExperimentAfter):
            done = await self.ask(lambda j: j.asks.complete(record_id, result.day, result.happened,
                                                            result.belief_after, result.felt, result.learned), None)
            if done is not None:
                self.notify(f"Kept with your asks (7). You believed the fear at {done.belief_before} before, and "
                            f"at {done.belief_after} after.", timeout=6)

    async def edit_session(self, session: Session | None, *, after: bool) -> None:
        """Open the session dialog (on the take-aways once it was held) and save what it returns; a session
        already held lists the entries shared for it, each to tick when it was talked through."""
        now = self.clock()
        today = now.date()

        def gather(journal: Journal) -> tuple[dict[int, str], dict[int, str], list[SharedEntry]]:
            boundaries = {b.id: b.boundary for b in journal.boundaries.all() if b.id is not None}
            shared = []
            if session is not None and session.held(today):
                for entry in (journal.reflections.get(i) for i in session.shared_reflections):
                    if entry is not None and entry.id is not None:
                        when = day_text(entry.local(now.tzinfo))  # the day on the person's clock, not in UTC
                        shared.append(SharedEntry(entry.id, f"{when}  {clip(entry.first_line, 44)}",
                                                  entry.discussed == session.day))
            return boundaries, journal.contacts.names(), shared

        found = await self.ask(gather, None)
        if found is None:
            return
        boundaries, people, shared = found
        result = await self.form(SessionDialog(session, today.isoformat(), boundaries, people, after=after,
                                               shared=shared), "edit", session.id if session else None,
                                 area="sessions")
        if isinstance(result, SessionForm):
            await self.ask(lambda j: j.sessions.close(result.session, discussed=result.discussed), None)
