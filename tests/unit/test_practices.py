"""Pure rules of the three practices: prompts, due dates, balance, boundaries, filters, settings."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from companion.domain.boundary import Boundary, BoundaryEvent
from companion.domain.clock import friendly_day, parse_day
from companion.domain.contact import Contact, Interaction
from companion.domain.prompts import BUILT_IN, CUSTOM_THEME, THEMES, all_prompts, prompt_of_the_day
from companion.domain.query import parse_filter
from companion.domain.reflection import Reflection, ReflectionFilter
from companion.domain.series import last_days, series
from companion.settings import DEFAULT_CRISIS_LINES, ensure_settings_file, load_settings

from conftest import NOW

DAY = date(2026, 11, 27)


def test_every_theme_has_several_prompts() -> None:
    for theme in THEMES:
        assert sum(1 for p in BUILT_IN if p.theme == theme) >= 3


def test_prompt_of_the_day_rotates_through_every_prompt_and_theme() -> None:
    days = [prompt_of_the_day(DAY + timedelta(days=i)) for i in range(len(BUILT_IN))]
    assert {p.text for p in days} == {p.text for p in BUILT_IN}
    assert all(a.theme != b.theme for a, b in zip(days, days[1:], strict=False))
    assert prompt_of_the_day(DAY) == prompt_of_the_day(DAY)


def test_skip_moves_along_and_custom_prompts_join_the_rotation() -> None:
    assert prompt_of_the_day(DAY, skip=1) == prompt_of_the_day(DAY + timedelta(days=1))
    custom = ["What did I need today that I did not say?"]
    seen = {prompt_of_the_day(DAY + timedelta(days=i), custom).text for i in range(len(BUILT_IN) + 1)}
    assert custom[0] in seen
    assert all_prompts(custom)[-1].theme == CUSTOM_THEME


def test_contact_due_rules_and_logging_resets_the_clock() -> None:
    never = Contact("Ana")
    assert not never.is_due(DAY)  # no rhythm, never nagged
    rhythm = Contact("Ben", reconnect_days=7)
    assert rhythm.is_due(DAY)  # a rhythm and no contact yet
    rhythm.log(Interaction(DAY - timedelta(days=8), "together"))
    assert rhythm.is_due(DAY)
    assert rhythm.reconnect_on() == DAY - timedelta(days=1)
    rhythm.log(Interaction(DAY, "asked"))
    assert not rhythm.is_due(DAY)
    assert rhythm.last_contact == DAY
    assert rhythm.is_due(DAY + timedelta(days=7))


def test_balance_counts_the_last_90_days_only() -> None:
    c = Contact("Cy")
    for offset, kind in [(1, "asked"), (2, "helped-me"), (3, "helped-them"), (24, "together"), (95, "helped-them")]:
        c.log(Interaction(DAY - timedelta(days=offset), kind))
    b = c.balance(DAY)
    assert (b.received, b.given, b.shared) == (2, 1, 1)
    assert b.label == "Lately you have been receiving more"


@pytest.mark.parametrize(
    ("kinds", "label"),
    [([], "Nothing logged"), (["asked", "helped-them"] * 2, "About even"), (["helped-them"] * 4, "giving more")],
)
def test_balance_labels_describe_without_judging(kinds: list[str], label: str) -> None:
    c = Contact("Di")
    for week, kind in enumerate(kinds):
        c.log(Interaction(DAY - timedelta(weeks=week), kind))
    assert label in c.balance(DAY).label


def test_contact_validation() -> None:
    with pytest.raises(ValueError):
        Contact("  ")
    with pytest.raises(ValueError):
        Contact("Ed", role="boss")
    with pytest.raises(ValueError):
        Contact("Ed", reconnect_days=0)
    with pytest.raises(ValueError):
        Contact("Ed").log(Interaction(DAY, "argued"))


def test_boundary_due_and_event_log() -> None:
    b = Boundary(who="Work", boundary="No email after 8pm", review_on=DAY)
    assert b.is_due(DAY) and not b.is_due(DAY - timedelta(days=1))
    assert not Boundary(who="", boundary="x").is_due(DAY)
    b.log(BoundaryEvent(DAY, "crossed", "answered one"))
    b.log(BoundaryEvent(DAY - timedelta(days=3), "held"))
    assert [e.kind for e in b.events] == ["held", "crossed"]
    with pytest.raises(ValueError):
        b.log(BoundaryEvent(DAY, "ignored"))
    with pytest.raises(ValueError):
        Boundary(who="x", boundary=" ")
    with pytest.raises(ValueError):
        Boundary(who="x", boundary="y", status="done")
    assert Boundary.from_record(b.to_record(), 3) == Boundary(**{**b.__dict__, "id": 3})


def test_query_parsing() -> None:
    rule = parse_filter("lighthouse #Family theme:asking since:2026-11-01 until:2026-11-30 flagged")
    assert rule == ReflectionFilter(text="lighthouse", tag="family", theme="asking", flagged_only=True,
                                    since=date(2026, 11, 1), until=date(2026, 11, 30))
    assert not parse_filter("").active
    for bad in ("since:yesterday", "theme:nope", "since:2026-12-01 until:2026-11-01"):
        with pytest.raises(ValueError):
            parse_filter(bad)


def test_filter_matching() -> None:
    entry = Reflection(text="Asked for help", created=NOW, tags=["family"], theme="asking", flagged=True)
    record = entry.to_record()
    assert parse_filter("help #family theme:asking flagged").matches_record(record)
    assert not parse_filter("#work").matches_record(record)
    assert not parse_filter("theme:mutual").matches_record(record)
    assert not parse_filter(f"since:{(NOW + timedelta(days=1)).date()}").matches_record(record, NOW.tzinfo)
    assert parse_filter(f"until:{NOW.date()}").matches_record(entry.to_record(), NOW.tzinfo)
    assert not parse_filter("flagged").matches_record(Reflection(text="x", created=NOW).to_record())


def test_series_average_noted_days_and_keep_gaps() -> None:
    entries = [Reflection(text="a", created=NOW, mood=2), Reflection(text="b", created=NOW, mood=4),
               Reflection(text="c", created=NOW - timedelta(days=2), mood=5),
               Reflection(text="d", created=NOW - timedelta(days=40), mood=1)]
    found = last_days(entries, "mood", NOW.date(), 30, NOW.tzinfo)
    assert len(found.values) == 30 and found.unit == "day"
    assert found.values[-1] == 3.0 and found.values[-3] == 5.0 and found.values[-2] is None
    assert found.noted == [5.0, 3.0]
    assert found.spark()[-3:] == "█·▅"
    assert found.describe() == "2 of 30 days noted; from 3 to 5 on the 1-5 scale"


def test_the_scale_is_fixed_so_low_weeks_look_low() -> None:
    low = [Reflection(text="x", created=NOW - timedelta(days=d), mood=1) for d in range(7)]
    high = [Reflection(text="x", created=NOW - timedelta(days=d), mood=5) for d in range(7)]
    assert last_days(low, "mood", NOW.date(), 7, NOW.tzinfo).spark() == "▁" * 7
    assert last_days(high, "mood", NOW.date(), 7, NOW.tzinfo).spark() == "█" * 7
    rows = last_days(low, "mood", NOW.date(), 7, NOW.tzinfo).rows()
    assert rows[0] == "5 ┤" and rows[-1] == "1 ┤" + "█" * 7


def test_long_periods_average_each_week_and_say_so() -> None:
    entries = [Reflection(text="x", created=NOW - timedelta(days=d), mood=1 + d % 5) for d in range(0, 200, 3)]
    found = series(entries, "mood", (NOW - timedelta(days=199)).date(), NOW.date(), NOW.tzinfo)
    assert found.unit == "week" and len(found.values) == 29
    assert "(each an average)" in found.describe()
    assert min(found.noted) < 3 < max(found.noted)  # low weeks are kept, not dropped
    # each week keeps its lowest and highest day beside its average
    assert all(low <= value <= high for value, low, high in zip(found.values, found.lows, found.highs, strict=True)
               if value is not None)
    assert "from 1 to 5 on the 1-5 scale (its lowest day to its highest)" in found.describe()


def test_the_healthy_middle_of_reliance_is_marked() -> None:
    entries = [Reflection(text="x", created=NOW - timedelta(days=d), reliance=r) for d, r in enumerate((1, 3, 5, 3))]
    found = last_days(entries, "reliance", NOW.date(), 4, NOW.tzinfo)
    assert found.in_middle() == [True, False, True, False]  # oldest first: 3, 5, 3, 1
    assert {found.spark()[i] for i in (0, 2)} <= set("▄▅")  # the two glyphs Home's caption names
    assert found.rows("healthy middle")[2] == "3 ┤███  ◂ healthy middle"  # the 1 stays below it


def test_dates_typed_by_a_person() -> None:
    assert parse_day("2026-12-31") == date(2026, 12, 31)
    assert parse_day("  ") is None
    with pytest.raises(ValueError, match="dates look like"):
        parse_day("31/12/2026")
    assert friendly_day(DAY, DAY) == "today"
    assert friendly_day(DAY - timedelta(days=1), DAY) == "yesterday"
    assert friendly_day(DAY - timedelta(days=3), DAY) == "3 days ago"
    assert friendly_day(DAY - timedelta(days=20), DAY) == "2 weeks ago"  # one form: never a bare date
    assert friendly_day(DAY - timedelta(days=100), DAY) == "3 months ago"
    assert friendly_day(None, DAY) == "not yet"


def test_a_pattern_is_named_only_from_enough_moments() -> None:
    from companion.domain.contact import Contact, Interaction

    sam = Contact("Sam")
    sam.log(Interaction(DAY - timedelta(days=2), "helped-them"))
    assert sam.balance(DAY).label == "1 moment logged in the last 90 days"  # no "giving more" from one
    for days in (30, 20, 10):
        sam.log(Interaction(DAY - timedelta(days=days), "helped-them"))
    assert sam.balance(DAY).label == "Lately you have been giving more"  # 4 moments over 4 weeks
    assert sam.logged() == "I helped them 4"
    sam.log(Interaction(DAY, "asked"))
    assert sam.logged() == "I asked for help 1 · I helped them 4"  # what was logged, by name


def test_settings_defaults_custom_and_broken(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    assert load_settings(path).crisis_lines == DEFAULT_CRISIS_LINES
    ensure_settings_file(path)
    assert "NOT encrypted" in path.read_text()
    assert load_settings(path).crisis_lines == DEFAULT_CRISIS_LINES
    assert (path.stat().st_mode & 0o777) == 0o600
    path.write_text('crisis_lines = ["Local line: 555 0100"]\n')
    assert load_settings(path).crisis_lines == ["Local line: 555 0100"]
    path.write_text("crisis_lines = [unclosed\n")
    broken = load_settings(path)
    assert broken.crisis_lines == DEFAULT_CRISIS_LINES and "could not be read" in broken.problem
