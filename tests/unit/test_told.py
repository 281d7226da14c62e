"""What the journal has to tell the person comes back as values: the opening's with the journal it opened, and a
job's from the journal's thread as the job ends (never read by another thread while the next job runs)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_sync import other_device

from companion.domain.reflection import Reflection
from companion.errors import UsageError
from companion.services.inbox import capture
from companion.services.journal import Journal
from companion.services.opening import open_journal
from companion.services.runner import JournalRunner

from conftest import NOW, PASSPHRASE, fixed_clock

MERGED = "1 entry from another copy of your journal was merged."


def test_the_opening_says_what_it_took_in_with_the_journal_it_opened(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["written before"])
    open_journal(path, PASSPHRASE, clock=fixed_clock).journal.close()  # capturing is set up at an opening
    capture(path, "noted on the bus", [], datetime(2026, 11, 27, 8, 0, tzinfo=UTC))
    opened = open_journal(path, PASSPHRASE, clock=fixed_clock)
    try:
        assert opened.told == ["1 entry captured without unlocking was added (tagged #captured)."]
        assert opened.journal.news() == []  # nothing of it is left behind to be read again
    finally:
        opened.journal.close()
    again = open_journal(path, PASSPHRASE, clock=fixed_clock)
    again.journal.close()
    assert again.told == []  # told once


def _runner(path: Path) -> tuple[JournalRunner, list[tuple[str, list[str]]]]:
    told: list[tuple[str, list[str]]] = []
    journal = open_journal(path, PASSPHRASE, clock=fixed_clock).journal
    return JournalRunner(journal, tell=lambda lines: told.append((threading.current_thread().name, lines))), told


def test_a_jobs_sentences_are_handed_on_as_it_ends_on_the_journals_thread(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["written before"])
    runner, told = _runner(path)
    try:
        with other_device(path) as there:
            Journal(there, fixed_clock).reflections.save(Reflection(text="written on the phone", created=NOW))
        runner.submit(lambda j: j.reflections.save(Reflection(text="written here", created=NOW))).result(10)
        [(thread, lines)] = told
        assert thread.startswith("journal") and lines == [MERGED]
        runner.submit(lambda j: j.reflections.count()).result(10)
        assert len(told) == 1  # a job with nothing to say hands nothing on, and nothing is told twice
    finally:
        runner.close()


def test_a_failed_job_still_hands_on_what_it_had_to_tell(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["written before"])
    runner, told = _runner(path)

    def save_then_fail(journal: Journal) -> None:
        journal.reflections.save(Reflection(text="written here", created=NOW))
        raise UsageError("That did not work.")

    try:
        with other_device(path) as there:
            Journal(there, fixed_clock).reflections.save(Reflection(text="written on the phone", created=NOW))
        with pytest.raises(UsageError):
            runner.submit(save_then_fail).result(10)
        assert [lines for _, lines in told] == [[MERGED]]
    finally:
        runner.close()
