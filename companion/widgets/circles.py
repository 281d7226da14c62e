"""The circles of a secure base drawn in the terminal: three rings around "you", each named on its border with
the people in it, readable without colour; below MIN_PICTURE columns, a list of the rings instead. Render only."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from companion.domain.contact import RINGS, Circles

MIN_PICTURE = 60  # narrower than this, the rings are listed
MAX_PICTURE = 96
EDGE = "$primary"  # the rings' lines; the words on them carry the meaning


def _names_that_fit(names: list[str], room: int) -> tuple[str, list[str]]:
    """As many names as fit in `room` cells (", " between), and the rest."""
    shown: list[str] = []
    for n, name in enumerate(names):
        text = ", ".join([*shown, name])
        if len(text) > room:
            return ", ".join(shown), names[n:]
        shown.append(name)
    return ", ".join(shown), []


def picture(circles: Circles, width: int) -> list[Content]:
    """The rings as lines of `width` cells: outer (wider) to inner (closest), "you" in the middle."""
    depth = len(RINGS)
    lines: list[Content] = []

    def framed(level: int, inner: Content) -> Content:
        # `level` rings around this line's content, on each side
        return Content.assemble(("│ " * level, EDGE), inner, (" │" * level, EDGE))

    for level, ring in enumerate(reversed(RINGS)):
        room = width - 4 * level  # this ring's width, borders included
        label = f"{RINGS[ring].lower()}: "
        names = circles.rings[ring]
        on_border, rest = _names_that_fit(names, room - len(label) - 8)
        said = on_border or ("nobody yet" if not names else "")
        top = Content.assemble(("╭─ ", EDGE), (label, "bold"), (said, "" if names else "dim"), " ")
        top = Content.assemble(top, ("─" * max(room - top.cell_length - 1, 0) + "╮", EDGE))
        lines.append(framed(level, top))
        while rest:
            line, rest = _names_that_fit(rest, room - 4)
            line = line or rest.pop(0)[: room - 4]  # a name longer than the ring: cut, never lost from the list
            lines.append(framed(level + 1, Content(line.ljust(room - 4))))
    middle = width - 4 * depth
    lines.append(framed(depth, Content.styled("you".center(middle), "bold")))
    for level in reversed(range(depth)):
        lines.append(framed(level, Content.styled("╰" + "─" * (width - 4 * level - 2) + "╯", EDGE)))
    return lines


def listing(circles: Circles) -> list[Content]:
    """The rings as lines of words, for narrow places."""
    return [Content.assemble((f"{RINGS[ring]}: ", "bold"), ", ".join(names) or ("nobody yet", "dim"))
            for ring, names in circles.rings.items()]


class CirclesView(Static):
    """The picture (or the list), who is not placed yet, and the gentle notes under it."""

    def __init__(self, id: str) -> None:
        super().__init__("", id=id)
        self._circles: Circles | None = None

    def show(self, circles: Circles) -> None:
        """Draw these circles (hidden when nobody is in the secure base)."""
        self._circles = circles
        self.display = bool(circles.unplaced or any(circles.rings.values()))
        self.refresh(layout=True)

    def render(self) -> Content:
        circles = self._circles
        if circles is None:
            return Content("")
        width = min(self.size.width, MAX_PICTURE)
        lines = picture(circles, width) if width >= MIN_PICTURE else listing(circles)
        if circles.unplaced:
            lines.append(Content.assemble(("Not in a ring yet: ", "bold"), ", ".join(circles.unplaced),
                                          (" (e on a person chooses one)", "dim")))
        lines.extend(Content.styled(note, "italic") for note in circles.notes())
        return Content("\n").join(lines)
