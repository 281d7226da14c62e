"""The command line when copies meet: merge, check's lists, restore's kept copy, passwd on a full disk,
and a SIGTERM at the passphrase prompt."""

from __future__ import annotations

import os
import pty
import shutil
import signal
import subprocess
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import fixed_clock
from pinned import pinned_env
from test_cli import COMPANION, one_sentence, run

SYNCTHING_NAME = "vault.sync-conflict-20261128-101500-ABCDEFG.companion"


def _base(vault: Path, pw: Path) -> tuple[str, ...]:
    return ("--data", str(vault), "--passphrase-file", str(pw))


def test_check_names_a_conflict_copy_and_merge_folds_it_in(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, pw = cli_vault
    assert run(*_base(vault, pw), "add", "written here").returncode == 0
    phone = tmp_path / "phone" / "vault.companion"
    phone.parent.mkdir()
    shutil.copy2(vault, phone)
    assert run(*_base(phone, pw), "add", "written on the phone").returncode == 0
    shutil.move(phone, vault.with_name(SYNCTHING_NAME))

    checked = run(*_base(vault, pw), "check")
    assert checked.returncode == 0, checked.stderr
    assert f"A sync tool left a conflict copy: {SYNCTHING_NAME}" in checked.stdout
    assert "companion merge" in checked.stdout

    merged = run(*_base(vault, pw), "merge", str(vault.with_name(SYNCTHING_NAME)))
    assert merged.returncode == 0, merged.stderr
    assert "1 entry from another copy of your journal was merged." in merged.stdout
    assert not vault.with_name(SYNCTHING_NAME).exists()
    assert (vault.parent / "backups" / f"merged-{Path(SYNCTHING_NAME).stem}.companion").exists()
    listed = run(*_base(vault, pw), "list").stdout
    assert "written here" in listed and "written on the phone" in listed
    again = run(*_base(vault, pw), "check").stdout
    assert "conflict copy" not in again and "Kept copies (never pruned)" in again


def test_merge_refuses_another_journal(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, pw = cli_vault
    other = tmp_path / "other" / "vault.companion"
    assert run(*_base(other, pw), "init").returncode == 0
    before = vault.read_bytes()
    done = run(*_base(vault, pw), "merge", str(other))
    assert done.returncode == 4
    assert "not a copy of this journal" in one_sentence(done.stderr)
    assert vault.read_bytes() == before and other.exists()


def test_restore_says_where_the_replaced_journal_is_kept(cli_vault: tuple[Path, Path], tmp_path: Path,
                                                        passphrase_file: Callable[..., Path]) -> None:
    vault, pw = cli_vault
    base = _base(vault, pw)
    assert run(*base, "add", "before the restore").returncode == 0
    secret = passphrase_file("backup secret words", "backup-pass.txt")
    out = tmp_path / "journal.age"
    assert run(*base, "backup", "--out", str(out), "--export-passphrase-file", str(secret)).returncode == 0
    assert run(*base, "add", "after the backup").returncode == 0
    done = run(*base, "restore", str(out), "--export-passphrase-file", str(secret), "--yes")
    assert done.returncode == 0, done.stderr
    kept = Path(done.stdout.strip().splitlines()[-1].split(" kept at ")[1].rstrip("."))
    assert kept.exists() and kept.name.startswith("before-restore-")
    for _ in range(8):
        assert run(*base, "add", "more").returncode == 0
    assert kept.exists()
    assert kept.name in run(*base, "check").stdout


def test_check_fails_on_a_damaged_draft(cli_vault: tuple[Path, Path]) -> None:
    from companion.paths import draft_path

    vault, pw = cli_vault
    draft_path(vault).write_bytes(b"\x89CMPDRF\n\x00\x02" + b"\x00" * 40)
    done = run(*_base(vault, pw), "check")
    assert done.returncode == 4
    assert "draft" in one_sentence(done.stderr)


def test_a_copy_synced_in_between_open_and_save_is_merged(cli_vault: tuple[Path, Path], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # The sync must land after `add` opened the journal: run main() in-process and land it then.
    from companion import cli
    from companion.services.journal import Journal

    vault, pw = cli_vault
    phone = tmp_path / "phone" / "vault.companion"
    phone.parent.mkdir()
    shutil.copy2(vault, phone)
    assert run(*_base(phone, pw), "add", "from the phone").returncode == 0
    original = Journal.add_reflection

    def sync_lands_first(self: Journal, *args: object, **kwargs: object) -> object:
        shutil.copy2(phone, vault.with_name(".syncthing.vault.companion.tmp"))
        os.replace(vault.with_name(".syncthing.vault.companion.tmp"), vault)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Journal, "add_reflection", sync_lands_first)
    monkeypatch.setattr(cli, "harden_process", lambda: None)
    assert cli.main([*_base(vault, pw), "add", "from the laptop"], clock=fixed_clock) == 0
    out = capsys.readouterr()
    assert "Saved your reflection." in out.out
    assert "1 entry from another copy of your journal was merged." in out.err
    monkeypatch.undo()
    listed = run(*_base(vault, pw), "list").stdout
    assert "from the phone" in listed and "from the laptop" in listed


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """A real, tiny file system (tmpfs), so a full disk is met the way a person meets it."""
    mounted: list[Path] = []

    def mount(kib: int) -> Path:
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k,mode=0700", "tmpfs", str(where)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip()}); needs root")
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", str(where)], check=False)


def test_passwd_on_a_full_disk_changes_nothing_and_says_so(small_disk: Callable[[int], Path],
                                                           passphrase_file: Callable[..., Path]) -> None:
    disk = small_disk(1024)
    vault = disk / "vault.companion"
    pw = passphrase_file()
    new = passphrase_file("a brand new passphrase", "new.txt")
    assert run(*_base(vault, pw), "init").returncode == 0
    for i in range(4):
        assert run(*_base(vault, pw), "add", f"entry {i} " + "words " * 1000).returncode == 0
    # fill what is left, so the re-sealed copies cannot all be written
    (disk / "filler").write_bytes(b"\0" * (os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize - 12_000))
    before = {f: f.read_bytes() for f in disk.rglob("*") if f.is_file() and f.name != "filler"}
    done = run(*_base(vault, pw), "passwd", "--new-passphrase-file", str(new))
    assert done.returncode == 1
    assert "your passphrase was not changed" in one_sentence(done.stderr)
    assert "changed." not in done.stdout
    after = {f: f.read_bytes() for f in disk.rglob("*") if f.is_file() and f.name != "filler"}
    assert after == before
    assert run(*_base(vault, pw), "list").returncode == 0
    assert run(*_base(vault, new), "list").returncode == 3
    (disk / "filler").unlink()
    assert run(*_base(vault, pw), "passwd", "--new-passphrase-file", str(new)).returncode == 0
    assert run(*_base(vault, new), "list").returncode == 0


def test_sigterm_at_the_passphrase_prompt_restores_the_terminal(cli_vault: tuple[Path, Path]) -> None:
    vault, _ = cli_vault
    before = vault.read_bytes()
    pid, fd = pty.fork()
    if pid == 0:  # the child: companion on a real terminal
        os.execve(COMPANION, [COMPANION, "--data", str(vault), "list"], pinned_env())
    try:
        seen = b""
        deadline = time.monotonic() + 20
        while b"Passphrase:" not in seen and time.monotonic() < deadline:
            seen += os.read(fd, 1024)
        assert b"Passphrase:" in seen
        assert not termios.tcgetattr(fd)[3] & termios.ECHO  # echo is off while asking
        os.kill(pid, signal.SIGTERM)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 128 + signal.SIGTERM
        assert termios.tcgetattr(fd)[3] & termios.ECHO  # and back on: the terminal is left usable
    finally:
        os.close(fd)
    assert vault.read_bytes() == before
