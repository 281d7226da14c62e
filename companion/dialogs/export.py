"""How the export is made: who it is from, what to bring up, the session, the format and what opens it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from companion.dialogs.editors import FormDialog, row
from companion.domain.clock import parse_day
from companion.domain.passphrase import export_passphrase_problem

FORMATS = [("PDF (opens in any reader)", "pdf"), ("age (Markdown, for an age key)", "age")]
CHECKINS = [("only the entries shared", "shared"), ("every day's check-ins (numbers only)", "all")]


@dataclass(frozen=True)
class ExportForm:
    """What the dialog returns; `action` is 'write' or 'preview' (show the file first, then come back)."""

    author: str
    note: str
    session: date | None
    fmt: str
    passphrase: str
    recipients: str
    path: str
    action: str = "write"
    checkins: str = "shared"  # where the charts come from (see export.CHECKINS)


class ExportDialog(FormDialog):
    """The second step of sharing; it checks what it can and returns an ExportForm."""

    TITLE_TEXT = "How your therapist will receive it"
    HINT = "ctrl+s write it · ctrl+r preview · escape back"
    WHAT = "This export"
    BINDINGS = [Binding("ctrl+r", "preview", "Preview", id="export.preview")]

    def __init__(self, form: ExportForm, error: str = "", sources: dict[str, str] | None = None) -> None:
        """`sources`: for each choice of check-ins, the sentence the page will say about its charts."""
        super().__init__()
        self._form, self._error, self._sources = form, error, sources or {}

    def form_rows(self) -> list[Widget]:
        f = self._form
        when = f.session.isoformat() if f.session else ""
        return [
            row("From", Input(f.author, id="author", compact=True, placeholder="your name or initials (optional)")),
            row("To bring up", Input(f.note, id="note", compact=True,
                                     placeholder="what you want to talk about (optional)")),
            row("For session on", Input(when, id="session", compact=True,
                                        placeholder="YYYY-MM-DD, optional: kept in Sessions")),
            row("Charts from", Select(CHECKINS, value=f.checkins, allow_blank=False, id="checkins", compact=True)),
            Static("", id="checkins-said", classes="form-note"),
            row("Format", Select(FORMATS, value=f.fmt, allow_blank=False, id="format", compact=True)),
            row("Opens with", Input(f.passphrase, id="secret", password=True, compact=True,
                                    placeholder="your own passphrase, or empty for six random words")),
            row("Once more", Input(f.passphrase, id="again", password=True, compact=True,
                                   placeholder="the same again, so a typo cannot lock them out")),
            row("age keys", Input(f.recipients, id="recipients", compact=True,
                                  placeholder="age only: age1… keys, separated by spaces")),
            row("Save as", Input(f.path, id="path", compact=True)),
        ]

    def on_mount(self) -> None:  # FormDialog's own on_mount runs too: Textual calls each class's handler
        self.query_one("#form-error", Static).update(self._error)
        self._format_shown(self._form.fmt)
        self._source_shown(self._form.checkins)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "checkins":
            self._source_shown(str(event.value))
        if event.select.id != "format":
            return
        fmt = str(event.value)
        path = self.query_one("#path", Input)
        stem = path.value.removesuffix(".md.age").removesuffix(".pdf")
        path.value = stem + (".pdf" if fmt == "pdf" else ".md.age")
        self._format_shown(fmt)

    def _source_shown(self, checkins: str) -> None:
        """Where the charts come from, every time, in the words the page will use."""
        self.query_one("#checkins-said", Static).update(self._sources.get(checkins, ""))

    def _format_shown(self, fmt: str) -> None:
        self.query_one("#recipients", Input).disabled = fmt == "pdf"

    def action_preview(self) -> None:
        """Show exactly what the file will hold, then come back here."""
        self._finish("preview")

    def action_submit(self) -> None:
        """Check the fields and write the file."""
        self._finish("write")

    def _finish(self, action: str) -> None:
        try:
            form = self.read_form(action)
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(form)

    def build(self) -> ExportForm:
        return self.read_form("write")

    def read_form(self, action: str) -> ExportForm:
        """The fields as an ExportForm; ValueError with a plain sentence when something is off."""
        fmt = str(self.query_one("#format", Select).value)
        secret = self.query_one("#secret", Input).value
        recipients = self.value("recipients") if fmt == "age" else ""
        if action == "write":
            if secret and secret != self.query_one("#again", Input).value:
                raise ValueError("The two passphrases are not the same yet; type the second one again.")
            problem = export_passphrase_problem(secret, fmt) if secret else None
            if problem:
                raise ValueError(problem)
            if secret and recipients:
                raise ValueError("An age file opens with age keys or with a passphrase; leave one of them empty.")
            if not self.value("path"):
                raise ValueError("Where should the file go? Type a path.")
        return ExportForm(self.value("author"), self.value("note"), parse_day(self.value("session")), fmt, secret,
                          recipients, self.value("path"), action, str(self.query_one("#checkins", Select).value))
