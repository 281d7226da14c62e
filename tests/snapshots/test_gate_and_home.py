"""Snapshots of the create, unlock and home screens, empty and seeded, at 80x24 and 120x36."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input

from conftest import PASSPHRASE, make_app, settle, submit_passphrase

SIZES = [(80, 24), (120, 36)]


async def _steady(pilot) -> None:  # type: ignore[no-untyped-def]
    for field in pilot.app.query(Input):
        field.cursor_blink = False
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_create_empty(snap_compare, vault_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(vault_path), terminal_size=size, run_before=_steady)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_create_mismatch(snap_compare, vault_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def mismatch(pilot) -> None:  # type: ignore[no-untyped-def]
        await submit_passphrase(pilot, PASSPHRASE, "something else entirely")
        await _steady(pilot)

    assert snap_compare(make_app(vault_path), terminal_size=size, run_before=mismatch)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_unlock_empty(snap_compare, seeded_vault: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(seeded_vault), terminal_size=size, run_before=_steady)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_unlock_wrong_passphrase(snap_compare, seeded_vault: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def wrong(pilot) -> None:  # type: ignore[no-untyped-def]
        await submit_passphrase(pilot, "not the passphrase")
        await _steady(pilot)

    assert snap_compare(make_app(seeded_vault), terminal_size=size, run_before=wrong)


async def _unlock(pilot) -> None:  # type: ignore[no-untyped-def]
    await submit_passphrase(pilot, PASSPHRASE)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_home_empty(snap_compare, make_vault: Callable[..., Path], size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(make_vault([])), terminal_size=size, run_before=_unlock)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_home_seeded(snap_compare, seeded_vault: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(seeded_vault), terminal_size=size, run_before=_unlock)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_forgot_passphrase(snap_compare, seeded_vault: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def forgot(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("ctrl+r")
        await _steady(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False

    assert snap_compare(make_app(seeded_vault), terminal_size=size, run_before=forgot)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_recovery_key_after_creating(snap_compare, vault_path: Path, monkeypatch, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from companion.crypto import envelope

    monkeypatch.setattr(envelope, "new_recovery_key", lambda: "HILK-Z5U5-SUK4-E6JH-EJO3-BUMA-4JO2-NYRS")

    async def created(pilot) -> None:  # type: ignore[no-untyped-def]
        await submit_passphrase(pilot, PASSPHRASE, PASSPHRASE)
        pilot.app.screen.query_one("#path", Input).value = "/home/you/companion-recovery-key.txt"
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await settle(pilot)

    assert snap_compare(make_app(vault_path), terminal_size=size, run_before=created)
