"""A paste that carries terminal escape sequences lands in the editor as visible symbols."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.widgets import TextArea

from companion.screens.editor import EditorScreen

from conftest import journal_of, settle, unlocked


async def test_a_paste_cannot_carry_escape_sequences_into_an_entry(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    async with unlocked(path) as (app, pilot):
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        app.post_message(events.Paste("Pasted \x1b[2J\x1b]0;pwned\x07\x1b]52;c;aGk=\x07 words"))
        await settle(pilot)
        text = app.screen.query_one("#text", TextArea).text
        assert "\x1b" not in text and "\x07" not in text
        assert text == "Pasted ␛[2J␛]0;pwned␇␛]52;c;aGk=␇ words"
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = journal_of(app).reflections.page().items[0].text
        assert stored == text
