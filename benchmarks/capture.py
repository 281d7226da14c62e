"""Quick capture against add: `companion capture` (no passphrase, never reads the journal) beside
`companion add` (the KDF, then the whole journal read and written) on the same journal, in one run.

Run: .venv/bin/python benchmarks/capture.py [ENTRIES] [RUNS]   (default 10000 entries, 5 runs each)
Prints the median of each and their ratio; nothing is asserted. The KDF is companion's real one.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.crypto.envelope import DEFAULT_KDF, derive_key
from companion.domain.reflection import Reflection
from companion.services.opening import create_journal

COMPANION = str(Path(sys.executable).parent / "companion")
PASSPHRASE = "benchmark passphrase"
TEXT = "Asked a friend for help with the move; it felt awkward and then fine. " * 6  # ~430 characters


def seconds(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([COMPANION, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as folder:
        vault = Path(folder) / "vault.companion"
        now = datetime(2026, 11, 27, 20, tzinfo=UTC)
        journal = create_journal(vault, PASSPHRASE, kdf=DEFAULT_KDF)  # sets up the capture key too
        journal.reflections.insert_records([Reflection(TEXT, now - timedelta(hours=i)).to_record()
                                            for i in range(entries)])
        journal.close()
        secret = Path(folder) / "pw"
        secret.write_text(PASSPHRASE + "\n")
        base = ("--data", str(vault))
        kdf = statistics.median(timed_kdf() for _ in range(runs))
        add = statistics.median(seconds(*base, "--passphrase-file", str(secret), "add", "A quick note")
                                for _ in range(runs))
        capture = statistics.median(seconds(*base, "capture", "A quick note") for _ in range(runs))
        startup = statistics.median(seconds("--version") for _ in range(runs))
    print(f"{entries:,} entries, median of {runs} runs")
    print(f"  companion --version (Python starting)  {startup:6.3f} s")
    print(f"  the KDF alone (Argon2id, 64 MiB)        {kdf:6.3f} s")
    print(f"  companion add                           {add:6.3f} s")
    print(f"  companion capture                       {capture:6.3f} s   {capture / add:.2f}x add")


def timed_kdf() -> float:
    start = time.perf_counter()
    derive_key(PASSPHRASE, b"\0" * 16, DEFAULT_KDF)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
