"""The clock, passed in everywhere so tests can fix time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """Now, aware, in the machine's local time zone."""
    return datetime.now().astimezone()


def greeting(now: datetime) -> str:
    """A calm greeting for the time of day."""
    if 5 <= now.hour < 12:
        return "Good morning."
    if 12 <= now.hour < 18:
        return "Good afternoon."
    if 18 <= now.hour < 23:
        return "Good evening."
    return "Hello. It's late; be gentle with yourself."
