"""Pilot tests: create, unlock, wrong passphrase, lock, busy."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Checkbox, Input, OptionList, Static

from companion.dialogs.info import SupportDialog
from companion.dialogs.recovery import RecoveryKeyDialog
from companion.screens.create import CreateScreen
from companion.screens.editor import EditorScreen
from companion.screens.home import HomeScreen
from companion.screens.unlock import UnlockScreen
from companion.storage.lock import VaultLock, is_busy
from companion.storage.vault import Vault

from conftest import PASSPHRASE, SEED_TEXTS, fixed_clock, make_app, settle, submit_passphrase, unlocked, wait_until


def _text(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())


async def test_first_run_creates_a_vault(vault_path: Path) -> None:
    app = make_app(vault_path)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, CreateScreen)
        app.screen.query_one("#recovery", Checkbox).value = False  # no recovery key this time
        await submit_passphrase(pilot, PASSPHRASE, PASSPHRASE)
        assert isinstance(app.screen, HomeScreen)
        assert "Your journal is ready" in _text(app.screen, "#counts")
    assert vault_path.is_file()
    with Vault.open(vault_path, PASSPHRASE, clock=fixed_clock) as vault:
        assert vault.counts()["reflections"] == 0
        assert not vault.has_recovery_key


async def test_create_needs_matching_passphrases(vault_path: Path) -> None:
    app = make_app(vault_path)
    async with app.run_test() as pilot:
        await submit_passphrase(pilot, PASSPHRASE, PASSPHRASE + " typo")
        assert isinstance(app.screen, CreateScreen)
        assert "not the same" in _text(app.screen, "#gate-error")
    assert not vault_path.exists()


async def test_create_needs_a_minimum_length(vault_path: Path) -> None:
    app = make_app(vault_path)
    async with app.run_test() as pilot:
        await submit_passphrase(pilot, "short", "short")
        assert isinstance(app.screen, CreateScreen)
        assert "at least" in _text(app.screen, "#gate-error")
        await pilot.press("tab")
    assert not vault_path.exists()


async def test_strength_hint_follows_typing(vault_path: Path) -> None:
    app = make_app(vault_path)
    async with app.run_test() as pilot:
        await pilot.press(*"abc")
        assert "more characters" in _text(app.screen, "#strength")
        await pilot.press(*" and some more words")
        assert _text(app.screen, "#strength").startswith("Strong")


async def test_unlock_shows_home_with_counts_and_newest(seeded_vault: Path) -> None:
    app = make_app(seeded_vault)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, UnlockScreen)
        await submit_passphrase(pilot, PASSPHRASE)
        assert isinstance(app.screen, HomeScreen)
        assert "5 reflections" in _text(app.screen, "#counts")
        newest = app.screen.query_one("#newest", OptionList)
        assert SEED_TEXTS[-1][:30] in str(newest.get_option_at_index(0).prompt)


async def test_wrong_passphrase_stays_and_says_so_kindly(seeded_vault: Path) -> None:
    before = seeded_vault.read_bytes()
    app = make_app(seeded_vault)
    async with app.run_test() as pilot:
        await submit_passphrase(pilot, "not my passphrase")
        assert isinstance(app.screen, UnlockScreen)
        assert "didn't open" in _text(app.screen, "#gate-error")
        assert app.screen.query_one("#passphrase", Input).value == ""
        assert not app.screen.query("#unlocking")  # the spinner went with the busy state
        assert seeded_vault.read_bytes() == before  # a wrong passphrase changes nothing
        await submit_passphrase(pilot, PASSPHRASE)
        assert isinstance(app.screen, HomeScreen)


async def test_lock_drops_decrypted_screens_and_releases_the_vault(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        assert is_busy(seeded_vault)
        assert app.check_action("lock", ()) is True
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert app.runner is None
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        assert not is_busy(seeded_vault)
        assert app.check_action("lock", ()) is False
        await submit_passphrase(pilot, PASSPHRASE)
        assert isinstance(app.screen, HomeScreen)


async def test_lock_after_creating_goes_to_unlock(vault_path: Path) -> None:
    app = make_app(vault_path)
    async with app.run_test() as pilot:
        await submit_passphrase(pilot, PASSPHRASE, PASSPHRASE)
        assert isinstance(app.screen, RecoveryKeyDialog)  # offered by default, shown once
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)


async def test_unlock_while_open_elsewhere_says_so(seeded_vault: Path) -> None:
    app = make_app(seeded_vault)
    async with app.run_test() as pilot:
        with VaultLock(seeded_vault) as other:
            other.acquire()
            await submit_passphrase(pilot, PASSPHRASE)
            assert isinstance(app.screen, UnlockScreen)
            assert "open in another" in _text(app.screen, "#gate-error")


async def test_quit_is_one_key(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert not is_busy(seeded_vault)


async def test_no_screenshot_command(seeded_vault: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    app = make_app(seeded_vault)
    async with app.run_test() as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles and not any("creenshot" in t for t in titles)
        app.action_screenshot()
        await settle(pilot)
    assert not list(tmp_path.glob("*.svg"))


async def test_home_reloads_after_an_outside_add_while_locked(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        await pilot.press("ctrl+l")
        await settle(pilot)
        from companion.services.journal import Journal

        from conftest import fixed_clock

        with Vault.open(seeded_vault, PASSPHRASE, clock=fixed_clock) as vault:
            Journal(vault, fixed_clock).add_reflection("Written from a shell meanwhile")
        await submit_passphrase(pilot, PASSPHRASE)
        assert "6 reflections" in _text(app.screen, "#counts")


async def test_unlocking_state_shows_while_the_kdf_runs(seeded_vault: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    from companion.storage import vault as vault_module

    release = threading.Event()
    real_open = vault_module.Vault.open

    def slow_open(*args, **kwargs):  # type: ignore[no-untyped-def]
        release.wait(5)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(vault_module.Vault, "open", slow_open)
    app = make_app(seeded_vault)
    async with app.run_test() as pilot:
        assert not app.screen.query("#unlocking")  # the spinner redraws 16 times a second: only while busy
        app.focused.value = PASSPHRASE
        app.post_message(events.Key("enter", "\r"))  # not pilot.press: it would wait for the unlock it starts
        await wait_until(pilot, lambda: "Unlocking" in _text(app.screen, "#gate-status"), "the unlocking line")
        assert app.screen.query_one("#passphrase", Input).disabled
        assert app.screen.query_one("#unlocking").display
        app.post_message(events.Key("w", "w"))  # typed meanwhile: it waits for the unlock, then writes
        app.post_message(events.Key("ctrl+g", None))  # where to find urgent help never waits
        await wait_until(pilot, lambda: isinstance(app.screen, SupportDialog), "the urgent-help card")
        release.set()
        await app.workers.wait_for_complete()
        await settle(pilot)
        await app.keys_acted()
        assert isinstance(app.screen, EditorScreen), app.screen  # the w typed during the unlock acted on Home
