"""Time as companion shows it: the clock types handed in everywhere, greetings, and the one date style.

Nothing here reads the machine's time: companion.clocks does, once, for the console script.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

Clock = Callable[[], datetime]  # now, aware, in the person's time zone
Monotonic = Callable[[], float]  # seconds that never go back (only differences mean anything)
EARLIEST = date(1900, 1, 1)  # the dates companion keeps: none can make a later list or export fail in some zone
LATEST = date(2200, 12, 31)


def greeting(now: datetime) -> str:
    """A calm greeting for the time of day."""
    if 5 <= now.hour < 12:
        return "Good morning."
    if 12 <= now.hour < 18:
        return "Good afternoon."
    if 18 <= now.hour < 23:
        return "Good evening."
    return "Hello. It's late; be gentle with yourself."


def in_range(day: date) -> date:
    """`day`, or ValueError with a sentence when it is outside the dates companion keeps."""
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{day.isoformat()} is outside the dates companion keeps (1900 to 2200).")
    return day


def parse_day(text: str) -> date | None:
    """A date typed by the person (YYYY-MM-DD), or None when empty; ValueError with a plain sentence."""
    text = text.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date companion understands; dates look like 2026-12-31.") from None
    return in_range(day)


def day_text(day: date | datetime) -> str:
    """The one date style of everything companion shows or writes: 'Fri 27 Nov 2026'."""
    return day.strftime("%a %d %b %Y")


def moment_text(when: datetime) -> str:
    """A date with the time: 'Fri 27 Nov 2026, 17:30'."""
    return f"{day_text(when)}, {when:%H:%M}"


def friendly_day(day: date | None, today: date) -> str:
    """How long ago, always in one form: 'today', 'yesterday', '3 days ago', '5 weeks ago', '4 months ago';
    'not yet' when nothing was logged."""
    if day is None:
        return "not yet"
    delta = (today - day).days
    if delta <= 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if delta < 14:
        return f"{delta} days ago"
    if delta < 61:
        return f"{delta // 7} weeks ago"
    return f"{delta // 30} months ago"
