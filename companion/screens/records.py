"""The shared shape of the Boundaries and Secure base lists: one OptionList, n/enter/e/d/l keys."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from companion.dialogs.confirm import ConfirmDialog
from companion.dialogs.info import DetailDialog
from companion.screens.area import AreaScreen

R = TypeVar("R")


class RecordListScreen(AreaScreen, Generic[R]):
    """A list of records with a detail card; subclasses say how to read, show, edit and log them."""

    BINDINGS = [
        Binding("n", "new", "New", id="records.new"),
        Binding("l", "log", "Log", id="records.log"),
        Binding("slash", "filter", "Filter", id="records.filter", show=False),
        Binding("escape", "back", "Clear filter / Home", id="records.back", show=False),
        Binding("enter", "open", "Open", id="records.open", show=False),
        Binding("e", "edit", "Edit", id="records.edit", show=False),
        Binding("d", "delete", "Delete", id="records.delete", show=False),
    ]
    EMPTY = ""
    LIST_ID = "records"

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="records"):
            yield Input(id="records-filter", placeholder="filter by any words, then Enter", compact=True)
            yield Static("", classes="records-status")
            yield OptionList(id=self.LIST_ID)
            yield Static(self.EMPTY, classes="records-empty")

    def on_mount(self) -> None:
        self.query_one("#records-filter", Input).display = False
        self.query_one(OptionList).focus()

    # -- subclass hooks ------------------------------------------------------------------------
    def load_records(self) -> list[R]:
        """The records to list, in order."""
        raise NotImplementedError

    def record_options(self, records: list[R]) -> list[Option | None]:
        """Rows for the list (None for a separator); option ids are record ids."""
        raise NotImplementedError

    def record_status(self, records: list[R]) -> str:
        """The line above the list."""
        return ""

    def find_record(self, record_id: int) -> R | None:
        """One record by id."""
        raise NotImplementedError

    def title_of(self, record: R) -> str:
        """The detail card's title."""
        raise NotImplementedError

    def body_of(self, record: R) -> Content:
        """The detail card's body."""
        raise NotImplementedError

    def record_text(self, record: R) -> str:
        """The words the filter looks in."""
        return self.title_of(record)

    async def edit_record(self, record: R | None) -> None:
        """Open the editor dialog and save what it returns."""
        raise NotImplementedError

    async def log_record(self, record: R) -> None:
        """Open the log dialog and save what it returns."""
        raise NotImplementedError

    def delete_record(self, record: R) -> None:
        """Delete the record."""
        raise NotImplementedError

    # -- shared behaviour ----------------------------------------------------------------------
    def reload(self) -> None:
        """Read the records again and redraw the list, keeping the highlight."""
        records = self.load_records()
        needle = self.query_one("#records-filter", Input).value.strip().casefold()
        if needle:
            records = [r for r in records if needle in self.record_text(r).casefold()]
        listing = self.query_one(OptionList)
        keep = self._current_id()
        listing.clear_options()
        listing.add_options(self.record_options(records))
        if keep is not None:
            try:
                listing.highlighted = listing.get_option_index(str(keep))
            except Exception:  # the record is gone
                pass
        if listing.highlighted is None and listing.option_count:
            listing.action_first()
        listing.display = bool(records)
        empty = self.query_one(".records-empty", Static)
        empty.display = not records
        empty.update("Nothing matches this filter (escape clears it)." if needle else self.EMPTY)
        self.query_one(".records-status", Static).update(self.record_status(records))

    def _current_id(self) -> int | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None or not listing.option_count:
            return None
        option_id = listing.get_option_at_index(listing.highlighted).id
        return int(option_id) if option_id else None

    def current(self) -> R | None:
        """The highlighted record."""
        record_id = self._current_id()
        return None if record_id is None else self.find_record(record_id)

    @on(Input.Changed, "#records-filter")
    def _filter_changed(self) -> None:
        self.reload()

    @on(Input.Submitted, "#records-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(OptionList).focus()

    def action_filter(self) -> None:
        """Show and focus the filter field."""
        field = self.query_one("#records-filter", Input)
        field.display = True
        field.focus()

    def action_back(self) -> None:
        """Clear the filter, or go back Home."""
        field = self.query_one("#records-filter", Input)
        if field.display or field.value:
            field.value = ""
            field.display = False
            self.query_one(OptionList).focus()
            self.reload()
        else:
            self.app.switch_mode("home")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    @work
    async def action_new(self) -> None:
        """Add a new record."""
        await self.edit_record(None)
        self.reload()

    @work
    async def action_edit(self) -> None:
        """Edit the highlighted record."""
        record = self.current()
        if record is not None:
            await self.edit_record(record)
            self.reload()

    @work
    async def action_log(self) -> None:
        """Log something for the highlighted record."""
        record = self.current()
        if record is not None:
            await self.log_record(record)
            self.reload()

    @work
    async def action_open(self) -> None:
        """Show the highlighted record in full."""
        record = self.current()
        if record is None:
            return
        choice = await self.app.push_screen_wait(
            DetailDialog(self.title_of(record), self.body_of(record), extra=("l", "log", "Log"))
        )
        if choice == "edit":
            await self.edit_record(record)
        elif choice == "log":
            await self.log_record(record)
        elif choice == "delete":
            await self._confirm_delete(record)
        self.reload()

    @work
    async def action_delete(self) -> None:
        """Delete the highlighted record, after asking."""
        record = self.current()
        if record is not None:
            await self._confirm_delete(record)
            self.reload()

    async def _confirm_delete(self, record: R) -> None:
        question = f"Delete “{self.title_of(record)}”? It cannot be undone."
        if await self.app.push_screen_wait(ConfirmDialog(question, yes="Delete", no="Keep it")):
            self.delete_record(record)
