"""The machine's two clocks, read here and nowhere else; the console script hands them to everything below it.

Tests hand in fixed or hand-driven clocks instead, and start the real program under faketime.
"""

from __future__ import annotations

import time
from datetime import datetime, tzinfo
from functools import cache


@cache
def local_zone() -> tzinfo:
    """The machine's time zone with its rules (the offset changes at DST), else today's fixed offset."""
    try:
        import tzlocal  # TZ, then /etc/localtime (or the platform's own setting)

        zone: tzinfo = tzlocal.get_localzone()
        return zone
    except Exception:  # a TZ that names no zone (CET-1CEST), no zone database: today's offset is what is left
        offset = datetime.now().astimezone().tzinfo
        assert offset is not None  # astimezone() always gives an aware time
        return offset


def local_now() -> datetime:
    """Now, aware, in the machine's time zone (a real zone, so days and hours stay right across DST)."""
    return datetime.now(local_zone())


def monotonic() -> float:
    """The machine's monotonic clock, in seconds (for idle timers: never goes back, whatever the wall clock does)."""
    return time.monotonic()
