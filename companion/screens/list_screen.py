"""What every list area shares (Reflections, Boundaries, Secure base, Sessions): one RecordList, the
same filter, paging and keys; the rows are found on the journal's thread, a page at a time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets.option_list import Option

from companion.dialogs.confirm import ConfirmDialog
from companion.dialogs.info import DetailDialog
from companion.screens.area import AreaScreen
from companion.services.journal import Journal
from companion.widgets.record_list import RecordList, Shown

R = TypeVar("R")
PAGE = 200


@dataclass(frozen=True)
class Found(Generic[R]):
    """One page of records for the list, how many match in all, and the status line (or a problem)."""

    items: list[R]
    total: int
    status: str
    problem: str = ""


@dataclass(frozen=True)
class Card:
    """A record shown in full: title and body, and whether it can be logged."""

    title: str
    body: Content
    loggable: bool = False
    askable: bool = False
    writable: bool = False  # w writes a reflection about it
    log_label: str = "log"  # what l does, in the card's key line


class ListScreen(AreaScreen, Generic[R]):
    """A RecordList of one kind of record; subclasses say how to find, show, edit and delete them."""

    LIST_ID = "records"
    AUTO_FOCUS = ".list-rows"  # the rows, not the filter: letters are keys until / is pressed
    LOGGABLE = False  # boundaries and people have a log (l)
    BINDINGS = [Binding("l", "log", "Log", id="list.log")]
    PLACEHOLDER = "filter by any words"
    EMPTY = ""
    NO_MATCH = "Nothing matches this filter (escape clears it)."

    _generation = 0  # which load is the newest: older answers are dropped
    _prepared = False  # whether prepare() was asked for

    def compose_body(self) -> ComposeResult:
        yield RecordList(self.LIST_ID, self.PLACEHOLDER)

    @property
    def records(self) -> RecordList:
        """The list widget."""
        return self.query_one(RecordList)

    # -- subclass hooks (find and card run on the journal's thread) ----------------------------------
    def find(self, journal: Journal, query: str, offset: int, limit: int) -> Found[R]:
        """A page of records matching `query` (ValueError with a sentence when the query makes no sense)."""
        raise NotImplementedError

    def rows(self, items: list[R]) -> list[Option | None]:
        """The rows for a page (None for a separator)."""
        raise NotImplementedError

    def card(self, journal: Journal, record_id: int) -> Card | None:
        """The record in full, or None when it is gone."""
        raise NotImplementedError

    async def edit(self, record_id: int | None) -> None:
        """Open the editor dialog for a new (None) or existing record and save what it returns."""
        raise NotImplementedError

    async def log_moment(self, record_id: int) -> None:
        """Log something for a record (boundaries and people)."""

    async def ask_for_help(self, record_id: int) -> None:
        """Write to a person to ask for help (Secure base)."""

    def reflect_on(self, record_id: int) -> None:
        """Write a reflection about a record (an ask experiment)."""

    def delete(self, journal: Journal, record_id: int) -> None:
        """Delete a record."""
        raise NotImplementedError

    def prepare(self, journal: Journal) -> None:
        """Work done in the background after the first page shows, so filtering is quick (none by default)."""

    def describe(self, journal: Journal, record_id: int) -> str | None:
        """How to name a record in the delete question (None when it is gone)."""
        raise NotImplementedError

    # -- loading ---------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Find the first page again for the current filter (newest request wins)."""
        self._generation += 1
        generation, query = self._generation, self.records.query_text

        def find(journal: Journal) -> Found[R] | str:
            try:
                return self.find(journal, query, 0, PAGE)
            except ValueError as exc:
                return str(exc)

        self.run(find, lambda found: self._show(generation, query, found))

    def _show(self, generation: int, query: str, found: Found[R] | str) -> None:
        if generation != self._generation or not self.is_mounted:
            return  # a newer keystroke asked again
        if isinstance(found, str):
            self.records.set_status(found, error=True)
            return
        empty = self.NO_MATCH if query.strip() else self.EMPTY
        self.records.show(Shown(self.rows(found.items), found.total, found.status, empty))
        if not self._prepared:  # once the first page is on screen, ready the rest for filtering
            self._prepared = True
            self.run(self.prepare, lambda _: None)

    @on(RecordList.QueryChanged)
    def _query_changed(self) -> None:
        self.reload()

    @on(RecordList.MoreWanted)
    def _more(self, event: RecordList.MoreWanted) -> None:
        generation, query, offset = self._generation, self.records.query_text, event.offset
        if getattr(self, "_asked_from", None) == (generation, offset):
            return  # already on its way
        self._asked_from = (generation, offset)

        def more(journal: Journal) -> Found[R] | None:
            try:
                return self.find(journal, query, offset, PAGE)
            except ValueError:
                return None

        def add(found: Found[R] | None) -> None:
            if found is not None and generation == self._generation and self.records.shown == offset:
                self.records.extend(self.rows(found.items), found.status)

        self.run(more, add)

    @on(RecordList.Left)
    def _left(self) -> None:
        self.app.switch_mode("home")

    # -- opening, editing, deleting ------------------------------------------------------------------
    @on(RecordList.Chosen)
    def _chosen(self, event: RecordList.Chosen) -> None:
        self.open_card(event.record_id)

    @on(RecordList.Requested)
    def _requested(self, event: RecordList.Requested) -> None:
        if event.action == "new":
            self.edit_and_reload(None)
        elif event.action == "edit" and event.record_id is not None:
            self.edit_and_reload(event.record_id)
        elif event.action == "delete" and event.record_id is not None:
            self.confirm_delete(event.record_id)

    def action_new_record(self) -> None:
        """Add a record (the palette's "New boundary", "New person", ...)."""
        self.edit_and_reload(None)

    @work(group="list-dialog")
    async def edit_and_reload(self, record_id: int | None) -> None:
        """Edit (or add) a record, then show the list again."""
        await self.edit(record_id)
        self.reload()

    def open_kept(self, kept: dict[str, object]) -> None:
        self._open_kept(kept)

    async def edit_plan(self) -> None:
        """The safety plan's form (Secure base has it)."""

    @work(group="list-dialog")
    async def _open_kept(self, kept: dict[str, object]) -> None:
        """The form a lock left open: a moment's log, or the record's editor (a new record when the one it
        edited has gone)."""
        record = kept.get("record")
        if kept.get("act") == "log" and isinstance(record, int):
            await self.log_moment(record)
        elif kept.get("act") == "plan":
            await self.edit_plan()
        else:
            await self.edit(record if isinstance(record, int) else None)
        self._refill = None
        self.reload()

    @work(group="list-dialog")
    async def open_card(self, record_id: int) -> None:
        """Show a record in full; e, d (and l) act on it from there."""
        card = await self.ask(lambda j: self.card(j, record_id), None)
        if card is None:
            return
        choice = await self.app.push_screen_wait(DetailDialog(card.title, card.body, loggable=card.loggable,
                                                              askable=card.askable, writable=card.writable,
                                                              log_label=card.log_label))
        if choice == "edit":
            await self.edit(record_id)
        elif choice == "log":
            await self.log_moment(record_id)
        elif choice == "ask":
            await self.ask_for_help(record_id)
        elif choice == "write":
            self.reflect_on(record_id)
        elif choice == "delete":
            await self._delete_after_asking(record_id)
        self.reload()

    @work(group="list-dialog")
    async def confirm_delete(self, record_id: int) -> None:
        """Delete the highlighted record, after asking."""
        await self._delete_after_asking(record_id)
        self.reload()

    async def _delete_after_asking(self, record_id: int) -> None:
        name = await self.ask(lambda j: self.describe(j, record_id), None)
        if name is None:
            return
        question = f"Delete {name}? It cannot be undone."
        if await self.app.push_screen_wait(ConfirmDialog(question, yes="Delete", no="Keep it")):
            await self.ask(lambda j: self.delete(j, record_id), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.LOGGABLE if action == "log" else True

    @work(group="list-dialog")
    async def action_log(self) -> None:
        """Log something for the highlighted record."""
        await self.for_highlighted(self.log_moment)

    async def for_highlighted(self, act: Callable[[int], Awaitable[None]]) -> None:
        """Act on the highlighted record (if a row is highlighted), then show the list again."""
        record_id = self.records.highlighted_id
        if record_id is not None:
            await act(record_id)
            self.reload()

    def status_of(self, total: int, one: str, many: str, query: str) -> str:
        """'3 boundaries' or '1 boundary matches'."""
        noun = one if total == 1 else many
        return f"{total} {noun}" + ((" matches" if total == 1 else " match") if query.strip() else "")
