"""Small charts that describe without judging: the give-and-take bars and the 1-5 scale over days."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from companion.domain.contact import Balance
from companion.domain.series import GAP, Series


def balance_content(balance: Balance, width: int = 12) -> Content:
    """Three bars (received, gave, together) scaled to the largest, and the neutral label."""
    top = max(balance.received, balance.given, balance.shared, 1)

    def bar(n: int) -> str:
        return "█" * round(width * n / top) if n else "·"

    return Content.assemble(
        ("received  ", "dim"), bar(balance.received), f" {balance.received}\n",
        ("gave      ", "dim"), bar(balance.given), f" {balance.given}\n",
        ("together  ", "dim"), bar(balance.shared), f" {balance.shared}\n",
        (balance.label, "italic"),
    )


class ScaleChart(Static):
    """A label, one character a day on the fixed 1-5 scale (a dot where nothing was noted), and a caption."""

    def __init__(self, label: str, caption: str, id: str, *, short: tuple[str, ...] = ("", ""),
                 middle: bool = False) -> None:
        """`middle`: mark the healthy middle (reliance): its days drawn in the calm green; the caption names
        the two glyphs a day in it has (▄▅), so it reads without colour too."""
        super().__init__("", id=id, classes="scale-chart")
        self._label, self._caption, self._middle = label, caption, middle
        # short: a short label, then shorter captions, longest first
        self._short_label, self._short_captions = short[0] or label, [c for c in short[1:] if c] or [caption]
        self._values: Series | None = None

    def show(self, values: Series) -> None:
        """Draw the days; low days stay low and missing days stay visible."""
        self._values = values
        self.refresh(layout=True)

    def render(self) -> Content:
        """The line, with as much of the caption as fits: shortened when narrow, never cut in the middle."""
        label = (f"{self._label:<19}", "dim")
        values = self._values
        if values is None:
            return Content("")
        if not values.noted:
            return Content.assemble(label, ("nothing noted in the last 30 days", "dim"))
        spark = Content.assemble(*((glyph, "$success") if self._middle and middle else glyph
                                   for glyph, middle in zip(values.spark(), values.in_middle(), strict=True)))
        short = (f"{self._short_label:<9}", "dim")
        # The long label first (so the charts above each other stay aligned), with the caption that fits.
        tries = [(label, f" {self._caption} · {GAP} nothing noted"), (label, f" {self._caption}"),
                 *((label, f" {c}") for c in self._short_captions), *((short, f" {c}") for c in self._short_captions),
                 (short, "")]
        for name, caption in tries:
            line = Content.assemble(name, spark, (caption, "dim"))
            if line.cell_length <= self.size.width:
                return line
        return line
