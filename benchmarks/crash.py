"""Kill companion at random moments and check that nothing acknowledged is ever lost.

Half the kills hit `companion add` (the real console script, in a subprocess); the other half hit a
process that saves through the storage layer in a loop and prints "ACK <text>" after each save
returns. After every SIGKILL the journal must open, and every entry acknowledged before the kill
must be in it.

Run:    .venv/bin/python benchmarks/crash.py [KILLS] [ENTRIES]      (default 200 kills, 3000 entries)
        .venv/bin/python benchmarks/crash.py --naive 40               (a writer that saves in place:
                                                                       the check must catch it)
Prints: kills, kills that landed in the middle of a save (between its start and its acknowledgement;
the journal may then open as of its last whole save), corruptions (must be 0) and lost acknowledged entries (must be 0).
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from companion.clocks import local_now
from companion.crypto.kdf import KdfParams
from companion.domain.reflection import Reflection
from companion.errors import CompanionError
from companion.storage.disk import stale_temps
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault

CHEAP = KdfParams(memory_kib=8, iterations=1, lanes=1)  # the KDF is not what is being tested
PASSPHRASE = "crash test passphrase"
COMPANION = str(Path(sys.executable).parent / "companion")
TEXT = "An ordinary evening; asked for a hand with the shopping and said thank you. " * 5

# The storage-layer child: saves in a loop, acknowledging each save only after it returned.
CHILD = """
import sys
from datetime import datetime
from pathlib import Path
from companion.domain.reflection import Reflection
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault
if sys.argv[3] == "naive":
    import os
    import companion.storage.vault as v
    from companion.storage.documents import seal_document
    def in_place(self, changes):  # what a naive writer does: write the whole journal over itself
        document = self.storage.document()
        data, manifest = seal_document(self.header, self._site.data_key, document)
        with open(self.path, "r+b") as f:
            f.truncate(0)
            for i in range(0, len(data), 4096):
                f.write(data[i:i + 4096])
                f.flush()
                os.fsync(f.fileno())
        self._known = v.saving.adopt_written(self._site, self._known, data, manifest, os.stat(self.path))
        return v.Saved(self._tables, document)
    v.Vault._persist = in_place
moment = datetime.fromisoformat(sys.argv[5])  # the run's clock, handed in
vault = Vault.open(Path(sys.argv[1]), sys.argv[2], clock=lambda: moment)
repo = ReflectionRepository(vault)
n = 0
while True:
    text = f"storage {sys.argv[4]}-{n}"
    print("SAVING", text, flush=True)
    repo.add(Reflection(text=text, created=moment))
    print("ACK", text, flush=True)
    n += 1
"""


@dataclass
class Result:
    """What the kills did."""

    kills: int = 0
    during_temp: int = 0
    corruptions: int = 0
    lost: int = 0
    acknowledged: int = 0
    notes: list[str] = field(default_factory=list)


def seed(path: Path, entries: int, now: datetime) -> None:
    """A journal of `entries` reflections, written through the project's own code."""
    with Vault.create(path, PASSPHRASE, CHEAP, clock=lambda: now) as vault:
        ReflectionRepository(vault).insert_many([
            Reflection(text=f"{TEXT} {i}", created=now - timedelta(hours=i)).to_record() for i in range(entries)
        ])


def _kill_after(process: subprocess.Popen[str], delay: float) -> bool:
    """SIGKILL after `delay` seconds; False when the process had already finished."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.001)
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


_MID_SAVE: list[str] = []


def _verify(path: Path, expected: set[str], result: Result, now: datetime) -> None:
    mid_save = bool(stale_temps(path)) or bool(_MID_SAVE)
    _MID_SAVE.clear()
    try:
        with Vault.open(path, PASSPHRASE, clock=lambda: now) as vault:
            mid_save = mid_save or any("could not be read" in line for line in vault.take_news())
            stored = {row["text"] for _, row in ReflectionRepository(vault).rows()}
    except CompanionError as exc:
        result.corruptions += 1
        result.notes.append(exc.message)
        return
    finally:
        result.during_temp += mid_save
    missing = expected - stored
    result.lost += len(missing)


def run(kills: int, entries: int, now: datetime, *, naive: bool = False, seed_value: int = 7,
        env: dict[str, str] | None = None) -> Result:
    """Kill the writers `kills` times, the journal's clock at `now` and `companion add` run in `env` (a test
    pins its date); see the module docstring."""
    rng = random.Random(seed_value)
    result = Result()
    acknowledged: set[str] = set()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vault.companion"
        seed(path, entries, now)
        pw = Path(folder) / "pw"
        pw.write_text(PASSPHRASE + "\n")
        add_time = _time_one_add(path, pw, env)
        attempt = 0
        while result.kills < kills:
            attempt += 1
            if naive or attempt % 2 == 0:
                killed, acked = _kill_storage(path, rng, naive, attempt, add_time, now)
            else:
                killed, acked = _kill_add(path, pw, rng, attempt, add_time, env)
            acknowledged |= acked
            result.kills += killed
            _verify(path, acknowledged, result, now)
            if result.corruptions and naive:
                # the naive writer broke the file: start again from a good one, to count how often
                path.unlink()
                seed(path, entries, now)
                acknowledged = set()
    result.acknowledged = len(acknowledged)
    return result


def _time_one_add(path: Path, pw: Path, env: dict[str, str] | None) -> float:
    start = time.perf_counter()
    subprocess.run([COMPANION, "--data", str(path), "--passphrase-file", str(pw), "add", "warm-up"],
                   check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def _kill_add(path: Path, pw: Path, rng: random.Random, n: int, add_time: float,
              env: dict[str, str] | None) -> tuple[int, set[str]]:
    text = f"cli entry {n}"
    process = subprocess.Popen([COMPANION, "--data", str(path), "--passphrase-file", str(pw), "add", text],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    killed = _kill_after(process, rng.uniform(0.0, add_time * 1.1))
    out = process.stdout.read() if process.stdout else ""
    acked = {text} if not killed and process.returncode == 0 and "Saved" in out else set()
    return int(killed), acked


def _kill_storage(path: Path, rng: random.Random, naive: bool, n: int, add_time: float,
                  now: datetime) -> tuple[int, set[str]]:
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(path), PASSPHRASE, "naive" if naive else "atomic",
                                str(n), now.isoformat()], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    killed = _kill_after(process, rng.uniform(add_time * 0.5, add_time * 3))
    out = process.stdout.read() if process.stdout else ""
    lines = out.splitlines()
    acked = {line[4:] for line in lines if line.startswith("ACK ")}
    if killed and lines and lines[-1].startswith("SAVING "):
        _MID_SAVE.append(lines[-1])  # killed between starting a save and its acknowledgement
    return int(killed), acked


def main(argv: list[str]) -> int:
    naive = "--naive" in argv
    numbers = [int(a) for a in argv if a.isdigit()]
    kills = numbers[0] if numbers else (40 if naive else 200)
    entries = numbers[1] if len(numbers) > 1 else 3000
    started = time.perf_counter()
    result = run(kills, entries, local_now(), naive=naive)
    writer = "a naive in-place writer (the check must catch it)" if naive else "companion"
    print(f"crash test of {writer}, {entries} entries, {time.perf_counter() - started:.0f} s")
    print(f"  kills                                  {result.kills}")
    print(f"  kills in the middle of a save         {result.during_temp}")
    print(f"  acknowledged entries checked           {result.acknowledged}")
    print(f"  corruptions (must be 0)                {result.corruptions}")
    print(f"  lost acknowledged entries (must be 0)  {result.lost}")
    if naive:
        return 0 if result.corruptions else 1
    return 0 if result.corruptions == result.lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
