"""Edits travel between devices by lineage: an edit saved here survives the other device's older copy
arriving (on save, on the poll, by `merge FILE`), a round trip keeps the newest edit, edits made on both
sides at once keep the later one and set the other aside where the person finds it, and an edit made
while the other device deleted the entry is kept."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from companion.domain.reflection import Reflection
from companion.services.journal import Journal
from companion.storage import backups
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault

from conftest import NOW, PASSPHRASE, fixed_clock

LATER = NOW + timedelta(minutes=10)


def _snapshot(path: Path, name: str = "phone") -> Path:
    """The other device's copy, as it was when the devices last met."""
    there = path.parent.parent / name / path.name
    there.parent.mkdir(exist_ok=True)
    shutil.copy2(path, there)
    return there


def _arrives(path: Path, there: Path) -> None:
    """The sync tool brings the other device's file in: written beside, then renamed over."""
    shutil.copy2(there, path.with_name(".syncthing.vault.companion.tmp"))
    os.replace(path.with_name(".syncthing.vault.companion.tmp"), path)


def _open(path: Path, clock: Callable[[], datetime] = fixed_clock) -> Vault:
    return Vault.open(path, PASSPHRASE, clock=clock)


def _texts(vault: Vault) -> list[str]:
    return sorted(r["text"] for _, r in ReflectionRepository(vault).rows())


def _edit(vault: Vault, old: str, new: str) -> None:
    repo = ReflectionRepository(vault)
    doc_id = next(i for i, r in repo.rows() if r["text"] == old)
    repo.update(Reflection(text=new, created=NOW, id=doc_id))


def _concurrent_copies(path: Path) -> list[Path]:
    return [p for p in backups.list_kept(path) if p.name.startswith("concurrent-edit-")]


@pytest.mark.parametrize("arrival", ["poll", "save", "merge-file"])
def test_an_edit_saved_here_survives_the_other_devices_older_copy(make_vault: Callable[..., Path],
                                                                  arrival: str) -> None:
    path = make_vault(["first words"])
    phone = _snapshot(path)
    with _open(path) as here:
        _edit(here, "first words", "edited on the laptop")
        with _open(phone, lambda: LATER) as there:  # the phone's clock is ahead; it never touched the entry
            ReflectionRepository(there).add(Reflection(text="written on the phone", created=LATER))
        if arrival == "merge-file":
            conflict = path.with_name("vault.sync-conflict-20261127-193000-PHONE.companion")
            shutil.copy2(phone, conflict)
            said = [here.merge_copy(conflict)[0].sentence()]  # `companion merge` prints it
        else:
            said = []
            _arrives(path, phone)
            if arrival == "poll":
                here.sync()
            else:
                ReflectionRepository(here).add(Reflection(text="and one more here", created=NOW))
        expected = sorted(["edited on the laptop", "written on the phone",
                           *(["and one more here"] if arrival == "save" else [])])
        assert _texts(here) == expected
        assert "1 entry from another copy of your journal was merged." in [*said, *here.take_news()]
    with _open(path) as again:
        assert _texts(again) == expected
    assert _concurrent_copies(path) == []  # nothing was concurrent: nothing set aside


def test_a_round_trip_keeps_the_newest_edit(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["first words"])
    phone = _snapshot(path)
    with _open(path, lambda: LATER) as laptop:  # B writes (its clock ahead)...
        _edit(laptop, "first words", "the laptop's edit")
    _arrives(phone, path)  # ...the phone takes it in and edits the same entry
    with _open(phone) as there:
        there.sync()
        _edit(there, "the laptop's edit", "the phone's edit, after")
    with _open(path, lambda: LATER) as laptop:  # the laptop receives the phone's version
        _arrives(path, phone)
        laptop.sync()
        assert _texts(laptop) == ["the phone's edit, after"]
    assert _concurrent_copies(path) == []


@pytest.mark.parametrize("later_here", [True, False], ids=["laptop-later", "phone-later"])
def test_edits_on_both_devices_keep_the_later_and_set_the_other_aside(make_vault: Callable[..., Path],
                                                                     later_here: bool) -> None:
    path = make_vault(["first words"])
    phone = _snapshot(path)
    with _open(phone, (lambda: NOW) if later_here else (lambda: LATER)) as there:
        _edit(there, "first words", "the phone's edit")
    with _open(path, (lambda: LATER) if later_here else (lambda: NOW)) as here:
        _edit(here, "first words", "the laptop's edit")
        _arrives(path, phone)
        here.sync()
        winner, loser = ("the laptop's edit", "the phone's edit") if later_here else \
            ("the phone's edit", "the laptop's edit")
        assert _texts(here) == [winner]
        [kept] = _concurrent_copies(path)
        news = " ".join(here.take_news())
        assert "1 entry changed on two devices at once" in news and str(kept) in news
        report = here.check(PASSPHRASE)
        assert kept in [k.path for k in report.kept] and not report.damaged_backups  # check names it
        here.merge_copy(kept)  # brings the other version back, beside the winner
        assert _texts(here) == sorted([winner, loser])


def test_an_editor_open_while_the_other_devices_edit_arrives_loses_neither(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["first words"])
    phone = _snapshot(path)
    with _open(phone) as there:
        _edit(there, "first words", "the phone's edit")
    with _open(path, lambda: LATER) as vault:
        journal = Journal(vault, lambda: LATER)
        [entry] = journal.reflections.page().items
        base = journal.reflections.revision(entry.id)  # the editor opens on the entry...
        _arrives(path, phone)
        journal.sync()  # ...the phone's edit comes in while it is open...
        entry.text = "the laptop's edit, typed in the editor"
        journal.reflections.save(entry, base)  # ...and the editor saves what it started from
        assert _texts(vault) == ["the laptop's edit, typed in the editor"]
        [kept] = _concurrent_copies(path)
        vault.merge_copy(kept)
        assert _texts(vault) == ["the laptop's edit, typed in the editor", "the phone's edit"]


@pytest.mark.parametrize("deleted_here", [True, False], ids=["deleted-here", "deleted-there"])
def test_an_edit_made_while_the_other_device_deleted_the_entry_is_kept(make_vault: Callable[..., Path],
                                                                       deleted_here: bool) -> None:
    path = make_vault(["first words"])
    phone = _snapshot(path)
    with _open(phone) as there:
        if deleted_here:
            _edit(there, "first words", "edited on the phone")
        else:
            ReflectionRepository(there).delete(next(i for i, _ in ReflectionRepository(there).rows()))
    with _open(path) as here:
        if deleted_here:
            ReflectionRepository(here).delete(next(i for i, _ in ReflectionRepository(here).rows()))
        else:
            _edit(here, "first words", "edited on the laptop")
        _arrives(path, phone)
        here.sync()
        assert _texts(here) == ["edited on the phone" if deleted_here else "edited on the laptop"]
        assert "An edit to something deleted in the other copy was kept." in " ".join(here.take_news())


def test_a_deletion_of_the_version_it_saw_travels(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["keep", "let go"])
    phone = _snapshot(path)
    with _open(phone) as there:
        repo = ReflectionRepository(there)
        repo.delete(next(i for i, r in repo.rows() if r["text"] == "let go"))
    with _open(path) as here:
        _arrives(path, phone)
        here.sync()
        assert _texts(here) == ["keep"]
