"""The in-app editor: a soft-wrapped TextArea (never an external editor), autosaved as a sealed draft."""

from __future__ import annotations

import dataclasses
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from companion.dialogs.choosers import PeopleDialog
from companion.dialogs.confirm import UnsavedDialog
from companion.domain.clock import Clock
from companion.domain.prompts import THEME_LABELS, Prompt
from companion.domain.reflection import MOODS, RELIANCE, Reflection
from companion.screens.client import JournalScreen
from companion.services.journal import Journal
from companion.widgets.key_bar import KeyBar
from companion.widgets.quiet_text import QuietTextArea
from companion.widgets.ticks import TickBox
from companion.widgets.urgent_help import DemoBanner, UrgentHelp

AUTOSAVE_SECONDS = 4.0


class EditorScreen(JournalScreen):
    """Write or edit one reflection."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save"),
        Binding("ctrl+o", "people", "People", id="editor.people"),
        Binding("escape", "leave", "Leave", id="editor.leave"),
        Binding("f1", "app.help", "Keys", id="editor.help"),
    ]

    def __init__(
        self,
        clock: Clock,
        *,
        entry: Reflection | None = None,
        prompt: Prompt | None = None,
        draft: dict[str, Any] | None = None,
        base: str | None = None,
    ) -> None:
        super().__init__()
        self.clock = clock
        if draft is not None:
            entry = Reflection.from_record(draft, draft.get("id"))
            base = draft.get("base")
        elif entry is None:
            entry = Reflection(text="", created=clock(), prompt=prompt.text if prompt else None,
                               theme=prompt.theme if prompt else None)
        self.entry = entry
        # Which stored version this edit started from: a draft carries it, so it is never saved
        # over a version that changed since.
        self._base = base
        self._saved_state = None if draft is not None else self._state_of(entry)
        self._draft_state: dict[str, Any] | None = None
        self._names: dict[int, str] = {}

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        e = self.entry
        title = "Editing a reflection" if e.id is not None else "A new reflection"
        if self.host.demo:
            yield DemoBanner()
        with Vertical(id="editor"):
            yield Static(title, id="editor-title")
            if e.prompt:
                yield Static(Content.assemble((THEME_LABELS.get(e.theme or "", "Prompt") + ": ", "dim"), e.prompt),
                             id="editor-prompt")
            yield QuietTextArea(e.text, id="text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
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
                yield TickBox("Bring to therapy", e.flagged, id="flagged", compact=True)
            yield Static("", id="people-line")
            yield Static("", id="editor-status")
        yield UrgentHelp()
        yield KeyBar()

    def on_mount(self) -> None:
        self.host.editor_opened(self)
        self.query_one("#text", TextArea).focus()
        self.run(lambda j: j.contacts.names(), self._got_names)
        self.set_interval(AUTOSAVE_SECONDS, self.keep_draft)

    def on_unmount(self) -> None:
        self.host.editor_closed(self)

    def wipe(self) -> None:
        """Empty every field (after locking the words must not wait in a widget)."""
        self.query_one("#text", TextArea).load_text("")  # the undo history too
        self.query_one("#tags", Input).value = ""
        self.entry = Reflection(text="", created=self.clock())
        self._saved_state = self._draft_state = None
        self._names = {}

    # -- state ---------------------------------------------------------------------------------
    def _state_of(self, e: Reflection) -> dict[str, Any]:
        # The stored form plus the id and base: what the draft holds, and what "unsaved" compares.
        return {"id": e.id, "base": self._base, **e.to_record()}

    def _collect(self) -> Reflection:
        """The entry as the fields hold it now (a fresh object: the journal's thread may be saving another)."""
        mood = self.query_one("#mood", Select).value
        reliance = self.query_one("#reliance", Select).value
        tags = [t for t in self.query_one("#tags", Input).value.replace(",", " ").split() if t.strip("#")]
        return dataclasses.replace(
            self.entry, text=self.query_one("#text", TextArea).text, tags=tags,
            mood=mood if isinstance(mood, int) else None, reliance=reliance if isinstance(reliance, int) else None,
            flagged=self.query_one("#flagged", Checkbox).value, contacts=list(self.entry.contacts))

    @property
    def dirty(self) -> bool:
        """Whether there are changes not saved to the vault."""
        return self._state_of(self._collect()) != self._saved_state

    def draft_state(self) -> dict[str, Any] | None:
        """What a draft would hold now, or None when there is nothing new to keep."""
        if not self.is_mounted:
            return None
        state = self._state_of(self._collect())
        return None if state in (self._draft_state, self._saved_state) else state

    def keep_draft(self) -> None:
        """Seal the unfinished entry aside when it changed (every few seconds)."""
        state = self.draft_state()
        if state is None:
            return
        self._draft_state = state
        self.run(lambda j: j.reflections.keep_draft(state),
                 lambda _: self._status(f"Draft kept safely at {self.clock().strftime('%H:%M')}."))

    def _status(self, text: str) -> None:
        if self.is_mounted:
            self.query_one("#editor-status", Static).update(text)

    def _got_names(self, names: dict[int, str]) -> None:
        self._names = names
        self._show_people()

    def _show_people(self) -> None:
        if not self.is_mounted:
            return
        chosen = [self._names[c] for c in self.entry.contacts if c in self._names]
        self.query_one("#people-line", Static).update(
            Content.assemble(("People: ", "dim"), ", ".join(chosen) or "none", ("   ctrl+o to choose", "dim"))
        )

    # -- actions -------------------------------------------------------------------------------
    def action_save(self) -> None:
        """Save to the vault and go back (on the journal's thread; a failure leaves the editor open)."""
        entry = self._collect()

        base = self._base

        def save(journal: Journal) -> tuple[Reflection, str | None]:
            journal.reflections.save(entry, base)
            journal.reflections.drop_draft()
            return entry, journal.reflections.revision(entry.id)

        self.run(save, self._saved)

    def _saved(self, result: tuple[Reflection, str | None]) -> None:
        entry, self._base = result
        self.entry = entry
        self._saved_state = self._state_of(entry)
        self.notify("Saved.", timeout=2)
        if self.is_current:
            self.dismiss()

    @work(group="editor-dialog")
    async def action_leave(self) -> None:
        """Go back, asking first when there are unsaved changes."""
        if not self.dirty:
            self.run(lambda j: j.reflections.drop_draft())
            self.dismiss()
            return
        answer = await self.app.push_screen_wait(UnsavedDialog())
        if answer == "save":
            self.action_save()
        elif answer == "discard":
            self.run(lambda j: j.reflections.drop_draft())
            self.dismiss()

    @work(group="editor-dialog")
    async def action_people(self) -> None:
        """Link secure-base people to this entry."""
        self._names = await self.ask(lambda j: j.contacts.names(), self._names)
        chosen = await self.app.push_screen_wait(PeopleDialog(self._names, self.entry.contacts))
        if chosen is not None:
            self.entry = dataclasses.replace(self.entry, contacts=chosen)
            self._show_people()
