"""Pilot tests of the Share screen: choose, preview, export; the PDF checked with qpdf and pdftotext."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from conftest import NOW, PASSPHRASE, fixed_clock, seed_practices, unlocked
from textual.widgets import Checkbox, Input, SelectionList

from companion.dialogs.info import DetailDialog, NoticeDialog
from companion.domain.reflection import Reflection
from companion.screens.share import ShareScreen
from companion.services.journal import Journal
from companion.storage.vault import Vault


def _therapy_vault(make_vault: Callable[..., Path]) -> Path:
    from datetime import timedelta

    path = make_vault([])
    seed_practices(path)
    with Vault.open(path, PASSPHRASE) as vault:
        journal = Journal(vault, fixed_clock)
        journal.reflections.save(Reflection(text="SHARE-ME flagged this month", created=NOW - timedelta(days=3), flagged=True))
        journal.reflections.save(Reflection(text="KEEP-PRIVATE not flagged", created=NOW - timedelta(days=2)))
        journal.reflections.save(Reflection(text="OLD flagged but months ago", created=NOW - timedelta(days=120), flagged=True))
    return path


async def test_last_months_flagged_and_one_boundary_to_a_pdf(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    path = _therapy_vault(make_vault)
    out = tmp_path / "for-my-therapist.pdf"
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ShareScreen)
        items = screen.query_one("#items", SelectionList)
        values = [items.get_option_at_index(i).value for i in range(items.option_count)]
        reflections = [v for v in values if v.startswith("reflections:")]
        boundaries = [v for v in values if v.startswith("boundaries:")]
        assert len(reflections) == 3  # flagged, in the last 30 days (seeded guided answers 0 and 2, and SHARE-ME)
        for value in boundaries[1:]:
            items.deselect(value)  # keep just one boundary
        screen.query_one("#path", Input).value = str(out)
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, DetailDialog)
        preview = str(app.screen.query_one(".dialog-lines").render())
        assert "SHARE-ME" in preview and "KEEP-PRIVATE" not in preview and "OLD flagged" not in preview
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, NoticeDialog)
        notice = str(app.screen.query_one(".dialog-lines").render())
        words = next(line.strip() for line in notice.splitlines() if line.startswith("    "))
    assert (out.stat().st_mode & 0o777) == 0o600
    plain = tmp_path / "plain.pdf"
    subprocess.run(["qpdf", f"--password={words}", "--decrypt", str(out), str(plain)], check=True, capture_output=True)
    text = subprocess.run(["pdftotext", str(plain), "-"], check=True, capture_output=True, text=True).stdout
    assert "SHARE-ME" in text and "KEEP-PRIVATE" not in text and "OLD flagged" not in text
    assert text.count("Status:") == 1  # exactly one boundary
    assert "Secure base" not in text  # contacts stay out unless chosen


async def test_choosing_sections_and_bad_dates(make_vault: Callable[..., Path]) -> None:
    path = _therapy_vault(make_vault)
    async with unlocked(path) as (app, pilot):
        await pilot.press("5")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#sec-contacts", Checkbox).value = True
        await pilot.pause()
        items = screen.query_one("#items", SelectionList)
        assert any(items.get_option_at_index(i).value.startswith("contacts:") for i in range(items.option_count))
        screen.query_one("#since", Input).value = "last spring"
        await pilot.pause()
        assert "dates look like" in str(screen.query_one("#share-status").render())
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ShareScreen)


async def test_export_with_my_own_passphrase_never_overwrites(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    path = _therapy_vault(make_vault)
    out = tmp_path / "mine.pdf"
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("5")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#path", Input).value = str(out)
        screen.query_one("#secret", Input).value = "short"
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert "at least" in str(screen.query_one("#share-status").render()) and not out.exists()
        screen.query_one("#secret", Input).value = "words we chose together"
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, NoticeDialog)
        assert "passphrase you typed" in str(app.screen.query_one(".dialog-lines").render())
        await pilot.press("escape")
        await pilot.pause()
        before = out.read_bytes()
        await pilot.press("ctrl+e")  # the same name again: refused, the file is untouched
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "already exists" in str(screen.query_one("#share-status").render())
    assert out.read_bytes() == before
    plain = tmp_path / "plain.pdf"
    subprocess.run(["qpdf", "--password=words we chose together", "--decrypt", str(out), str(plain)], check=True)


async def test_restore_from_the_app(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    from companion.crypto import age
    from companion.dialogs.confirm import ConfirmDialog
    from companion.dialogs.editors import RestoreDialog
    from companion.screens.unlock import UnlockScreen
    from companion.services.backup import backup_json

    source = _therapy_vault(make_vault)
    backup = tmp_path / "b.age"
    with Vault.open(source, PASSPHRASE) as vault:
        backup.write_bytes(age.encrypt_with_passphrase(backup_json(vault, NOW), "backup words here"))
    target = make_vault(["only this one"], path=tmp_path / "other" / "vault.companion")
    async with unlocked(target) as (app, pilot):
        await pilot.press("5", "ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, RestoreDialog)
        app.screen.query_one("#backup", Input).value = str(backup)
        app.screen.query_one("#secret", Input).value = "backup words here"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "holds 7 reflections" in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
    with Vault.open(target, PASSPHRASE) as vault:
        assert Journal(vault, fixed_clock).reflections.count() == 7
