"""Checkboxes whose state is in the characters, not only the colour: `[x]` ticked, `[ ]` not.

Textual draws every checkbox as `▐X▌` and lets colour alone say whether it is ticked, which a 16-colour
terminal, NO_COLOR, copy-paste and a screen reader all lose. A focused checkbox also shows `►`.
"""

from __future__ import annotations

from typing import TypeVar

from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Checkbox
from textual.widgets.option_list import OptionDoesNotExist

from companion.textual_private import MARK, SteadySelectionList

TICKED, UNTICKED = "[x]", "[ ]"
V = TypeVar("V")


class TickBox(Checkbox):
    """A checkbox drawn `[x] label` / `[ ] label`, with `►` in front while it has the focus."""

    def render(self) -> Content:
        """The marker, the box and the label."""
        box = Content.styled(TICKED if self.value else UNTICKED, self.get_visual_style("toggle--button"))
        label = self.label.pad(1, 0).stylize_before(self.get_visual_style("toggle--label"))
        return Content.assemble(MARK if self.has_focus else " ", box, label)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """Marker, box, a space and the label."""
        return 1 + len(TICKED) + 1 + self.label.cell_length


class TickList(SteadySelectionList[V]):
    """A SelectionList whose rows start `[x]` or `[ ]`, the highlighted one `►[x]` (not by shading alone); one
    refilled while a highlight was on its way does not crash (textual_private.py, 7)."""

    def render_line(self, y: int) -> Strip:
        """Textual's row, with its coloured button replaced by the box in characters, after the mark."""
        line = super().render_line(y)
        segments = list(line)
        if len(segments) < 4 or (segments[0].text, segments[2].text) != ("▐", "▌"):
            return line
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:  # a line below the last option
            return line
        ticked = option.value in self.selected
        left, inner, right = segments[:3]
        style = inner.style
        mark = MARK if self.highlighted == self.scroll_offset.y + y else " "
        box = [left._replace(text=mark + "[", style=style), inner._replace(text="x" if ticked else " "),
               right._replace(text="]", style=style)]
        return Strip([*box, *segments[3:]]).crop(0, line.cell_length)
