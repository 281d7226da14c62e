"""The recovery key in the app: offered when the journal is created, saved to a file, made anew from
the Security card, and used on the lock screen when the passphrase is forgotten."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, Static

from companion.dialogs.recovery import ForgotPassphraseDialog, PassphraseCheckDialog, RecoveryKeyDialog, SecurityDialog
from companion.screens.home import HomeScreen
from companion.screens.unlock import UnlockScreen
from companion.services.recovery import read_recovery_key_file
from companion.storage.vault import Vault

from conftest import PASSPHRASE, fixed_clock, make_app, settle, submit_passphrase, unlocked

NEW = "a passphrase I will remember"


async def test_made_at_creation_saved_then_used_after_forgetting(vault_path: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "keep-me-safe.txt"
    app = make_app(vault_path)
    async with app.run_test() as pilot:
        await submit_passphrase(pilot, PASSPHRASE, PASSPHRASE)
        dialog = app.screen
        assert isinstance(dialog, RecoveryKeyDialog)
        code = str(dialog.query_one("#recovery-code", Static).render()).strip()
        dialog.query_one("#path", Input).value = str(key_file)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ForgotPassphraseDialog)
        for field, value in (("code", code.lower()), ("new", NEW), ("again", NEW)):
            app.screen.query_one(f"#{field}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert read_recovery_key_file(key_file) == code
    with Vault.open(vault_path, NEW, clock=fixed_clock) as vault:
        assert vault.has_recovery_key


async def test_a_wrong_recovery_key_is_told_kindly(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    app = make_app(path)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+r")
        await settle(pilot)
        for field, value in (("code", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"), ("new", NEW), ("again", NEW)):
            app.screen.query_one(f"#{field}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert "no recovery key" in str(app.screen.query_one("#gate-error", Static).render())
    with Vault.open(path, PASSPHRASE, clock=fixed_clock):
        pass  # nothing changed


async def test_a_new_recovery_key_from_the_security_card(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    async with unlocked(path) as (app, pilot):
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, SecurityDialog)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, PassphraseCheckDialog)
        app.screen.query_one("#current", Input).value = PASSPHRASE
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecoveryKeyDialog)
        code = str(app.screen.query_one("#recovery-code", Static).render()).strip()
        await pilot.press("escape")
        await settle(pilot)
    with Vault.open_with_recovery(path, code, clock=fixed_clock) as vault:
        assert vault.has_recovery_key
