"""Nothing lost when the journal changes underneath: sync-tool renames, conflict copies, restores,
drafts, passphrase changes, and the small honest things (unconfirmed writes, symlinks, read-only backups)."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest

from companion.crypto import envelope
from companion.domain.reflection import Reflection
from companion.errors import StorageFailure, VaultBusy, VaultDamaged, WrongPassphrase
from companion.paths import backups_dir, draft_path, legacy_draft_path, lock_path
from companion.services.journal import Journal
from companion.storage import backups, disk
from companion.storage.lock import VaultLock
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import UNCONFIRMED, Vault

from conftest import CANARY, FAST_KDF, NOW, PASSPHRASE, fixed_clock, open_vault_file

NEW_PASSPHRASE = "a completely new passphrase"


def _texts(vault: Vault) -> list[str]:
    return sorted(r["text"] for _, r in ReflectionRepository(vault).rows())


def _add(vault: Vault, text: str) -> int:
    return ReflectionRepository(vault).add(Reflection(text=text, created=NOW))


@contextmanager
def other_device(path: Path, passphrase: str = PASSPHRASE) -> Iterator[Vault]:
    """The same journal on a second device: its own copy, changed there, then synced back in
    the way every sync tool does it (written beside the file, then renamed over it)."""
    there = path.parent.parent / "other-device" / path.name
    there.parent.mkdir(exist_ok=True)
    shutil.copy2(path, there)
    with Vault.open(there, passphrase, clock=fixed_clock) as vault:
        yield vault
    incoming = path.with_name(".syncthing.vault.companion.tmp")
    shutil.copy2(there, incoming)
    os.replace(incoming, path)


def test_a_synced_copy_is_merged_before_saving(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["written before the sync"])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as here:
        with other_device(path) as there:
            _add(there, "written on the phone")
        _add(here, "written on the laptop")  # used to overwrite the phone's entry
        assert _texts(here) == ["written before the sync", "written on the laptop", "written on the phone"]
        assert here.take_news() == ["1 entry from another copy of your journal was merged."]
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as again:
        assert _texts(again) == ["written before the sync", "written on the laptop", "written on the phone"]
    # the phone's version is also among the backups
    assert backups.list_backups(path)


def test_sync_adopts_a_copy_without_writing_when_nothing_is_new_here(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["one"])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as here:
        with other_device(path) as there:
            _add(there, "two")
        synced = path.read_bytes()
        report = here.sync()
        assert report is not None and report.added == {"reflections": 1}
        assert path.read_bytes() == synced  # no write back: two devices never ping-pong
        assert _texts(here) == ["one", "two"]
        assert here.sync() is None
        # an id taken by the merge is not handed out again
        _add(here, "three")
        assert _texts(here) == ["one", "three", "two"]


def test_a_deletion_on_the_other_device_stays_deleted(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["keep", "let go"])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as here:
        with other_device(path) as there:
            repo = ReflectionRepository(there)
            victim = next(i for i, r in repo.rows() if r["text"] == "let go")
            repo.delete(victim)
        _add(here, "new here")
        assert _texts(here) == ["keep", "new here"]
        assert "removed here" in " ".join(here.take_news())


def test_another_journal_in_place_is_refused_and_never_overwritten(make_vault: Callable[..., Path],
                                                                   tmp_path: Path) -> None:
    path = make_vault(["mine"])
    stranger = make_vault(["someone else's"], path=tmp_path / "elsewhere" / "vault.companion")
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as here:
        shutil.copy2(stranger, path.with_name(".incoming.tmp"))
        os.replace(path.with_name(".incoming.tmp"), path)
        foreign = path.read_bytes()
        with pytest.raises(VaultDamaged, match="did not save over it") as info:
            _add(here, f"{CANARY} my new words")
        assert path.read_bytes() == foreign
        kept = backups.list_kept(path)
        assert len(kept) == 1 and kept[0].name.startswith("unmerged-") and str(kept[0]) in info.value.message
        # the words are in the kept copy, sealed with this journal's key
        assert CANARY.encode() not in kept[0].read_bytes()
        assert f"{CANARY} my new words" in str(open_vault_file(kept[0].read_bytes()))
        # polling tells once, then stays quiet; saves keep refusing
        assert here.sync() is None
        with pytest.raises(VaultDamaged):
            _add(here, "again")
        assert path.read_bytes() == foreign
    # the next command does not open the other journal without a word
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as there:
        assert _texts(there) == ["someone else's"]
        said = " ".join(there.take_news())
        newest = max(backups.list_kept(path), key=lambda p: p.stat().st_mtime_ns)  # "again" was kept too
        assert "not the journal companion last saved here" in said and str(newest) in said
        _add(there, "saved to it on purpose")  # once something is saved to it, it is the journal here
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as there:
        assert there.take_news() == []


def test_another_journal_under_another_passphrase_in_place_says_where_mine_is(make_vault: Callable[..., Path],
                                                                              tmp_path: Path) -> None:
    path = make_vault(["mine"])
    stranger = make_vault(["someone else's"], passphrase="their own passphrase",
                          path=tmp_path / "elsewhere" / "vault.companion")
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as here:
        shutil.copy2(stranger, path.with_name(".incoming.tmp"))
        os.replace(path.with_name(".incoming.tmp"), path)
        with pytest.raises(VaultDamaged):
            _add(here, "my words")
    [kept] = backups.list_kept(path)
    with pytest.raises(WrongPassphrase) as info:
        Vault.open(path, PASSPHRASE, clock=fixed_clock)
    assert "not the journal companion last saved here" in info.value.message and str(kept) in info.value.message


def test_a_passphrase_changed_on_the_other_device_is_adopted(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["one"])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as here:
        with other_device(path) as there:
            there.change_passphrase(NEW_PASSPHRASE, FAST_KDF)
        _add(here, "two")
        assert _texts(here) == ["one", "two"]
    with pytest.raises(WrongPassphrase):
        Vault.open(path, PASSPHRASE, clock=fixed_clock)
    for backup in backups.list_backups(path):
        with pytest.raises(WrongPassphrase):
            open_vault_file(backup.path.read_bytes(), PASSPHRASE)
    with Vault.open(path, NEW_PASSPHRASE, clock=fixed_clock) as vault:
        assert _texts(vault) == ["one", "two"]


def test_conflict_copies_are_found_merged_and_moved(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["shared"])
    names = ["vault.sync-conflict-20261128-101500-ABCDEFG.companion",
             "vault (Sam's conflicted copy 2026-11-28).companion",
             "vault_conflict-20261128-101500.companion"]
    for name, text in zip(names, ["from syncthing", "from dropbox", "from nextcloud"], strict=True):
        copy = path.parent.parent / "tmp-device" / "vault.companion"
        copy.parent.mkdir(exist_ok=True)
        shutil.copy2(path, copy)
        with Vault.open(copy, PASSPHRASE, clock=fixed_clock) as there:
            _add(there, text)
        shutil.move(copy, path.with_name(name))
    (path.parent / "notes (conflicted copy).txt").write_text("not ours")
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as here:
        journal = Journal(here, fixed_clock)
        assert [c.name for c in journal.conflicts()] == sorted(names)
        report = here.check(PASSPHRASE)
        assert [c.name for c in report.conflicts] == sorted(names)
        for copy in journal.conflicts():
            _, moved = journal.merge_copy(copy)
            assert moved.parent == backups_dir(path) and moved.name.startswith("merged-")
        assert journal.conflicts() == []
        assert _texts(here) == ["from dropbox", "from nextcloud", "from syncthing", "shared"]
        assert len(backups.list_kept(path)) == 3


def test_a_copy_of_another_journal_is_not_merged(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    path = make_vault(["mine"])
    stranger = make_vault(["theirs"], path=tmp_path / "x" / "vault.companion")
    copy = path.with_name("vault.sync-conflict-20261128-101500-ABCDEFG.companion")
    shutil.copy2(stranger, copy)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as here, pytest.raises(VaultDamaged, match="not a copy of this journal"):
        here.merge_copy(copy)
    assert copy.exists()


def test_restore_keeps_the_replaced_journal_outside_the_pruning(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["before the restore"])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        kept = vault.replace_document({"reflections": {"1": {"text": "restored", "created": NOW.isoformat()}}})
        assert kept.name.startswith("before-restore-") and kept.parent == backups_dir(path)
        for i in range(15):  # far more saves than the rolling backups keep
            _add(vault, f"later {i}")
        assert kept.exists()
        assert [k.path for k in vault.check(PASSPHRASE).kept] == [kept]
    assert "before the restore" in str(open_vault_file(kept.read_bytes()))


def test_a_draft_of_an_entry_changed_since_comes_back_as_a_new_entry(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["the saved version"])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        entry = journal.reflections.page().items[0]
        journal.reflections.keep_draft({"id": entry.id, "base": journal.reflections.revision(entry.id),
                                        **{**entry.to_record(), "text": "half-way through an edit"}})
        draft, _ = journal.reflections.draft()
        assert draft is not None and draft["id"] == entry.id  # unchanged entry: the edit resumes
        vault.replace_document({"reflections": {"1": {"text": "restored", "created": NOW.isoformat()}}})
        draft, note = journal.reflections.draft()
        assert draft is not None and draft["id"] is None and draft["text"] == "half-way through an edit"
        assert "new entry" in note


def test_drafts_are_labelled_so_a_vault_never_passes_as_a_draft(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["one"])
    shutil.copy2(path, draft_path(path))  # a vault file where the draft should be
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert vault.load_draft() is None
        assert "set aside" in vault.take_news()[0]
        vault.save_draft(b'{"text": "real draft"}')
        blob = draft_path(path).read_bytes()
    with pytest.raises(VaultDamaged):
        envelope.parse_header(blob)  # the draft is not a vault either
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert vault.load_draft() == b'{"text": "real draft"}'
        assert vault.check(PASSPHRASE).draft is not None


def test_a_legacy_draft_is_resealed_once(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        header = envelope.parse_header(path.read_bytes())
        key = envelope.unwrap_key(header, PASSPHRASE)
    legacy_draft_path(path).write_bytes(envelope.seal(header, key, orjson.dumps({"text": "old style", "id": None})))
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert not legacy_draft_path(path).exists()
        assert orjson.loads(vault.load_draft() or b"") == {"text": "old style", "id": None}


def test_after_passwd_nothing_opens_with_the_old_passphrase(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["one", "two"])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        vault.replace_document({"reflections": {}})  # a kept copy too
        vault.save_draft(b'{"text": "unfinished"}')
        shutil.copy2(path, path.with_name("vault.sync-conflict-20261128-101500-ABCDEFG.companion"))
        assert vault.change_passphrase(NEW_PASSPHRASE, FAST_KDF) == []
    opened = 0
    for file in path.parent.rglob("*"):
        if not file.is_file() or file == lock_path(path):
            continue
        blob = file.read_bytes()
        if file == draft_path(path):
            with pytest.raises(VaultDamaged):
                envelope.parse_header(blob)  # no header: no passphrase opens a draft on its own
            continue
        with pytest.raises(WrongPassphrase):
            open_vault_file(blob, PASSPHRASE)
        open_vault_file(blob, NEW_PASSPHRASE)
        opened += 1
    assert opened >= 4  # the journal, rolling backups, the kept copy, the conflict copy


def test_a_full_disk_during_passwd_changes_nothing(make_vault: Callable[..., Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault(["one", "two", "three"])
    before = {f: f.read_bytes() for f in path.parent.rglob("*") if f.is_file()}
    real = disk.write_temp
    calls = {"n": 0}

    def fills_up(target: Path, data: bytes) -> tuple[Path, os.stat_result]:
        calls["n"] += 1
        if calls["n"] == 2:  # the journal was staged; its backup cannot be
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, data)

    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        monkeypatch.setattr("companion.storage.rekeying.write_temp", fills_up)  # the journal's new file (storage/rekeying.py)
        monkeypatch.setattr("companion.storage.copies.write_temp", fills_up)  # the copies' (storage/copies.py)
        with pytest.raises(StorageFailure, match="your passphrase was not changed"):
            vault.change_passphrase(NEW_PASSPHRASE, FAST_KDF)
    after = {f: f.read_bytes() for f in path.parent.rglob("*") if f.is_file()}
    assert after == before
    with Vault.open(path, PASSPHRASE, clock=fixed_clock):
        pass


def test_an_unconfirmed_directory_sync_says_saved(make_vault: Callable[..., Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        def refuses(folder: Path) -> None:
            raise OSError(errno.EIO, "Input/output error")

        monkeypatch.setattr(disk, "fsync_dir", refuses)
        _add(vault, "saved even so")
        monkeypatch.undo()
        assert vault.take_news() == [UNCONFIRMED]
        assert _texts(vault) == ["saved even so"]
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert _texts(vault) == ["saved even so"]


def test_a_symlinked_backups_folder_is_refused_and_never_followed(make_vault: Callable[..., Path],
                                                                 tmp_path: Path) -> None:
    path = make_vault([])
    shutil.rmtree(backups_dir(path), ignore_errors=True)
    elsewhere = tmp_path / "precious"
    elsewhere.mkdir()
    for i in range(10):
        (elsewhere / f"vault-202601{i + 10:02d}T000000000000Z.companion").write_bytes(b"not companion's")
    backups_dir(path).symlink_to(elsewhere)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        _add(vault, "saved, but no backup was kept")  # the day's first save keeps a backup, or says why not
        assert any("symbolic link" in line for line in vault.take_news())
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert _texts(vault) == ["saved, but no backup was kept"]
    assert sorted(p.read_bytes() for p in elsewhere.iterdir()) == [b"not companion's"] * 10


def test_a_symlinked_lock_is_refused(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    path = make_vault([])
    lock_path(path).unlink()
    lock_path(path).symlink_to(tmp_path / "somewhere-else")
    with pytest.raises(StorageFailure, match="symbolic link"):
        Vault.open(path, PASSPHRASE, clock=fixed_clock)
    assert not (tmp_path / "somewhere-else").exists()


def test_a_read_only_backups_folder_is_named(make_vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault([])
    before = path.read_bytes()

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        monkeypatch.setattr(backups.os, "link", read_only)
        monkeypatch.setattr(backups.shutil, "copyfile", read_only)
        _add(vault, "saved without a backup")
        monkeypatch.undo()
        news = vault.take_news()
    assert any(str(backups_dir(path)) in line and "read-only" in line for line in news)
    assert path.read_bytes() != before
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert _texts(vault) == ["saved without a backup"]


def test_a_lock_file_replaced_by_a_sync_tool_is_locked_again(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        # a sync tool renames another device's (empty) lock file over ours
        incoming = path.with_name(".lock.incoming")
        incoming.write_bytes(b"")
        os.replace(incoming, lock_path(path))
        _add(vault, "saved; the new lock file is ours now")
        with pytest.raises(VaultBusy):
            VaultLock(path).acquire(timeout=0.0)
