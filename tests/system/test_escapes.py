"""Words that carry terminal escape sequences (an import, say) are shown in the app, never obeyed: the
screen is not cleared and the title not changed. (A paste is tested in tests/ui/test_paste.py: tmux
turns the escape in a pasted buffer into keys, so it cannot stand in for a terminal's paste.)"""

from __future__ import annotations

from pathlib import Path

from conftest import PASSPHRASE
from terminals import COMPANION, Tmux, made_journal, pane_title

ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;aGVsbG8=\x07"


def test_escapes_in_an_entry_and_in_a_paste_stay_harmless(tmp_path: Path) -> None:
    vault, _ = made_journal(tmp_path, PASSPHRASE, f"Imported {ESCAPES} words")
    tmux = Tmux("escapes")
    try:
        tmux.start([COMPANION, "--data", str(vault)])
        title = pane_title(tmux)
        tmux.unlock(PASSPHRASE)
        tmux.wait_for("Today's prompt")
        tmux.keys("2")
        tmux.wait_for("Imported ␛[2J")
        tmux.keys("Enter")
        screen = tmux.wait_for("␛]52;c;aGVsbG8=␇ words")
        assert "[2 Reflect]" in screen  # the area bar is still there: nothing cleared the screen
        assert pane_title(tmux) == title != "pwned"
        tmux.keys("Escape")
        tmux.wait_without("escape close")
        tmux.keys("C-q")
        tmux.wait_for("companion-exited=0")
    finally:
        tmux.kill()
