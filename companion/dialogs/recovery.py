"""The recovery key: what it is, showing a new one once, using one when the passphrase is forgotten,
and the small Security card that leads to both. Dialogs return values; they save nothing."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from companion.dialogs.base import Dialog
from companion.dialogs.passphrase import PassphraseForm, new_passphrase_problem
from companion.domain.passphrase import MIN_LENGTH

EXPLAIN = ("A recovery key opens your journal if you ever forget your passphrase. Anyone who has it can "
           "open your journal too, so keep it somewhere safe, away from this computer.")


class SecurityDialog(Dialog[str]):
    """Passphrase and recovery key: returns 'passphrase' or 'recovery'."""

    BINDINGS = [
        Binding("p", "choose('passphrase')", "Change passphrase", id="security.passphrase"),
        Binding("r", "choose('recovery')", "New recovery key", id="security.recovery"),
        Binding("escape", "close", "Close", id="security.close"),
    ]

    def __init__(self, has_recovery_key: bool) -> None:
        super().__init__()
        self._has = has_recovery_key

    def compose(self) -> ComposeResult:
        state = ("You have a recovery key. Making a new one retires it: it will open nothing." if self._has
                 else "You have no recovery key yet.")
        with VerticalScroll(classes="dialog", id="security"):
            yield Static("Passphrase and recovery key", classes="dialog-title")
            yield Static(EXPLAIN, classes="dialog-text")
            yield Static(state, classes="dialog-text")
            yield Static("p change your passphrase · r make a new recovery key · escape close", classes="dialog-hint")

    def action_choose(self, choice: str) -> None:
        """Return the choice."""
        self.dismiss(choice)


class PassphraseCheckDialog(Dialog[str]):
    """Your passphrase once more (to make a recovery key); returns it."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form", id="passphrase-check"):
            yield Static("A new recovery key", classes="dialog-title")
            yield Static(EXPLAIN, classes="dialog-text")
            yield Horizontal(Label("Your passphrase", classes="form-label"),
                             Input(id="current", password=True, compact=True, placeholder="then Enter"),
                             classes="form-row")
            yield Static("enter make it · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#current", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value:
            self.dismiss(event.value)


class RecoveryKeyDialog(Dialog[str]):
    """A new recovery key, shown once; returns a path to save it to (0600), or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save to file", id="recovery.save"),
        Binding("ctrl+y", "copy", "Copy", id="recovery.copy", priority=True),
        Binding("escape", "close", "Done", id="recovery.done"),
    ]

    def __init__(self, code: str, suggested_path: str, error: str = "") -> None:
        super().__init__()
        self._code, self._path, self._error = code, suggested_path, error

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form", id="recovery-key"):
            yield Static("Your recovery key", classes="dialog-title")
            yield Static(self._code, id="recovery-code", classes="dialog-lines", markup=False)
            yield Static(EXPLAIN + " It is shown only now: write it down, or save it to a file (readable by "
                         "you alone) and move that file somewhere safe.", classes="dialog-text")
            yield Horizontal(Label("Save to", classes="form-label"), Input(self._path, id="path", compact=True),
                             classes="form-row")
            yield Static(self._error, id="form-error", classes="dialog-error")
            yield Static("ctrl+s save to that file · ctrl+y copy · escape done (I have written it down)",
                         classes="dialog-hint")

    def action_copy(self) -> None:
        """Copy the key (OSC 52)."""
        self.copy_out(self._code, "your recovery key")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Return the path to save the key to."""
        path = self.query_one("#path", Input).value.strip()
        if path:
            self.dismiss(path)


@dataclass(frozen=True)
class Recovery:
    """What the forgotten-passphrase dialog returns."""

    code: str
    new_passphrase: str


class ForgotPassphraseDialog(PassphraseForm[Recovery]):
    """I forgot my passphrase: the recovery key, then a new passphrase twice."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Open", id="forgot.open"),
        Binding("escape", "close", "Cancel", id="forgot.cancel"),
    ]
    FIELDS = (("code", "Recovery key", "XXXX-XXXX-…"), ("new", "New passphrase", f"at least {MIN_LENGTH} characters"),
              ("again", "Once more", "the same again"))
    PLAIN = ("code",)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form", id="forgot"):
            yield Static("Forgot your passphrase?", classes="dialog-title")
            yield Static("Your recovery key opens the journal; then choose a new passphrase. Without a recovery "
                         "key, nobody can open it, not even companion.", classes="dialog-text")
            yield from self.field_rows()
            yield Static("", id="form-error", classes="dialog-error")
            yield Static("enter next field · ctrl+s open · escape cancel", classes="dialog-hint")

    def action_submit(self) -> None:
        """Check the fields and return them."""
        code, new, again = self.values()
        if not code.strip():
            self.refuse("Type your recovery key first.")
        elif problem := new_passphrase_problem(new, again):
            self.refuse(problem)
        else:
            self.dismiss(Recovery(code.strip(), new))
