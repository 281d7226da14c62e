"""Keys pressed right after fast typing (or a paste over SSH) act after the typing, not before it:
saving, locking and quitting keep every character; a whole form typed in one burst, locally and over sshd,
lands field by field."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import PASSPHRASE
from pinned import pinned_env
from terminals import COMPANION, Sshd, Tmux

LONG = "Typed in one burst, the way a paste or a slow SSH line delivers it, right up to this last word"


@pytest.fixture
def journal(tmp_path: Path) -> tuple[Path, Path]:
    vault = tmp_path / "journal" / "vault.companion"
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\n")
    subprocess.run([COMPANION, "--data", str(vault), "--passphrase-file", str(pw), "init"], check=True,
                   capture_output=True, env=pinned_env())
    return vault, pw


@pytest.fixture
def tmux(request: pytest.FixtureRequest) -> Iterator[Tmux]:
    pane = Tmux(request.node.name[:20])
    yield pane
    pane.kill()


def _open_editor(tmux: Tmux, vault: Path) -> None:
    tmux.start([COMPANION, "--data", str(vault)])
    tmux.unlock(PASSPHRASE)
    tmux.wait_for("Today's prompt")
    tmux.new_entry()


def _listed(vault: Path, pw: Path) -> str:
    return subprocess.run([COMPANION, "--data", str(vault), "--passphrase-file", str(pw), "list"],
                          capture_output=True, text=True, check=True, env=pinned_env()).stdout


def test_ctrl_s_right_after_typing_saves_every_character(journal: tuple[Path, Path], tmux: Tmux) -> None:
    vault, pw = journal
    _open_editor(tmux, vault)
    tmux.type(LONG)
    tmux.keys("C-s")  # no pause: in the same burst
    tmux.wait_for("Newest reflections")
    tmux.keys("C-q")
    tmux.wait_for("companion-exited=0")
    assert LONG in " ".join(_listed(vault, pw).split())


@pytest.mark.parametrize("key", ["C-q", "C-l"])
def test_quit_or_lock_right_after_typing_keeps_every_character(journal: tuple[Path, Path], tmux: Tmux,
                                                               key: str) -> None:
    vault, _ = journal
    _open_editor(tmux, vault)
    tmux.type(LONG)
    tmux.keys(key)
    tmux.wait_for("companion-exited=0" if key == "C-q" else "Your journal is locked")
    screen = tmux
    if key == "C-q":
        tmux.kill()
        screen = Tmux("reopened")
        screen.start([COMPANION, "--data", str(vault)])
    try:
        screen.unlock(PASSPHRASE)
        screen.wait_for("Your unfinished entry was kept safe")
        screen.wait_for("right up to this last word")
    finally:
        screen.kill()


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    server = Sshd(tmp_path_factory.mktemp("sshd"))
    yield server
    server.stop()


WHO = "my neighbour upstairs, after eleven at night"  # more than the 32 characters Textual searches after Escape


@pytest.mark.parametrize("line", ["local", "ssh"])
def test_a_whole_form_typed_in_one_burst_lands_field_by_field(journal: tuple[Path, Path], tmux: Tmux, line: str,
                                                             request: pytest.FixtureRequest) -> None:
    vault, pw = journal
    command = [COMPANION, "--data", str(vault)]
    if line == "ssh":
        tmux.start(request.getfixturevalue("sshd").client(*command), pin=False)
    else:
        tmux.start(command)
    tmux.unlock(PASSPHRASE)
    tmux.wait_for("Today's prompt")
    # Boundaries, a new one: who, what, why, three Tabs to the review date, a Tab after it, save, then filter
    tmux.burst("3", "n", "Ann", "Tab", "No calls late", "Tab", "sleep matters", "Tab", "Tab", "Tab", "2027-01-05",
               "Tab", "C-s", "/", "Ann")
    tmux.wait_for("║Ann\n")  # the filter opened before the word was typed into it, and holds all of it
    screen = tmux.wait_for("1 boundary matches")
    assert "Ann: No calls late" in screen
    # Escape (the filter cleared), a new one, and its first field, with no pause
    tmux.burst("Escape", "n", WHO, "Tab", "Quiet after eleven", "C-s")
    tmux.wait_for("Quiet after eleven")
    tmux.keys("C-q")
    tmux.wait_for("companion-exited=0")
    listed = json.loads(subprocess.run(
        [COMPANION, "--data", str(vault), "--passphrase-file", str(pw), "boundaries", "list", "--json"],
        capture_output=True, text=True, check=True, env=pinned_env()).stdout)
    fields = sorted((b["who"], b["boundary"], b["why"], b["review_on"]) for b in listed)
    assert fields == [("Ann", "No calls late", "sleep matters", "2027-01-05"), (WHO, "Quiet after eleven", "", None)]
