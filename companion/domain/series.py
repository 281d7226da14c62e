"""Mood and reliance over time, drawn honestly: a fixed 1-5 scale, and days without an entry as gaps.

A week of 1s must never look like a week of 5s, and the low days are never dropped. Up to 62 columns
are one per day; longer periods average each week (or each 30 days), and say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

LOW, HIGH = 1, 5
MIDDLE = (2.5, 3.5)  # reliance: the band around 3 (mutual give and take) that is the healthy middle
MAX_COLUMNS = 62
GAP = "·"
_BLOCKS = "▁▂▃▄▅▆▇█"


class Dated(Protocol):
    """Anything with a creation time and the two check-ins (a Reflection, or its numbers alone)."""

    @property
    def created(self) -> datetime: ...
    @property
    def mood(self) -> int | None: ...
    @property
    def reliance(self) -> int | None: ...


@dataclass(frozen=True)
class Series:
    """Values on the 1-5 scale, one per column (None: nothing noted), from `start` to `end`."""

    values: tuple[float | None, ...]
    start: date
    end: date
    days_per_column: int
    lows: tuple[float | None, ...] = ()  # each column's lowest day (a day: its own average), when a column is days
    highs: tuple[float | None, ...] = ()  # each column's highest day

    def column_start(self, index: int) -> date:
        """The first day a column stands for."""
        return self.start + timedelta(days=index * self.days_per_column)

    def column_days(self, index: int) -> tuple[date, date]:
        """The first and last day of a column (the last column ends with the period)."""
        first = self.column_start(index)
        return first, min(first + timedelta(days=self.days_per_column - 1), self.end)

    def ranges(self) -> list[str]:
        """For columns of several days, one line each with a value: "23 Nov to 29 Nov: 3.2 (from 1 to 5)".

        An average hides a low day; the range keeps it in sight.
        """
        if self.days_per_column == 1:
            return []
        lines = []
        for index, value in enumerate(self.values):
            if value is None:
                continue
            first, last = self.column_days(index)
            low, high = self.lows[index] or 0, self.highs[index] or 0
            spread = "" if low == high else f" on average, from {_num(low)} to {_num(high)}"
            lines.append(f"{short_day(first)} to {short_day(last)}: {_num(value)}{spread}")
        return lines

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
        if self.days_per_column > 1:  # the lowest and highest day, not the lowest and highest average
            low = min(v for v in self.lows if v is not None)
            high = max(v for v in self.highs if v is not None)
        span = f"{_num(low)}" if low == high else f"from {_num(low)} to {_num(high)}"
        return f"{what}; {span} on the 1-5 scale" + (" (its lowest day to its highest)"
                                                      if self.days_per_column > 1 and low != high else "")

    def spark(self) -> str:
        """One line, one character a column, on the fixed scale; gaps as a middle dot."""
        return "".join(GAP if v is None else _BLOCKS[round((v - LOW) / (HIGH - LOW) * (len(_BLOCKS) - 1))]
                       for v in self.values)

    def in_middle(self) -> list[bool]:
        """For each column, whether its value lies in the healthy middle (a value from 2.5 to 3.5)."""
        return [v is not None and MIDDLE[0] <= v <= MIDDLE[1] for v in self.values]

    def rows(self, middle: str = "") -> list[str]:
        """Five lines of text (5 at the top), a column a day/week, bars up to the value; gaps as a dot at 1.

        `middle`, when given, labels the 3 line (the healthy middle of reliance) at its end.
        """
        lines = []
        for level in range(HIGH, LOW - 1, -1):
            cells = []
            for v in self.values:
                if v is None:
                    cells.append(GAP if level == LOW else " ")
                else:
                    cells.append("█" if round(v) >= level else " ")
            label = f" ◂ {middle}" if middle and level == 3 else ""
            lines.append(f"{level} ┤{''.join(cells)}{label}".rstrip())
        return lines


def series(entries: Iterable[Dated], field: str, start: date, end: date, tz: tzinfo | None,
           width: int | None = None) -> Series:
    """The average of `mood` or `reliance` per column from `start` to `end` (both included).

    A column is a day, or (`width` None and a long period) a week or 30 days: its value is the average of
    its days, each day the average of its entries, and its lowest and highest day are kept beside it.
    """
    days = max((end - start).days + 1, 1)
    if width is None:
        width = 1 if days <= MAX_COLUMNS else 7 if days <= MAX_COLUMNS * 7 else 30
    sums = [0.0] * days
    counts = [0] * days
    for entry in entries:
        value = getattr(entry, field)
        if value is None:
            continue
        index = (entry.created.astimezone(tz).date() - start).days
        if 0 <= index < days:
            sums[index] += value
            counts[index] += 1
    daily = [s / c if c else None for s, c in zip(sums, counts, strict=True)]
    values, lows, highs = [], [], []
    for first in range(0, days, width):
        noted = [v for v in daily[first:first + width] if v is not None]
        values.append(sum(noted) / len(noted) if noted else None)
        lows.append(min(noted, default=None))
        highs.append(max(noted, default=None))
    return Series(tuple(values), start, end, width, tuple(lows), tuple(highs))


def short_day(day: date) -> str:
    """"23 Nov": a column's or a week's label, where the year is in the period's heading."""
    return f"{day.day} {day:%b}"


def last_days(entries: Iterable[Dated], field: str, today: date, days: int, tz: tzinfo | None) -> Series:
    """The last `days` days up to and including today, one column a day."""
    return series(entries, field, today - timedelta(days=days - 1), today, tz)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


CALENDAR_DAYS = 92  # a period of up to three months also gets a calendar of its days
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_by_day(mood: Series, reliance: Series) -> list[tuple[date, tuple[str, ...]]]:
    """A calendar of the period, a row a week from Monday: each day "23: 4/3" (mood/reliance, "-" where one
    was not noted), "23" where neither was, "" outside the period. Both series are a column a day.

    A weekly average hides the one low day; here every day is in sight, as a clinician reads a mood diary.
    """
    first_monday = mood.start - timedelta(days=mood.start.weekday())
    rows = []
    monday = first_monday
    while monday <= mood.end:
        cells = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if not mood.start <= day <= mood.end:
                cells.append("")
                continue
            index = (day - mood.start).days
            m, r = mood.values[index], reliance.values[index]
            cells.append(f"{day.day}" if m is None and r is None
                         else f"{day.day}: {_num_or_dash(m)}/{_num_or_dash(r)}")
        rows.append((monday, tuple(cells)))
        monday += timedelta(days=7)
    return rows


def _num_or_dash(value: float | None) -> str:
    return "-" if value is None else _num(value)
