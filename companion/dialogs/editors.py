"""Editors for boundaries and contacts: forms that return a record, or None; they save nothing."""

from __future__ import annotations

import contextlib
from datetime import date

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea
from textual.widgets.select import InvalidSelectValueError

from companion.dialogs.base import Dialog
from companion.dialogs.confirm import UnsavedDialog
from companion.domain.boundary import STATUSES, Boundary
from companion.domain.clock import parse_day
from companion.domain.contact import RINGS, ROLES, SUPPORT_KINDS, Contact
from companion.widgets.ticks import TickBox


def row(label: str, widget: Input | Select[str] | Select[int]) -> Horizontal:
    return Horizontal(Label(label, classes="form-label"), widget, classes="form-row")


Fields = dict[str, str | bool | int | None]


class FormDialog(Dialog[object]):
    """A form with an error line; ctrl+s returns the record built from it.

    A form that holds the person's words (`WHAT` names it) asks before escape throws changed fields away,
    and gives its fields (never a passphrase) to be kept sealed when the journal locks with it open: the
    opener says what it was (`kept_as`), and `refill` puts kept fields back when it opens again.
    """

    BINDINGS = [
        Binding("ctrl+s", "submit", "Save", id="form.save"),
        Binding("escape", "close", "Cancel", id="form.cancel"),
    ]
    TITLE_TEXT = ""
    HINT = "ctrl+s save · tab next field · escape cancel"
    WHAT = ""  # "This boundary", ...: empty for forms of paths and passphrases (backup, restore)
    kept_as: dict[str, object] | None = None
    refill: Fields | None = None
    _opened: Fields | None = None

    def form_rows(self) -> list[Widget]:
        """The rows of the form."""
        return []

    def build(self) -> object:
        """The record from the fields; raise ValueError with a plain sentence when something is off."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form"):
            yield Static(self.TITLE_TEXT, classes="dialog-title")
            yield from self.form_rows()
            yield Static("", id="form-error", classes="dialog-error")
            yield Static(self.HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self._opened = self.fields()
        if self.refill:
            self.fill(self.refill)
        self.first_focus().focus()

    # -- the person's words: asked about on escape, kept on a lock ---------------------------------------
    def fields(self) -> Fields:
        """Every field by id, as it stands (a passphrase field is never among them)."""
        values: Fields = {}
        for widget in self.query("Input, TextArea, Select, Checkbox"):
            if widget.id is None or (isinstance(widget, Input) and widget.password):
                continue
            if isinstance(widget, Input):
                values[widget.id] = widget.value
            elif isinstance(widget, TextArea):
                values[widget.id] = widget.text
            elif isinstance(widget, Select):
                chosen = widget.value
                values[widget.id] = chosen if isinstance(chosen, str | int) else None
            elif isinstance(widget, Checkbox):
                values[widget.id] = widget.value
        return values

    def fill(self, values: Fields) -> None:
        """Put kept values back into the fields that are still here."""
        for field_id, value in values.items():
            for widget in self.query(f"#{field_id}"):
                if isinstance(widget, Input) and isinstance(value, str) and not widget.password:
                    widget.value = value
                elif isinstance(widget, TextArea) and isinstance(value, str):
                    widget.text = value
                elif isinstance(widget, Select):
                    with contextlib.suppress(InvalidSelectValueError):  # the person or boundary has gone
                        widget.value = value
                elif isinstance(widget, Checkbox) and isinstance(value, bool):
                    widget.value = value

    @property
    def changed(self) -> bool:
        """Whether a field differs from what the form opened with."""
        return self._opened is not None and self.fields() != self._opened

    def kept_state(self) -> dict[str, object] | None:
        """What to seal when the journal locks with this form open (None: nothing typed to keep)."""
        if not self.WHAT or self.kept_as is None or not self.changed:
            return None
        return {**self.kept_as, "fields": self.fields()}

    def action_close(self) -> None:
        """Close; when words were typed, ask first (save, discard, keep editing)."""
        if not self.WHAT or not self.changed:
            self.dismiss(None)
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                self.action_submit()
            elif answer == "discard":
                self.dismiss(None)

        self.app.push_screen(UnsavedDialog(self.WHAT), answered)

    def first_focus(self) -> Widget:
        """The field the cursor starts in."""
        return self.query(Input).first()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Check the form and return the record."""
        try:
            record = self.build()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(record)

    def show_error(self, sentence: str) -> None:
        """Say what is wrong, where it can be seen (a tall form scrolls to it)."""
        error = self.query_one("#form-error", Static)
        error.update(sentence)
        self.call_after_refresh(error.scroll_visible, animate=False)

    def value(self, field_id: str) -> str:
        """A text field's value."""
        return self.query_one(f"#{field_id}", Input).value.strip()


class BoundaryDialog(FormDialog):
    """New or edited boundary note."""

    def __init__(self, boundary: Boundary | None, contacts: dict[int, str]) -> None:
        super().__init__()
        self._boundary = boundary
        self._contacts = contacts
        self.TITLE_TEXT = "Edit boundary" if boundary else "A new boundary"
        self.WHAT = "This boundary"

    def form_rows(self) -> list[Widget]:
        b = self._boundary
        contact_options = [(name, cid) for cid, name in sorted(self._contacts.items(), key=lambda kv: kv[1])]
        return [
            row("With whom", Input(b.who if b else "", id="who", compact=True,
                                   placeholder="a person, a place, a habit")),
            row("Boundary", Input(b.boundary if b else "", id="boundary", compact=True, placeholder="in one sentence")),
            row("Why", Input(b.why if b else "", id="why", compact=True, placeholder="why it matters to me")),
            row("How I'll say it", Input(b.script if b else "", id="script", compact=True,
                                         placeholder="words to rehearse")),
            row("Status", Select([(label, key) for key, label in STATUSES.items()], value=b.status if b else "thinking",
                                  allow_blank=False, id="status", compact=True)),
            row("Review on", Input(b.review_on.isoformat() if b and b.review_on else "", id="review",
                                    compact=True, placeholder="YYYY-MM-DD, optional")),
            row("Linked person", Select(contact_options, value=b.contact_id if b and b.contact_id in self._contacts
                                         else Select.NULL, id="contact", compact=True, prompt="none")),
        ]

    def build(self) -> Boundary:
        contact = self.query_one("#contact", Select).value
        status = self.query_one("#status", Select).value
        old = self._boundary
        return Boundary(
            who=self.value("who"), boundary=self.value("boundary"), why=self.value("why"),
            script=self.value("script"), status=str(status), review_on=parse_day(self.value("review")),
            contact_id=contact if isinstance(contact, int) else None,
            events=list(old.events) if old else [], id=old.id if old else None,
        )


class ContactDialog(FormDialog):
    """New or edited secure-base contact."""

    def __init__(self, contact: Contact | None) -> None:
        super().__init__()
        self._contact = contact
        self.TITLE_TEXT = "Edit person" if contact else "Someone in your secure base"
        self.WHAT = "This person's card"

    def form_rows(self) -> list[Widget]:
        c = self._contact
        return [
            row("Name", Input(c.name if c else "", id="name", compact=True)),
            row("Role", Select([(label, key) for key, label in ROLES.items()], value=c.role if c else "secure-base",
                                allow_blank=False, id="role", compact=True)),
            row("Ring", Select([(f"{label} to me", key) for key, label in RINGS.items()],
                               value=(c.ring or Select.NULL) if c else "close", id="ring", compact=True,
                               prompt="not placed yet")),
            *self._kinds_rows(),
            row("How they help", Input(c.supports if c else "", id="supports", compact=True)),
            row("What I offer", Input(c.offer if c else "", id="offer", compact=True)),
            row("How to reach", Input(c.reach if c else "", id="reach", compact=True)),
            row("Reconnect every", Input(str(c.reconnect_days) if c and c.reconnect_days else "", id="every",
                                          compact=True, placeholder="days, optional")),
        ]

    def _kinds_rows(self) -> list[Widget]:
        # two kinds a row, so the ticks fit at 80 columns
        kinds = list(SUPPORT_KINDS.items())
        chosen = self._contact.kinds if self._contact else []
        return [Horizontal(Label("They offer" if n == 0 else "", classes="form-label"),
                           *(TickBox(label, kind in chosen, id=f"kind-{kind}", compact=True)
                             for kind, label in kinds[n:n + 2]),
                           classes="form-row tick-row kinds" + (" end" if n + 2 >= len(kinds) else ""))
                for n in range(0, len(kinds), 2)]

    def build(self) -> Contact:
        every = self.value("every")
        if every and not every.isdigit():
            raise ValueError("Reconnect every needs a whole number of days, or nothing.")
        old = self._contact
        ring = self.query_one("#ring", Select).value
        return Contact(
            name=self.value("name"), role=str(self.query_one("#role", Select).value),
            supports=self.value("supports"), offer=self.value("offer"), reach=self.value("reach"),
            reconnect_days=int(every) if every else None,
            interactions=list(old.interactions) if old else [], ring=ring if isinstance(ring, str) else "",
            kinds=[k for k in SUPPORT_KINDS if self.query_one(f"#kind-{k}", Checkbox).value],
            id=old.id if old else None,
        )


class LogDialog(FormDialog):
    """Log an interaction or a boundary event: a number key picks the kind, Enter saves."""

    WHAT = "This moment"

    def __init__(self, title: str, kinds: dict[str, str], today: str, supports: dict[str, str] | None = None) -> None:
        """`supports`: the kinds of support a moment with a person may carry (they are then asked too)."""
        super().__init__()
        self.TITLE_TEXT = title
        self._kinds = kinds
        self._today = today
        self._supports = supports

    def form_rows(self) -> list[Widget]:
        options = [(f"{i}  {label}", key) for i, (key, label) in enumerate(self._kinds.items(), start=1)]
        rows = [row("What happened", Select(options, value=next(iter(self._kinds)), allow_blank=False, id="kind",
                                            compact=True)),
                row("Note", Input("", id="note", compact=True, placeholder="optional"))]
        if self._supports:
            rows.append(row("Support", Select([(label, key) for key, label in self._supports.items()],
                                              id="support", compact=True, prompt="not said")))
        return [*rows, row("Day", Input(self._today, id="day", compact=True))]

    def first_focus(self) -> Widget:
        keys = f"1-{len(self._kinds)}"
        self.query_one(".dialog-hint", Static).update(f"{keys} choose what happened · ctrl+s save · escape cancel")
        return self.query_one("#kind", Select)

    def on_key(self, event: events.Key) -> None:
        # A number picks the kind and moves on to the note; inside a text field it is just a digit.
        if isinstance(self.focused, Input) or not (event.character and event.character.isdigit()):
            return
        index = int(event.character) - 1
        if 0 <= index < len(self._kinds):
            self.query_one("#kind", Select).value = list(self._kinds)[index]
            self.query_one("#note", Input).focus()
            event.prevent_default()
            event.stop()

    def build(self) -> tuple[str, str, date, str]:
        """(kind, note, day, the kind of support or "")."""
        day = parse_day(self.value("day"))
        if day is None:
            raise ValueError("The day is needed, like 2026-12-31.")
        support = self.query_one("#support", Select).value if self._supports else ""
        return (str(self.query_one("#kind", Select).value), self.value("note"), day,
                support if isinstance(support, str) else "")


class RestoreDialog(FormDialog):
    """Which backup to restore, and what opens it: returns (file, identity file, passphrase).

    Opened again with the last answer and `error` when the backup could not be opened.
    """

    TITLE_TEXT = "Restore from a backup"
    HINT = "ctrl+s open it (nothing is replaced before you confirm) · escape cancel"

    def __init__(self, answer: tuple[str, str, str] = ("", "", ""), error: str = "") -> None:
        super().__init__()
        self._answer, self._error = answer, error

    def form_rows(self) -> list[Widget]:
        backup, identity, secret = self._answer
        return [
            row("Backup file", Input(backup, id="backup", compact=True, placeholder="path to the .age backup")),
            row("age key file", Input(identity, id="identity", compact=True, placeholder="optional: from age-keygen")),
            row("or passphrase", Input(secret, id="secret", compact=True, password=True,
                                        placeholder="the backup's passphrase")),
        ]

    def on_mount(self) -> None:  # FormDialog's own on_mount runs too: Textual calls each class's handler
        self.query_one("#form-error", Static).update(self._error)

    def build(self) -> tuple[str, str, str]:
        if not self.value("backup"):
            raise ValueError("Which backup file? Type its path.")
        if not self.value("identity") and not self.query_one("#secret", Input).value:
            raise ValueError("Give the age key file, or the backup's passphrase.")
        return self.value("backup"), self.value("identity"), self.query_one("#secret", Input).value


class BackupDialog(FormDialog):
    """Where the whole-journal backup goes and what opens it: returns (file, age keys, passphrase).

    A blank passphrase means one is made and shown once. Opened again with `error` when it could not be written.
    """

    TITLE_TEXT = "Back up the whole journal"
    HINT = "ctrl+s write it · leave the passphrase empty to get one made for you · escape cancel"

    def __init__(self, answer: tuple[str, str, str], error: str = "") -> None:
        super().__init__()
        self._answer, self._error = answer, error

    def form_rows(self) -> list[Widget]:
        path, recipients, secret = self._answer
        return [
            row("Save as", Input(path, id="path", compact=True)),
            row("age keys", Input(recipients, id="recipients", compact=True,
                                  placeholder="optional: age1... public keys, space separated")),
            row("Opens with", Input(secret, id="secret", password=True, compact=True,
                                    placeholder="empty: one is made and shown once")),
            row("Once more", Input(secret, id="again", password=True, compact=True, placeholder="the same again")),
        ]

    def on_mount(self) -> None:  # FormDialog's own on_mount runs too: Textual calls each class's handler
        self.query_one("#form-error", Static).update(self._error)

    def build(self) -> tuple[str, str, str]:
        secret = self.query_one("#secret", Input).value
        if not self.value("path"):
            raise ValueError("Where should the backup go? Type a file name.")
        if secret != self.query_one("#again", Input).value:
            raise ValueError("The two passphrases are not the same.")
        return self.value("path"), self.value("recipients"), secret

