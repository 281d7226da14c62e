"""Pure rules: tags, moods, passphrase hints, greetings, search."""

from __future__ import annotations

from datetime import datetime

import pytest

from companion.domain.clock import greeting
from companion.domain.passphrase import MIN_LENGTH, strength_hint, too_short
from companion.domain.reflection import Reflection, ReflectionFilter, check_mood, clean_tags

from conftest import NOW


def test_clean_tags_trims_lowercases_and_dedupes() -> None:
    assert clean_tags([" Help ", "#help", "", "Family", "#"]) == ["help", "family"]


@pytest.mark.parametrize("mood", [0, 6, -1])
def test_mood_out_of_range(mood: int) -> None:
    with pytest.raises(ValueError):
        check_mood(mood)


def test_mood_in_range_or_absent() -> None:
    assert check_mood(None) is None
    assert [check_mood(m) for m in range(1, 6)] == [1, 2, 3, 4, 5]


def test_minimum_length() -> None:
    assert too_short("x" * (MIN_LENGTH - 1))
    assert not too_short("x" * MIN_LENGTH)


def test_strength_hint_grows_with_length() -> None:
    assert "more characters" in strength_hint("abc")
    assert strength_hint("abcdefgh").startswith("Long enough")
    assert strength_hint("four plain little words").startswith("Strong")


@pytest.mark.parametrize(("hour", "text"), [(8, "morning"), (14, "afternoon"), (20, "evening"), (2, "late")])
def test_greeting(hour: int, text: str) -> None:
    assert text in greeting(datetime(2026, 1, 1, hour))


def test_first_line_and_search() -> None:
    entry = Reflection(text="\n  Asked for help  \nsecond", created=NOW, tags=["family"], prompt="Who did you lean on?")
    assert entry.first_line == "Asked for help"
    for words, found in (("ASKED", True), ("family", True), ("lean on", True), ("absent", False)):
        assert ReflectionFilter(text=words).matches_record(entry.to_record()) is found, words


def test_record_round_trip_stores_utc() -> None:
    entry = Reflection(text="t", created=NOW, mood=3, tags=["a"], flagged=True)
    record = entry.to_record()
    assert record["created"].endswith("+00:00")
    back = Reflection.from_record(record, 7)
    assert back.created == NOW and back.id == 7 and back.flagged and back.tags == ["a"]
