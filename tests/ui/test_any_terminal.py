"""Any terminal, any size: every action found by name in the palette, themes remembered, a clear message
below the minimum size, the cursor still over SSH, only changed lines redrawn, copying and asking for help."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Input

from companion.dialogs.ask import AskDialog
from companion.dialogs.choosers import PromptPickerDialog
from companion.dialogs.editors import BackupDialog, BoundaryDialog, ContactDialog, RestoreDialog
from companion.dialogs.export import ExportDialog
from companion.dialogs.info import HelpDialog, NoticeDialog, TooSmallDialog
from companion.screens.home import HomeScreen
from companion.screens.share import ShareScreen
from companion.screens.unlock import UnlockScreen
from companion.services.backup import open_backup_files
from companion.settings import load_settings
from companion.widgets.quiet_text import QuietTextArea
from companion.widgets.record_list import RecordList

from conftest import PASSPHRASE, journal_of, make_app, seed_many, seed_practices, settle, unlocked


async def _run(app: Any, title: str) -> None:
    commands = {c.title: c for c in app.get_system_commands(app.screen)}
    result = commands[title].callback()
    if inspect.isawaitable(result):
        await result


@pytest.mark.parametrize(("title", "shown"), [
    ("New reflection", PromptPickerDialog), ("New boundary", BoundaryDialog),
    ("New person in your secure base", ContactDialog), ("Export for your therapist", ExportDialog),
    ("Backup of the whole journal", BackupDialog), ("Restore a backup", RestoreDialog),
    ("Keys on this screen (help)", HelpDialog), ("Lock", UnlockScreen)])
async def test_the_palette_offers_every_action_by_name(make_vault: Callable[..., Path], title: str,
                                                      shown: type) -> None:
    path = make_vault(["One entry, so there is something to export."])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await _run(app, title)
        for _ in range(3):
            await settle(pilot)
        assert isinstance(app.screen, shown), app.screen


async def test_the_palette_lists_no_textual_internals_and_no_duplicates(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        await pilot.press("2")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        for internal in ("Focus Next", "Focus Previous", "Copy selected text", "Screenshot", "Keys", "Theme"):
            assert internal not in titles
        assert "Go to Boundaries" in titles and "Boundaries" not in titles  # one name for one action


async def test_a_theme_chosen_in_the_palette_is_remembered(seeded_vault: Path) -> None:
    settings = seeded_vault.parent / "settings.toml"
    app = make_app(seeded_vault, settings_file=settings)
    async with app.run_test() as pilot:
        assert app.theme == "companion-dark"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Theme: light" in titles and "Lock" not in titles  # themes while locked; nothing that needs the journal
        await _run(app, "Theme: high contrast")
        await pilot.pause()
        assert app.theme == "companion-high-contrast"
    assert load_settings(settings).theme == "companion-high-contrast"
    again = make_app(seeded_vault, settings_file=settings)
    async with again.run_test():
        assert again.theme == "companion-high-contrast"


async def test_below_the_minimum_size_one_message_covers_everything(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault, size=(80, 24)) as (app, pilot):
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"asked")
        await pilot.resize_terminal(50, 15)
        await settle(pilot)
        assert isinstance(app.screen, TooSmallDialog)
        assert "Please make the window larger" in str(app.screen.query_one("#too-small").render())
        await pilot.press("escape")  # nothing underneath reacts, and the message stays
        assert isinstance(app.screen, TooSmallDialog)
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert not isinstance(app.screen, TooSmallDialog)
        assert app.screen.query_one(RecordList).query_text == "asked"  # resizing lost nothing


async def test_over_ssh_the_cursor_does_not_blink(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.cursor_blink is False
        app.blink = True
        await pilot.press("escape", "slash")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.cursor_blink is True


async def test_a_keystroke_in_the_editor_redraws_its_line_not_the_box(seeded_vault: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        await pilot.press("w")
        await settle(pilot)
        await pilot.press(*"Steady words")
        await pilot.pause()
        calls: list[tuple[str, tuple[Any, ...]]] = []
        original = Widget.refresh

        def spy(self: Widget, *regions: Any, **kwargs: Any) -> Any:
            calls.append((type(self).__name__, regions))
            return original(self, *regions, **kwargs)

        monkeypatch.setattr(Widget, "refresh", spy)
        await pilot.press("x")
        await pilot.pause()
        mine = [regions for name, regions in calls if name == QuietTextArea.__name__]
        assert mine and all(regions and all(r.height <= 2 for r in regions) for regions in mine), mine


async def test_a_filter_keystroke_that_keeps_the_rows_redraws_no_scrollbar(make_vault: Callable[..., Path],
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault([])
    seed_many(path, 120)
    async with unlocked(path) as (app, pilot):
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash", "o", "r", "d")
        await settle(pilot)
        redrawn: list[str] = []
        original = Widget.refresh

        def spy(self: Widget, *regions: Any, **kwargs: Any) -> Any:
            if isinstance(self, ScrollBar) or kwargs.get("layout"):
                redrawn.append(type(self).__name__)
            return original(self, *regions, **kwargs)

        monkeypatch.setattr(Widget, "refresh", spy)
        await pilot.press("i")  # "ordi" matches the same rows as "ord"
        await settle(pilot)
        assert redrawn == []


async def test_asking_for_help_copies_the_message_and_notes_it(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await pilot.press("4")
        await settle(pilot)
        rows = app.screen.query_one(RecordList).rows
        priya = next(c for c in journal_of(app).contacts.all() if c.name == "Priya")
        rows.highlighted = rows.get_option_index(str(priya.id))
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        await pilot.press("enter")  # the first gentle beginning
        await pilot.press(*"with the move on Saturday?")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)
        message = "Could you help me with something? with the move on Saturday?"
        assert app.clipboard == message
        priya = next(c for c in journal_of(app).contacts.all() if c.name == "Priya")
        assert priya.interactions[-1].kind == "asked" and priya.interactions[-1].note == message


async def test_a_backup_from_the_app_opens_with_the_passphrase_it_shows(make_vault: Callable[..., Path],
                                                                        tmp_path: Path) -> None:
    target = tmp_path / "whole.age"
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, BackupDialog)
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        for _ in range(300):  # age's scrypt, in a process of its own
            await settle(pilot)
            if isinstance(app.screen, NoticeDialog):
                break
            await pilot.pause(0.1)
        assert isinstance(app.screen, NoticeDialog)
        shown = str(app.screen.query_one(".dialog-lines").render())
        await pilot.press("c")
        passphrase = app.clipboard
        assert passphrase and passphrase in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ShareScreen) and app.focused is app.screen.query_one("#items")
        items = app.screen.query_one("#items")
        assert items.option_count and items.highlighted == 0  # a row is highlighted again
    tables, summary = open_backup_files(target, None, passphrase)
    assert summary.counts["reflections"] == len(tables["reflections"]) > 0


async def test_the_minimum_size_is_usable(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault, size=(60, 20)) as (app, pilot):
        assert isinstance(app.screen, HomeScreen)
        for key in "23456":
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, TooSmallDialog)
        assert PASSPHRASE  # the journal stayed open throughout


async def test_a_backup_that_fails_says_so_on_the_share_screen(make_vault: Callable[..., Path], tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from companion.errors import StorageFailure
    from companion.screens import share

    def full_disk(*_: object, **__: object) -> None:
        raise StorageFailure("companion could not write the backup: the disk is full.")

    monkeypatch.setattr(share, "write_backup", full_disk)
    async with unlocked(make_vault(["One entry."])) as (app, pilot):
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        app.screen.query_one("#path", Input).value = str(tmp_path / "whole.age")
        await pilot.press("ctrl+s")
        for _ in range(3):
            await settle(pilot)
        assert isinstance(app.screen, ShareScreen)
        assert "The backup was not written." in str(app.screen.query_one("#share-status").render())


async def test_rows_are_built_again_when_the_width_class_changes(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault, size=(120, 36)) as (app, pilot):
        await pilot.press("2")
        await settle(pilot)
        rows = app.screen.query_one(RecordList).rows
        assert ":" in str(rows.get_option_at_index(0).prompt)[:25]  # wide: the time is there
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert ":" not in str(rows.get_option_at_index(0).prompt)[:25]
