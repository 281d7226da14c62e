"""The idle auto-lock: it seals the draft and locks after the minutes in settings.toml, even with a
dialog open; a key press counts as activity; 0 turns it off and says so once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Static, TextArea

from companion.app import CompanionApp
from companion.dialogs.choosers import PeopleDialog
from companion.screens.unlock import UnlockScreen
from companion.storage.vault import Vault

from conftest import CANARY, PASSPHRASE, fixed_clock, make_app, settle, submit_passphrase


def _app(path: Path, minutes: str) -> CompanionApp:
    settings = path.parent / "settings.toml"
    settings.write_text(f"auto_lock_minutes = {minutes}\n")
    return make_app(path, settings_file=settings)


async def _until_locked(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait (up to a deadline) for the twice-a-second idle check to lock the journal."""
    for _ in range(100):
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, UnlockScreen):
            await settle(pilot)
            return
    raise AssertionError(f"still {type(pilot.app.screen).__name__}: the idle check never locked")


async def test_it_locks_when_idle_even_with_a_dialog_open(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["private words"])
    app = _app(path, "5")
    async with app.run_test() as pilot:
        await submit_passphrase(pilot, PASSPHRASE)
        await pilot.press("w")
        await settle(pilot)
        app.screen.query_one("#text", TextArea).insert(f"{CANARY} unfinished")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, PeopleDialog)
        app.monotonic.advance(5 * 60 - 1)
        assert not app.lock_if_idle()  # a second short of five minutes: still open
        app.monotonic.advance(1)
        await _until_locked(pilot)  # the app's own timer notices
        assert app.runner is None
        lead = str(app.screen.query_one("#gate-lead", Static).render())
        assert "Locked after 5 minutes without a key press" in lead
        assert CANARY not in " ".join(str(s.render()) for s in app.screen.query(Static))
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:  # the draft was sealed before locking
        assert CANARY.encode() in (vault.load_draft() or b"")


async def test_key_presses_keep_it_open(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    app = _app(path, "1")
    async with app.run_test() as pilot:
        await submit_passphrase(pilot, PASSPHRASE)
        for _ in range(10):  # ten minutes in all, never a minute without a key
            app.monotonic.advance(59)
            await pilot.press("2")
            assert not app.lock_if_idle()
        assert app.runner is not None
        app.monotonic.advance(60)
        await _until_locked(pilot)


async def test_zero_turns_it_off_and_says_so_once(make_vault: Callable[..., Path], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = make_vault([])
    app = _app(path, "0")
    notes: list[str] = []
    original = app.notify
    monkeypatch.setattr(app, "notify", lambda message, **kw: (notes.append(message), original(message, **kw)))
    async with app.run_test() as pilot:
        await submit_passphrase(pilot, PASSPHRASE)
        app.monotonic.advance(7 * 24 * 3600)  # a week without a key
        assert not app.lock_if_idle() and app.runner is not None
        await pilot.press("ctrl+l")
        await settle(pilot)
        await submit_passphrase(pilot, PASSPHRASE)
    assert sum("Auto-lock is off" in n for n in notes) == 1


def test_settings_that_make_no_sense_fall_back_and_say_why(tmp_path: Path) -> None:
    from companion.settings import load_settings

    file = tmp_path / "settings.toml"
    for value in ('"soon"', "-1", "true", "nan"):
        file.write_text(f"auto_lock_minutes = {value}\n")
        settings = load_settings(file)
        assert settings.auto_lock_minutes == 5 and "auto_lock_minutes" in settings.problem
    file.write_text("auto_lock_minutes = 0.5\n")
    assert load_settings(file).auto_lock_minutes == 0.5 and not load_settings(file).problem
