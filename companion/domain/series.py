"""Mood and reliance over time, drawn honestly: a fixed 1-5 scale, and days without an entry as gaps.

A week of 1s must never look like a week of 5s, and the low days are never dropped. Up to 62 columns
are one per day; longer periods average each week (or each 30 days), and say so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

LOW, HIGH = 1, 5
MAX_COLUMNS = 62
GAP = "·"
_BLOCKS = "▁▂▃▄▅▆▇█"


class Dated(Protocol):
    """Anything with a creation time and the two check-ins (a Reflection)."""

    created: datetime
    mood: int | None
    reliance: int | None


@dataclass(frozen=True)
class Series:
    """Values on the 1-5 scale, one per column (None: nothing noted), from `start` to `end`."""

    values: tuple[float | None, ...]
    start: date
    end: date
    days_per_column: int

    @property
    def unit(self) -> str:
        """What one column stands for, in words."""
        return {1: "day", 7: "week"}.get(self.days_per_column, f"{self.days_per_column} days")

    @property
    def noted(self) -> list[float]:
        """The columns that have a value."""
        return [v for v in self.values if v is not None]

    def describe(self) -> str:
        """A text equivalent: how many columns have a value, and the range (it describes; it does not judge)."""
        noted = self.noted
        if not noted:
            return "nothing noted in this period"
        what = f"{len(noted)} of {len(self.values)} {self.unit}s noted"
        if self.days_per_column > 1:
            what += " (each an average)"
        low, high = min(noted), max(noted)
        span = f"{_num(low)}" if low == high else f"from {_num(low)} to {_num(high)}"
        return f"{what}; {span} on the 1-5 scale"

    def spark(self) -> str:
        """One line, one character a column, on the fixed scale; gaps as a middle dot."""
        return "".join(GAP if v is None else _BLOCKS[round((v - LOW) / (HIGH - LOW) * (len(_BLOCKS) - 1))]
                       for v in self.values)

    def rows(self) -> list[str]:
        """Five lines of text (5 at the top), a column a day/week, bars up to the value; gaps as a dot at 1."""
        lines = []
        for level in range(HIGH, LOW - 1, -1):
            cells = []
            for v in self.values:
                if v is None:
                    cells.append(GAP if level == LOW else " ")
                else:
                    cells.append("█" if round(v) >= level else " ")
            lines.append(f"{level} ┤{''.join(cells)}".rstrip())
        return lines


def series(entries: Iterable[Dated], field: str, start: date, end: date, tz: tzinfo | None) -> Series:
    """The average of `mood` or `reliance` per column from `start` to `end` (both included)."""
    days = max((end - start).days + 1, 1)
    width = 1 if days <= MAX_COLUMNS else 7 if days <= MAX_COLUMNS * 7 else 30
    columns = math.ceil(days / width)
    sums = [0.0] * columns
    counts = [0] * columns
    for entry in entries:
        value = getattr(entry, field)
        if value is None:
            continue
        index = (entry.created.astimezone(tz).date() - start).days
        if 0 <= index < days:
            sums[index // width] += value
            counts[index // width] += 1
    values = tuple(s / c if c else None for s, c in zip(sums, counts, strict=True))
    return Series(values, start, end, width)


def last_days(entries: Iterable[Dated], field: str, today: date, days: int, tz: tzinfo | None) -> Series:
    """The last `days` days up to and including today, one column a day."""
    return series(entries, field, today - timedelta(days=days - 1), today, tz)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")
