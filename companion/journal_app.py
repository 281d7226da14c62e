"""The journal's side of the App: one thread on which every journal job runs in order (results and failures
come back to the event loop), and the words being written, drafts and open forms, kept sealed when the journal
closes. `CompanionApp` (app.py) adds the areas, the lock and unlock, and hanging up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from textual.message import Message
from textual.screen import Screen

from companion.errors import CompanionError
from companion.screens.client import DraftHolder
from companion.terminal_app import TerminalApp

if TYPE_CHECKING:  # the journal loads with the unlock, not with the app
    from companion.services.journal import Journal
    from companion.services.runner import JournalRunner

T = TypeVar("T")


class OnScreen(NamedTuple):
    """Words on the screens when the journal closes: each editor's draft, and the open form's fields."""

    drafts: list[dict[str, Any]]
    form: dict[str, object] | None


class JournalApp(TerminalApp):
    """The journal's thread, and the editors and forms whose words are kept when it closes."""

    def __init__(self, settings_file: Path) -> None:
        super().__init__(settings_file)
        self.runner: JournalRunner | None = None
        self._editors: list[DraftHolder] = []
        self._modes_added: set[str] = set()
        self._words_kept: OnScreen | None = None  # taken when a lock came, before its screens went

    # -- modes (our own bookkeeping: Textual keeps its own privately) --------------------------------
    def _add_mode(self, mode: str, screen: Callable[[], Screen[Any]] | type[Screen[Any]]) -> None:
        if mode not in self._modes_added:
            self.add_mode(mode, screen)
            self._modes_added.add(mode)

    async def _remove_mode(self, mode: str) -> None:
        if mode in self._modes_added:
            self._modes_added.discard(mode)
            await self.remove_mode(mode)

    @property
    def unlocked(self) -> bool:
        """Whether a journal is open."""
        return self.runner is not None

    # -- the journal's thread: every job in order; results and failures come back here -----------------
    def journal_job(self, job: Callable[[Journal], T], then: Callable[[T], object] | None = None) -> None:
        """Run `job` on the journal's thread; `then(result)` runs here. A CompanionError is told plainly."""
        if self.runner is None:
            return
        future = asyncio.wrap_future(self.runner.submit(job))
        self.run_worker(self._finish(future, then), group="journal")

    async def _finish(self, future: Awaitable[T], then: Callable[[T], object] | None) -> None:
        try:
            result = await future
        except CompanionError as exc:
            self.notify(exc.message, severity="error", timeout=10)
            return
        if then is not None:
            then(result)

    async def journal_ask(self, job: Callable[[Journal], T], fallback: T) -> T:
        """Run `job` on the journal's thread and wait for it; on a CompanionError, tell it and give `fallback`."""
        if self.runner is None:
            return fallback
        try:
            return await asyncio.wrap_future(self.runner.submit(job))
        except CompanionError as exc:
            self.notify(exc.message, severity="error", timeout=10)
            return fallback

    class Told(Message):
        """What a job on the journal had to tell (a merge, a save not confirmed), handed on as it ended."""

        def __init__(self, lines: list[str]) -> None:
            super().__init__()
            self.lines = lines

    def on_journal_app_told(self, event: Told) -> None:
        if self.runner is not None:  # the lock screen shows nothing of the journal's
            self.tell(event.lines)

    def tell(self, lines: list[str]) -> None:
        """Each sentence for the person, in a notice of its own."""
        for line in lines:
            self.notify(line, timeout=8)

    # -- editors and forms: their words are kept when the journal closes -------------------------------
    def editor_opened(self, editor: DraftHolder) -> None:
        """An editor is on screen (its draft is kept on lock, quit and hang-up)."""
        self._editors.append(editor)

    def editor_closed(self, editor: DraftHolder) -> None:
        """An editor went away."""
        if editor in self._editors:
            self._editors.remove(editor)

    def _drafts(self) -> list[dict[str, Any]]:
        return [state for editor in self._editors if (state := editor.draft_state()) is not None]

    def _open_form(self) -> dict[str, object] | None:
        """The fields of the form on screen, if it holds typed words (a form is modal: one at most)."""
        from companion.dialogs.editors import FormDialog  # loaded with the journal, not with the app

        forms = [state for screen in self.screen_stack
                 if isinstance(screen, FormDialog) and (state := screen.kept_state()) is not None]
        return forms[-1] if forms else None

    def _words_on_screen(self) -> OnScreen:
        """The unfinished entries and the open form's fields, as they are now."""
        return OnScreen(self._drafts(), self._open_form())

    def _close_journal(self, timeout: float | None = None) -> None:
        """Keep every unfinished entry (after what is queued), then lock the journal: the words taken when a
        lock came (its screens are gone), else those on the screens now."""
        runner, self.runner = self.runner, None
        if runner is None:
            return
        words, self._words_kept = self._words_kept, None
        drafts, form = words if words is not None else self._words_on_screen()

        def keep(journal: Journal) -> None:
            for state in drafts:
                journal.reflections.keep_draft(state)
            if form is not None:
                journal.keep_form(form)

        try:
            runner.close(keep, timeout)
        except CompanionError as exc:
            self.notify(exc.message, severity="error", timeout=10)
