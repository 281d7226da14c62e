"""The first-run screen: choose a passphrase (twice), with a hint and an honest warning."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Static

from companion.domain.passphrase import MIN_LENGTH, strength_hint, too_short
from companion.screens.gate import PassphraseEntered
from companion.widgets.urgent_help import UrgentHelp

WARNING = (
    "A forgotten passphrase cannot be recovered, not even by companion. "
    "Keep it somewhere safe."
)


class CreateScreen(Screen[None]):
    """Creates a new journal: the App derives the key and writes the file."""

    busy: reactive[bool] = reactive(False)
    error: reactive[str] = reactive("")

    def compose(self) -> ComposeResult:
        with Container(id="gate"):
            with Vertical(id="gate-card"):
                yield Static("Welcome to companion", id="gate-title")
                yield Static(
                    "A private place to reflect on leaning on others and standing alone. "
                    "Everything here is encrypted with a passphrase only you know.",
                    id="gate-lead",
                )
                with Horizontal(classes="field"):
                    yield Label("Passphrase", classes="field-label")
                    yield Input(password=True, id="passphrase", compact=True,
                                placeholder=f"at least {MIN_LENGTH} characters")
                with Horizontal(classes="field"):
                    yield Label("Once more", classes="field-label")
                    yield Input(password=True, id="confirm", compact=True, placeholder="the same again")
                yield Static(strength_hint(""), id="strength")
                yield Static(WARNING, id="gate-warning")
                yield Button("Create my journal", id="create", variant="primary", compact=True)
                yield LoadingIndicator(id="unlocking")
                yield Static("", id="gate-status")
                yield Static("", id="gate-error")
        yield UrgentHelp()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "passphrase":
            self.query_one("#strength", Static).update(strength_hint(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "passphrase":
            self.query_one("#confirm", Input).focus()
        else:
            self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._submit()

    def _submit(self) -> None:
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
            self.error = ""
            self.busy = True
            self.post_message(PassphraseEntered(first, create=True))

    def watch_busy(self, busy: bool) -> None:
        for widget in self.query("Input, Button"):
            widget.disabled = busy
        self.query_one("#unlocking").display = busy
        self.query_one("#gate-status").display = busy
        self.query_one("#gate-status", Static).update("Creating your journal…" if busy else "")

    def watch_error(self, error: str) -> None:
        line = self.query_one("#gate-error", Static)
        line.update(error)
        line.display = bool(error)

    def failed(self, message: str) -> None:
        """Creating failed (say, the folder is not writable): show why and stay."""
        self.busy = False
        self.error = message
        self.query_one("#passphrase", Input).focus()
