"""Changing the passphrase: the current one, then the new one twice. Returns (current, new); saves nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from companion.dialogs.base import Dialog
from companion.domain.passphrase import MIN_LENGTH, strength_hint, too_short


class ChangePassphraseDialog(Dialog[tuple[str, str]]):
    """Three hidden fields; the App checks the current passphrase and re-seals everything."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Change", id="passphrase.change"),
        Binding("escape", "close", "Cancel", id="passphrase.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form", id="change-passphrase"):
            yield Static("Change your passphrase", classes="dialog-title")
            yield Static("Your journal, its backups and kept copies are all sealed again under the new one; "
                         "the old passphrase will open none of them.", classes="dialog-text")
            fields = (("current", "Current", "the passphrase you use now"),
                      ("new", "New", f"at least {MIN_LENGTH} characters"), ("again", "New, again", "the same again"))
            for field_id, label, hint in fields:
                yield Horizontal(Label(label, classes="form-label"),
                                 Input(id=field_id, password=True, compact=True, placeholder=hint), classes="form-row")
            yield Static(strength_hint(""), id="strength", classes="dialog-hint")
            yield Static("", id="form-error", classes="dialog-error")
            yield Static("enter next field · ctrl+s change · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#current", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "new":
            self.query_one("#strength", Static).update(strength_hint(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        following = {"current": "#new", "new": "#again"}.get(event.input.id or "")
        if following:
            self.query_one(following, Input).focus()
        else:
            self.action_submit()

    def action_submit(self) -> None:
        """Check the fields and return (current, new)."""
        current, new, again = (self.query_one(f"#{i}", Input).value for i in ("current", "new", "again"))
        error = ""
        if not current:
            error = "Type your current passphrase first."
        elif too_short(new):
            error = f"The new passphrase needs at least {MIN_LENGTH} characters."
        elif new != again:
            error = "The two new passphrases are not the same yet."
        elif new == current:
            error = "That is the passphrase you have now."
        if error:
            self.query_one("#form-error", Static).update(error)
            return
        self.dismiss((current, new))
