"""The app when the journal changes underneath or is left behind: polling merges, conflict copies on
Home, a hang-up mid-entry, changing the passphrase, and where a restore keeps the replaced journal."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Static, TextArea

from companion.dialogs.passphrase import ChangePassphraseDialog
from companion.domain.reflection import Reflection
from companion.errors import WrongPassphrase
from companion.paths import draft_path
from companion.screens.editor import EditorScreen
from companion.screens.reflections import ReflectionsScreen
from companion.services.journal import Journal
from companion.storage import segments
from companion.storage.backups import list_kept as backups_of
from companion.storage.lock import is_busy
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault

from conftest import CANARY, NOW, PASSPHRASE, fixed_clock, journal_of, settle, unlocked, wait_until


def _phone_adds(path: Path, text: str, name: str | None = None) -> None:
    """Another device adds an entry; a sync tool brings its file in (beside, then renamed), or leaves
    it as a conflict copy called `name`."""
    phone = path.parent.parent / "phone" / path.name
    phone.parent.mkdir(exist_ok=True)
    shutil.copy2(path, phone)
    with Vault.open(phone, PASSPHRASE, clock=fixed_clock) as there:
        ReflectionRepository(there).add(Reflection(text=text, created=NOW))
    if name is not None:
        shutil.move(phone, path.with_name(name))
        return
    shutil.copy2(phone, path.with_name(".syncthing.tmp"))
    os.replace(path.with_name(".syncthing.tmp"), path)


def _capture_notes(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    notes: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        notes.append(message)
        original(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return notes


async def test_a_synced_copy_shows_up_with_one_calm_line(make_vault: Callable[..., Path],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault(["from before"])
    async with unlocked(path, poll_seconds=0.2) as (app, pilot):  # the app's own look at the file, made quick
        notes = _capture_notes(app, monkeypatch)
        await pilot.press("2")
        await settle(pilot)
        _phone_adds(path, "written on the phone")
        merged = "1 entry from another copy of your journal was merged."
        await wait_until(pilot, lambda: merged in notes, "the merge of the synced copy")
        await settle(pilot)
        listing = app.screen.query_one("#entries", OptionList)
        rows = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any("written on the phone" in row for row in rows)


async def test_home_offers_a_conflict_copy_and_m_merges_it(make_vault: Callable[..., Path],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault(["here"])
    name = "vault.sync-conflict-20261128-101500-ABCDEFG.companion"
    _phone_adds(path, "there", name)
    async with unlocked(path) as (app, pilot):
        notes = _capture_notes(app, monkeypatch)
        line = app.screen.query_one("#conflicts", Static)
        assert line.display and name in str(line.render())
        assert "m" in dict(app.screen_keys())
        await pilot.press("m")
        await settle(pilot)
        assert not line.display
        assert "m" not in dict(app.screen_keys())
        assert any("was merged" in n and "backups" in n for n in notes)
    assert not path.with_name(name).exists()
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        texts = {r.text for r in Journal(vault, fixed_clock).reflections.page(limit=None).items}
    assert texts == {"here", "there"}


async def test_a_hang_up_mid_entry_keeps_every_word(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    async with unlocked(path) as (app, pilot):
        await pilot.press("w")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        editor.query_one("#text", TextArea).insert(f"{CANARY} typed a moment ago")
        app.hang_up(signal.SIGHUP)  # what a dropped SSH connection sends
        await settle(pilot)
        assert not is_busy(path)  # the lock is released straight after the keys already typed
    assert app.return_code == 128 + signal.SIGHUP
    assert CANARY.encode() not in draft_path(path).read_bytes()
    async with unlocked(path) as (app, pilot):
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one("#text", TextArea).text == f"{CANARY} typed a moment ago"


async def test_change_the_passphrase_from_the_app(make_vault: Callable[..., Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault(["one"])
    new = "a calmer new passphrase"
    async with unlocked(path) as (app, pilot):
        notes = _capture_notes(app, monkeypatch)
        await pilot.press("ctrl+k")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChangePassphraseDialog)
        dialog.query_one("#current", Input).value = "not my passphrase"
        dialog.query_one("#new", Input).value = new
        dialog.query_one("#again", Input).value = "a typo in the new one"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "not the same" in str(dialog.query_one("#form-error").render())
        dialog.query_one("#again", Input).value = new
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "That is not your current passphrase; nothing was changed." in notes
        await pilot.press("ctrl+k")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        for field, value in (("#current", PASSPHRASE), ("#new", new), ("#again", new)):
            app.screen.query_one(field, Input).value = value
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert any(n.startswith("Your passphrase has been changed.") for n in notes)
    with pytest.raises(WrongPassphrase):
        Vault.open(path, PASSPHRASE, clock=fixed_clock)
    with Vault.open(path, new, clock=fixed_clock):
        pass


async def test_the_reflections_list_follows_a_merge(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["one"])
    async with unlocked(path) as (app, pilot):
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReflectionsScreen)
        _phone_adds(path, "two")
        app.check_disk()
        await settle(pilot)
        assert screen.query_one("#entries", OptionList).option_count == 2


def _phone_edits(path: Path, old: str, new: str, snapshot: Path) -> None:
    """The phone, holding the journal as it was at `snapshot`, edits one entry; its file then arrives."""
    with Vault.open(snapshot, PASSPHRASE, clock=fixed_clock) as there:
        repo = ReflectionRepository(there)
        doc_id = next(i for i, r in repo.rows() if r["text"] == old)
        repo.update(Reflection(text=new, created=NOW, id=doc_id))
    shutil.copy2(snapshot, path.with_name(".syncthing.tmp"))
    os.replace(path.with_name(".syncthing.tmp"), path)


def _snapshot(path: Path) -> Path:
    phone = path.parent.parent / "phone" / path.name
    phone.parent.mkdir(exist_ok=True)
    shutil.copy2(path, phone)
    return phone


async def _edit_first_entry(app: Any, pilot: Any, text: str, *, save: bool = True) -> None:
    await pilot.press("2", "enter")
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(app.screen, EditorScreen)
    app.screen.query_one("#text", TextArea).text = text
    if save:
        await pilot.press("ctrl+s")
        await settle(pilot)


@pytest.mark.parametrize("arrival", ["poll", "resume"])
async def test_an_edit_in_the_app_survives_the_phones_older_copy(make_vault: Callable[..., Path],
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 arrival: str) -> None:
    path = make_vault(["first words"])
    phone = _snapshot(path)  # the phone last saw the entry as it was
    async with unlocked(path) as (app, pilot):
        notes = _capture_notes(app, monkeypatch)
        await _edit_first_entry(app, pilot, "rewritten on the laptop")
        with Vault.open(phone, PASSPHRASE, clock=fixed_clock) as there:
            ReflectionRepository(there).add(Reflection(text="written on the phone", created=NOW))
        shutil.copy2(phone, path.with_name(".syncthing.tmp"))
        os.replace(path.with_name(".syncthing.tmp"), path)
        if arrival == "poll":
            app.check_disk()
        else:
            app.app_resume_signal.publish(app)  # the terminal came back (SIGCONT)
        await settle(pilot)
        listing = app.screen.query_one("#entries", OptionList)
        rows = " ".join(str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count))
        assert "rewritten on the laptop" in rows and "written on the phone" in rows and "first words" not in rows
        assert not any("two devices at once" in n for n in notes)


async def test_an_editor_open_while_the_phones_edit_arrives(make_vault: Callable[..., Path],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault(["first words"])
    phone = _snapshot(path)
    async with unlocked(path) as (app, pilot):
        notes = _capture_notes(app, monkeypatch)
        await _edit_first_entry(app, pilot, "typed on the laptop while the phone's edit came in", save=False)
        _phone_edits(path, "first words", "the phone's edit", phone)
        app.check_disk()
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("1 entry changed on two devices at once" in n and "concurrent-edit-" in n for n in notes)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert [r["text"] for _, r in ReflectionRepository(vault).rows()] == [
            "typed on the laptop while the phone's edit came in"]
        [kept] = [p for p in backups_of(path) if p.name.startswith("concurrent-edit-")]
        vault.merge_copy(kept)
        assert sorted(r["text"] for _, r in ReflectionRepository(vault).rows()) == [
            "the phone's edit", "typed on the laptop while the phone's edit came in"]


async def test_home_offers_the_last_save_of_a_journal_whose_end_could_not_be_read(
        make_vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault(["the first save"])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        ReflectionRepository(vault).add(Reflection(text="the last save", created=NOW))
    blob = bytearray(path.read_bytes())
    offset, _, _ = segments.TRAILER.unpack(blob[-segments.TRAILER.size:])
    blob[offset + 9] ^= 0x01  # one flipped byte in the newest manifest
    path.write_bytes(bytes(blob))
    async with unlocked(path) as (app, pilot):
        notes = _capture_notes(app, monkeypatch)
        line = app.screen.query_one("#set-aside", Static)
        assert line.display and "Kept aside for you to bring back: unreadable-end-" in str(line.render())
        assert "m" in dict(app.screen_keys())
        await pilot.press("m")
        await settle(pilot)
        assert not line.display
        assert any("1 entry from another copy of your journal was merged." in n for n in notes)
        newest = app.screen.query_one("#newest", OptionList)
        rows = " ".join(str(newest.get_option_at_index(i).prompt) for i in range(newest.option_count))
        assert "the last save" in rows and "the first save" in rows


async def test_a_save_that_merges_a_synced_copy_says_so_once(make_vault: Callable[..., Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that finds another device's copy in place merges it first: the sentence comes from the journal's
    thread as the save ends (JournalRunner), once, and nothing the app does afterwards repeats it."""
    path = make_vault(["from before"])
    async with unlocked(path, poll_seconds=None) as (app, pilot):  # no look at the file but the save's own
        notes = _capture_notes(app, monkeypatch)
        _phone_adds(path, "written on the phone")
        app.journal_job(lambda journal: journal.reflections.save(Reflection(text="written here", created=NOW)))
        merged = "1 entry from another copy of your journal was merged."
        await wait_until(pilot, lambda: merged in notes, "the sentence about the merge")
        app.journal_job(lambda journal: journal.reflections.count())
        await settle(pilot)
        assert notes.count(merged) == 1
        assert journal_of(app).reflections.count() == 3
