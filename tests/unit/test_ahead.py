"""A command's key derived before its command line is parsed (companion/ahead.py): read only where the
arguments are plain, never from a pipe, and taken by the command that opens the journal."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from companion import ahead
from companion.arguments import build_parser
from companion.crypto import envelope
from companion.crypto.kdf import KdfParams

from conftest import PASSPHRASE, fixed_clock

PLAIN = [
    (["--data", "j.companion", "--passphrase-file", "pw", "list", "-n", "5"], ("j.companion", "pw")),
    (["list", "--passphrase-file=pw"], (None, "pw")),
    (["--color", "16", "boundaries", "list", "--passphrase-file", "pw", "--data=j"], ("j", "pw")),
    (["add", "--tag", "work", "--passphrase-file", "a", "--passphrase-file", "b", "words"], (None, "b")),
]


@pytest.mark.parametrize(("argv", "found"), PLAIN)
def test_plain_command_lines_are_read_as_argparse_reads_them(argv: list[str], found: tuple[str | None, str]) -> None:
    assert ahead.options_ahead(argv) == found
    args = build_parser().parse_args(argv)  # the parser agrees
    assert (getattr(args, "data", None), args.passphrase_file) == found


UNSURE = {
    "no passphrase file": ["list"],
    "standard input": ["--passphrase-file", "-", "list"],
    "the recovery key": ["--passphrase-file", "pw", "--recovery-key-file", "key", "passwd"],
    "a command that opens no journal yet": ["--passphrase-file", "pw", "init"],
    "restore (a new journal's passphrase, maybe)": ["--passphrase-file", "pw", "restore", "backup.age"],
    "the app": ["--passphrase-file", "pw"],
    "an abbreviated option before the command": ["--pass", "pw", "list"],
    "text after --": ["add", "--", "--passphrase-file", "pw"],
    "an option without its value": ["list", "--passphrase-file"],
    "the demo": ["--demo", "--passphrase-file", "pw", "list"],
}


@pytest.mark.parametrize("argv", UNSURE.values(), ids=UNSURE.keys())
def test_anything_less_plain_is_left_to_the_command(argv: list[str]) -> None:
    assert ahead.options_ahead(argv) is None


@pytest.fixture(autouse=True)
def hardening(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The process is hardened (by a stand-in: the real one would scrub pytest's own environment)."""
    from companion import cli, hardening

    done: list[str] = []
    monkeypatch.setattr(hardening, "harden_process", lambda: done.append("hardened"))
    monkeypatch.setattr(cli, "harden_process", lambda: None)
    return done


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch, hardening: list[str]) -> list[str]:
    """What derive_early did, in order: the hardening, and each passphrase it began deriving a key for (the
    thread itself is envelope's, tested there)."""
    monkeypatch.setattr(envelope, "derive_ahead", lambda passphrase, header: hardening.append(passphrase))
    return hardening


def test_the_key_is_derived_from_a_regular_file(make_vault: Callable[..., Path], tmp_path: Path,
                                                derivations: list[str]) -> None:
    vault = make_vault([])
    (tmp_path / "pw").write_text(PASSPHRASE + "\n")
    ahead.derive_early(["--data", str(vault), "--passphrase-file", str(tmp_path / "pw"), "list"])
    assert derivations == ["hardened", PASSPHRASE]  # hardened before the passphrase is read


def test_a_pipe_is_left_for_the_command_to_read(make_vault: Callable[..., Path], derivations: list[str]) -> None:
    vault = make_vault([])
    read_end, write_end = os.pipe()
    os.write(write_end, (PASSPHRASE + "\n").encode())
    os.close(write_end)
    try:
        ahead.derive_early(["--data", str(vault), "--passphrase-file", f"/dev/fd/{read_end}", "list"])
        assert PASSPHRASE not in derivations
        assert os.read(read_end, 100) == (PASSPHRASE + "\n").encode()  # still there for the command
    finally:
        os.close(read_end)


def test_what_cannot_be_read_is_left_for_the_command_to_report(tmp_path: Path, derivations: list[str]) -> None:
    (tmp_path / "pw").write_text(PASSPHRASE + "\n")
    (tmp_path / "empty").write_text("")
    ahead.derive_early(["--data", str(tmp_path / "none.companion"), "--passphrase-file", str(tmp_path / "pw"),
                        "list"])  # no journal there
    (tmp_path / "damaged.companion").write_bytes(b"not a journal")
    ahead.derive_early(["--data", str(tmp_path / "damaged.companion"), "--passphrase-file", str(tmp_path / "pw"),
                        "list"])
    ahead.derive_early(["--passphrase-file", str(tmp_path / "empty"), "list"])
    ahead.derive_early(["--passphrase-file", str(tmp_path / "missing"), "list"])
    assert PASSPHRASE not in derivations


def test_the_command_opens_with_the_key_derived_early(make_vault: Callable[..., Path], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """End to end in one process: derive_early, then the command as the launcher runs it; one derivation."""
    from companion import cli

    vault = make_vault(["Asked Sam for a lift"])
    (tmp_path / "pw").write_text(PASSPHRASE + "\n")
    derived: list[str] = []
    real = envelope._derive

    def counting(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
        derived.append(threading.current_thread().name)
        return real(passphrase, salt, params)

    monkeypatch.setattr(envelope, "_derive", counting)
    argv = ["--data", str(vault), "--passphrase-file", str(tmp_path / "pw"), "list", "--json"]
    ahead.derive_early(argv)
    assert cli.main(argv, clock=fixed_clock) == 0
    assert derived == ["companion-derive-ahead"]  # once, begun early on its own thread, taken by the command
    assert "Asked Sam for a lift" in capsys.readouterr().out


def test_getting_ready_to_open_leaves_the_journal_and_its_folder_as_they_were(make_vault: Callable[..., Path]) -> None:
    """What the command loads while the key is derived (the zone, this device's state folder, pyrage) touches
    nothing beside the journal: it runs before the journal is opened, locked or checked."""
    from companion.services.preflight import ready_to_open

    vault = make_vault(["Asked Sam for a lift"])
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in vault.parent.iterdir() if p.is_file()}
    asked: list[str] = []
    ready_to_open(vault, lambda: (asked.append("now"), fixed_clock())[1])
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in vault.parent.iterdir() if p.is_file()}
    assert after == before
    assert asked == ["now"]  # the clock handed in, never the machine's
