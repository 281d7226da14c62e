"""Pilot tests of writing, editing, deleting, filtering reflections, and of drafts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, OptionList, TextArea

from companion.dialogs.choosers import PromptPickerDialog
from companion.dialogs.confirm import ConfirmDialog, UnsavedDialog
from companion.dialogs.info import DetailDialog
from companion.screens.editor import EditorScreen
from companion.screens.home import HomeScreen
from companion.screens.reflections import ReflectionsScreen
from companion.screens.unlock import UnlockScreen
from companion.services.journal import Journal
from companion.storage.vault import Vault

from conftest import (
    PASSPHRASE,
    SEED_TEXTS,
    fixed_clock,
    journal_of,
    seed_many,
    settle,
    submit_passphrase,
    unlocked,
    wait_until,
)


def stored(path: Path) -> list:  # type: ignore[type-arg]
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        return Journal(vault, fixed_clock).reflections.page(limit=None).items


async def _type(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.focused.insert(text)
    await settle(pilot)


async def test_write_a_guided_reflection_from_home(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    async with unlocked(path) as (app, pilot):
        prompt = journal_of(app).reflections.today_prompt()
        await pilot.press("w")
        assert isinstance(app.screen, EditorScreen)
        await _type(pilot, "I asked Priya to sit with me while I made the call.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    [entry] = stored(path)
    assert entry.prompt == prompt.text and entry.theme == prompt.theme
    assert entry.text == "I asked Priya to sit with me while I made the call."


async def test_choose_a_theme_prompt_set_mood_reliance_tags_and_flag(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    async with unlocked(path, (100, 40)) as (app, pilot):
        await pilot.press("2", "n")
        assert isinstance(app.screen, PromptPickerDialog)
        prompts = app.screen.query_one("#prompts", OptionList)
        prompts.highlighted = 4  # the first prompt under the first theme heading
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await _type(pilot, "Wanted to ask, did not.")
        editor.query_one("#mood").value = 2
        editor.query_one("#reliance").value = 1
        editor.query_one("#tags", Input).value = "#work #Asking"
        editor.query_one("#flagged").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReflectionsScreen)
    [entry] = stored(path)
    assert entry.theme == "asking" and entry.prompt
    assert (entry.mood, entry.reliance, entry.tags, entry.flagged) == (2, 1, ["work", "asking"], True)


async def test_write_freely_and_add_my_own_prompt(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    async with unlocked(path) as (app, pilot):
        await pilot.press("n", "f")
        assert isinstance(app.screen, EditorScreen) and app.screen.entry.prompt is None
        await pilot.press("escape")  # nothing typed: leaves without asking
        await settle(pilot)
        await pilot.press("n", "a")
        app.focused.value = "What did I carry today that was not mine?"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.entry.prompt == "What did I carry today that was not mine?"
        assert journal_of(app).reflections.prompts.all() == ["What did I carry today that was not mine?"]


async def test_leaving_with_unsaved_text_asks_first(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    async with unlocked(path) as (app, pilot):
        await pilot.press("w")
        await _type(pilot, "half a thought")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one("#text", TextArea).text == "half a thought"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert stored(path) == []


async def test_unsaved_dialog_can_save(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    async with unlocked(path) as (app, pilot):
        await pilot.press("w")
        await _type(pilot, "kept after all")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert [e.text for e in stored(path)] == ["kept after all"]


async def test_a_draft_survives_lock_and_unlock(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    async with unlocked(path) as (app, pilot):
        await pilot.press("w")
        await _type(pilot, "Words I do not want to lose")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert not any(isinstance(s, EditorScreen) for s in app.screen_stack)
        await submit_passphrase(pilot, PASSPHRASE)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one("#text", TextArea).text == "Words I do not want to lose"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert [e.text for e in stored(path)] == ["Words I do not want to lose"]
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert vault.load_draft() is None


async def test_edit_and_delete_from_the_list(make_vault: Callable[..., Path]) -> None:
    path = make_vault(SEED_TEXTS)
    async with unlocked(path) as (app, pilot):
        await pilot.press("2")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailDialog)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        app.screen.query_one("#text", TextArea).text = "Rewritten gently."
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("down", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
    texts = [e.text for e in stored(path)]
    assert texts[0] == "Rewritten gently."
    assert SEED_TEXTS[-2] not in texts and len(texts) == 4


async def test_delete_can_be_declined(make_vault: Callable[..., Path]) -> None:
    path = make_vault(SEED_TEXTS)
    async with unlocked(path) as (app, pilot):
        await pilot.press("2", "d")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
    assert len(stored(path)) == 5


async def test_filter_finds_one_entry_among_ten_thousand(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_many(path, 10_000)
    async with unlocked(path) as (app, pilot):
        assert not journal_of(app).reflections.prepared  # Home read only the newest segments
        await pilot.press("2")
        await settle(pilot)
        entries = app.screen.query_one("#entries", OptionList)
        assert entries.option_count == 200  # the newest page, the rest lazily
        assert journal_of(app).reflections.prepared  # read in the background once the page showed
        await pilot.press("slash")
        app.focused.value = "lighthouse"
        await settle(pilot)
        assert entries.option_count == 1
        assert "lighthouse" in str(entries.get_option_at_index(0).prompt)
        app.focused.value = "since:nonsense"
        await settle(pilot)
        assert "needs a date" in str(app.screen.query_one(".list-status").render())


async def test_more_entries_load_as_you_scroll(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_many(path, 450)
    async with unlocked(path) as (app, pilot):
        await pilot.press("2", "end")
        await settle(pilot)
        entries = app.screen.query_one("#entries", OptionList)
        assert entries.option_count == 400
        await pilot.press("end")
        await settle(pilot)
        assert entries.option_count == 450


async def test_flagged_toggle(make_vault: Callable[..., Path]) -> None:
    from conftest import seed_practices

    path = make_vault(SEED_TEXTS)
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await pilot.press("2", "f")
        await settle(pilot)
        assert app.screen.query_one("#entries", OptionList).option_count == 2
        await pilot.press("f")
        await settle(pilot)
        assert app.screen.query_one("#entries", OptionList).option_count == 9


async def test_the_draft_is_autosaved_while_writing(make_vault: Callable[..., Path], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from companion.paths import draft_path
    from companion.screens import editor

    from conftest import CANARY

    monkeypatch.setattr(editor, "AUTOSAVE_SECONDS", 0.1)
    path = make_vault([])
    async with unlocked(path) as (app, pilot):
        await pilot.press("w")
        await _type(pilot, f"{CANARY} in progress")
        status = app.screen.query_one("#editor-status")
        await wait_until(pilot, lambda: "Draft kept" in str(status.render()), "the autosave")
        # a crash now would lose nothing: the draft is already on disk, sealed
        assert draft_path(path).exists()
        assert CANARY.encode() not in draft_path(path).read_bytes()
        assert "Draft kept" in str(app.screen.query_one("#editor-status").render())
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        draft, _ = Journal(vault, fixed_clock).reflections.draft()
        assert draft is not None and draft["text"] == f"{CANARY} in progress"
