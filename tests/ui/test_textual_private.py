"""The one private Textual API companion relies on: what a crash prints. If an upgrade renames it,
these fail loudly instead of a crash silently printing decrypted text again."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from companion.screens.home import HomeScreen
from companion.textual_private import CRASH_MESSAGE, PRIVATE_NAMES, QuietCrash

from conftest import CANARY, settle, unlocked


def test_textual_still_has_what_the_guard_overrides() -> None:
    app = App()
    for name in PRIVATE_NAMES:
        assert hasattr(app, name), f"Textual no longer has App.{name}: update companion.textual_private.py"
    assert QuietCrash._fatal_error is not App._fatal_error


async def test_a_real_crash_prints_one_plain_sentence(seeded_vault: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    def breaks(self: HomeScreen) -> None:
        private = f"{CANARY} words in a local variable"
        raise RuntimeError(private)

    monkeypatch.setattr(HomeScreen, "action_write_today", breaks)
    with pytest.raises(RuntimeError):  # the test harness re-raises it; a person sees only the sentence
        async with unlocked(seeded_vault) as (app, pilot):
            await pilot.press("w")
            await settle(pilot)
    assert app.return_code == 1
    printed = " ".join(capsys.readouterr().err.split())
    assert printed == CRASH_MESSAGE  # one sentence: no traceback, no local variables
    assert CANARY not in printed


def test_the_render_caches_it_clears_are_still_there() -> None:
    from textual._styles_cache import StylesCache

    from companion.textual_private import forget_rendered_text

    assert hasattr(StylesCache.get_inner_outer, "cache_clear"), "Textual changed its render cache"
    assert forget_rendered_text() > 0
    assert StylesCache.get_inner_outer.cache_info().currsize == 0


def test_escape_then_a_key_is_read_as_both() -> None:
    from textual._ansi_sequences import ANSI_SEQUENCES_KEYS

    from companion.textual_private import ESCAPE_PAIRS, read_escape_then_key

    read_escape_then_key()
    assert not set(ESCAPE_PAIRS) & set(ANSI_SEQUENCES_KEYS), "Textual's sequence table changed: see textual_private"
    assert read_escape_then_key() == []  # idempotent


async def test_alt_and_a_key_acts_as_escape_then_the_key(seeded_vault: Path) -> None:
    from companion.screens.boundaries import BoundariesScreen
    from companion.widgets.record_list import RecordList

    async with unlocked(seeded_vault) as (app, pilot):
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash", "x")
        await pilot.press("alt+3")  # Escape (clears the filter, back to the rows), then 3 (Boundaries)
        await settle(pilot)
        assert isinstance(app.screen, BoundariesScreen)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one(RecordList).query_text == ""


async def test_alt_arrows_stay_word_moves_in_the_editor(seeded_vault: Path) -> None:
    from companion.screens.editor import EditorScreen

    async with unlocked(seeded_vault) as (app, pilot):
        await pilot.press("w")
        await settle(pilot)
        await pilot.press(*"two words", "alt+left")  # Option+left on a Mac: not Escape (which would leave)
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)


async def test_the_highlighted_row_is_marked_in_the_characters(seeded_vault: Path) -> None:
    from companion.textual_private import MARK, MarkedOptionList

    async with unlocked(seeded_vault) as (app, pilot):
        await pilot.press("2")
        await settle(pilot)
        rows = app.screen.query_one(MarkedOptionList)
        assert hasattr(rows, "_lines"), "Textual's OptionList changed: update MarkedOptionList"
        first, second = ("".join(s.text for s in rows.render_line(y)) for y in (0, 1))
        assert first.startswith(MARK) and second.startswith(" ")
        await pilot.press("j")
        await settle(pilot)
        assert "".join(s.text for s in rows.render_line(1)).startswith(MARK)
