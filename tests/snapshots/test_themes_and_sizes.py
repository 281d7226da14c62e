"""Snapshots of the main screens in the light and high-contrast themes, at the minimum size (60x20), and
the message below it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_practice_screens import keys

from conftest import SEED_TEXTS, make_app, seed_practices, settle

SCREENS = {"home": keys(), "reflections": keys("2"), "editor": keys("w", text="Texted Priya first this time."),
           "share": keys("5"), "secure_base": keys("4")}


@pytest.fixture
def full_vault(make_vault: Callable[..., Path]) -> Path:
    path = make_vault(SEED_TEXTS)
    seed_practices(path)
    return path


def _themed(path: Path, theme: str):  # type: ignore[no-untyped-def]
    app = make_app(path)
    app.theme = theme
    return app


@pytest.mark.parametrize("theme", ["companion-light", "companion-high-contrast"])
@pytest.mark.parametrize("scene", list(SCREENS))
def test_themes(snap_compare, full_vault: Path, scene: str, theme: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_themed(full_vault, theme), terminal_size=(80, 24), run_before=SCREENS[scene])


@pytest.mark.parametrize("theme", ["companion-light", "companion-high-contrast"])
def test_themes_wide(snap_compare, full_vault: Path, theme: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_themed(full_vault, theme), terminal_size=(120, 36), run_before=keys())


@pytest.mark.parametrize("scene", list(SCREENS))
def test_minimum_size(snap_compare, full_vault: Path, scene: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(full_vault), terminal_size=(60, 20), run_before=SCREENS[scene])


def test_below_the_minimum(snap_compare, full_vault: Path) -> None:  # type: ignore[no-untyped-def]
    async def small(pilot) -> None:  # type: ignore[no-untyped-def]
        await keys("2")(pilot)
        await settle(pilot)

    assert snap_compare(make_app(full_vault), terminal_size=(50, 15), run_before=small)
