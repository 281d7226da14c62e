"""Forms that set a new passphrase (typed twice), and changing it: the current one, then the new one
twice. They return values and save nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from companion.dialogs.base import Dialog
from companion.domain.passphrase import MIN_LENGTH, strength_hint, too_short

T = TypeVar("T")


class PassphraseForm(Dialog[T]):
    """Fields in order (enter moves to the next, the last submits) ending in a new passphrase twice."""

    FIELDS: tuple[tuple[str, str, str], ...] = ()  # (id, label, placeholder); all hidden except PLAIN
    PLAIN: tuple[str, ...] = ()

    def field_rows(self) -> Iterator[Horizontal]:
        """One labelled row per field."""
        for field_id, label, hint in self.FIELDS:
            yield Horizontal(Label(label, classes="form-label"),
                             Input(id=field_id, password=field_id not in self.PLAIN, compact=True, placeholder=hint),
                             classes="form-row")

    def values(self) -> tuple[str, ...]:
        """What the fields hold, in order."""
        return tuple(self.query_one(f"#{field_id}", Input).value for field_id, _, _ in self.FIELDS)

    def on_mount(self) -> None:
        self.query_one(f"#{self.FIELDS[0][0]}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        order = [field_id for field_id, _, _ in self.FIELDS]
        position = order.index(event.input.id) if event.input.id in order else len(order) - 1
        if position + 1 < len(order):
            self.query_one(f"#{order[position + 1]}", Input).focus()
        else:
            self.action_submit()

    def action_submit(self) -> None:
        """Check the fields and return the value."""

    def refuse(self, error: str) -> None:
        """Say what is wrong, in the form."""
        self.query_one("#form-error", Static).update(error)


def new_passphrase_problem(new: str, again: str) -> str:
    """A sentence when the new passphrase (typed twice) will not do, else ''."""
    if too_short(new):
        return f"The new passphrase needs at least {MIN_LENGTH} characters."
    if new != again:
        return "The two new passphrases are not the same yet."
    return ""


class ChangePassphraseDialog(PassphraseForm[tuple[str, str]]):
    """Three hidden fields; the App checks the current passphrase and re-seals everything."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Change", id="passphrase.change"),
        Binding("escape", "close", "Cancel", id="passphrase.cancel"),
    ]
    FIELDS = (("current", "Current", "the passphrase you use now"),
              ("new", "New", f"at least {MIN_LENGTH} characters"), ("again", "New, again", "the same again"))

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form", id="change-passphrase"):
            yield Static("Change your passphrase", classes="dialog-title")
            yield Static("Your journal, its backups and kept copies are all sealed again under the new one; "
                         "the old passphrase will open none of them.", classes="dialog-text")
            yield from self.field_rows()
            yield Static(strength_hint(""), id="strength", classes="dialog-hint")
            yield Static("", id="form-error", classes="dialog-error")
            yield Static("enter next field · ctrl+s change · escape cancel", classes="dialog-hint")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "new":
            self.query_one("#strength", Static).update(strength_hint(event.value))

    def action_submit(self) -> None:
        """Check the fields and return (current, new)."""
        current, new, again = self.values()
        if not current:
            self.refuse("Type your current passphrase first.")
        elif problem := new_passphrase_problem(new, again):
            self.refuse(problem)
        elif new == current:
            self.refuse("That is the passphrase you have now.")
        else:
            self.dismiss((current, new))
