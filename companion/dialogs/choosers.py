"""Choosers: which prompt to write to, and which people an entry is about."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from companion.dialogs.base import Dialog
from companion.domain.prompts import THEME_LABELS, Prompt
from companion.textual_private import MarkedOptionList
from companion.widgets.ticks import TickList


@dataclass(frozen=True)
class PromptChoice:
    """What the person chose to write: a prompt, freely (prompt None), or a new prompt of their own."""

    prompt: Prompt | None = None
    new_prompt: str = ""


class PromptPickerDialog(Dialog[PromptChoice]):
    """Pick today's prompt, a theme's prompt, write freely, or add a prompt of your own."""

    BINDINGS = [
        Binding("f", "free", "Write freely", id="picker.free"),
        Binding("a", "own", "Add my own prompt", id="picker.own"),
        Binding("escape", "close", "Close", id="picker.close"),
    ]

    def __init__(self, today: Prompt, prompts: list[Prompt]) -> None:
        super().__init__()
        self._today = today
        self._prompts = prompts

    def compose(self) -> ComposeResult:
        options: list[Option | None] = [
            Option(Content.assemble(" ", ("Today: ", "bold"), self._today.text), id="today"),
            Option(Content.assemble(" ", ("Write freely, no prompt", "italic")), id="free"),
        ]
        for theme, label in THEME_LABELS.items():
            group = [p for p in self._prompts if p.theme == theme]
            if not group:
                continue
            options.append(None)
            options.append(Option(Content.styled(label, "bold"), disabled=True))
            options.extend(Option(Content(f"   {p.text}"), id=f"p{self._prompts.index(p)}") for p in group)
        with Vertical(classes="dialog", id="picker"):
            yield Static("What would you like to write about?", classes="dialog-title")
            yield MarkedOptionList(*options, id="prompts")
            yield Input(id="own", placeholder="your own prompt, then Enter", compact=True)
            yield Static("enter choose · f write freely · a add my own prompt · escape close", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#own", Input).display = False
        self.query_one("#prompts", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id or ""
        if key == "today":
            self.dismiss(PromptChoice(self._today))
        elif key == "free":
            self.dismiss(PromptChoice())
        elif key.startswith("p"):
            self.dismiss(PromptChoice(self._prompts[int(key[1:])]))

    def action_free(self) -> None:
        """Write without a prompt."""
        self.dismiss(PromptChoice())

    def action_own(self) -> None:
        """Show the field for a prompt of the person's own."""
        field = self.query_one("#own", Input)
        field.display = True
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(PromptChoice(new_prompt=event.value.strip()))


class PeopleDialog(Dialog[list[int]]):
    """Choose which secure-base people an entry is linked to."""

    BINDINGS = [
        Binding("enter", "done", "Done", id="people.done", priority=True),
        Binding("escape", "close", "Cancel", id="people.cancel"),
    ]

    def __init__(self, people: dict[int, str], chosen: list[int]) -> None:
        super().__init__()
        self._people, self._chosen = people, chosen

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="people"):
            yield Static("Who is this entry about?", classes="dialog-title")
            if self._people:
                people = sorted(self._people.items(), key=lambda kv: kv[1])
                yield TickList[int](*[(Content(name), cid, cid in self._chosen) for cid, name in people],
                                         id="people-list")
            else:
                yield Static("Nobody in your secure base yet; add people from the Secure base area (4).",
                             classes="dialog-text")
            yield Static("space tick · enter done · escape cancel", classes="dialog-hint")

    def action_done(self) -> None:
        """Return the ticked people."""
        lists = self.query(SelectionList)
        self.dismiss(list(lists.first().selected) if lists else list(self._chosen))
