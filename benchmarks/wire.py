"""Bytes on the wire: what companion writes to its terminal per keystroke and while idle, in an 80x24 pane.

Over a phone's connection every byte is felt. This runs companion in a tmux pane (tmux pipe-pane copies
every byte the program writes, which is what SSH would carry), types into the editor and into a list's
filter, and sits idle. Targets (issue 11): at most 600 bytes a keystroke, at most 50 bytes a second idle.
A filter keystroke that changes the rows on screen redraws every visible row (Textual sends whole rows,
not the cells that differ), so the filter's target is for the typical keystroke; the mean and the
largest are printed beside it.

Run: .venv/bin/python benchmarks/wire.py [KEYS]    (default 40 keystrokes per place)
Prints the figures and whether each target is met; exits 1 when one is not.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import PASSPHRASE, seed_many  # noqa: E402
from terminals import COMPANION, Tmux, pipe_output, stop_pipe  # noqa: E402

KEY_TARGET = 600
IDLE_TARGET = 50
PAUSE = 0.25  # seconds between keystrokes: a person typing, each key drawn on its own


def measure(tmux: Tmux, target: Path, keys: int, text: str = "a") -> list[int]:
    """Bytes written for each of `keys` keystrokes, typed one by one."""
    target.write_bytes(b"")
    pipe_output(tmux, target)
    time.sleep(0.5)
    sizes = [target.stat().st_size]
    for i in range(keys):
        tmux.type(text[i % len(text)])
        time.sleep(PAUSE)
        sizes.append(target.stat().st_size)
    stop_pipe(tmux)
    return [after - before for before, after in zip(sizes, sizes[1:], strict=False)]


def idle(tmux: Tmux, target: Path, seconds: float) -> float:
    """Bytes written per second with nobody typing."""
    target.write_bytes(b"")
    pipe_output(tmux, target)
    time.sleep(seconds)
    stop_pipe(tmux)
    return len(target.read_bytes()) / seconds


def main() -> int:
    keys = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        vault = root / "data" / "vault.companion"
        from companion.storage.vault import Vault  # the journal: 300 short entries

        from conftest import FAST_KDF, fixed_clock
        vault.parent.mkdir()
        Vault.create(vault, PASSPHRASE, FAST_KDF, clock=fixed_clock).close()
        seed_many(vault, 300)
        tmux = Tmux("wire", 80, 24)
        # As over SSH (the blink's default depends on it); the bytes are what sshd would carry.
        tmux.start([COMPANION, "--data", str(vault)],
                   env={"TERM": "xterm-256color", "SSH_CONNECTION": "127.0.0.1 50000 127.0.0.1 22"})
        try:
            tmux.unlock(PASSPHRASE)
            tmux.wait_for("Today's prompt")
            figures: list[tuple[str, float, int | None]] = []
            tmux.keys("w")
            tmux.wait_for("A new reflection")
            time.sleep(1)
            typed = measure(tmux, root / "wire", keys, "steady words ")
            figures += [("editor, per keystroke", statistics.mean(typed), KEY_TARGET),
                        ("editor, largest keystroke", max(typed), None)]
            figures.append(("editor, idle, per second", idle(tmux, root / "wire", 10), IDLE_TARGET))
            tmux.keys("C-s")
            time.sleep(1)
            tmux.keys("2")
            tmux.wait_for("filter")
            tmux.keys("/")
            time.sleep(0.5)
            # A word the person looks for: the first letters change the rows (every visible row is drawn
            # again); the rest leave them as they are.
            typed = measure(tmux, root / "wire", keys, "lighthouse keeper who finally asked ")
            figures += [("filter, typical keystroke", statistics.median(typed), KEY_TARGET),
                        ("filter, mean per keystroke", statistics.mean(typed), None),
                        ("filter, largest (rows change)", max(typed), None)]
            figures.append(("list, idle, per second", idle(tmux, root / "wire", 10), IDLE_TARGET))
        finally:
            tmux.kill()
    failed = False
    print(f"bytes written to an 80x24 terminal ({keys} keystrokes {PAUSE} s apart; 10 s idle)")
    for name, value, target in figures:
        if target is None:
            print(f"  {name:30} {value:8.0f} B")
            continue
        ok = value <= target
        failed |= not ok
        print(f"  {name:30} {value:8.0f} B   target <= {target:4} B  {'ok' if ok else 'OVER'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
