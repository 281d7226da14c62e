"""One list for every practice: a filter line, a status line, rows loaded a page at a time.

It renders and posts messages (Chosen, Requested, QueryChanged, MoreWanted, Left); the screen that
composes it decides what they mean and where the rows come from. It never touches the journal.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from companion.textual_private import MarkedOptionList
from companion.widgets.quiet_text import QuietInput

LOAD_AHEAD = 20  # ask for the next page this many rows before the end


@dataclass(frozen=True)
class Shown:
    """What the list shows: its rows, how many match in all, the status line, and the empty text."""

    rows: list[Option | None]
    total: int
    status: str
    empty: str
    error: bool = False


def _spaced(rows: list[Option | None]) -> list[Option | None]:
    """Each row begins with a space, where the highlighted one shows ► (see MarkedOptionList)."""
    return [None if row is None else Option(Content.assemble(" ", _content(row.prompt)), id=row.id,
                                            disabled=row.disabled) for row in rows]


def _content(prompt: object) -> Content:
    return prompt if isinstance(prompt, Content) else Content(str(prompt))


class RecordList(Vertical):
    """Filter, status and rows; j/k or the arrows move, enter opens, n/e/d ask for new/edit/delete."""

    BINDINGS = [
        Binding("j", "move(1)", "Down", id="list.down", show=False),
        Binding("k", "move(-1)", "Up", id="list.up", show=False),
        Binding("slash", "filter", "Filter", id="list.filter"),
        Binding("n", "request('new')", "New", id="list.new"),
        Binding("e", "request('edit')", "Edit", id="list.edit", show=False),
        Binding("d", "request('delete')", "Delete", id="list.delete", show=False),
        Binding("escape", "back", "Clear filter / Home", id="list.back", show=False),
    ]

    class Chosen(Message):
        """A row was opened (enter, or a click)."""

        def __init__(self, record_id: int) -> None:
            super().__init__()
            self.record_id = record_id

    class Requested(Message):
        """The person asked to add a record, or to edit or delete the highlighted one."""

        def __init__(self, action: str, record_id: int | None) -> None:
            super().__init__()
            self.action = action
            self.record_id = record_id

    class QueryChanged(Message):
        """The filter line changed: load the first page again."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class MoreWanted(Message):
        """The highlight is near the end of what is loaded: load from `offset`."""

        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    class Left(Message):
        """Escape with no filter: the person wants to go back Home."""

    def __init__(self, list_id: str, placeholder: str) -> None:
        super().__init__(classes="record-list")
        self._list_id = list_id
        self._placeholder = placeholder
        self.total = 0
        self._signature: object = None  # what the rows show now, to skip redrawing the same rows

    def compose(self) -> ComposeResult:
        yield QuietInput(classes="list-filter", placeholder=self._placeholder, compact=True)
        yield Static("", classes="list-status")
        yield MarkedOptionList(id=self._list_id, classes="list-rows")

    def on_mount(self) -> None:
        self.rows.focus()

    @property
    def rows(self) -> OptionList:
        """The OptionList holding the rows."""
        return self.query_one(OptionList)

    @property
    def query_text(self) -> str:
        """The filter line as typed."""
        return self.query_one(Input).value

    @property
    def shown(self) -> int:
        """How many record rows are loaded (headings and separators not counted)."""
        rows = self.rows
        return sum(1 for i in range(rows.option_count) if rows.get_option_at_index(i).id)

    @property
    def highlighted_id(self) -> int | None:
        """The record under the highlight, if any."""
        rows = self.rows
        if rows.highlighted is None or not rows.option_count:
            return None
        option_id = rows.get_option_at_index(rows.highlighted).id
        return int(option_id) if option_id else None

    # -- showing -------------------------------------------------------------------------------------
    def show(self, shown: Shown) -> None:
        """Replace the rows, keeping the highlight on the same record when it is still there.

        When a keystroke in the filter leaves the same rows, they are not redrawn (over SSH every byte counts).
        """
        signature = (tuple(None if o is None else (o.id, str(o.prompt)) for o in shown.rows), shown.empty)
        if signature != self._signature:
            self._signature = signature
            self._replace_rows(_spaced(shown.rows), shown.empty)
        self.total = shown.total
        self.set_status(shown.status, error=shown.error)

    def _replace_rows(self, new: list[Option | None], empty: str) -> None:
        rows = self.rows
        keep = self.highlighted_id
        rows.clear_options()
        # Nothing to list: say so in the list itself, which keeps the focus (so keys keep working).
        rows.add_options(new if any(option is not None for option in new)
                         else [Option(Content.styled(empty, "dim"), disabled=True)])
        if keep is not None:
            try:
                rows.highlighted = rows.get_option_index(str(keep))
            except OptionDoesNotExist:  # gone (deleted, or filtered out)
                pass
        if rows.highlighted is None and rows.option_count:
            rows.action_first()
            if rows.highlighted is not None and rows.get_option_at_index(rows.highlighted).disabled:
                rows.action_cursor_down()

    def extend(self, more: list[Option | None], status: str) -> None:
        """Add the next page under the rows already shown."""
        self._signature = None
        self.rows.add_options(_spaced(more))
        self.set_status(status)

    def set_status(self, text: str, *, error: bool = False) -> None:
        """The line above the rows (an error shows there too, plainly)."""
        line = self.query_one(".list-status", Static)
        if str(line.content) != text:
            line.update(text)
        line.set_class(error, "error")

    # -- keys and events -----------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        """j and k, like the arrows."""
        if step > 0:
            self.rows.action_cursor_down()
        else:
            self.rows.action_cursor_up()

    def action_filter(self) -> None:
        """Go to the filter line."""
        self.query_one(Input).focus()

    def action_request(self, action: str) -> None:
        """n, e, d: ask the screen."""
        record_id = None if action == "new" else self.highlighted_id
        if action == "new" or record_id is not None:
            self.post_message(self.Requested(action, record_id))

    def action_back(self) -> None:
        """Clear the filter, or (with none) go back Home."""
        field = self.query_one(Input)
        if field.value or field.has_focus:
            field.value = ""
            self.screen.set_focus(self.rows)  # at once: a key right behind Escape goes to the rows
        else:
            self.post_message(self.Left())

    def set_query(self, text: str) -> None:
        """Put words in the filter line (as a key like 'flagged only' does)."""
        self.query_one(Input).value = text

    @on(Input.Changed)
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    @on(Input.Submitted)
    def _query_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.rows.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(int(event.option.id)))

    @on(OptionList.OptionHighlighted)
    def _near_the_end(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        shown = self.shown
        if event.option_index >= self.rows.option_count - LOAD_AHEAD and shown < self.total:
            self.post_message(self.MoreWanted(shown))
