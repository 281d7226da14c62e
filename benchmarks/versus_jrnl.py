"""companion against jrnl 4.6 on the same journal, in one run: list -n 5, add, capture, peak memory.

jrnl's journal is encrypted by jrnl's own code; companion's is imported from jrnl's JSON export. jrnl
gets its password from a ten-line keyring backend (PYTHON_KEYRING_BACKEND), so nothing prompts.
companion pays its deliberate Argon2id on every command; the KDF alone is printed too.

Set up jrnl once, apart from companion:  python3 -m venv /tmp/jrnlvenv && /tmp/jrnlvenv/bin/pip install jrnl==4.6
Run: .venv/bin/python benchmarks/versus_jrnl.py [ENTRIES] [RUNS] [JRNL]   (default 10000, 5, /tmp/jrnlvenv/bin/jrnl)
Prints medians, ratios and the targets of issue 12; nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from companion.crypto.envelope import derive_key
from companion.crypto.kdf import DEFAULT_KDF

COMPANION = str(Path(sys.executable).parent / "companion")
PASSWORD = "benchmark passphrase"
BODY = "Asked a friend for help with the move; it felt awkward and then fine. " * 6  # ~430 characters

KEYRING = '''import keyring.backend


class Backend(keyring.backend.KeyringBackend):
    priority = 10

    def get_password(self, service, username):
        return "benchmark passphrase"

    def set_password(self, service, username, password):
        pass

    def delete_password(self, service, username):
        pass
'''

ENCRYPT = '''import sys
from pathlib import Path
from jrnl.encryption.Jrnlv3Encryption import Jrnlv3Encryption

method = Jrnlv3Encryption("default", {})
method.password = sys.argv[3]
Path(sys.argv[2]).write_bytes(method.encrypt(Path(sys.argv[1]).read_text()))
'''

MEASURE = '''import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True)
took = time.perf_counter() - start
if done.returncode:
    sys.exit(done.stderr.decode() or "failed")
print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
'''


def run(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds and peak resident KiB of one command, each in a fresh measuring process."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env,
                          check=True)
    took, peak = done.stdout.split()
    return float(took), int(peak)


def median(command: list[str], env: dict[str, str], runs: int) -> tuple[float, int]:
    found = [run(command, env) for _ in range(runs)]
    return statistics.median(t for t, _ in found), max(p for _, p in found)


def make_jrnl(folder: Path, entries: int, jrnl: Path) -> dict[str, str]:
    """jrnl's config, keyring and encrypted journal; the environment that runs it."""
    start = datetime(2026, 11, 27, 20, 0)
    lines = [f"[{(start - timedelta(hours=i)).strftime('%Y-%m-%d %H:%M')}] Entry {i}. {BODY}\n\n"
             for i in reversed(range(entries))]
    plain = folder / "plain.txt"
    plain.write_text("".join(lines))
    journal = folder / "journal.txt"
    subprocess.run([str(jrnl.parent / "python"), "-c", ENCRYPT, str(plain), str(journal), PASSWORD], check=True)
    plain.unlink()
    config = folder / "config" / "jrnl" / "jrnl.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(f"""colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: true
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
    encrypt: true
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v4.6
""")
    (folder / "jrnlkeyring.py").write_text(KEYRING)
    return {**os.environ, "XDG_CONFIG_HOME": str(folder / "config"), "PYTHONPATH": str(folder),
            "PYTHON_KEYRING_BACKEND": "jrnlkeyring.Backend"}


def side_by_side(folder: Path, entries: int, jrnl: Path) -> tuple[dict[str, str], list[str], dict[str, str], Path]:
    """The same journal for jrnl and for companion (imported from jrnl's JSON export).

    Returns jrnl's environment, companion's command start and environment, and companion's journal.
    """
    jenv = make_jrnl(folder, entries, jrnl)
    export = folder / "export.json"
    subprocess.run([str(jrnl), "--format", "json", "--file", str(export)], env=jenv, check=True, capture_output=True)
    vault = folder / "companion" / "vault.companion"
    secret = folder / "pw"
    secret.write_text(PASSWORD + "\n")
    base = [COMPANION, "--data", str(vault), "--passphrase-file", str(secret)]
    cenv = {k: v for k, v in os.environ.items() if not k.startswith("COMPANION")}
    subprocess.run([*base, "init"], check=True, capture_output=True, env=cenv)
    subprocess.run([*base, "import", "jrnl", str(export)], check=True, capture_output=True, env=cenv)
    return jenv, base, cenv, vault


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    jrnl = Path(sys.argv[3] if len(sys.argv) > 3 else "/tmp/jrnlvenv/bin/jrnl")
    if not jrnl.exists():
        sys.exit(f"jrnl is not at {jrnl}: python3 -m venv /tmp/jrnlvenv && /tmp/jrnlvenv/bin/pip install jrnl==4.6")
    with tempfile.TemporaryDirectory() as tmp:
        jenv, base, cenv, vault = side_by_side(Path(tmp), entries, jrnl)
        rows = {
            "list -n 5": (median([str(jrnl), "-n", "5"], jenv, runs),
                          median([*base, "list", "-n", "5"], cenv, runs)),
            "add": (median([str(jrnl), "A quick note."], jenv, runs),
                    median([*base, "add", "A quick note."], cenv, runs)),
        }
        capture = median([COMPANION, "--data", str(vault), "capture", "A quick note."], cenv, runs)
        start = time.perf_counter()
        derive_key(PASSWORD, b"\0" * 16, DEFAULT_KDF)
        kdf = time.perf_counter() - start
    targets = {"list -n 5": 0.25, "add": 0.1}
    print(f"{entries:,} entries, median of {runs} runs (jrnl encrypted by jrnl; companion imported from its JSON)")
    print(f"  {'':14}{'jrnl':>9}{'companion':>11}{'ratio':>8}{'target':>8}   peak KiB jrnl / companion")
    for name, ((jt, jm), (ct, cm)) in rows.items():
        print(f"  {name:14}{jt:8.3f}s{ct:10.3f}s{ct / jt:8.2f}{targets[name]:8.2f}   {jm:,} / {cm:,} ({cm / jm:.2f}x)")
    jrnl_add = rows["add"][0][0]
    print(f"  {'capture':14}{'':9}{capture[0]:10.3f}s{capture[0] / jrnl_add:8.2f}{0.05:8.2f}   (against jrnl's add)")
    print(f"  companion's KDF alone (Argon2id, 64 MiB, t=3, p=4): {kdf:.3f} s; peak memory target 0.90x")


if __name__ == "__main__":
    main()
