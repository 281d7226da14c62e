"""The vault on disk: modes, atomic saves, injected failures, backups, lock, passphrase change."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion.domain.reflection import Reflection
from companion.errors import StorageFailure, VaultBusy, VaultDamaged, WrongPassphrase
from companion.paths import backups_dir, lock_path
from companion.storage import backups, disk
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault

from conftest import CANARY, FAST_KDF, NOW, PASSPHRASE, fixed_clock, open_vault_file


def _add(vault: Vault, text: str) -> None:
    ReflectionRepository(vault).add(Reflection(text=text, created=NOW))


def _texts(vault: Vault) -> list[str]:
    return [row["text"] for _, row in ReflectionRepository(vault).rows()]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_create_then_open_round_trip(vault_path: Path) -> None:
    with Vault.create(vault_path, PASSPHRASE, FAST_KDF, clock=fixed_clock) as vault:
        _add(vault, "first")
    with Vault.open(vault_path, PASSPHRASE, clock=fixed_clock) as vault:
        assert _texts(vault) == ["first"]
        assert vault.counts() == {"reflections": 1, "boundaries": 0, "contacts": 0}


def test_create_refuses_to_overwrite(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["kept"])
    before = path.read_bytes()
    with pytest.raises(StorageFailure, match="already exists"):
        Vault.create(path, "another passphrase", FAST_KDF, clock=fixed_clock)
    assert path.read_bytes() == before


def test_files_and_folders_are_private(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["one", "two"])
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600
    assert _mode(lock_path(path)) == 0o600
    assert _mode(backups_dir(path)) == 0o700
    found = backups.list_backups(path)
    assert found
    assert all(_mode(b.path) == 0o600 for b in found)


def test_wrong_passphrase_leaves_file_untouched(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["kept"])
    before = path.read_bytes()
    with pytest.raises(WrongPassphrase):
        Vault.open(path, "not the passphrase", clock=fixed_clock)
    assert path.read_bytes() == before


def test_empty_file_is_damage(vault_path: Path) -> None:
    vault_path.parent.mkdir(parents=True)
    vault_path.write_bytes(b"")
    with pytest.raises(VaultDamaged, match="empty") as info:
        Vault.open(vault_path, PASSPHRASE, clock=fixed_clock)
    assert "backups" not in info.value.message  # there are none yet: no folder is pointed at in vain
    (vault_path.parent / "backups").mkdir()
    (vault_path.parent / "backups" / "vault-20261127T183000000000Z.companion").write_bytes(b"an earlier copy")
    with pytest.raises(VaultDamaged, match="empty") as info:
        Vault.open(vault_path, PASSPHRASE, clock=fixed_clock)
    assert "earlier copies are kept in" in info.value.message and "backups" in info.value.message
    assert vault_path.read_bytes() == b""


def test_missing_vault_is_a_plain_failure(vault_path: Path) -> None:
    with pytest.raises(StorageFailure, match="companion init"):
        Vault.open(vault_path, PASSPHRASE, clock=fixed_clock)


def test_canary_never_on_disk(vault_path: Path) -> None:
    with Vault.create(vault_path, PASSPHRASE, FAST_KDF, clock=fixed_clock) as vault:
        for i in range(3):
            _add(vault, f"{CANARY} entry {i}")
    for file in vault_path.parent.rglob("*"):
        if file.is_file():
            assert CANARY.encode() not in file.read_bytes(), file


def test_failure_between_temp_write_and_replace_keeps_old_file(
    make_vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_vault(["kept"])
    before = path.read_bytes()
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:

        def crash(*args: object) -> None:
            raise OSError(errno.EIO, "Input/output error")

        monkeypatch.setattr(disk.os, "replace", crash)
        with pytest.raises(StorageFailure):  # a whole-file write: a restore, a merge, a compaction
            vault.replace_document({"reflections": {}})
        monkeypatch.undo()
        # What the person sees never runs ahead of the disk.
        assert _texts(vault) == ["kept"]
    assert path.read_bytes() == before
    assert disk.stale_temps(path) == []


def test_a_save_that_fails_half_way_leaves_the_file_as_it_was(
    make_vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_vault(["kept"])
    before = path.read_bytes()
    real = os.pwrite
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:

        def half(fd: int, data: bytes, offset: int) -> int:
            real(fd, bytes(data[: len(data) // 2]), offset)
            raise OSError(errno.EIO, "Input/output error")

        monkeypatch.setattr(os, "pwrite", half)
        with pytest.raises(StorageFailure, match="could not save"):
            _add(vault, "never saved")
        monkeypatch.undo()
        assert _texts(vault) == ["kept"]
        assert path.read_bytes() == before  # what was appended is cut off again
        _add(vault, "saved after")
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert sorted(_texts(vault)) == ["kept", "saved after"]


def test_disk_full_keeps_old_file(make_vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault(["kept"])
    before = path.read_bytes()
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:

        def full(fd: int, data: object, offset: int) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "pwrite", full)
        with pytest.raises(StorageFailure, match="disk is full") as info:
            _add(vault, "never saved")
        monkeypatch.undo()
        assert info.value.exit_code == 1
        assert path.read_bytes() == before
        _add(vault, "saved once there is room")
    assert path.read_bytes() != before
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        texts = sorted(_texts(vault))
        assert texts == ["kept", "saved once there is room"]


def test_stale_temp_files_are_cleaned_on_open(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    leftover = disk.temp_name(path)
    leftover.write_bytes(b"ciphertext from a killed save")
    with Vault.open(path, PASSPHRASE, clock=fixed_clock):
        pass
    assert not leftover.exists()


def test_a_save_appends_only_what_changed(make_vault: Callable[..., Path]) -> None:
    path = make_vault([f"entry {i}" for i in range(600)])  # three segments of reflections
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        _add(vault, "one")  # the day's first save also keeps a backup (below)
        before = path.read_bytes()
        _add(vault, "two")
        after = path.read_bytes()
    assert after[: len(before)] == before  # appended: nothing earlier was rewritten
    grown = len(after) - len(before)
    assert grown < 40_000 < len(before) // 2  # one segment of 256 entries at most, and the manifest


def test_the_days_first_save_keeps_the_file_as_a_backup(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        before = path.read_bytes()
        _add(vault, "one")
    newest = backups.list_backups(path)[0]
    assert newest.path.read_bytes()[: len(before)] == before  # the file as it was, then the save itself
    assert open_vault_file(newest.path.read_bytes())["reflections"]  # frozen: the journal moved on
    assert path.read_bytes() != newest.path.read_bytes()


def test_backups_roll(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    days = iter(range(100))
    clock = lambda: NOW + timedelta(hours=25 * next(days))  # noqa: E731 - a day and an hour per save
    with Vault.open(path, PASSPHRASE, clock=clock) as vault:
        for i in range(12):
            _add(vault, f"entry {i}")
    kept = backups.list_backups(path)
    assert backups.KEEP_RECENT <= len(kept) < 12
    assert kept[0].taken.astimezone(UTC) > NOW + timedelta(days=10)


def test_prune_keeps_recent_and_one_a_day(tmp_path: Path) -> None:
    vault = tmp_path / "vault.companion"
    folder = backups_dir(vault)
    folder.mkdir()
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    stamps = [now - timedelta(minutes=m) for m in range(8)]  # eight today
    stamps += [now - timedelta(days=d, hours=h) for d in range(1, 10) for h in (1, 2)]  # two a day back 9 days
    for s in stamps:
        (folder / f"vault-{s.strftime('%Y%m%dT%H%M%S%fZ')}.companion").write_bytes(b"x")
    backups.prune(vault, now)
    kept = backups.list_backups(vault)
    assert [b.taken for b in kept[:5]] == stamps[:5]
    older_days = [b.taken.date() for b in kept[5:]]
    # the newest of each earlier day still inside the week, nothing older
    assert older_days == [(now - timedelta(days=d)).date() for d in range(1, 7)]
    assert [b.taken for b in kept[5:]] == [now - timedelta(days=d, hours=1) for d in range(1, 7)]


def test_second_open_in_process_is_busy(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock):
        with pytest.raises(VaultBusy) as info:
            Vault.open(path, PASSPHRASE, clock=fixed_clock)
        assert info.value.exit_code == 5
    with Vault.open(path, PASSPHRASE, clock=fixed_clock):
        pass


def test_second_process_is_refused(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from datetime import datetime
            from pathlib import Path
            from companion.storage.vault import Vault
            v = Vault.open(Path({str(path)!r}), {PASSPHRASE!r}, clock=lambda: datetime.fromisoformat({NOW.isoformat()!r}))
            print("open", flush=True)
            sys.stdin.read()
            v.close()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(VaultBusy):
            Vault.open(path, PASSPHRASE, lock_timeout=0.3, clock=fixed_clock)
    finally:
        holder.communicate("")
    with Vault.open(path, PASSPHRASE, clock=fixed_clock):
        pass


def test_change_passphrase_rewraps_vault_and_backups(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["kept"])
    new = "a completely new passphrase"
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        vault.change_passphrase(new, FAST_KDF)
    with pytest.raises(WrongPassphrase):
        Vault.open(path, PASSPHRASE, clock=fixed_clock)
    with Vault.open(path, new, clock=fixed_clock) as vault:
        assert _texts(vault) == ["kept"]
        report = vault.check(new)
    assert report.backups and all(b.state == "ok" for b in report.backups)
    for b in backups.list_backups(path):
        with pytest.raises(WrongPassphrase):
            open_vault_file(b.path.read_bytes(), PASSPHRASE)


def test_check_reports_a_damaged_backup(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["one", "two"])
    victim = backups.list_backups(path)[0].path
    data = bytearray(victim.read_bytes())
    data[-3] ^= 0xFF
    victim.write_bytes(bytes(data))
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        report = vault.check(PASSPHRASE)
    assert [b.path for b in report.damaged_backups] == [victim]
    assert report.counts["reflections"] == 2


def test_close_forgets_the_document(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["private words"])
    vault = Vault.open(path, PASSPHRASE, clock=fixed_clock)
    vault.close()
    with pytest.raises(StorageFailure, match="locked"):
        vault.db.table("reflections").all()
    assert not os.path.exists(str(path) + ".tmp")
    with Vault.open(path, PASSPHRASE, clock=fixed_clock):
        pass  # the lock was released
