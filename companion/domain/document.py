"""The shared document as one model of blocks: what the preview draws and the files are written from.

Plain data and words only; building it from a journal is the sharing service's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from companion.domain.clock import day_text
from companion.domain.series import Series


@dataclass(frozen=True)
class Heading:
    """A heading: 1 the title, 2 a section, 3 one item."""

    text: str
    level: int
    new_page: bool = False  # the PDF starts a page here (the safety plan is a page of its own)


@dataclass(frozen=True)
class Paragraph:
    """Running text; `muted` for the quieter lines (prompts, facts, dates)."""

    text: str
    muted: bool = False


@dataclass(frozen=True)
class Bullets:
    """A short list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    """A check-in over the period on the fixed 1-5 scale, with a text equivalent."""

    title: str
    scale: str  # what 1 and 5 mean
    values: Series
    middle: str = ""  # a band around 3 that is the healthy middle, and what it means ("" for none)


@dataclass(frozen=True)
class Calendar:
    """The period day by day, a row a week: each cell "23: 4/3" (mood/reliance), with a caption."""

    title: str
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (the week's label, seven cells from Monday)
    caption: str


@dataclass(frozen=True)
class Pairs:
    """Two columns side by side under their headings, a row each (an ask experiment: before, then after)."""

    headings: tuple[str, str]
    rows: tuple[tuple[str, str], ...]


Block = Heading | Paragraph | Bullets | Chart | Calendar | Pairs


@dataclass(frozen=True)
class Document:
    """Everything the file holds, in order, and when it was made (the journal's clock, not the machine's)."""

    blocks: tuple[Block, ...]
    made: datetime


HEALTHY_MIDDLE = "mutual give and take, neither carrying it all alone nor leaning for everything"


def chart_caption(chart: Chart, gap: str, *, range_drawn: bool = False) -> str:
    """The words under a chart: the period, what a column is, how a gap looks, the scale, the healthy middle
    (reliance), the facts."""
    v = chart.values
    middle = f" The shaded band from 2.5 to 3.5 is the healthy middle: {chart.middle}." if chart.middle else ""
    spread = (f" Each {v.unit}'s range, from its lowest day to its highest, is listed below the chart"
              f"{' and drawn as a thin line in its column' if range_drawn else ''}." if v.days_per_column > 1 else "")
    return (f"{day_text(v.start)} to {day_text(v.end)}, one column a {v.unit}; {gap}: nothing noted. "
            f"{chart.scale}.{middle}{spread} {v.describe().capitalize()}.")
