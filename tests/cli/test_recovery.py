"""The recovery key from the command line: made, written 0600, used when the passphrase is forgotten,
and replaced so the old one opens nothing companion keeps."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from companion.crypto import envelope
from companion.errors import WrongPassphrase
from companion.services.recovery import read_recovery_key_file

from conftest import open_vault_file
from test_cli import one_sentence, run


def _base(vault: Path, pw: Path) -> tuple[str, ...]:
    return ("--data", str(vault), "--passphrase-file", str(pw))


def _files(vault: Path) -> list[Path]:
    """Every file companion keeps that carries a header (the journal, backups, kept copies)."""
    return [p for p in vault.parent.rglob("*.companion") if p.is_file()]


def test_forgotten_passphrase_with_the_recovery_key(cli_vault: tuple[Path, Path], tmp_path: Path,
                                                    passphrase_file: Callable[..., Path]) -> None:
    vault, pw = cli_vault
    assert run(*_base(vault, pw), "add", "before I forgot").returncode == 0
    key = tmp_path / "recovery.txt"
    made = run(*_base(vault, pw), "recovery-key", "--out", str(key))
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    again = run(*_base(vault, pw), "recovery-key", "--out", str(key))
    assert again.returncode == 1 and "--force" in one_sentence(again.stderr)
    new = passphrase_file("a brand new passphrase", "new.txt")
    done = run("--data", str(vault), "--recovery-key-file", str(key), "passwd", "--new-passphrase-file", str(new))
    assert done.returncode == 0, done.stderr
    assert run(*_base(vault, pw), "list").returncode == 3  # the forgotten one opens nothing now
    assert "before I forgot" in run(*_base(vault, new), "list").stdout
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(envelope.new_recovery_key() + "\n")
    refused = run("--data", str(vault), "--recovery-key-file", str(wrong), "passwd", "--new-passphrase-file", str(new))
    assert refused.returncode == 3 and "does not open" in one_sentence(refused.stderr)


def test_a_replaced_recovery_key_opens_nothing(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, pw = cli_vault
    for i in range(3):
        assert run(*_base(vault, pw), "add", f"entry {i}").returncode == 0
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    assert run(*_base(vault, pw), "recovery-key", "--out", str(first)).returncode == 0
    replaced = run(*_base(vault, pw), "recovery-key", "--out", str(second))
    assert replaced.returncode == 0 and "no longer opens" in replaced.stdout
    old, current = read_recovery_key_file(first), read_recovery_key_file(second)
    files = _files(vault)
    assert len(files) >= 2  # the journal and its backup
    for file in files:
        blob = file.read_bytes()
        with pytest.raises(WrongPassphrase):
            open_vault_file(blob, recovery=old)
        open_vault_file(blob, recovery=current)


def test_without_a_terminal_the_key_must_go_to_a_file(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    done = run(*_base(vault, pw), "recovery-key")
    assert done.returncode == 2 and "--out" in one_sentence(done.stderr)


def test_the_app_opens_a_journal_that_has_a_recovery_key(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    # The app's first check reads only the header; a version-2 header (with the recovery slot) is longer.
    vault, pw = cli_vault
    assert run(*_base(vault, pw), "recovery-key", "--out", str(tmp_path / "key.txt")).returncode == 0
    done = run("--data", str(vault))  # no terminal here: the app gets as far as asking for one
    assert done.returncode == 2, done.stderr
    assert "needs a terminal" in done.stderr and "truncated" not in done.stderr
