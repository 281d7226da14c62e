"""Asking for help, made a little easier: a short message to someone in the secure base, begun with a gentle
phrase if that helps. companion never sends it: it is copied for the person to send their own way."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, OptionList, Static

from companion.dialogs.base import Dialog
from companion.textual_private import MarkedOptionList
from companion.widgets.quiet_text import QuietTextArea
from companion.widgets.ticks import TickBox

STARTERS = [
    "Could you help me with something? ",
    "I'd really value your company this week. ",
    "Would you have some time to talk? I'm finding things hard at the moment. ",
    "I'm not used to asking, so bear with me: ",
    "No pressure at all, and it's fine to say no: ",
]


@dataclass(frozen=True)
class AskMessage:
    """The message written, and whether the ask is to be an experiment (its fear written down first)."""

    text: str
    experiment: bool


class AskDialog(Dialog[AskMessage]):
    """Write a short ask; ctrl+s returns it (the caller copies it, and logs that you asked or, as an experiment,
    asks for the prediction first)."""

    BINDINGS = [
        # Not a priority binding: ctrl+s waits for the letters typed before it to land in the message.
        Binding("ctrl+s", "done", "Copy and log", id="ask.done"),
        Binding("escape", "close", "Cancel", id="ask.cancel"),
    ]

    def __init__(self, name: str, reach: str = "") -> None:
        super().__init__()
        self._name, self._reach = name, reach

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form", id="ask"):
            yield Static(f"Ask {self._name}", classes="dialog-title")
            yield Static("Asking is part of a mutual relationship, not a burden on it. A way to begin, if it helps "
                         "(enter puts it in your message):", classes="dialog-text")
            yield MarkedOptionList(*(" " + starter for starter in STARTERS), id="starters", compact=True)
            yield QuietTextArea("", id="message", soft_wrap=True, compact=True)
            yield TickBox("Make it an experiment (write the fear down first)", id="experiment",
                          compact=True)
            if self._reach:
                yield Static(f"How to reach {self._name}: {self._reach}", classes="dialog-text", markup=False)
            yield Static("companion never sends anything: ctrl+s copies your message (and notes that you asked), "
                         "for you to send your own way · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#starters", OptionList).focus()

    @on(OptionList.OptionSelected, "#starters")
    def _start_with(self, event: OptionList.OptionSelected) -> None:
        message = self.query_one("#message", QuietTextArea)
        message.insert(STARTERS[event.option_index], message.document.start)
        message.focus()
        message.move_cursor(message.document.end)

    def action_done(self) -> None:
        """Return the message (nothing when it is empty)."""
        text = self.query_one("#message", QuietTextArea).text.strip()
        if text:
            self.dismiss(AskMessage(text, self.query_one("#experiment", Checkbox).value))
        else:
            self.notify("Write a few words first (or choose a way to begin).", timeout=5)
