"""The unlock screen: one passphrase field; the App does the slow work."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, LoadingIndicator, Static

from companion.screens.gate import PassphraseEntered
from companion.widgets.urgent_help import UrgentHelp


class UnlockScreen(Screen[None]):
    """Asks for the passphrase without echo and shows an unlocking state."""

    busy: reactive[bool] = reactive(False)
    error: reactive[str] = reactive("")

    def compose(self) -> ComposeResult:
        with Container(id="gate"):
            with Vertical(id="gate-card"):
                yield Static("companion", id="gate-title")
                yield Static("Your journal is locked. Welcome back.", id="gate-lead")
                with Horizontal(classes="field"):
                    yield Label("Passphrase", classes="field-label")
                    yield Input(password=True, id="passphrase", compact=True, placeholder="then press Enter")
                yield LoadingIndicator(id="unlocking")
                yield Static("", id="gate-status")
                yield Static("", id="gate-error")
        yield UrgentHelp()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy or not event.value:
            return
        self.error = ""
        self.busy = True
        self.post_message(PassphraseEntered(event.value, create=False))

    def watch_busy(self, busy: bool) -> None:
        field = self.query_one("#passphrase", Input)
        field.disabled = busy
        self.query_one("#unlocking").display = busy
        self.query_one("#gate-status").display = busy
        self.query_one("#gate-status", Static).update("Unlocking…" if busy else "")
        if not busy:
            field.focus()

    def watch_error(self, error: str) -> None:
        line = self.query_one("#gate-error", Static)
        line.update(error)
        line.display = bool(error)

    def failed(self, message: str) -> None:
        """The App could not unlock: say so kindly and let the person try again."""
        self.busy = False
        field = self.query_one("#passphrase", Input)
        field.value = ""
        field.focus()
        self.error = message

    def reset(self) -> None:
        """Back to a clean, empty state (after locking)."""
        self.busy = False
        self.error = ""
        self.query_one("#passphrase", Input).value = ""
