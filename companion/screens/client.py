"""How a screen works with the journal: every job runs on the journal's own thread, in order, and its
result comes back to the screen; a failure is told in one plain sentence by the App."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from textual.screen import Screen

from companion.resources import JOURNAL_STYLES, stylesheets
from companion.settings import Settings

if TYPE_CHECKING:  # the journal loads with the unlock, not with the screens that ask it
    from companion.domain.prompts import Prompt
    from companion.domain.reflection import Reflection
    from companion.services.journal import Journal

T = TypeVar("T")


class DraftHolder(Protocol):
    """A screen holding words being written (the editor): its draft is kept, and it is emptied on a lock."""

    def draft_state(self) -> dict[str, Any] | None: ...

    def wipe(self) -> None: ...


class JournalHost(Protocol):
    """What screens need of the App (it lives above them; they never import it)."""

    def journal_job(self, job: Callable[[Journal], T], then: Callable[[T], object] | None = None) -> None: ...

    async def journal_ask(self, job: Callable[[Journal], T], fallback: T) -> T: ...

    def open_editor(self, *, entry: Reflection | None = None, prompt: Prompt | None = None,
                    experiment: int | None = None, people: list[int] | None = None) -> None: ...

    def editor_opened(self, editor: DraftHolder) -> None: ...

    def editor_closed(self, editor: DraftHolder) -> None: ...

    @property
    def demo(self) -> bool: ...

    vault_path: Path  # the journal file (this device's own copies are named after it)
    settings: Settings  # what the person can change without unlocking (the crisis lines among it)


class JournalScreen(Screen[None]):
    """A screen that reads and changes the journal (never on the event loop)."""

    CSS_PATH = stylesheets(JOURNAL_STYLES)  # read when the first of them shows (see resources.py)

    @property
    def host(self) -> JournalHost:
        """The App, seen through what screens may ask of it."""
        return cast(JournalHost, self.app)

    def run(self, job: Callable[[Journal], T], then: Callable[[T], object] | None = None) -> None:
        """Do `job` on the journal's thread; `then` gets its result here. A failure is told plainly."""
        self.host.journal_job(job, then)

    async def ask(self, job: Callable[[Journal], T], fallback: T) -> T:
        """Do `job` on the journal's thread and wait for it (inside a worker); `fallback` if it failed."""
        return await self.host.journal_ask(job, fallback)
