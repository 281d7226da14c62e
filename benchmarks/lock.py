"""How long a lock takes: from ctrl+l to the lock screen of the fresh process that replaces the locked one
(relaunch.py), with no save running; beside it, the moment the locked process itself shows its lock screen, and a
minimal Textual app's start in the same run (what any fresh process pays).

companion runs on its own pseudo-terminal (80x24) on a journal with the real KDF; each run unlocks it, presses
ctrl+l, and times until the fresh process writes its lock screen ("Welcome back", written only after the exec).
Medians of N runs. The issue's target: 0.5 s.

Run: .venv/bin/python benchmarks/lock.py [--runs N]
Nothing is asserted (machines here are noisy).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from launch import MINIMAL, PASSPHRASE, as_installed, journal_of, until_shown

COMPANION = str(Path(sys.executable).parent / "companion")


class Pane:
    """companion on a pseudo-terminal: keys written, the screen's bytes read."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.child = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                                      start_new_session=True, close_fds=True)
        os.close(slave)
        self.seen = b""

    def read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            self.seen += os.read(self.master, 65536)

    def wait_for(self, marker: bytes, timeout: float = 30.0) -> float:
        """The moment `marker` has been written since the last wait (perf_counter)."""
        deadline = time.perf_counter() + timeout
        while marker not in self.seen.replace(b"\x1b[", b"").replace(b" ", b""):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"never showed {marker!r}")
            self.read(0.005)
        at = time.perf_counter()
        self.seen = b""
        return at

    def image(self) -> str:
        """Where the process's stack lies: a fresh image (an exec) has its own (address space layout is random)."""
        maps = Path(f"/proc/{self.child.pid}/maps").read_text().splitlines()
        return next((line for line in maps if line.endswith("[stack]")), "")  # none in the midst of the exec

    def replaced(self, before: str) -> float:
        """The moment the process runs a fresh image."""
        while self.image() in (before, ""):
            self.read(0.001)
        at = time.perf_counter()
        while select.select([self.master], [], [], 0)[0]:  # what the locked process wrote before it went
            os.read(self.master, 65536)
        self.seen = b""
        return at

    def type(self, data: bytes) -> float:
        self.seen = b""
        os.write(self.master, data)
        return time.perf_counter()

    def close(self) -> None:
        os.killpg(self.child.pid, signal.SIGKILL)
        self.child.wait()
        os.close(self.master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    as_installed()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        vault = journal_of(folder, 100)
        env = {**os.environ, "TERM": "xterm-256color", "COMPANION_HOME": str(folder)}
        pane = Pane([COMPANION, "--data", str(vault)], env)
        shown, fresh, minimal = [], [], []
        try:
            pane.wait_for(b"Welcomeback")
            for _ in range(args.runs):
                pane.type(PASSPHRASE.encode() + b"\r")
                pane.wait_for(b"Today'sprompt")
                time.sleep(0.5)  # Home's loads settle: no save is running when the lock comes
                before = pane.image()
                start = pane.type(b"\x0c")
                shown.append(pane.wait_for(b"Yourjournalislocked") - start)
                pane.replaced(before)
                fresh.append(pane.wait_for(b"Welcomeback") - start)
                minimal.append(until_shown([sys.executable, "-c", MINIMAL], b"Minimalappready", env))
        finally:
            pane.close()
    print(f"median of {args.runs} runs\n")
    print(f"ctrl+l to the locked process's lock screen   {statistics.median(shown):6.3f}s")
    print(f"ctrl+l to the fresh process's lock screen    {statistics.median(fresh):6.3f}s   (target 0.5 s)")
    print(f"a minimal Textual app's first screen         {statistics.median(minimal):6.3f}s")


if __name__ == "__main__":
    main()
