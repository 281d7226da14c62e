"""Days and hours by the person's own clock, handed in: local midnight (not UTC's) and the days the
clocks change, in Europe/London and Pacific/Auckland. No test here reads the machine's time."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from companion.domain.clock import greeting
from companion.domain.contact import Contact
from companion.domain.query import parse_filter
from companion.domain.reflection import Reflection
from companion.domain.series import series
from companion.domain.session import Session
from companion.services.journal import Journal
from companion.storage.vault import Vault

from conftest import PASSPHRASE
from pinned import pinned_env

LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")


class Moment:
    """A wall clock the test sets by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def _journal(path: Path, clock: Callable[[], datetime]) -> Iterator[Journal]:
    journal = Journal(Vault.open(path, PASSPHRASE, clock=clock), clock)
    try:
        yield journal
    finally:
        journal.close()


# -- the clocks going back (London, Sunday 25 October 2026, 02:00 BST -> 01:00 GMT) ------------------------
WRITTEN_IN_SUMMER_TIME = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)  # 23:30 UTC the evening before


def test_an_entry_keeps_its_day_after_the_clocks_go_back() -> None:
    entry = Reflection(text="Half past midnight, still up.", created=WRITTEN_IN_SUMMER_TIME.astimezone(UTC), mood=2)
    november = datetime(2026, 11, 5, 12, 0, tzinfo=LONDON)  # GMT now: today's offset would put it on the 24th
    chart = series([entry], "mood", date(2026, 10, 24), date(2026, 10, 26), november.tzinfo)
    assert chart.values == (None, 2, None)
    assert parse_filter("since:2026-10-25 until:2026-10-25").matches_record(entry.to_record(), november.tzinfo)
    assert not parse_filter("until:2026-10-24").matches_record(entry.to_record(), november.tzinfo)


def test_the_machines_zone_is_a_zone_with_rules_not_todays_offset() -> None:
    probe = ("from datetime import datetime\nfrom companion.clocks import local_zone\nz = local_zone()\n"
             "print(datetime(2026, 7, 1, 12, tzinfo=z).utcoffset(), datetime(2026, 1, 1, 12, tzinfo=z).utcoffset())")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          env=pinned_env({"TZ": "Europe/London"}))
    assert done.stdout.split() == ["1:00:00", "0:00:00"]


def test_a_zone_without_rules_falls_back_to_its_offset() -> None:
    probe = ("from companion.clocks import local_now\n"
             "print(local_now().utcoffset())")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          env=pinned_env({"TZ": "XYZ-3"}))  # a POSIX zone tzlocal cannot name
    assert done.stdout.strip() == "3:00:00" and not done.stderr


# -- the clocks going forward (Auckland, Sunday 27 September 2026, 02:00 NZST -> 03:00 NZDT) ----------------
def test_the_chart_puts_each_entry_on_its_own_day_across_the_change(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    now = Moment(datetime(2026, 9, 27, 12, 0, tzinfo=AUCKLAND))
    with _journal(path, now) as journal:
        for created, mood in ((datetime(2026, 9, 26, 23, 30, tzinfo=AUCKLAND), 1),  # +12:00, the night before
                              (datetime(2026, 9, 27, 9, 0, tzinfo=AUCKLAND), 5)):  # +13:00, the morning after
            journal.reflections.save(Reflection(text=f"mood {mood}", created=created, mood=mood))
        assert journal.summary().mood.values[-2:] == (1, 5)  # today's offset would put both on the 27th


# -- local midnight, far from UTC's ----------------------------------------------------------------------
def test_a_session_is_todays_from_local_midnight(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    now = Moment(datetime(2026, 12, 1, 23, 59, 59, tzinfo=AUCKLAND))  # 10:59:59 UTC
    with _journal(path, now) as journal:
        journal.sessions.save(Session(day=date(2026, 12, 2), agenda="Evenings and rest"))
        assert journal.sessions.waiting() is None  # still to come
        assert journal.sessions.all()[0].state(now().date()) == "coming up"
        now.now += timedelta(seconds=1)
        waiting = journal.sessions.waiting()
        assert waiting is not None and waiting.called(now().date()) == "today's session"
        assert waiting.state(now().date()) == "nothing noted yet"


def test_reconnecting_comes_due_at_local_midnight(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    now = Moment(datetime(2026, 12, 1, 23, 30, tzinfo=AUCKLAND))
    with _journal(path, now) as journal:
        priya = journal.contacts.save(Contact("Priya", "secure-base", reconnect_days=7))
        journal.contacts.log(priya, "together", "Walk by the harbour", day=date(2026, 11, 25))
        assert journal.contacts.due() == []
        now.now += timedelta(hours=1)  # 00:30 on the 2nd in Auckland; still the 1st in UTC
        assert [c.name for c in journal.contacts.due()] == ["Priya"]


def test_an_entry_at_one_minute_to_midnight_is_todays_then_yesterdays(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    now = Moment(datetime(2026, 12, 1, 23, 59, tzinfo=LONDON))
    with _journal(path, now) as journal:
        journal.reflections.save(Reflection(text="Late words", created=now(), mood=4))
        assert journal.summary().mood.values[-1] == 4
        now.now += timedelta(minutes=1)
        values = journal.summary().mood.values
        assert values[-1] is None and values[-2] == 4


def test_the_greeting_follows_the_hour_on_the_wall() -> None:
    late = datetime(2026, 9, 27, 4, 59, tzinfo=AUCKLAND)  # the first morning of summer time
    assert greeting(late) == "Hello. It's late; be gentle with yourself."
    assert greeting((late + timedelta(minutes=1)).astimezone(AUCKLAND)) == "Good morning."
    assert greeting(datetime(2026, 10, 25, 23, 0, tzinfo=LONDON)) == "Hello. It's late; be gentle with yourself."
