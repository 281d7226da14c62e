"""companion as a person without colour sees it: NO_COLOR, a 16-colour xterm and the Linux console, read
as plain text from a tmux pane. Ticked and unticked, focused and not, must differ in the characters.
Also the demo (a throwaway journal that leaves nothing behind) and copying over the terminal (OSC 52)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from terminals import COMPANION, Tmux, replaced

PLAIN = {"no-colour": {"NO_COLOR": "1", "TERM": "xterm-256color"}, "xterm-16": {"TERM": "xterm"},
         "linux-console": {"TERM": "linux"}}


@pytest.fixture
def places(tmp_path: Path) -> dict[str, Path]:
    """A data home that must stay empty, and the temporary folder the demo may use."""
    found = {"home": tmp_path / "home", "tmp": tmp_path / "tmp"}
    found["tmp"].mkdir()
    return found


@pytest.fixture
def tmux(request: pytest.FixtureRequest) -> Iterator[Tmux]:
    pane = Tmux("plain-" + request.node.name[-12:].strip("[]"))
    yield pane
    pane.kill()


def _demo(tmux: Tmux, places: dict[str, Path], env: dict[str, str]) -> None:
    tmux.start([COMPANION, "--demo"], env={**env, "COMPANION_HOME": str(places["home"]), "TMPDIR": str(places["tmp"])})
    tmux.wait_for("DEMO")
    tmux.wait_for("Today's prompt")


@pytest.mark.parametrize("terminal", list(PLAIN))
def test_ticks_and_focus_read_without_colour(tmux: Tmux, places: dict[str, Path], terminal: str) -> None:
    _demo(tmux, places, PLAIN[terminal])
    tmux.keys("5")
    screen = tmux.wait_for("[x] Reflections")
    assert "►[x] Reflections" in screen and "[ ] Secure base" in screen and " [x] Boundaries" in screen
    tmux.keys("Tab")
    screen = tmux.wait_for("►[x] Boundaries")
    assert " [x] Reflections" in screen  # the marker moved: focus is in the characters
    tmux.keys("Space")
    tmux.wait_for("►[ ] Boundaries")  # unticked, in the characters too
    tmux.keys("2")
    screen = tmux.wait_for("│filter")  # a field's edge, blurred
    rows = [line for line in screen.splitlines() if " Nov 2026 " in line or " Oct 2026 " in line]
    assert rows[0].startswith(" ►") and not rows[1].startswith(" ►")  # the highlighted row, in characters
    tmux.keys("j")
    screen = tmux.wait_for(" ►" + rows[1][2:])  # j moves it down a row
    assert "  " + rows[0][2:] in screen
    tmux.keys("/")
    tmux.wait_for("║filter")  # and focused
    tmux.keys("Escape")
    tmux.wait_for("│filter")
    tmux.keys("1")
    tmux.wait_for("Today's prompt")
    tmux.keys("w")
    tmux.wait_for("A new reflection")
    screen = tmux.wait_for("╔")  # the text box has the focus: double corners
    assert "╚" in screen
    tmux.keys("Tab")
    screen = tmux.wait_for("║not set")  # the mood dropdown has it now
    assert "╭" in tmux.wait_without("╔")


def test_the_demo_leaves_nothing_behind(tmux: Tmux, places: dict[str, Path]) -> None:
    _demo(tmux, places, {"TERM": "xterm-256color"})
    [folder] = list(places["tmp"].iterdir())
    assert folder.name.startswith("companion-demo-") and (folder / "vault.companion").exists()
    tmux.keys("2")
    tmux.wait_for("reflections")
    pid = tmux.program_pid()
    tmux.keys("C-l")  # the lock replaces the process: the fresh one still knows it is the demo
    replaced(pid)
    tmux.type("x")
    tmux.wait_for("Passphrase  ║•")
    assert "This is the demo" in tmux.screen() and folder.exists()
    tmux.keys("C-q")
    tmux.wait_for("companion-exited=0")
    assert list(places["tmp"].iterdir()) == []
    assert not places["home"].exists()  # the real data folder was never touched


def test_a_hung_up_demo_leaves_nothing_behind(tmux: Tmux, places: dict[str, Path]) -> None:
    _demo(tmux, places, {"TERM": "xterm-256color"})
    tmux.keys("w")
    tmux.wait_for("A new reflection")
    tmux.type("a few words")
    os.kill(tmux.program_pid(), signal.SIGHUP)
    tmux.wait_for("companion-exited=129")
    assert list(places["tmp"].iterdir()) == [] and not places["home"].exists()


def test_an_ask_for_help_reaches_the_terminal_clipboard(tmux: Tmux, places: dict[str, Path]) -> None:
    _demo(tmux, places, {"TERM": "xterm-256color"})
    tmux._tmux("set", "-s", "set-clipboard", "on")
    tmux.keys("4")
    tmux.wait_for("Priya")
    tmux.keys("/")
    tmux.wait_for("║filter")  # each key once the one before it has acted, as a person sees it
    tmux.type("Priya")
    tmux.wait_for("1 person matches")
    tmux.keys("Enter")
    tmux.wait_for("│Priya")  # the filter let go of the focus
    tmux.keys("a")
    tmux.wait_for("Ask Priya")
    tmux.keys("Enter")
    tmux.wait_for("║ Could you help me with something?")  # the opening taken, the message box focused
    tmux.type("a lift on Tuesday?")
    tmux.wait_for("a lift on Tuesday?")  # on screen before saving, as a person would see it
    tmux.keys("C-s")
    tmux.wait_for("Your message to Priya")
    copied = subprocess.run(["tmux", "-L", tmux.socket, "show-buffer"], capture_output=True, text=True).stdout
    assert copied == "Could you help me with something? a lift on Tuesday?"


@pytest.mark.parametrize("terminal", list(PLAIN))
def test_the_practice_of_asking_reads_without_colour(tmux: Tmux, places: dict[str, Path], terminal: str) -> None:
    _demo(tmux, places, PLAIN[terminal])
    screen = tmux.wait_for("asks tried since")  # Home's line, from the demo's three experiments
    assert "On days you reached out or were helped, mood was" in screen
    tmux.keys("4")
    screen = tmux.wait_for("closest: Mara (sister), Priya")  # the rings: the words say which is which
    assert "wider: Dr. Okafor, Sam" in screen and "close: Tom" in screen and " you " in screen
    assert "Nobody offers advice yet" in screen and "Not reached in a while: Sam (4" in screen
    tmux.keys("7")
    screen = tmux.wait_for("The ladder: small asks first")
    assert "1 next fear  65  Tom: Would you look over my CV?" in screen  # the next rung, in words
    assert "fear  70 → 25   Priya: Would you come with me to the appointment?" in screen
    tmux.keys("1")
    tmux.wait_for("Today's prompt")
    tmux.keys("i")
    screen = tmux.wait_for("What connection does to a week")
    assert "Something noticed, not a cause" in tmux.wait_for("not a cause")
