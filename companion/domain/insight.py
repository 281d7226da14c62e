"""What connection does to a week: mood and reliance on days the person reached out or was helped, against the
other days, and on the days after an ask. Always with the number of days behind each figure, nothing said
under MIN_DAYS on each side, and worded as something noticed, never as a cause."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from companion.domain.series import Series
from companion.domain.text import plural

INSIGHT_DAYS = 90
MIN_DAYS = 5  # days with a check-in on each side before a figure is shown
REACHING = ("asked", "helped-me")  # the moments that are reaching out, or being helped
NOT_A_CAUSE = ("Something noticed, not a cause: many things shape a day, and a good day may also be the day it "
               "felt possible to reach out.")
MEASURES = {"mood": "mood", "reliance": "reliance"}


@dataclass(frozen=True)
class Side:
    """The average of a measure over some days, and how many days it stands on."""

    average: float | None
    days: int


@dataclass(frozen=True)
class Contrast:
    """One measure on the marked days against the other days with a check-in."""

    measure: str
    marked: Side
    other: Side

    @property
    def enough(self) -> bool:
        """Whether both sides have MIN_DAYS days."""
        return self.marked.days >= MIN_DAYS and self.other.days >= MIN_DAYS


@dataclass(frozen=True)
class Noticing:
    """Contrasts on one kind of day ("days you reached out or were helped")."""

    days_are: str
    contrasts: tuple[Contrast, ...]

    def lines(self) -> list[str]:
        """A sentence per measure with enough days; otherwise how many days there are so far."""
        said = []
        for c in self.contrasts:
            measure = MEASURES[c.measure].capitalize()
            if c.enough:
                said.append(f"{measure}: {_num(c.marked.average)} on average over "
                            f"{plural(c.marked.days, 'day', 'days')}; {_num(c.other.average)} over the "
                            f"{plural(c.other.days, 'other day', 'other days')} with a check-in.")
            else:
                said.append(f"{measure}: not enough days yet to notice anything "
                            f"({plural(c.marked.days, 'such day', 'such days')} and "
                            f"{plural(c.other.days, 'other day', 'other days')} with a check-in; {MIN_DAYS} of "
                            "each are needed).")
        return said


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _side(values: dict[date, float], days: set[date]) -> Side:
    noted = [v for d, v in values.items() if d in days]
    return Side(sum(noted) / len(noted) if noted else None, len(noted))


def _daily(series: Series) -> dict[date, float]:
    return {series.start + timedelta(days=i): v for i, v in enumerate(series.values) if v is not None}


def noticings(mood: Series, reliance: Series, reaching: set[date], asks: set[date]) -> list[Noticing]:
    """The two noticings: days of reaching out or being helped, and days after an ask. `mood` and `reliance`
    are daily series over the same period."""
    daily = {"mood": _daily(mood), "reliance": _daily(reliance)}
    after = {d + timedelta(days=1) for d in asks}
    found = []
    for days_are, marked in (("you reached out or were helped", reaching), ("after an ask", after)):
        contrasts = []
        for measure, values in daily.items():
            checked = set(values)
            contrasts.append(Contrast(measure, _side(values, marked & checked), _side(values, checked - marked)))
        found.append(Noticing(days_are, tuple(contrasts)))
    return found


def home_line(found: list[Noticing]) -> str | None:
    """One line for Home, when the days of reaching out have enough days for mood."""
    if not found:
        return None
    mood = found[0].contrasts[0]
    if not mood.enough:
        return None
    return (f"On days you reached out or were helped, mood was {_num(mood.marked.average)} on average "
            f"({plural(mood.marked.days, 'day', 'days')}); other days {_num(mood.other.average)} "
            f"({plural(mood.other.days, 'day', 'days')}). Noticed, not a cause.")
