"""A TextArea and an Input that repaint only what changed, so typing over SSH sends a line, not the box.

Textual's TextArea repaints its whole region (border included) whenever the cursor moves, because its
`selection` reactive repaints: about 2,500 bytes per keystroke in an 80x24 terminal. Here `selection`
does not repaint; the watcher refreshes the rows the old and new selection cover, and an edit refreshes
the rows it touched (to the bottom of the view when lines moved). See benchmarks/wire.py.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive, reactive
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult, Selection

Location = tuple[int, int]


class QuietTextArea(TextArea):
    """A soft-wrapping TextArea whose keystrokes repaint only what changed."""

    selection: Reactive[Selection] = reactive(Selection(), init=False, always_update=True, repaint=False)

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text, **kwargs)  # type: ignore[arg-type]
        self.match_cursor_bracket = False  # prose: a bracket match would repaint a line elsewhere

    def _row(self, location: Location) -> int | None:
        """The visual row (in the wrapped document) of a location, or None when it no longer exists."""
        try:
            return self.wrapped_document.location_to_offset(location).y
        except (IndexError, ValueError):
            return None

    def _refresh_rows(self, first: int | None, last: int | None) -> None:
        if first is None or last is None:
            self.refresh()
            return
        first, last = min(first, last), max(first, last)
        self.refresh_lines(first, last - first + 1)

    def watch_selection(self, previous: Selection, selection: Selection) -> None:
        """Repaint the rows the old and the new selection cover (cursor line highlight included)."""
        rows = [self._row(location) for location in (*previous, *selection)]
        if None in rows:
            self.refresh()
            return
        known = [row for row in rows if row is not None]
        self._refresh_rows(min(known), max(known))

    def edit(self, edit: Edit) -> EditResult:
        """Apply an edit; repaint its rows, or everything below it when the number of rows changed."""
        height = self.wrapped_document.height
        result = super().edit(edit)
        top = self._row((min(edit.top, edit.bottom)[0], 0))
        if top is None or self.wrapped_document.height != height:
            bottom = self.scroll_offset.y + self.scrollable_content_region.height
            self._refresh_rows(top, max(bottom, top or 0))
        else:
            row = result.end_location[0]
            self._refresh_rows(top, self._row((row, len(self.document[row]))))  # a re-wrapped line too
        return result

    def undo(self) -> None:
        """Undo (rare enough to repaint everything)."""
        super().undo()
        self.refresh()

    def redo(self) -> None:
        """Redo (rare enough to repaint everything)."""
        super().redo()
        self.refresh()


class QuietInput(Input):
    """An Input whose keystrokes redraw its own line only.

    Textual's Input sets its virtual size on every change, and that reactive asks for a new layout of the
    whole screen, which redraws every scrollbar on it (about 700 bytes a keystroke beside a long list).
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
