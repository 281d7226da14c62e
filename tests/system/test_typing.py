"""Keys pressed right after fast typing (or a paste over SSH) act after the typing, not before it:
saving, locking and quitting keep every character."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import PASSPHRASE
from pinned import pinned_env
from terminals import COMPANION, Tmux

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
