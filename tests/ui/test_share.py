"""Pilot tests of the Share screen: choose, preview, export; the files checked with poppler, MuPDF, pdf.js and age."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Checkbox, Input, Select, SelectionList, Static

from companion.dialogs.confirm import ConfirmDialog
from companion.dialogs.export import ExportDialog
from companion.dialogs.info import DetailDialog, NoticeDialog
from companion.domain.reflection import Reflection
from companion.screens.share import ShareScreen
from companion.services.journal import Journal
from companion.storage.vault import Vault

from conftest import NOW, PASSPHRASE, fixed_clock, seed_practices, settle, unlocked
from pdfreaders import pdf_text, read_everywhere, refused_everywhere


def _therapy_vault(make_vault: Callable[..., Path]) -> Path:
    from datetime import timedelta

    path = make_vault([])
    seed_practices(path)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        journal.reflections.save(Reflection(text="SHARE-ME flagged this month", created=NOW - timedelta(days=3), flagged=True))
        journal.reflections.save(Reflection(text="KEEP-PRIVATE not flagged", created=NOW - timedelta(days=2)))
        journal.reflections.save(Reflection(text="OLD flagged but months ago", created=NOW - timedelta(days=120), flagged=True))
    return path


async def _export_dialog(app, pilot, **fields: str) -> ExportDialog:  # type: ignore[no-untyped-def]
    """Open the export dialog from Share and fill it in."""
    await pilot.press("ctrl+e")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    for field, value in fields.items():
        dialog.query_one(f"#{field}", Input).value = value
    return dialog


async def _write(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+s")
    await settle(pilot)
    await app.workers.wait_for_complete()
    await settle(pilot)
    await settle(pilot)


async def test_last_months_flagged_and_one_boundary_to_a_pdf(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    path = _therapy_vault(make_vault)
    out = tmp_path / "for-my-therapist.pdf"
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ShareScreen)
        items = screen.query_one("#items", SelectionList)
        values = [items.get_option_at_index(i).value for i in range(items.option_count)]
        reflections = [v for v in values if v.startswith("reflections:")]
        boundaries = [v for v in values if v.startswith("boundaries:")]
        assert len(reflections) == 3  # flagged, in the last 30 days (seeded guided answers 0 and 2, and SHARE-ME)
        for value in boundaries[1:]:
            items.deselect(value)  # keep just one boundary
        await settle(pilot)
        await _export_dialog(app, pilot, path=str(out), author="A. B.", note="SLEEP-AGENDA")
        await pilot.press("ctrl+r")  # preview from the export dialog: the note and name are in it
        await settle(pilot)
        assert isinstance(app.screen, DetailDialog)
        preview = str(app.screen.query_one(".dialog-lines").render())
        assert "SHARE-ME" in preview and "KEEP-PRIVATE" not in preview and "OLD flagged" not in preview
        assert "SLEEP-AGENDA" in preview and "From: A. B." in preview and "#guided" in preview
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)  # back where we were, with what was typed
        assert app.screen.query_one("#note", Input).value == "SLEEP-AGENDA"
        await _write(app, pilot)
        assert isinstance(app.screen, NoticeDialog)
        notice = str(app.screen.query_one(".dialog-lines").render())
        words = next(line.strip() for line in notice.splitlines() if line.startswith("    "))
    assert (out.stat().st_mode & 0o777) == 0o600
    assert len(words.encode()) <= 32
    texts = read_everywhere(out, words)
    for reader, text in texts.items():
        assert "SHARE-ME" in text and "KEEP-PRIVATE" not in text and "OLD flagged" not in text, reader
        assert "SLEEP-AGENDA" in text, reader
    text = texts["poppler"]
    assert text.count("Status:") == 1  # exactly one boundary
    assert "Secure base" not in text  # contacts stay out unless chosen
    refused_everywhere(out, "not the words")


async def test_choosing_sections_and_bad_dates(make_vault: Callable[..., Path]) -> None:
    path = _therapy_vault(make_vault)
    async with unlocked(path) as (app, pilot):
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#sec-contacts", Checkbox).value = True
        await settle(pilot)
        items = screen.query_one("#items", SelectionList)
        assert any(items.get_option_at_index(i).value.startswith("contacts:") for i in range(items.option_count))
        screen.query_one("#since", Input).value = "last spring"
        await settle(pilot)
        assert "dates look like" in str(screen.query_one("#share-status").render())
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, ShareScreen)


async def test_export_with_my_own_passphrase_asks_before_replacing(make_vault: Callable[..., Path],
                                                                   tmp_path: Path) -> None:
    path = _therapy_vault(make_vault)
    out = tmp_path / "mine.pdf"
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("5")
        await settle(pilot)
        dialog = await _export_dialog(app, pilot, path=str(out), secret="short", again="short")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "at least" in str(dialog.query_one("#form-error").render()) and not out.exists()
        too_long = "a passphrase well beyond thirty-two bytes"
        dialog.query_one("#secret", Input).value = too_long
        dialog.query_one("#again", Input).value = too_long
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "longer than 32" in str(dialog.query_one("#form-error").render()) and not out.exists()
        dialog.query_one("#secret", Input).value = "words we chose"
        dialog.query_one("#again", Input).value = "words we chose!"  # a typo in the second one
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "not the same" in str(dialog.query_one("#form-error").render()) and not out.exists()
        dialog.query_one("#again", Input).value = "words we chose"
        await _write(app, pilot)
        assert isinstance(app.screen, NoticeDialog)
        assert "passphrase you typed" in str(app.screen.query_one(".dialog-lines").render())
        await pilot.press("escape")
        await settle(pilot)
        before = out.read_bytes()
        await _export_dialog(app, pilot, path=str(out), secret="words we chose", again="words we chose")
        await pilot.press("ctrl+s")  # the same name again: the app asks (it never mentions --force)
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one(".dialog-text").render())
        assert "already exists" in question and "--force" not in question
        await pilot.press("n")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert "another name" in str(app.screen.query_one("#form-error").render())
        await pilot.press("escape")
        await settle(pilot)
    assert out.read_bytes() == before
    assert "Status:" in pdf_text(out, "words we chose")


async def test_several_age_recipients(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    keys = []
    for name in ("therapist", "supervisor"):
        key = tmp_path / f"{name}.txt"
        subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
        keys.append((key, subprocess.run(["age-keygen", "-y", str(key)], check=True, capture_output=True,
                                         text=True).stdout.strip()))
    path = _therapy_vault(make_vault)
    out = tmp_path / "share.md.age"
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("5")
        await settle(pilot)
        dialog = await _export_dialog(app, pilot)
        dialog.query_one("#format", Select).value = "age"
        await settle(pilot)
        dialog.query_one("#path", Input).value = str(out)
        dialog.query_one("#recipients", Input).value = f"{keys[0][1]}, {keys[1][1]}"
        await _write(app, pilot)
        assert "age keys you gave" in str(app.screen.query_one(".dialog-lines").render())
    for key, _ in keys:
        text = subprocess.run(["age", "-d", "-i", str(key), str(out)], check=True, capture_output=True, text=True).stdout
        assert "SHARE-ME" in text


async def test_a_reversed_date_range_is_refused(make_vault: Callable[..., Path]) -> None:
    path = _therapy_vault(make_vault)
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#since", Input).value = "2026-11-20"
        screen.query_one("#until", Input).value = "2026-11-01"
        await settle(pilot)
        assert "comes after the end date" in str(screen.query_one("#share-status").render())
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, ShareScreen)  # no dialog: nothing could match


async def test_restore_from_the_app(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    from companion.crypto import age
    from companion.dialogs.confirm import ConfirmDialog
    from companion.dialogs.editors import RestoreDialog
    from companion.screens.unlock import UnlockScreen
    from companion.services.backup import backup_json

    source = _therapy_vault(make_vault)
    backup = tmp_path / "b.age"
    with Vault.open(source, PASSPHRASE, clock=fixed_clock) as vault:
        backup.write_bytes(age.encrypt_with_passphrase(backup_json(vault, NOW), "backup words here"))
    target = make_vault(["only this one"], path=tmp_path / "other" / "vault.companion")
    async with unlocked(target) as (app, pilot):
        await pilot.press("5", "ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, RestoreDialog)
        app.screen.query_one("#backup", Input).value = str(backup)
        app.screen.query_one("#secret", Input).value = "not the backup's words"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        # the error stays in view, in the dialog, with what was typed
        assert isinstance(app.screen, RestoreDialog)
        assert "does not open this backup" in str(app.screen.query_one("#form-error").render())
        assert app.screen.query_one("#backup", Input).value == str(backup)
        app.screen.query_one("#secret", Input).value = "backup words here"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "holds 7 reflections" in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
    with Vault.open(target, PASSPHRASE, clock=fixed_clock) as vault:
        assert Journal(vault, fixed_clock).reflections.count() == 7


async def test_the_export_dialog_says_where_the_charts_come_from(make_vault: Callable[..., Path],
                                                                 tmp_path: Path) -> None:
    """Every time, the dialog says what the charts count; choosing every day's check-ins changes the sentence,
    the preview and the file alike."""
    path = _therapy_vault(make_vault)
    out = tmp_path / "every-day.pdf"
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("5")
        await settle(pilot)
        dialog = await _export_dialog(app, pilot, path=str(out), secret="tea and biscuits", again="tea and biscuits")
        said = dialog.query_one("#checkins-said", Static)
        assert "The charts are drawn only from the 3 entries shared (2 days with a check-in)" in str(said.render())
        assert "days of the period have check-ins that are not shared" in str(said.render())
        dialog.query_one("#checkins", Select).value = "all"
        await settle(pilot)
        assert "drawn from the check-ins of every day in the period" in str(said.render())
        await pilot.press("ctrl+r")
        await settle(pilot)
        page = str(app.screen.query_one(".dialog-lines").render())
        assert "drawn from the check-ins of every day in the period" in page and "**" not in page
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#checkins", Select).value == "all"  # kept, coming back from the preview
        await _write(app, pilot)
    text = " ".join(pdf_text(out, "tea and biscuits").split())
    assert "The charts are drawn from the check-ins of every day in the period" in text
    assert "KEEP-PRIVATE" not in text  # its numbers may be counted; its words stay out
