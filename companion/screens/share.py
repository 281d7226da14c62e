"""Share: choose exactly what your therapist sees, preview it, and write an encrypted PDF or age file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static

from companion.dialogs.confirm import ConfirmDialog
from companion.dialogs.editors import RestoreDialog
from companion.dialogs.info import DetailDialog, NoticeDialog
from companion.domain.clock import parse_day
from companion.domain.passphrase import MIN_LENGTH, too_short
from companion.errors import CompanionError
from companion.screens.area import AreaScreen
from companion.services.export import ExportChoice, ExportContent, candidates, narrow, to_markdown
from companion.services.backup import open_backup_files
from companion.services.sharing import ExportDone, produce


class ShareScreen(AreaScreen):
    """The consent-first export."""

    AREA = "share"
    _left_out: set[str] = set()
    BINDINGS = [
        Binding("ctrl+e", "export", "Export", id="share.export"),
        Binding("ctrl+r", "preview", "Preview", id="share.preview", show=False),
        Binding("ctrl+b", "restore", "Restore a backup", id="share.restore", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        today = self.clock().date()
        with Vertical(id="share"):
            yield Static("Choose what your therapist will see. Nothing is written until you press ctrl+e.",
                         id="share-lead")
            with Horizontal(classes="share-row"):
                yield Checkbox("Reflections", True, id="sec-reflections", compact=True)
                yield Checkbox("Boundaries", True, id="sec-boundaries", compact=True)
                yield Checkbox("Secure base", False, id="sec-contacts", compact=True)
                yield Checkbox("Their contact details", False, id="details", compact=True)
            with Horizontal(classes="share-row"):
                yield Label("Since", classes="share-label")
                yield Input((today - timedelta(days=30)).isoformat(), id="since", compact=True)
                yield Label("Until", classes="share-label")
                yield Input(today.isoformat(), id="until", compact=True)
                yield Checkbox("Only marked for therapy", True, id="flagged", compact=True)
            yield SelectionList[str](id="items")
            with Horizontal(classes="share-row"):
                yield Label("Format", classes="share-label")
                yield Select([("PDF (opens in any reader)", "pdf"), ("age (Markdown)", "age")], value="pdf",
                             allow_blank=False, id="format", compact=True)
                yield Input(id="recipient", compact=True, placeholder="age1… recipient key (optional)")
            with Horizontal(classes="share-row"):
                yield Label("Opens with", classes="share-label")
                yield Input(id="secret", password=True, compact=True,
                            placeholder="your own passphrase, or leave empty for six random words")
            with Horizontal(classes="share-row"):
                yield Label("Save as", classes="share-label")
                yield Input(str(Path.home() / f"companion-{today.isoformat()}.pdf"), id="path", compact=True)
            yield Static("", id="share-status")

    def on_mount(self) -> None:
        self._left_out = set()
        self._candidates = ExportContent(ExportChoice(), self.clock())  # filled by reload when shown

    # -- choosing ------------------------------------------------------------------------------------
    def _choice(self, picked: bool) -> ExportChoice:
        sections = frozenset(s for s in ("reflections", "boundaries", "contacts")
                             if self.query_one(f"#sec-{s}", Checkbox).value)
        items = self.query_one("#items", SelectionList)
        chosen = frozenset((v.split(":")[0], int(v.split(":")[1])) for v in items.selected) if picked else None
        return ExportChoice(
            sections=sections,
            since=parse_day(self.query_one("#since", Input).value),
            until=parse_day(self.query_one("#until", Input).value),
            flagged_only=self.query_one("#flagged", Checkbox).value,
            with_contact_details=self.query_one("#details", Checkbox).value,
            picked=chosen,
        )

    def reload(self) -> None:
        """List every candidate, all ticked; the person unticks what stays private."""
        try:
            content = candidates(self.journal, self._choice(picked=False))
        except ValueError as exc:
            self._status(str(exc), error=True)
            return
        self._candidates = content
        tz = self.clock().tzinfo
        items = self.query_one("#items", SelectionList)
        # Remember what the person left out, across filter changes and coming back from a preview.
        shown = {items.get_option_at_index(i).value for i in range(items.option_count)}
        ticked = set(items.selected)
        self._left_out = (self._left_out - ticked) | (shown - ticked)
        items.clear_options()
        rows = [(Content.assemble(("reflection  ", "dim"), r.created.astimezone(tz).strftime("%d %b %Y  "), r.first_line),
                 f"reflections:{r.id}") for r in content.reflections]
        rows += [(Content.assemble(("boundary    ", "dim"), b.boundary), f"boundaries:{b.id}") for b in content.boundaries]
        rows += [(Content.assemble(("person      ", "dim"), c.name), f"contacts:{c.id}") for c in content.contacts]
        items.add_options([(label, value, value not in self._left_out) for label, value in rows])
        self._count()

    @on(Checkbox.Changed)
    def _sections_changed(self) -> None:
        self.reload()

    @on(Input.Changed)
    def _dates_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("since", "until"):
            self.reload()

    @on(SelectionList.SelectedChanged)
    def _count(self) -> None:
        content = self._built()
        if content is not None:
            self._status(f"Will include {content.summary()} ({content.range_text()}). "
                         "ctrl+r preview · ctrl+e export · ctrl+b restore a backup")

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        stem = Path(path.value).with_suffix("")
        path.value = str(stem.with_suffix(".pdf" if event.value == "pdf" else ".md.age"))
        self.query_one("#recipient", Input).disabled = event.value == "pdf"

    def _status(self, text: str, error: bool = False) -> None:
        line = self.query_one("#share-status", Static)
        line.update(text)
        line.set_class(error, "error")

    def _built(self) -> ExportContent | None:
        """What the file would hold now (the listed candidates, narrowed to the ticks), or None."""
        try:
            picked = self._choice(picked=True).picked  # also checks the dates
        except ValueError as exc:
            self._status(str(exc), error=True)
            return None
        return narrow(self._candidates, picked)

    def _content(self) -> ExportContent | None:
        content = self._built()
        if content is None:
            return None
        if content.empty:
            self._status("Nothing is chosen yet.", error=True)
            return None
        return content

    # -- preview and export --------------------------------------------------------------------------
    def action_preview(self) -> None:
        """Show exactly what the file will contain."""
        content = self._content()
        if content is not None:
            text = to_markdown(content, self.journal.contacts.names())
            self.app.push_screen(DetailDialog("Preview: exactly what the file will hold", Content(text), actions=False))

    def action_export(self) -> None:
        """Encrypt and write the file (in a worker: PDF and age take a moment)."""
        content = self._content()
        if content is None:
            return
        fmt = str(self.query_one("#format", Select).value)
        recipient = self.query_one("#recipient", Input).value.strip()
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        secret = self.query_one("#secret", Input).value or None
        if secret is not None and too_short(secret):
            self._status(f"A passphrase for the export needs at least {MIN_LENGTH} characters.", error=True)
            return
        self._status("Encrypting and writing…")
        self._produce(content, fmt, path, [recipient] if recipient and fmt == "age" else [], secret)

    @work(thread=True, exclusive=True, group="export")
    def _produce(self, content: ExportContent, fmt: str, path: Path, recipients: list[str], secret: str | None) -> None:
        try:
            done = produce(content, self.journal.contacts.names(), fmt, path, recipients, secret)
        except CompanionError as exc:
            self.app.call_from_thread(self._status, exc.message, True)
            return
        self.app.call_from_thread(self._finished, done)

    def _finished(self, done: ExportDone) -> None:
        self._status(f"Wrote {done.path}.")
        lines = [f"Wrote {done.path} ({done.summary})."]
        if done.passphrase:
            lines += ["", "The passphrase that opens it:", "", f"    {done.passphrase}", "",
                      "It is shown only this once. Pass it on by a different way than the file "
                      "(say, tell it in person, or text it if the file goes by e-mail)."]
        elif self.query_one("#format", Select).value == "age" and self.query_one("#recipient", Input).value.strip():
            lines += ["", "It opens with the age key you gave."]
        else:
            lines += ["", "It opens with the passphrase you typed."]
        self.app.push_screen(NoticeDialog("Ready to share", "\n".join(lines)))

    # -- restore -------------------------------------------------------------------------------------
    @work
    async def action_restore(self) -> None:
        """Open a backup, show what it holds, ask, then replace the journal and lock."""
        answer = await self.app.push_screen_wait(RestoreDialog())
        if not isinstance(answer, tuple):
            return
        backup, identity, secret = answer
        try:
            tables, summary = open_backup_files(Path(backup), Path(identity) if identity else None, secret or None)
        except CompanionError as exc:
            self._status(exc.message, error=True)
            return
        question = f"{summary.describe()} Replace your journal with it? The current one is kept in backups/."
        if not await self.app.push_screen_wait(ConfirmDialog(question, yes="Replace", no="Keep mine")):
            return
        try:
            kept = self.journal.restore(tables)
        except CompanionError as exc:
            self._status(exc.message, error=True)
            return
        self.notify(f"Restored. The journal it replaced is kept at {kept}. Unlock again to see it.", timeout=12)
        # Lock from the App's own queue: this worker belongs to a screen that locking removes.
        self.app.call_later(self.app.run_action, "lock")
