"""The unlock screen: one passphrase field; the App does the slow work."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from companion.screens.gate import GateScreen, RecoveryEntered


class UnlockScreen(GateScreen):
    """Asks for the passphrase without echo and shows an unlocking state."""

    BUSY_TEXT = "Unlocking…"
    BINDINGS = [Binding("ctrl+r", "forgot", "Forgot my passphrase", id="unlock.forgot")]

    def __init__(self, note: str = "", typed: str = "") -> None:
        super().__init__()
        self.note = note  # why it locked, as the lead line says
        self._typed = typed  # typed into the field before this screen existed (while a lock changed processes)

    @work(group="gate-dialog")
    async def action_forgot(self) -> None:
        """Open with the recovery key and choose a new passphrase."""
        from companion.dialogs.recovery import ForgotPassphraseDialog, Recovery  # seldom: not at the start

        answer = await self.app.push_screen_wait(ForgotPassphraseDialog())
        if isinstance(answer, Recovery):
            self.error = ""
            self.busy = True
            self.post_message(RecoveryEntered(answer.code, answer.new_passphrase))

    def compose_fields(self) -> ComposeResult:
        yield Static("companion", id="gate-title")
        yield Static(_lead(self.note), id="gate-lead")
        with Horizontal(classes="field"):
            yield Label("Passphrase", classes="field-label")
            yield Input(password=True, id="passphrase", compact=True, placeholder="then press Enter")

    def on_mount(self) -> None:
        if self._typed:  # with the cursor after it, so what is typed next follows
            field = self.query_one("#passphrase", Input)
            field.value = self._typed
            field.cursor_position = len(self._typed)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.busy and event.value:
            self.submit(event.value, create=False)

    def failed(self, message: str) -> None:
        self.query_one("#passphrase", Input).value = ""
        super().failed(message)

    def reset(self, note: str = "") -> None:
        """Back to a clean, empty state (after locking); `note` says why, when it locked by itself."""
        self.busy = False
        self.error = ""
        self.note = note
        self.query_one("#gate-lead", Static).update(_lead(note))
        field = self.query_one("#passphrase", Input)
        field.value = ""
        field.focus()

    @property
    def typed(self) -> str:
        """What is typed in the passphrase field so far."""
        return self.query_one("#passphrase", Input).value


def _lead(note: str) -> str:
    return f"{note} Your journal is locked." if note else "Your journal is locked. Welcome back."
