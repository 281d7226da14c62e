"""Words that care: a new journal says what can be done first, one sentence where there were two that
contradicted, asking is met warmly, the keys overlay and last contact read as a person would say them, the
highlighted row is marked in the characters everywhere, and at 60x20 captions and keys shorten, never vanish."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from companion.dialogs.ask import AskDialog
from companion.dialogs.choosers import PeopleDialog, PromptPickerDialog
from companion.dialogs.export import ExportDialog
from companion.dialogs.info import HelpDialog, NoticeDialog
from companion.domain.session import Session
from companion.services.journal import Journal
from companion.storage.vault import Vault
from companion.textual_private import MARK
from companion.widgets.charts import ScaleChart
from companion.widgets.record_list import RecordList
from companion.widgets.ticks import TickList

from conftest import NOW, PASSPHRASE, fixed_clock, journal_of, seed_practices, settle, unlocked


def _text(widget: Static) -> str:
    return str(widget.render())


def _line(widget: OptionList, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


async def test_a_new_journal_says_what_can_be_done_first(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    async with unlocked(make_vault([])) as (app, pilot):
        counts = _text(app.screen.query_one("#counts", Static))
        assert counts.startswith("Your journal is ready:") and "4 adds someone you can turn to" in counts
        assert "0 " not in counts  # never "0 people in your secure base"
    async with unlocked(make_vault(["one", "two"], path=tmp_path / "two" / "vault.companion")) as (app, pilot):
        assert _text(app.screen.query_one("#counts", Static)) == "Your journal holds 2 reflections."


async def test_a_session_to_note_is_not_followed_by_nothing_waiting(make_vault: Callable[..., Path],
                                                                     tmp_path: Path) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        Journal(vault, fixed_clock).sessions.save(Session(day=NOW.date() - timedelta(days=2)))
    async with unlocked(path) as (app, pilot):
        assert "Anything you want to keep from" in _text(app.screen.query_one("#session-line", Static))
        assert not app.screen.query_one("#due", Static).display  # one or the other
    async with unlocked(make_vault([], path=tmp_path / "new" / "vault.companion")) as (app, pilot):
        due = app.screen.query_one("#due", Static)
        assert due.display and "Nothing is waiting for you" in _text(due)


async def test_asking_is_met_warmly_and_the_keys_overlay_reads_well(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpDialog)
        assert "Keys: Secure base" in _text(app.screen.query_one(".dialog-title", Static))
        await pilot.press("escape")
        await settle(pilot)
        rows = app.screen.query_one(RecordList).rows
        lasts = [str(rows.get_option_at_index(i).prompt).split("last: ")[1] for i in range(rows.option_count)]
        assert any(last.startswith("not yet") for last in lasts)  # Dr. Reyes: nothing logged
        assert all(last.split()[0] in ("not", "today", "yesterday") or last.split()[1] in ("days", "weeks", "months")
                   for last in lasts), lasts  # one form: how long ago, never a bare date
        priya = next(c for c in journal_of(app).contacts.all() if c.name == "Priya")
        rows.highlighted = rows.get_option_index(str(priya.id))
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        starters = app.screen.query_one("#starters", OptionList)
        assert _line(starters, 0).startswith(MARK) and _line(starters, 1).startswith(" ")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)
        notice = str(app.screen.query_one(".dialog-lines").render())
        assert "You reached out" in notice and "It is noted" not in notice


async def test_the_highlighted_row_is_marked_in_choosers_and_the_share_list(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("n")  # the prompt picker
        await settle(pilot)
        assert isinstance(app.screen, PromptPickerDialog)
        assert _line(app.screen.query_one("#prompts", OptionList), 0).startswith(MARK)
        await pilot.press("down")
        await settle(pilot)
        prompts = app.screen.query_one("#prompts", OptionList)
        marked = [y for y in range(8) if _line(prompts, y).startswith(MARK)]
        assert len(marked) == 1 and marked[0] > 0  # moved down with the highlight, one mark only
        await pilot.press("escape", "w", "ctrl+o")  # the people chooser, from the editor
        await settle(pilot)
        assert isinstance(app.screen, PeopleDialog)
        people = app.screen.query_one(TickList)
        assert _line(people, 0).startswith(MARK + "[ ]") and _line(people, 1).startswith(" [ ]")
        await pilot.press("escape", "escape", "5")
        await settle(pilot)
        items = app.screen.query_one("#items", TickList)
        items.focus()
        items.highlighted = 1
        await settle(pilot)
        assert _line(items, 1).startswith(MARK) and _line(items, 0).startswith(" ")


async def test_at_60x20_captions_and_keys_shorten_and_stay(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path, size=(60, 20)) as (app, pilot):
        charts = {chart.id: str(chart.render()) for chart in app.screen.query(ScaleChart)}
        assert "1 low…5 good" in charts["mood-spark"] and "▄▅ the middle" in charts["reliance-spark"]
        await pilot.press("5", "ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        hint = app.screen.query_one(".dialog-hint", Static)
        assert "ctrl+s write it" in _text(hint)
        assert hint.region.bottom <= 20 and hint.region.height == 1  # on screen, not scrolled away
        app.screen.query_one("#secret", Input).value = "one passphrase that is long enough"
        await pilot.press("ctrl+s")  # the second is not the same: the form says so where it can be seen
        await settle(pilot)
        error = app.screen.query_one("#form-error", Static)
        assert "not the same" in _text(error) and error.region.y > 0 and error.region.bottom <= 19


async def test_at_60x20_the_save_discard_question_shows_every_answer(make_vault: Callable[..., Path]) -> None:
    from textual.widgets import Button

    from companion.dialogs.confirm import UnsavedDialog

    async with unlocked(make_vault([]), size=(60, 20)) as (app, pilot):
        await pilot.press("3", "n", *"Mum", "escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        card = app.screen.query_one(".dialog")
        for button in app.screen.query(Button):
            assert button.region.right <= card.content_region.right, f"{button.label} is cut"
            assert button.region.width >= len(str(button.label))
