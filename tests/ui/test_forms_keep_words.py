"""Every form that holds the person's words keeps them: escape asks first (save, discard, keep editing)
whenever a field differs from what it opened with, and closes at once when nothing was typed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from companion.dialogs.confirm import UnsavedDialog
from companion.dialogs.editors import FormDialog

from conftest import seed_practices, settle, unlocked

# How each form is opened from Home, and the keys that type words into it (the first text field it offers).
FORMS = {
    "a new boundary": (("3", "n"), "Ann"),
    "an edited boundary": (("3", "e"), " and mornings"),
    "a new person": (("4", "n"), "Noor"),
    "a moment's note": (("4", "l"), "2we talked"),  # 2 picks the kind, then the note has the cursor
    "a session's preparation": (("6", "n", "tab"), "the move"),
    "a session's take-aways": (("6", "down", "e"), "ask earlier"),  # a session already held
    "the export's note": (("5", "ctrl+e", "tab"), "the move"),
}


async def _open(pilot, keys: tuple[str, ...]) -> FormDialog:  # type: ignore[no-untyped-def]
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, FormDialog), f"{keys} opened {form}"
    return form


@pytest.mark.parametrize("name", FORMS)
async def test_escape_asks_before_typed_words_go(make_vault: Callable[..., Path], name: str) -> None:
    keys, words = FORMS[name]
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        form = await _open(pilot, keys)
        await pilot.press("escape")  # nothing typed yet: it closes at once
        await settle(pilot)
        assert not isinstance(app.screen, FormDialog | UnsavedDialog)
        form = await _open(pilot, keys)
        await pilot.press(*words)
        typed_into = app.focused
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.press("k")  # keep editing: the form is back, with every word
        await settle(pilot)
        assert app.screen is form and app.focused is typed_into
        assert words.strip().lstrip("2") in str(form.fields())
        await pilot.press("escape", "d")  # discard: gone, as asked
        await settle(pilot)
        assert not isinstance(app.screen, FormDialog | UnsavedDialog)


async def test_save_from_the_question_saves_the_form(make_vault: Callable[..., Path]) -> None:
    from conftest import journal_of

    async with unlocked(make_vault([])) as (app, pilot):
        await _open(pilot, ("3", "n"))
        await pilot.press(*"Sam", "tab", *"Weekends are mine", "escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.press("s")
        await settle(pilot)
        [saved] = journal_of(app).boundaries.all()
        assert (saved.who, saved.boundary) == ("Sam", "Weekends are mine")
