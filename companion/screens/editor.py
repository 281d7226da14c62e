"""The in-app editor: a soft-wrapped TextArea (never an external editor), autosaved as a sealed draft."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static, TextArea

from companion.dialogs.choosers import PeopleDialog
from companion.dialogs.confirm import UnsavedDialog
from companion.domain.clock import Clock
from companion.domain.prompts import THEME_LABELS, Prompt
from companion.domain.reflection import MOODS, RELIANCE, Reflection
from companion.errors import CompanionError
from companion.services.journal import Journal
from companion.widgets.urgent_help import UrgentHelp

AUTOSAVE_SECONDS = 4.0


class EditorScreen(Screen[None]):
    """Write or edit one reflection."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save"),
        Binding("ctrl+o", "people", "People", id="editor.people"),
        Binding("escape", "leave", "Leave", id="editor.leave"),
        Binding("f1", "app.help", "Keys", id="editor.help"),
    ]

    def __init__(
        self,
        journal: Journal,
        clock: Clock,
        *,
        entry: Reflection | None = None,
        prompt: Prompt | None = None,
        draft: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.journal = journal
        self.clock = clock
        if draft is not None:
            entry = Reflection.from_record(draft, draft.get("id"))
        elif entry is None:
            entry = Reflection(text="", created=clock(), prompt=prompt.text if prompt else None,
                               theme=prompt.theme if prompt else None)
        self.entry = entry
        # Which stored version this edit started from: a draft carries it, so it is never saved
        # over a version that changed since.
        self._base = draft.get("base") if draft is not None else journal.reflections.revision(entry.id)
        self._saved_state = None if draft is not None else self._state_of(entry)
        self._draft_state: dict[str, Any] | None = None

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        e = self.entry
        title = "Editing a reflection" if e.id is not None else "A new reflection"
        with Vertical(id="editor"):
            yield Static(title, id="editor-title")
            if e.prompt:
                yield Static(Content.assemble((THEME_LABELS.get(e.theme or "", "Prompt") + ": ", "dim"), e.prompt),
                             id="editor-prompt")
            yield TextArea(e.text, id="text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            with Horizontal(classes="meta-row"):
                yield Label("Mood", classes="meta-label")
                yield Select([(f"{k} {v}", k) for k, v in MOODS.items()], value=e.mood or Select.NULL,
                             prompt="not set", id="mood", compact=True)
                yield Label("Reliance", classes="meta-label")
                yield Select([(f"{k} {v}", k) for k, v in RELIANCE.items()], value=e.reliance or Select.NULL,
                             prompt="not set", id="reliance", compact=True)
            with Horizontal(classes="meta-row"):
                yield Label("Tags", classes="meta-label")
                yield Input(" ".join(f"#{t}" for t in e.tags), id="tags", compact=True, placeholder="#family #work")
                yield Checkbox("Bring to therapy", e.flagged, id="flagged", compact=True)
            yield Static("", id="people-line")
            yield Static("", id="editor-status")
        yield UrgentHelp()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#text", TextArea).focus()
        self._show_people()
        self.set_interval(AUTOSAVE_SECONDS, self.keep_draft)

    # -- state ---------------------------------------------------------------------------------
    def _state_of(self, e: Reflection) -> dict[str, Any]:
        # The stored form plus the id: what the draft holds, and what "unsaved" compares.
        return {"id": e.id, "base": self._base, **e.to_record()}

    def _collect(self) -> Reflection:
        e = self.entry
        mood = self.query_one("#mood", Select).value
        reliance = self.query_one("#reliance", Select).value
        e.text = self.query_one("#text", TextArea).text
        e.mood = mood if isinstance(mood, int) else None
        e.reliance = reliance if isinstance(reliance, int) else None
        e.tags = [t for t in self.query_one("#tags", Input).value.replace(",", " ").split() if t.strip("#")]
        e.flagged = self.query_one("#flagged", Checkbox).value
        return e

    @property
    def dirty(self) -> bool:
        """Whether there are changes not saved to the vault."""
        return self._state_of(self._collect()) != self._saved_state

    def keep_draft(self) -> None:
        """Seal the unfinished entry aside when it changed (runs every few seconds, and on lock)."""
        if not self.is_mounted:
            return
        state = self._state_of(self._collect())
        if state in (self._draft_state, self._saved_state):
            return
        try:
            self.journal.reflections.keep_draft(state)
        except CompanionError as exc:
            self._status(exc.message, error=True)
            return
        self._draft_state = state
        self._status(f"Draft kept safely at {self.clock().strftime('%H:%M')}.")

    def _status(self, text: str, error: bool = False) -> None:
        line = self.query_one("#editor-status", Static)
        line.update(text)
        line.set_class(error, "error")

    def _show_people(self) -> None:
        names = self.journal.contacts.names()
        chosen = [names[c] for c in self.entry.contacts if c in names]
        self.query_one("#people-line", Static).update(
            Content.assemble(("People: ", "dim"), ", ".join(chosen) or "none", ("   ctrl+o to choose", "dim"))
        )

    # -- actions -------------------------------------------------------------------------------
    def action_save(self) -> None:
        """Save to the vault and go back."""
        if self._save():
            self.dismiss()

    def _save(self) -> bool:
        entry = self._collect()
        try:
            self.journal.reflections.save(entry)
            self.journal.reflections.drop_draft()
        except CompanionError as exc:
            self._status(exc.message, error=True)
            return False
        self._base = self.journal.reflections.revision(entry.id)
        self._saved_state = self._state_of(entry)
        self.notify("Saved.", timeout=2)
        return True

    @work
    async def action_leave(self) -> None:
        """Go back, asking first when there are unsaved changes."""
        if not self.dirty:
            self.journal.reflections.drop_draft()
            self.dismiss()
            return
        answer = await self.app.push_screen_wait(UnsavedDialog())
        if answer == "save":
            self.action_save()
        elif answer == "discard":
            self.journal.reflections.drop_draft()
            self.dismiss()

    @work
    async def action_people(self) -> None:
        """Link secure-base people to this entry."""
        chosen = await self.app.push_screen_wait(PeopleDialog(self.journal.contacts.names(), self.entry.contacts))
        if chosen is not None:
            self.entry.contacts = chosen
            self._show_people()
