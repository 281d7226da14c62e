"""Small charts that describe without judging: the give-and-take bar and labelled sparklines."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label, Sparkline, Static

from companion.domain.contact import Balance


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


class LabelledSparkline(Horizontal):
    """A label, a sparkline of the days with a value, and a plain caption."""

    def __init__(self, label: str, caption: str, id: str) -> None:
        super().__init__(id=id, classes="spark-row")
        self._label, self._caption = label, caption

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="spark-label")
        yield Sparkline([], classes="spark")
        yield Static("", classes="spark-caption")

    def show(self, values: list[float | None]) -> None:
        """Draw the days that have a value (days with nothing logged are left out, not drawn as lows)."""
        logged = [v for v in values if v is not None]
        spark = self.query_one(Sparkline)
        spark.data = logged
        spark.display = bool(logged)
        caption = f"{len(logged)} day{'s' if len(logged) != 1 else ''} · {self._caption}" if logged else "nothing logged in the last 30 days"
        self.query_one(".spark-caption", Static).update(caption)
