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

    def __init__(self, label: str, caption: str, id: str) -> None:
        super().__init__("", id=id, classes="scale-chart")
        self._label, self._caption = label, caption

    def show(self, values: Series) -> None:
        """Draw the days; low days stay low and missing days stay visible."""
        if not values.noted:
            self.update(Content.assemble((f"{self._label:<19}", "dim"), ("nothing noted in the last 30 days", "dim")))
            return
        self.update(Content.assemble((f"{self._label:<19}", "dim"), values.spark(),
                                     (f" {self._caption} · {GAP} nothing noted", "dim")))
