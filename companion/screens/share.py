"""Share: choose exactly what your therapist sees, preview it, and write an encrypted PDF or age file."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date, timedelta
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, SelectionList, Static

from companion.dialogs.confirm import ConfirmDialog
from companion.dialogs.editors import BackupDialog, RestoreDialog
from companion.dialogs.export import ExportDialog, ExportForm
from companion.dialogs.info import DetailDialog, NoticeDialog
from companion.domain.clock import day_text, parse_day
from companion.errors import CompanionError
from companion.screens.area import AreaScreen
from companion.services.backup import open_backup_files
from companion.services.export import (
    AUTHOR_KEY,
    CHECKINS,
    PLAN_ITEM,
    SECTIONS,
    ExportChoice,
    ExportContent,
    ExportExists,
    ExportRequest,
    candidates,
    narrow,
    split_recipients,
)
from companion.services.sharing import ExportDone, preview, produce, remember, write_backup
from companion.widgets.page import page_content
from companion.widgets.ticks import TickBox, TickList

# What the notice after writing is called, and its advice about the passphrase shown once.
SHARED = ("Ready to share", "Pass it on by a different way than the file (say, tell it in person, or text it if "
          "the file goes by e-mail).")
BACKED_UP = ("Backup written", "Keep it somewhere safe, apart from the backup.")


class ShareScreen(AreaScreen):
    """The consent-first export: choose here, then say how it is sent (ctrl+e)."""

    AREA = "share"
    _left_out: set[str] = set()
    BINDINGS = [
        # priority: these must work from the date fields too (an Input takes ctrl+e for "end of line").
        Binding("ctrl+e", "export", "Export", id="share.export", priority=True),
        Binding("ctrl+r", "preview", "Preview", id="share.preview", priority=True),
        Binding("ctrl+t", "backup", "Backup", id="share.backup", priority=True),
        Binding("ctrl+o", "restore", "Restore", id="share.restore", priority=True),
    ]

    def compose_body(self) -> ComposeResult:
        today = self.clock().date()
        with Vertical(id="share"):
            yield Static("Choose what your therapist will see; nothing is written until you press ctrl+e.",
                         id="share-lead")
            with Horizontal(classes="share-row"):
                yield TickBox("Reflections", True, id="sec-reflections", compact=True)
                yield TickBox("Boundaries", True, id="sec-boundaries", compact=True)
                yield TickBox("Secure base", False, id="sec-contacts", compact=True)
                yield TickBox("Asks", False, id="sec-experiments", compact=True)
                yield TickBox("Safety plan", False, id="sec-plan", compact=True)
            with Horizontal(classes="share-row"):
                yield TickBox("Only marked for therapy", True, id="flagged", compact=True)
                yield TickBox("Their contact details", False, id="details", compact=True)
            with Horizontal(classes="share-row"):
                yield Label("Since", classes="share-label")
                yield Input((today - timedelta(days=30)).isoformat(), id="since", compact=True)
                yield Label("Until", classes="share-label")
                yield Input(today.isoformat(), id="until", compact=True)
            yield TickList[str](id="items")
            yield Static("", id="share-status")

    def on_mount(self) -> None:
        self._left_out = set()
        self._candidates = ExportContent(ExportChoice(), self.clock())  # filled by reload when shown
        self._names: dict[int, str] = {}
        self._asked: ExportChoice | None = None  # the choice whose candidates are being listed, or were
        self._listing = True  # the candidates are on their way from the journal's thread (from the first showing)
        self._export_when_listed = False  # a kept export form waits for the candidates (see open_kept)
        self._form = ExportForm(author="", note="", session=None, fmt="pdf", passphrase="", recipients="",
                                path=str(Path.home() / f"companion-{self.clock().date().isoformat()}.pdf"))

    # -- choosing ------------------------------------------------------------------------------------
    def _choice(self, picked: bool) -> ExportChoice:
        sections = frozenset(s for s in SECTIONS if self.query_one(f"#sec-{s}", Checkbox).value)
        items = self.query_one("#items", SelectionList)
        chosen = frozenset((v.split(":")[0], int(v.split(":")[1])) for v in items.selected) if picked else None
        return ExportChoice(
            sections=sections,
            since=parse_day(self.query_one("#since", Input).value),
            until=parse_day(self.query_one("#until", Input).value),
            flagged_only=self.query_one("#flagged", Checkbox).value,
            with_contact_details=self.query_one("#details", Checkbox).value,
            picked=chosen,
            crisis_lines=tuple(self.host.settings.crisis_lines),
        )

    def reload(self) -> None:
        """List every candidate (found on the journal's thread), all ticked; the person unticks what stays private."""
        try:
            choice = self._choice(picked=False)
            choice.check()
        except (ValueError, CompanionError) as exc:
            self._status(getattr(exc, "message", str(exc)), error=True)
            self._listing_done()
            return
        self._asked, self._listing = choice, True
        self.run(lambda j: (candidates(j, choice), j.contacts.names(), j.preferences.get(AUTHOR_KEY)),
                 lambda found: self._listed(choice, *found))

    def _listed(self, choice: ExportChoice, content: ExportContent, names: dict[int, str], author: str) -> None:
        if choice != self._asked or not self.is_mounted:
            return  # the choice changed again meanwhile
        self._candidates, self._names = content, names
        if not self._form.author:
            self._form = dataclasses.replace(self._form, author=author)
        tz = self.clock().tzinfo
        items = self.query_one("#items", SelectionList)
        # Remember what the person left out, across filter changes and coming back from a preview.
        self._left_out = self._left_out_now()
        highlighted = items.highlighted
        items.clear_options()
        rows = [(Content.assemble(("reflection  ", "dim"), day_text(r.local(tz)), "  ", r.first_line),
                 f"reflections:{r.id}") for r in content.reflections]
        rows += [(Content.assemble(("boundary    ", "dim"), b.boundary), f"boundaries:{b.id}")
                 for b in content.boundaries]
        rows += [(Content.assemble(("person      ", "dim"), c.name), f"contacts:{c.id}") for c in content.contacts]
        rows += [(Content.assemble(("ask         ", "dim"), e.whom(names) or "someone", ": ", e.ask),
                  f"experiments:{e.id}") for e in content.experiments]
        if content.plan:
            rows.append((Content.assemble(("safety plan ", "dim"), "its six steps, a page of its own"),
                         "{}:{}".format(*PLAN_ITEM)))
        items.add_options([(label, value, value not in self._left_out) for label, value in rows])
        if items.option_count:  # a row stays highlighted (where it was), so the cursor is always visible
            items.highlighted = min(highlighted or 0, items.option_count - 1)
        self._count()
        self._listing_done()

    def _left_out_now(self) -> set[str]:
        """The items left out: those unticked in the list shown, and those left out before that are not shown
        now (an item ticked again is no longer left out)."""
        items = self.query_one("#items", SelectionList)
        shown = {items.get_option_at_index(i).value for i in range(items.option_count)}
        ticked = set(items.selected)
        return (self._left_out - ticked) | (shown - ticked)

    def _listing_done(self) -> None:
        self._listing = False
        if self._export_when_listed:  # a kept export form waited for this listing
            self._export_when_listed = False
            self.action_export()

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
        if content is not None and content.empty and self._refill is not None:
            self._status(self._nothing_chosen(), error=True)
        elif content is not None:
            self._status(f"Will include {content.summary()} ({content.range_text()}). "
                         "ctrl+r preview · ctrl+e export · ctrl+t backup · ctrl+o restore")

    def _status(self, text: str, error: bool = False) -> None:
        line = self.query_one("#share-status", Static)
        line.update(text)
        line.set_class(error, "error")

    def _built(self, author: str | None = None, note: str | None = None,
               checkins: str | None = None) -> ExportContent | None:
        """What the file would hold now (the listed candidates, narrowed to the ticks), or None."""
        try:
            choice = self._choice(picked=True)  # also checks the dates
            choice.check()
        except (ValueError, CompanionError) as exc:
            self._status(getattr(exc, "message", str(exc)), error=True)
            return None
        return narrow(self._candidates, choice.picked, author=author, note=note, checkins=checkins)

    def _content(self, author: str | None = None, note: str | None = None,
                 checkins: str | None = None) -> ExportContent | None:
        content = self._built(author, note, checkins)
        if content is None:
            return None
        if content.empty:
            self._status(self._nothing_chosen(), error=True)
            return None
        return content

    def _nothing_chosen(self) -> str:
        if self._refill is not None:  # a kept export form waits for a choice that holds something
            return ("The export form you had open is kept, with what you typed: choose what to share, then ctrl+e "
                    "opens it again.")
        return "Nothing is chosen yet."

    # -- preview and export --------------------------------------------------------------------------
    def action_preview(self) -> None:
        """Show exactly what the file will contain."""
        content = self._content(author=self._form.author, note=self._form.note, checkins=self._form.checkins)
        if content is not None:
            self.app.push_screen(self._preview(content))

    def _preview(self, content: ExportContent) -> DetailDialog:
        return DetailDialog("Preview: exactly what the file will hold", page_content(preview(content, self._names)),
                            actions=False)

    def kept_with_form(self) -> dict[str, object]:
        """The choice the export form was opened on (its boxes, dates, and the items left out), so the form
        comes back to the same choice: a fresh Share screen starts from "only marked for therapy"."""
        ticks = {box.id: box.value for box in self.query(TickBox) if box.id is not None}
        return {"choice": {"ticks": ticks, "since": self.query_one("#since", Input).value,
                           "until": self.query_one("#until", Input).value, "left_out": sorted(self._left_out_now())}}

    def open_kept(self, kept: dict[str, object]) -> None:
        """The export dialog opens with the kept fields, on the choice it was opened on, once the candidates are
        listed (on the journal's thread: until then there is "Nothing chosen yet")."""
        choice = kept.get("choice")
        if isinstance(choice, dict):
            self._restore_choice(choice)
        if self._listing:
            self._export_when_listed = True
        else:
            self.action_export()

    def _restore_choice(self, choice: dict[str, object]) -> None:
        ticks = choice.get("ticks")
        with self.prevent(Checkbox.Changed, Input.Changed):  # one listing, asked below
            for box in self.query(TickBox):
                if isinstance(ticks, dict) and isinstance(ticks.get(box.id), bool):
                    box.value = ticks[box.id]
            for name in ("since", "until"):
                if isinstance(value := choice.get(name), str):
                    self.query_one(f"#{name}", Input).value = value
        left_out = choice.get("left_out")
        self._left_out = {v for v in left_out if isinstance(v, str)} if isinstance(left_out, list) else set()
        self.query_one("#items", SelectionList).clear_options()  # an earlier listing's ticks must not count
        self.reload()  # the listing for this choice

    @work(exclusive=True, group="share-dialog")
    async def action_export(self) -> None:
        """Ask how it is sent (checking what was typed), then encrypt and write in a worker."""
        chosen = self._content()
        if chosen is None:
            return
        sources = {checkins: narrow(chosen, chosen.choice.picked, checkins=checkins).checkins_source()
                   for checkins in CHECKINS}
        error = ""
        while True:
            form = await self.form(ExportDialog(self._form, error, sources), "export")
            if not isinstance(form, ExportForm):
                return
            self._form = dataclasses.replace(form, action="write")
            content = self._content(author=form.author, note=form.note, checkins=form.checkins)
            if content is None:
                return
            if form.action == "preview":
                await self.app.push_screen_wait(self._preview(content))
                error = ""
                continue
            checked = await self._checked(ExportRequest(
                form.fmt, Path(form.path).expanduser(), split_recipients(form.recipients), form.passphrase or None),
                "export")
            if isinstance(checked, str):
                error = checked
                continue
            request = checked
            break
        self._status("Encrypting and writing…")
        self._produce(content, request, form.session)

    async def _checked(self, request: ExportRequest, what: str) -> ExportRequest | str:
        """The request once its checks pass (asking before replacing a file), or the sentence to show."""
        try:
            request.check()
        except ExportExists as exists:
            if not await self.app.push_screen_wait(ConfirmDialog(
                    f"{exists.path} already exists. Replace it with this {what}?", yes="Replace", no="Go back")):
                return "Choose another name, or replace the file."
            return dataclasses.replace(request, force=True)
        except CompanionError as exc:
            return exc.message
        return request

    @work(thread=True, exclusive=True, group="export")
    def _produce(self, content: ExportContent, request: ExportRequest, session: date | None) -> None:
        """Build and encrypt in a thread of its own (a PDF takes a moment); the journal is not needed."""
        try:
            done = produce(content, self._names, request)
        except CompanionError as exc:
            self.app.call_from_thread(self._status, exc.message, True)
            return
        self.app.call_from_thread(self._written, content, request, done, session)

    @work(group="share-written")
    async def _written(self, content: ExportContent, request: ExportRequest, done: ExportDone,
                       session: date | None) -> None:
        # Remember who it is from and the session; if that fails, the file and its passphrase still show.
        remembered = await self.ask(lambda j: remember(j, content, done, request.fmt, session), done)
        self._finished(remembered, request)

    def _finished(self, done: ExportDone, request: ExportRequest, words: tuple[str, str] = SHARED) -> None:
        """Say what was written and, once, the passphrase that opens it; `words`: the title and its advice."""
        title, keep = words
        self._status(f"Wrote {done.path}.")
        lines = [f"Wrote {done.path} ({done.summary})."]
        if done.passphrase:
            lines += ["", "The passphrase that opens it:", "", f"    {done.passphrase}", "",
                      f"It is shown only this once. {keep}"]
        elif request.recipients:
            lines += ["", f"It opens with the age key{'s' if len(request.recipients) > 1 else ''} you gave."]
        else:
            lines += ["", "It opens with the passphrase you typed."]
        if done.session is not None:
            lines += ["", f"It is kept with your session on {day_text(done.session.day)} (6 Sessions); "
                          "afterwards you can note there what you took away."]
        copyable = (done.passphrase, "passphrase") if done.passphrase else None
        self.app.push_screen(NoticeDialog(title, "\n".join(lines), copyable), callback=lambda _: self._highlight())

    def _highlight(self) -> None:
        """Back from a dialog: the focus goes to the list of items (a row is highlighted when it fills)."""
        self.query_one("#items", TickList).focus()

    # -- backup and restore ------------------------------------------------------------------------
    @work(exclusive=True, group="share-dialog")
    async def action_backup(self) -> None:
        """The whole journal in an age file (not a share: everything, for the person's own keeping)."""
        answer = (str(Path.home() / f"companion-backup-{self.clock().date().isoformat()}.age"), "", "")
        error = ""
        while True:
            result = await self.app.push_screen_wait(BackupDialog(answer, error))
            if not isinstance(result, tuple):
                return
            answer = result
            path, recipients, secret = answer
            checked = await self._checked(
                ExportRequest("age", Path(path).expanduser(), split_recipients(recipients), secret or None), "backup")
            if isinstance(checked, str):
                error = checked
                continue
            request = checked
            break
        self._status("Encrypting the backup…")
        done = await self.ask(lambda j: write_backup(j, request), None)
        if done is None:
            self._status("The backup was not written.", error=True)  # the reason was told as it happened
        else:
            self._finished(done, request, BACKED_UP)

    # -- restore -------------------------------------------------------------------------------------
    @work(exclusive=True, group="share-dialog")
    async def action_restore(self) -> None:
        """Open a backup, show what it holds, ask, then replace the journal and lock."""
        answer: tuple[str, str, str] = ("", "", "")
        error = ""
        while True:
            result = await self.app.push_screen_wait(RestoreDialog(answer, error))
            if not isinstance(result, tuple):
                return
            answer = result
            backup, identity, secret = answer
            try:  # age's scrypt is slow on purpose: off the event loop
                tables, summary = await asyncio.to_thread(
                    open_backup_files, Path(backup), Path(identity) if identity else None, secret or None)
            except CompanionError as exc:
                error = exc.message  # shown in the dialog, which opens again with what was typed
                continue
            break
        question = f"{summary.describe()} Replace your journal with it? The current one is kept in backups/."
        if not await self.app.push_screen_wait(ConfirmDialog(question, yes="Replace", no="Keep mine")):
            return
        kept = await self.ask(lambda j: j.restore(tables), None)
        if kept is None:
            return
        self.notify(f"Restored. The journal it replaced is kept at {kept}. Unlock again to see it.", timeout=12)
        # Lock from the App's own queue: this worker belongs to a screen that locking removes.
        self.app.call_later(self.app.run_action, "lock")
