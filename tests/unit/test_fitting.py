"""What makes companion readable in any terminal, without a terminal: the key bar that fits, rows that drop
columns before cutting a word, the settings for colour, theme and blink, and the palette's names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.binding import Binding

from companion.colors import color_environment
from companion.domain.contact import Contact
from companion.domain.reflection import Reflection
from companion.palette import NAMED
from companion.settings import (
    THEMES,
    blink_wanted,
    ensure_settings_file,
    load_settings,
    remember,
)
from companion.themes import THEME_TITLES
from companion.themes import THEMES as THEME_OBJECTS
from companion.widgets.key_bar import Key, fit, keys_of
from companion.widgets.rows import contact_row, reflection_row

AREAS = Binding.Group("Areas", compact=True)


def _display(binding: Binding) -> str:
    return {"question_mark": "?"}.get(binding.key, binding.key.replace("ctrl+", "^"))


def _bar(width: int) -> list[Key]:
    bindings = [Binding(str(n), f"switch('{n}')", f"Area {n}", group=AREAS) for n in range(1, 7)]
    bindings += [Binding("ctrl+e", "export", "Export"), Binding("ctrl+r", "preview", "Preview"),
                 Binding("ctrl+t", "backup", "Backup"), Binding("ctrl+o", "restore", "Restore"),
                 Binding("ctrl+q", "quit", "Quit"), Binding("ctrl+l", "lock", "Lock"),
                 Binding("question_mark", "help", "Keys", id="help"),
                 Binding("ctrl+g", "support", "Urgent help", id="support"),
                 Binding("ctrl+p", "command_palette", "palette", show=False),
                 Binding("ctrl+k", "security", "Hidden", show=False)]
    return fit(keys_of(((b, True) for b in bindings), _display), width)


def _line(keys: list[Key]) -> str:
    return "  ".join(f"{k.key} {k.label}" for k in keys)


def test_the_key_bar_groups_the_areas_and_spaces_every_key() -> None:
    line = _line(_bar(200))
    assert "1-6 Areas" in line and "Hidden" not in line
    assert line.endswith("? Keys  ^g Urgent help  ^p Palette")


def test_the_key_bar_drops_the_least_important_keys_first_and_never_help() -> None:
    for width in (78, 58, 40):
        line = _line(_bar(width))
        assert len(line) <= width, (width, line)
        assert line.endswith("? Keys  ^g Urgent help  ^p Palette")
        assert line.startswith("^e Export") or width < 50
    assert "1-6 Areas" not in _line(_bar(78))  # the area bar shows them already: they go first


def test_reflection_rows_drop_the_time_then_the_theme() -> None:
    entry = Reflection("Asked for help today", datetime(2026, 11, 27, 9, 5, tzinfo=UTC), theme="asking")
    wide, normal, narrow = (str(reflection_row(entry, UTC, w).prompt) for w in (120, 80, 60))
    assert "09:05" in wide and "asking" in wide
    assert "09:05" not in normal and "asking" in normal
    assert "asking" not in narrow and "Fri 27 Nov 2026" in narrow and "Asked for help today" in narrow


def test_a_long_name_is_shortened_to_its_column_and_never_runs_into_the_role() -> None:
    person = Contact("Bartholomew Fitzgerald-Henderson", "secure-base")
    row = str(contact_row(person, date(2026, 11, 27), 80).prompt)
    assert row.startswith("Bartholomew Fitz… Secure base")
    assert "Secure base" not in str(contact_row(person, date(2026, 11, 27), 60).prompt)


def test_colour_theme_and_blink_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    ensure_settings_file(path)
    defaults = load_settings(path)
    assert (defaults.theme, defaults.color, defaults.cursor_blink, defaults.problem) == ("companion-dark", "auto",
                                                                                       None, "")
    path.write_text('theme = "neon"\ncolor = 8\ncursor_blink = "yes"\n')
    broken = load_settings(path)
    assert (broken.theme, broken.color, broken.cursor_blink) == ("companion-dark", "auto", None)
    assert "theme" in broken.problem and "color" in broken.problem and "cursor_blink" in broken.problem


def test_remembering_a_theme_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    ensure_settings_file(path)
    before = path.read_text()
    remember(path, "theme", "companion-light")
    after = path.read_text()
    assert load_settings(path).theme == "companion-light"
    assert after.replace('theme = "companion-light"', 'theme = "companion-dark"') == before
    remember(tmp_path / "new.toml", "theme", "companion-high-contrast")
    assert load_settings(tmp_path / "new.toml").theme == "companion-high-contrast"


@pytest.mark.parametrize(("choice", "environment"), [
    ("auto", {}), ("256", {"TEXTUAL_COLOR_SYSTEM": "256"}), ("16", {"TEXTUAL_COLOR_SYSTEM": "standard"}),
    ("none", {"NO_COLOR": "1"})])
def test_colour_choices_become_what_textual_reads(choice: str, environment: dict[str, str]) -> None:
    assert color_environment(choice) == environment


def test_the_cursor_is_still_over_ssh_unless_asked() -> None:
    from companion.settings import Settings

    assert blink_wanted(Settings(), {}) is True
    assert blink_wanted(Settings(), {"SSH_CONNECTION": "10.0.0.2 5000 10.0.0.1 22"}) is False
    assert blink_wanted(Settings(cursor_blink=True), {"SSH_TTY": "/dev/pts/3"}) is True
    assert blink_wanted(Settings(cursor_blink=False), {}) is False


def test_every_theme_the_settings_accept_exists_and_has_a_palette_entry() -> None:
    assert tuple(t.name for t in THEME_OBJECTS) == THEMES == tuple(THEME_TITLES)
    assert {f"set_theme('{name}')" for name in THEMES} <= {n.action for n in NAMED}
    assert len({n.title for n in NAMED}) == len(NAMED)


def test_the_demo_is_fictional_and_spread_over_months(tmp_path: Path) -> None:
    from companion.services.demo import make_demo, remove_demo

    now = datetime(2026, 11, 27, 19, 30, tzinfo=timezone(timedelta(hours=1)))
    folder, journal = make_demo(lambda: now)
    try:
        assert folder.name.startswith("companion-demo-")
        entries = journal.reflections.page(limit=None).items
        assert len(entries) > 30 and now - min(e.created for e in entries) > timedelta(days=90)
        assert journal.boundaries.all() and len(journal.contacts.all()) >= 3 and journal.sessions.all()
        texts = [e.text for e in entries]
        assert len(set(texts)) == len(texts)  # a first impression: no entry repeats another
        recent = {e.created.date() for e in entries if e.mood and now - e.created < timedelta(days=30)}
        assert len(recent) >= 15  # Home's 30-day chart has enough days to say something
        for entry in entries:  # the numbers say what the words say
            if any(word in entry.text for word in ("badly", "heavy", "tired", "small for the rest")):
                assert entry.mood is not None and entry.mood <= 3, entry.text
            if any(word in entry.text for word in ("Coped alone", "on my own", "myself and didn't tell")):
                assert entry.reliance is not None and entry.reliance <= 2, entry.text
            if entry.mood == 5:
                assert not any(word in entry.text for word in ("badly", "heavy", "tired", "racing")), entry.text
    finally:
        journal.close()
        remove_demo(folder)
    assert not folder.exists()
