"""Keys that work everywhere: areas, help, the support card (even locked), the palette, crashes."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static

from companion.dialogs.info import HelpDialog, SupportDialog
from companion.screens.boundaries import BoundariesScreen
from companion.screens.home import HomeScreen
from companion.screens.reflections import ReflectionsScreen
from companion.screens.secure_base import SecureBaseScreen
from companion.screens.unlock import UnlockScreen

from conftest import make_app, seed_practices, settle, unlocked


async def test_area_keys_switch_areas(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        for key, screen in [("2", ReflectionsScreen), ("3", BoundariesScreen), ("4", SecureBaseScreen), ("1", HomeScreen)]:
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen)


async def test_support_card_opens_while_locked(seeded_vault: Path) -> None:
    settings = seeded_vault.parent / "settings.toml"
    settings.write_text('crisis_lines = ["Local line: 555 0100"]\n')
    app = make_app(seeded_vault, settings_file=settings)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, SupportDialog)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Local line: 555 0100" in text and "not an emergency service" in text
        assert "not encrypted" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert app.runner is None


async def test_support_card_from_an_area(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        await pilot.press("3", "ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, SupportDialog)


async def test_help_lists_every_key_of_the_screen(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        await pilot.press("2")
        await settle(pilot)
        keys = dict(app.screen_keys())
        for key, what in [("n", "New"), ("/", "Filter"), ("e", "Edit"), ("d", "Delete"), ("1", "Home"),
                          ("^l", "Lock"), ("^q", "Quit"), ("^g", "Urgent help")]:
            assert keys.get(key) == what, (key, keys)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpDialog)
        assert "Delete" in str(app.screen.query_one(".dialog-lines").render())


async def test_palette_offers_the_screen_actions(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await pilot.press("4")
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"New", "Log", "Edit", "Delete", "Lock", "Urgent help", "Ask for help", "Go to Boundaries"} <= set(commands)
        result = commands["Go to Boundaries"].callback()
        if inspect.isawaitable(result):
            await result
        await settle(pilot)
        assert isinstance(app.screen, BoundariesScreen)
