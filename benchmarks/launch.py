"""How quickly companion shows its unlock screen, against a minimal Textual app in the same run; and how
`companion list -n 5` at 10,000 entries compares with the floor of any Python tool that opens such a file.

Each program runs in a fresh process on its own pseudo-terminal (80x24); the time is from starting it to the
moment its first screen's words reach the terminal. The minimal app is a label and a password Input: what
any Textual app pays. The floor imports cryptography, derives the same Argon2id key and opens one AES-GCM
frame. Medians of N runs, printed side by side with their ratio (the issue's targets: 1.3x and 1.25x).

Run: .venv/bin/python benchmarks/launch.py [--runs N] [--entries N]
Nothing is asserted (machines here are noisy): compare the ratios printed in one run.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

COMPANION = str(Path(sys.executable).parent / "companion")
PASSPHRASE = "launch benchmark words"
MINIMAL = '''
from textual.app import App
from textual.widgets import Input, Label

class Minimal(App):
    def compose(self):
        yield Label("Minimal app ready")
        yield Input(password=True)

Minimal().run()
'''
FLOOR = '''
import sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
key = Argon2id(salt=b"s" * 16, length=32, iterations=3, lanes=4, memory_cost=64 * 1024).derive(b"words")
frame = AESGCM(key).encrypt(b"n" * 12, b"x" * 4096, None)
AESGCM(key).decrypt(b"n" * 12, frame, None)
'''


def as_installed() -> None:
    """Bytecode for companion's modules, as pip writes it on installing: a checkout just edited, or a shell with
    PYTHONDONTWRITEBYTECODE set, would otherwise compile them again on every start and measure that."""
    import compileall

    import companion

    compileall.compile_dir(Path(companion.__file__).parent, quiet=1)


def until_shown(command: list[str], marker: bytes, env: dict[str, str], timeout: float = 30.0) -> float:
    """Seconds from starting `command` on a new 80x24 terminal until `marker` is written to it."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    child = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                             close_fds=True)
    os.close(slave)
    seen = b""
    try:
        while marker not in seen.replace(b"\x1b[", b"").replace(b" ", b""):
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{command[0]} never showed {marker!r}")
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
        return time.perf_counter() - start
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        os.close(master)


def finished(command: list[str], env: dict[str, str]) -> float:
    """Seconds a command takes to run to its end."""
    start = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=True)
    return time.perf_counter() - start


def journal_of(folder: Path, entries: int) -> Path:
    """A journal with the real KDF and `entries` reflections, made through companion's own code."""
    from companion.domain.reflection import Reflection
    from companion.services.opening import create_journal

    now = datetime(2026, 11, 27, 20, tzinfo=UTC)
    path = folder / "vault.companion"
    journal = create_journal(path, PASSPHRASE, clock=lambda: now).journal
    try:
        records = [Reflection(text=f"Entry {n}: asked for help and it went fine.", mood=3,
                              created=now - timedelta(minutes=105 * n)).to_record() for n in range(entries)]
        journal.reflections.insert_records(records)
    finally:
        journal.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    as_installed()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        vault = journal_of(folder, args.entries)
        (folder / "pass").write_text(PASSPHRASE + "\n")
        env = {**os.environ, "TERM": "xterm-256color", "COMPANION_HOME": str(folder)}
        rows = []
        app, minimal = [], []
        for _ in range(args.runs):  # interleaved, so a noisy moment falls on both
            app.append(until_shown([COMPANION, "--data", str(vault)], b"Welcomeback", env))
            minimal.append(until_shown([sys.executable, "-c", MINIMAL], b"Minimalappready", env))
        rows.append(("companion to its unlock screen", statistics.median(app), "minimal Textual app",
                     statistics.median(minimal), 1.3))
        listing, floor = [], []
        for _ in range(args.runs):
            listing.append(finished([COMPANION, "--data", str(vault), "--passphrase-file", str(folder / "pass"),
                                     "list", "-n", "5"], env))
            floor.append(finished([sys.executable, "-c", FLOOR], env))
        rows.append((f"list -n 5 at {args.entries:,} entries", statistics.median(listing),
                     "cryptography + Argon2id + one frame", statistics.median(floor), 1.25))
    print(f"median of {args.runs} runs each\n")
    for name, value, against, base, target in rows:
        print(f"{name:<34} {value:6.3f}s   {against:<36} {base:6.3f}s   {value / base:5.2f}x  (target {target}x)")


if __name__ == "__main__":
    main()
