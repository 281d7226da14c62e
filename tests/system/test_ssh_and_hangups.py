"""companion in a real terminal: over OpenSSH in a tmux pane (create, write, lock, unlock, resize,
quit), a connection dropped mid-entry, and SIGTERM. Each ends with the words back on screen."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import PASSPHRASE
from terminals import COMPANION, Sshd, Tmux, pipe_output, seconds_until_gone, stop_pipe


def _stays_under(wire: Path, limit: int, seconds: float) -> None:
    """For `seconds`, what the program sends stays under `limit` bytes (fails as soon as it goes over)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sent = wire.stat().st_size if wire.exists() else 0
        assert sent <= limit, f"{sent} bytes crossed the line while nobody typed"
        time.sleep(0.1)
    sent = wire.stat().st_size if wire.exists() else 0
    assert sent <= limit, f"{sent} bytes crossed the line while nobody typed"


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    server = Sshd(tmp_path_factory.mktemp("sshd"))
    yield server
    server.stop()


@pytest.fixture
def tmux(request: pytest.FixtureRequest) -> Iterator[Tmux]:
    pane = Tmux(request.node.name[:20])
    yield pane
    pane.kill()


def test_a_whole_session_over_ssh(sshd: Sshd, tmux: Tmux, tmp_path: Path) -> None:
    vault = tmp_path / "journal" / "vault.companion"
    tmux.start(sshd.client(COMPANION, "--data", str(vault)), pin=False)
    tmux.create(PASSPHRASE)
    tmux.new_entry()
    tmux.type("Asked for help over a slow line.")
    tmux.wait_for("over a slow line.")
    # Over SSH the cursor does not blink: for three seconds with nobody typing, next to nothing crosses the line.
    quiet = tmp_path / "wire"
    pipe_output(tmux, quiet)
    try:
        _stays_under(quiet, 150, seconds=3.0)
    finally:
        stop_pipe(tmux)
    tmux.resize(100, 30)  # the phone turns sideways mid-entry
    tmux.wait_for("Asked for help over a slow line.")
    tmux.keys("C-s")
    tmux.wait_for("Newest reflections")
    tmux.resize(80, 24)
    tmux.wait_for("Asked for help over a slow line.")  # saved, and on Home after the resize back
    tmux.keys("C-l")
    tmux.wait_for("Your journal is locked")
    tmux.wait_without("Asked for help", timeout=5)  # over SSH the new screen can arrive in pieces
    tmux.unlock(PASSPHRASE)
    tmux.wait_for("Asked for help over a slow line.")
    tmux.keys("C-q")
    tmux.wait_for("companion-exited=0")


def test_a_dropped_connection_mid_entry_loses_nothing(sshd: Sshd, tmux: Tmux, tmp_path: Path) -> None:
    vault = tmp_path / "journal" / "vault.companion"
    tmux.start(sshd.client(COMPANION, "--data", str(vault)), pin=False)
    tmux.create(PASSPHRASE)
    tmux.new_entry()
    last_words = "and these last words, typed a moment before the train went into the tunnel"
    tmux.type(f"I kept writing {last_words}")
    tmux.wait_for("went into the tunnel")
    # The connection drops: the client dies without a goodbye, sshd hangs up on companion.
    app = sshd.app_pid()
    os.kill(tmux.program_pid("ssh"), signal.SIGKILL)
    seconds = seconds_until_gone(app, timeout=3.0)
    assert seconds < 1.5, seconds
    tmux.kill()  # the local terminal is left as the dead client left it
    again = Tmux("reconnect")
    try:
        again.start(sshd.client(COMPANION, "--data", str(vault)), pin=False)
        again.unlock(PASSPHRASE)
        again.wait_for("Your unfinished entry was kept safe")
        again.wait_for("went into the tunnel")
    finally:
        again.kill()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_entry_seals_the_draft_and_restores_the_terminal(tmux: Tmux, tmp_path: Path,
                                                                     sig: signal.Signals) -> None:
    vault = tmp_path / "journal" / "vault.companion"
    tmux.start([COMPANION, "--data", str(vault)])
    tmux.create(PASSPHRASE)
    tmux.new_entry()
    tmux.type("Written just before the machine shut down")
    tmux.wait_for("machine shut down")
    app = tmux.program_pid()
    os.kill(app, sig)  # a shutdown, or kill -INT from outside
    assert seconds_until_gone(app, timeout=3.0) < 1.5
    screen = tmux.wait_for(f"companion-exited={128 + sig}")
    assert "A new reflection" not in screen  # the app's screen is gone: the terminal is back to normal
    tmux.kill()
    again = Tmux(f"after-{sig.name}")
    try:
        again.start([COMPANION, "--data", str(vault)])
        again.unlock(PASSPHRASE)
        again.wait_for("Written just before the machine shut down")
    finally:
        again.kill()
