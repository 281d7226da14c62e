"""The first-run screen: choose a passphrase (twice), with a hint and an honest warning."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, Input, Label, Static

from companion.domain.passphrase import MIN_LENGTH, strength_hint, too_short
from companion.screens.gate import GateScreen
from companion.widgets.ticks import TickBox

WARNING = ("Nobody can open your journal without the passphrase, not even companion. A recovery key is the "
           "one way back if you forget it.")


class CreateScreen(GateScreen):
    """Creates a new journal: the App derives the key and writes the file."""

    BUSY_TEXT = "Creating your journal…"

    def compose_fields(self) -> ComposeResult:
        yield Static("Welcome to companion", id="gate-title")
        yield Static(
            "A private place to reflect on leaning on others and standing alone. "
            "Everything here is encrypted with a passphrase only you know.",
            id="gate-lead",
        )
        with Horizontal(classes="field"):
            yield Label("Passphrase", classes="field-label")
            yield Input(password=True, id="passphrase", compact=True, placeholder=f"at least {MIN_LENGTH} characters")
        with Horizontal(classes="field"):
            yield Label("Once more", classes="field-label")
            yield Input(password=True, id="confirm", compact=True, placeholder="the same again")
        yield Static(strength_hint(""), id="strength")
        yield Static(WARNING, id="gate-warning")
        yield TickBox("Also make a recovery key (shown once; keep it safe)", True,
                       id="recovery", compact=True)
        yield Button("Create my journal", id="create", variant="primary", compact=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "passphrase":
            self.query_one("#strength", Static).update(strength_hint(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "passphrase":
            self.query_one("#confirm", Input).focus()
        else:
            self._check_and_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._check_and_submit()

    def _check_and_submit(self) -> None:
        if self.busy:
            return
        first = self.query_one("#passphrase", Input).value
        second = self.query_one("#confirm", Input).value
        if too_short(first):
            self.error = f"Please choose at least {MIN_LENGTH} characters."
            self.query_one("#passphrase", Input).focus()
        elif first != second:
            self.error = "The two passphrases are not the same yet. Please type the second one again."
            confirm = self.query_one("#confirm", Input)
            confirm.value = ""
            confirm.focus()
        else:
            self.submit(first, create=True, recovery_key=self.query_one("#recovery", Checkbox).value)
