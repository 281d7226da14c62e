"""Keys that arrive together (a paste, a slow SSH line, a fast typist) act where they were typed: each key on
the focus the keys before it left. Every burst here is one read from the terminal (conftest.burst), the way
pilot.press, which waits for each key, cannot show. tests/system/test_typing.py types them in tmux, locally
and over sshd."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual.widgets import Input

from companion.dialogs.editors import BoundaryDialog, ContactDialog, LogDialog
from companion.screens.boundaries import BoundariesScreen
from companion.screens.home import HomeScreen
from companion.widgets.record_list import RecordList

from conftest import burst, journal_of, seed_practices, settle, unlocked

TAB, ESCAPE, CTRL_S, ENTER = "\t", "\x1b", "\x13", "\r"


async def test_a_new_boundary_typed_in_one_burst_keeps_each_field(make_vault: Callable[..., Path]) -> None:
    async with unlocked(make_vault([])) as (app, pilot):
        await burst(pilot, "3n" + "Ann" + TAB + "No calls late" + TAB + "sleep matters")
        assert isinstance(app.screen, BoundaryDialog)
        fields = [app.screen.query_one(f"#{name}", Input).value for name in ("who", "boundary", "why")]
        assert fields == ["Ann", "No calls late", "sleep matters"]
        await burst(pilot, CTRL_S + "/Ann")  # saved, and the filter opened before the word was typed into it
        assert isinstance(app.screen, BoundariesScreen)
        assert app.screen.query_one(RecordList).query_text == "Ann"
        [saved] = journal_of(app).boundaries.all()
        assert (saved.who, saved.boundary, saved.why) == ("Ann", "No calls late", "sleep matters")


async def test_a_date_typed_then_tab_keeps_every_digit(make_vault: Callable[..., Path]) -> None:
    async with unlocked(make_vault([])) as (app, pilot):
        await pilot.press("3")
        await settle(pilot)
        # who, boundary, why, how I'll say it, status, then the review date; Tab at once after it
        await burst(pilot, "n" + "Sam" + TAB + "Weekends are mine" + TAB * 4 + "2027-01-05" + TAB + CTRL_S)
        [saved] = journal_of(app).boundaries.all()
        assert saved.review_on == date(2027, 1, 5)
        assert (saved.who, saved.boundary) == ("Sam", "Weekends are mine")


async def test_a_slash_then_a_word_filters_by_the_whole_word(make_vault: Callable[..., Path]) -> None:
    async with unlocked(make_vault(["walked with Priya", "a quiet evening"])) as (app, pilot):
        await burst(pilot, "2/quiet")
        rows = app.screen.query_one(RecordList)
        assert rows.query_text == "quiet"
        assert rows.rows.option_count == 1


async def test_a_person_and_a_moment_typed_in_bursts(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        # name, role and ring (choices: Tab passes them), four kinds of support (ticks), how they help, what I
        # offer, how to reach
        await burst(pilot, "4n" + "Noor" + TAB * 7 + "listens" + TAB + "soup" + TAB + "text first")
        assert isinstance(app.screen, ContactDialog)
        await burst(pilot, CTRL_S)
        noor = next(c for c in journal_of(app).contacts.all() if c.name == "Noor")
        assert (noor.supports, noor.offer, noor.reach) == ("listens", "soup", "text first")
        rows = app.screen.query_one(RecordList).rows
        rows.highlighted = rows.get_option_index(str(noor.id))
        await burst(pilot, "l2" + "we talked at the market" + CTRL_S)  # a number picks the kind, then the note
        assert not isinstance(app.screen, LogDialog)
        noor = next(c for c in journal_of(app).contacts.all() if c.name == "Noor")
        assert noor.interactions[-1].note == "we talked at the market"


async def test_an_entry_typed_and_saved_in_one_burst_is_whole(make_vault: Callable[..., Path]) -> None:
    words = "Asked Sam for a lift, and it was fine. " * 20  # 780 characters, then ctrl+s in the same read
    async with unlocked(make_vault([])) as (app, pilot):
        await burst(pilot, "w" + words + CTRL_S)
        assert isinstance(app.screen, HomeScreen)
        assert journal_of(app).reflections.page().items[0].text == words


async def test_escape_then_many_keys_in_one_read_act_in_turn(make_vault: Callable[..., Path]) -> None:
    who = "my neighbour upstairs, after eleven at night"  # more than the 32 characters Textual searches
    async with unlocked(make_vault(["walked with Priya"])) as (app, pilot):
        # Escape clears the filter and goes back to the rows, n opens a new boundary, the words go in it
        await burst(pilot, "3/Ann" + ESCAPE + "n" + who)
        assert isinstance(app.screen, BoundaryDialog)
        assert app.screen.query_one("#who", Input).value == who  # no "^" for the Escape, nothing lost
        await burst(pilot, ESCAPE + "d" + "2/Priya" + ESCAPE + "3")  # escape asks first: d discards
        assert isinstance(app.screen, BoundariesScreen)
        assert app.screen.query_one(RecordList).query_text == ""
