"""What companion takes from Textual's private side (companion/textual_private.py): what a crash prints,
the render caches, Escape pairs, keys in order, the highlighted row, a highlight whose row is gone. If an
upgrade changes any of it, these fail loudly instead of a crash printing decrypted text or a burst of keys
landing in the wrong field."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App, ComposeResult
from textual.widgets import Input

from companion.screens.home import HomeScreen
from companion.textual_private import CRASH_MESSAGE, PRIVATE_NAMES, KeysInOrder, QuietCrash

from conftest import CANARY, settle, unlocked, wait_until


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
    from textual.drivers import linux_driver, linux_inline_driver

    from companion.textual_private import EscapeThenKey, tune_linux_drivers

    tune_linux_drivers()
    assert linux_driver.XTermParser is EscapeThenKey, "Textual's Linux driver no longer builds its parser by name"
    assert linux_inline_driver.XTermParser is EscapeThenKey
    assert "_sequence_to_key_events" in vars(XTermParser), "Textual's parser changed: see textual_private"

    def keys(data: str) -> list[str]:
        return [event.key for event in EscapeThenKey().feed(data) if isinstance(event, events.Key)]

    typed = "x" * 40  # more than Textual's 32-character search for a sequence, all in one read
    assert keys("\x1b1" + typed) == ["escape", "1", *typed]  # not "^", "1", ...
    assert keys("\x1b2") == ["escape", "2"]  # not "™"
    assert keys("\x1bf") == ["escape", "f"]  # not a word move
    assert keys("\x1b-" + typed) == ["escape", "minus", *typed]
    assert keys("\x1b[A\x1bOB\x1b[1;5C") == ["up", "down", "ctrl+right"]  # the terminal's own sequences stay


class TwoFields(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")


class TwoFieldsInOrder(KeysInOrder, TwoFields):
    pass


@pytest.mark.parametrize(("app_class", "in_order"), [(TwoFields, False), (TwoFieldsInOrder, True)])
async def test_keys_that_arrive_together_act_in_order_only_with_keys_in_order(app_class: type[App[None]],
                                                                               in_order: bool) -> None:
    """Textual alone still delivers a burst to the focus it found (the reproduction for its maintainers):
    when this fails for `TwoFields`, Textual has fixed it and KeysInOrder can go."""
    from companion.textual_private import EscapeThenKey

    app = app_class()
    async with app.run_test() as pilot:
        assert hasattr(app.query_one("#first"), "_task"), "Textual's MessagePump changed: see textual_private"
        for event in EscapeThenKey().feed("Ann\tBo"):  # one read from the terminal
            app.post_message(event)
        await wait_until(pilot, lambda: len(app.query_one("#first", Input).value
                                            + app.query_one("#second", Input).value) == 5, "all five characters")
        fields = app.query_one("#first", Input).value, app.query_one("#second", Input).value
        assert fields == (("Ann", "Bo") if in_order else ("AnnBo", ""))


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


async def test_a_selection_list_refilled_while_a_highlight_is_on_its_way_does_not_crash() -> None:
    """Found in CI: the Share screen listed again (a kept export form restoring its choice) while the highlight
    of its first listing was still queued; SelectionList looked that option up by index, found nothing, and the
    app closed with "an unexpected problem"."""
    from textual.widgets import SelectionList

    from companion.textual_private import SteadySelectionList

    assert "_on_option_list_option_highlighted" in vars(SelectionList), "Textual changed: update SteadySelectionList"
    heard: list[str] = []

    class Lists(App[None]):
        def compose(self) -> ComposeResult:
            yield SteadySelectionList[str](("one", "1"), ("two", "2"))

        def on_selection_list_selection_highlighted(self, event: SelectionList.SelectionHighlighted[str]) -> None:
            heard.append(event.selection.value)

    app = Lists()
    async with app.run_test() as pilot:
        items = app.query_one(SteadySelectionList)
        items.highlighted = 1
        await pilot.pause()
        assert heard[-1] == "2"  # a highlight that stays is told as before
        items.highlighted = 0
        await pilot.pause()
        heard.clear()
        items.highlighted = 1
        items.clear_options()  # before that highlight is handled: run_test re-raises a crash
        items.add_options([("three", "3")])
        await pilot.pause()
        items.highlighted = 0
        await pilot.pause()
        assert heard == ["3"]  # the gone option's highlight is dropped, the new one's is told


def test_the_driver_still_has_what_handing_the_terminal_over_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    import inspect
    import selectors

    from textual.drivers import linux_driver

    from companion.textual_private import DRIVER_PRIVATE, QuickToStop, tune_linux_drivers

    made = inspect.getsource(linux_driver.LinuxDriver.__init__)
    for name in DRIVER_PRIVATE:
        assert f"self.{name}" in made, f"Textual's LinuxDriver no longer has {name}: update textual_private.py"
    source = inspect.getsource(linux_driver.LinuxDriver.run_input_thread)
    assert "selectors.SelectSelector()" in source and "exit_event" in source, "the input thread changed"
    tune_linux_drivers()
    assert linux_driver.selectors.SelectSelector is QuickToStop
    quick = QuickToStop()
    waits: list[float | None] = []
    monkeypatch.setattr(selectors.SelectSelector, "select", lambda self, timeout=None: waits.append(timeout) or [])
    assert quick.select(0.1) == [] and waits == [0.1]  # SelectSelector's own wait, until a lock hands over
    monkeypatch.undo()
    QuickToStop.handing_over = True
    try:
        assert quick.select(5.0) == []  # handing over, nothing registered: at once, not after the timeout
    finally:
        QuickToStop.handing_over = False
    read_end, write_end = os.pipe()
    quick.register(read_end, selectors.EVENT_READ)
    os.write(write_end, b"x")
    assert [key.fd for key, _ in quick.select(1.0)] == [read_end]  # and a selector like any other otherwise
    quick.close()
    os.close(read_end)
    os.close(write_end)
