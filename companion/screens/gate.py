"""What the create and unlock screens share: the card, the busy state, the error line."""

from __future__ import annotations

import rich.repr
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, LoadingIndicator, Static

from companion.widgets.key_bar import KeyBar
from companion.widgets.urgent_help import UrgentHelp


class PassphraseEntered(Message):
    """The person entered a passphrase (to unlock, or to create a journal and maybe a recovery key)."""

    def __init__(self, passphrase: str, create: bool, recovery_key: bool = False) -> None:
        super().__init__()
        self.passphrase = passphrase
        self.create = create
        self.recovery_key = recovery_key

    def __rich_repr__(self) -> rich.repr.Result:
        yield "create", self.create  # never the passphrase itself


class RecoveryEntered(Message):
    """The passphrase was forgotten: open with this recovery key and set this new passphrase."""

    def __init__(self, code: str, new_passphrase: str) -> None:
        super().__init__()
        self.code = code
        self.new_passphrase = new_passphrase

    def __rich_repr__(self) -> rich.repr.Result:
        yield "recovery", True  # never the key or the passphrase


class GateScreen(Screen[None]):
    """A centred card with passphrase fields; the App does the slow work and reports back."""

    BUSY_TEXT = "Working…"
    busy: reactive[bool] = reactive(False)
    error: reactive[str] = reactive("")

    def compose_fields(self) -> ComposeResult:
        """The card's own content, between the title and the status lines."""
        yield from ()

    def compose(self) -> ComposeResult:
        with Container(id="gate"), Vertical(id="gate-card"):
            yield from self.compose_fields()
            yield Static("", id="gate-status")  # the busy state's spinner is mounted above it only while busy
            yield Static("", id="gate-error")
        yield UrgentHelp()
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def watch_busy(self, busy: bool) -> None:
        for widget in self.query("#gate-card Input, #gate-card Button"):
            widget.disabled = busy
        spinners = self.query("#unlocking")
        if busy and not spinners:  # mounted only while busy: it redraws 16 times a second, shown or not
            self.query_one("#gate-card").mount(LoadingIndicator(id="unlocking"), before="#gate-status")
        elif not busy:
            spinners.remove()
        status = self.query_one("#gate-status", Static)
        status.update(self.BUSY_TEXT if busy else "")
        status.display = busy

    def watch_error(self, error: str) -> None:
        line = self.query_one("#gate-error", Static)
        line.update(error)
        line.display = bool(error)

    def failed(self, message: str) -> None:
        """The App could not go on: show why, kindly, and let the person try again."""
        self.busy = False
        self.error = message
        self.query_one("#passphrase", Input).focus()

    def forget(self) -> None:
        """Empty every field: the journal is open, and a passphrase must not wait in a widget."""
        for field in self.query(Input):
            field.value = ""

    def submit(self, passphrase: str, create: bool, recovery_key: bool = False) -> None:
        """Hand the passphrase to the App and show the busy state."""
        self.error = ""
        self.busy = True
        self.post_message(PassphraseEntered(passphrase, create, recovery_key))
