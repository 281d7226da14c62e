"""A lifetime of journaling: every figure of issue 12 at 1,000, 10,000 and 50,000 entries, in one run.

Builds each journal through companion's own code with the real KDF (one entry every 105 minutes back
from now: 50,000 entries are ten years), then measures the commands in fresh processes and the app's
work in this one. Prints a table (each figure beside its 1,000-entry reference, its target and the
limit: orjson + AES-GCM of the same bytes, what a whole-file save or open costs at the least), writes
the same as JSON, and compares with jrnl 4.6 at 10,000 entries when jrnl is installed.

Run: .venv/bin/python benchmarks/scale.py [--runs N] [--json FILE] [--jrnl PATH] [SIZES...]
Nothing is asserted (machines here are noisy): compare the ratios printed in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from companion.crypto.envelope import derive_key
from companion.crypto.kdf import DEFAULT_KDF
from companion.domain.query import parse_filter
from companion.services.opening import create_journal, open_journal

sys.path.insert(0, str(Path(__file__).parent))
import versus_jrnl  # the jrnl set-up lives there

COMPANION = str(Path(sys.executable).parent / "companion")
PASSPHRASE = versus_jrnl.PASSWORD
NOW = datetime(2026, 11, 27, 20, tzinfo=UTC)
TEXT = versus_jrnl.BODY
WORD = "friends"  # typed into the filter one key at a time
SPACING = timedelta(minutes=105)

# (name, unit, target ratio at the largest size against 1,000 entries, or None)
MEASURES = [
    ("KDF alone", "s", None),
    ("open", "s", None),
    ("add", "s", 1.3),
    ("list -n 5", "s", 1.5),
    ("capture", "s", None),
    ("Home summary", "s", None),
    ("unlock to Home", "s", 1.5),
    ("first search, cold", "s", None),
    ("filter keystroke", "s", None),
    ("save stall", "s", None),
    ("compaction stall", "s", None),
    ("peak memory add", "MiB", 1.5),
    ("peak memory list", "MiB", 1.5),
]
ABSOLUTE = {"filter keystroke": 0.050, "save stall": 0.050, "compaction stall": 0.050}  # seconds, at every size


def clock() -> datetime:
    return NOW


def build(path: Path, size: int) -> None:
    journal = create_journal(path, PASSPHRASE, clock=clock).journal
    try:
        journal.reflections.insert_records([
            {"text": f"Entry {i}. {TEXT}", "created": (NOW - SPACING * i).isoformat(), "mood": i % 5 + 1,
             "reliance": i % 5 + 1, "tags": ["help"] if i % 7 else ["friends"], "flagged": i % 97 == 0,
             "contacts": [], "prompt": None, "theme": None, "edited": None, "discussed": None}
            for i in range(size)])
    finally:
        journal.close()


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def limits(path: Path) -> dict[str, float]:
    """What a whole-file format pays at the least: orjson + AES-GCM of the whole document."""
    journal = open_journal(path, PASSPHRASE, clock=clock).journal
    try:
        document = journal.vault.document()
    finally:
        journal.close()
    key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(12)
    plain = orjson.dumps(document)
    sealed = AESGCM(key).encrypt(nonce, plain, None)
    save = timed(lambda: AESGCM(key).encrypt(nonce, orjson.dumps(document), None))
    read = timed(lambda: orjson.loads(AESGCM(key).decrypt(nonce, sealed, None)))
    return {"save": save, "open": read}


def commands(path: Path, runs: int) -> dict[str, float]:
    secret = path.parent / "pw"
    secret.write_text(PASSPHRASE + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPANION")}
    base = [COMPANION, "--data", str(path), "--passphrase-file", str(secret)]
    add, add_peak = versus_jrnl.median([*base, "add", "A quick note."], env, runs)
    listed, list_peak = versus_jrnl.median([*base, "list", "-n", "5"], env, runs)
    capture, _ = versus_jrnl.median([COMPANION, "--data", str(path), "capture", "A quick note."], env, runs)
    return {"add": add, "list -n 5": listed, "capture": capture,
            "peak memory add": add_peak / 1024, "peak memory list": list_peak / 1024}


def in_process(path: Path) -> dict[str, float]:
    """Open, Home, a first search, typing into the filter, and the event loop during a save."""
    figures: dict[str, float] = {}
    start = time.perf_counter()
    journal = open_journal(path, PASSPHRASE, clock=clock).journal
    figures["open"] = time.perf_counter() - start
    try:
        figures["Home summary"] = timed(journal.summary)
        figures["first search, cold"] = timed(lambda: journal.reflections.page(parse_filter("awkward 4999")))
        figures["filter keystroke"] = max(timed(lambda typed=WORD[:n]: journal.reflections.page(parse_filter(typed)))
                                          for n in range(1, len(WORD) + 1))
        figures["save stall"] = asyncio.run(_stall(lambda: journal.add_reflection("one more")))
        # a save that also compacts the file (daily, or when old versions outweigh the journal)
        figures["compaction stall"] = asyncio.run(_stall(journal.vault._compact))
    finally:
        journal.close()
    return figures


async def _stall(save: Callable[[], Any]) -> float:
    """The longest the event loop waited while a save ran on a worker thread (as the app's journal thread)."""
    done = threading.Event()
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(None, lambda: (save(), done.set()))
    worst, last = 0.0, time.perf_counter()
    while not done.is_set():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        worst, last = max(worst, now - last - 0.001), now
    await future
    return worst


def unlock_to_home(path: Path) -> float:
    """Enter on the passphrase until Home shows the journal, in the real app (headless, 80x24)."""
    from companion.app import CompanionApp
    from companion.screens.home import HomeScreen

    async def run() -> float:
        app = CompanionApp(path, clock=clock, monotonic=time.monotonic, settings_file=path.parent / "settings.toml")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.focused is not None
            app.focused.value = PASSPHRASE  # type: ignore[attr-defined]
            start = time.perf_counter()
            await pilot.press("enter")
            while not (isinstance(app.screen, HomeScreen) and app.screen.query("#counts")
                       and "reflections" in str(app.screen.query_one("#counts").render())
                       and not [w for w in app.workers if w.is_running and w.group in ("journal", "unlock")]):
                await pilot.pause(0.005)
            took = time.perf_counter() - start
            await pilot.press("ctrl+q")
            return took

    return asyncio.run(run())


def measure(size: int, folder: Path, runs: int) -> dict[str, Any]:
    path = folder / f"j{size}" / "vault.companion"
    path.parent.mkdir()
    build(path, size)
    figures: dict[str, Any] = {"KDF alone": timed(lambda: derive_key(PASSPHRASE, b"\0" * 16, DEFAULT_KDF))}
    figures.update(in_process(path))
    figures["unlock to Home"] = statistics.median(unlock_to_home(path) for _ in range(runs))
    figures.update(commands(path, runs))
    figures["limit"] = limits(path)
    figures["file MiB"] = path.stat().st_size / 2**20
    return figures


def jrnl_rows(jrnl: Path, folder: Path, size: int, runs: int) -> dict[str, Any]:
    """companion against jrnl 4.6 on the same journal (jrnl's own encryption; imported from its JSON)."""
    where = folder / "jrnl"
    where.mkdir()
    jenv, base, cenv, vault = versus_jrnl.side_by_side(where, size, jrnl)
    out: dict[str, Any] = {}
    for name, jcmd, ccmd, target in (
        ("list -n 5", [str(jrnl), "-n", "5"], [*base, "list", "-n", "5"], 0.25),
        ("add", [str(jrnl), "A quick note."], [*base, "add", "A quick note."], 0.1),
    ):
        (jt, jm), (ct, cm) = versus_jrnl.median(jcmd, jenv, runs), versus_jrnl.median(ccmd, cenv, runs)
        out[name] = {"jrnl": jt, "companion": ct, "ratio": ct / jt, "target": target,
                     "peak jrnl MiB": jm / 1024, "peak companion MiB": cm / 1024, "peak ratio": cm / jm}
    capture, _ = versus_jrnl.median([COMPANION, "--data", str(vault), "capture", "A quick note."], cenv, runs)
    out["capture"] = {"companion": capture, "ratio": capture / out["add"]["jrnl"], "target": 0.05}
    out["python start-up"] = versus_jrnl.median([sys.executable, "-c", "pass"], cenv, runs)[0]
    return out


def report(results: dict[int, dict[str, Any]], jrnl: dict[str, Any] | None) -> None:
    sizes = sorted(results)
    large = sizes[-1]
    head = "".join(f"{s:>11,}" for s in sizes)
    print(f"\n{'':18}{head}{'ratio':>8}{'target':>8}   limit at {large:,} (orjson + AES-GCM, whole file)")
    for name, unit, target in MEASURES:
        row = [results[s][name] for s in sizes]
        ratio = row[-1] / row[0] if row[0] else 0.0
        shown = "".join(f"{v:>10.3f}{unit[0] if unit == 's' else 'M'}" for v in row)
        goal = f"{target:>7.1f}x" if target else (f"{ABSOLUTE[name] * 1000:>5.0f}ms" if name in ABSOLUTE else "")
        limit = results[large]["limit"]
        floor = {"add": limit["save"], "open": limit["open"], "list -n 5": limit["open"]}.get(name)
        tail = f"   {floor:.3f}s" if floor is not None else ""
        print(f"{name:18}{shown}{ratio:>7.2f}x{goal:>8}{tail}")
    print(f"{'file size':18}" + "".join(f"{results[s]['file MiB']:>10.1f}M" for s in sizes))
    if jrnl:
        print(f"\nagainst jrnl 4.6 at 10,000 entries (median; companion pays Argon2id "
              f"{results[sizes[min(1, len(sizes) - 1)]]['KDF alone']:.3f}s on every command, "
              f"Python starts in {jrnl['python start-up']:.3f}s):")
        for name in ("list -n 5", "add"):
            r = jrnl[name]
            print(f"  {name:10} jrnl {r['jrnl']:.3f}s  companion {r['companion']:.3f}s  {r['ratio']:.2f}x "
                  f"(target {r['target']}x)   peak memory {r['peak ratio']:.2f}x (target 0.9x)")
        r = jrnl["capture"]
        print(f"  {'capture':10} companion {r['companion']:.3f}s  {r['ratio']:.2f}x jrnl's add (target {r['target']}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=Path("benchmarks/scale.json"))
    parser.add_argument("--jrnl", type=Path, default=Path("/tmp/jrnlvenv/bin/jrnl"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for size in args.sizes:
            print(f"measuring {size:,} entries…", flush=True)
            results[size] = measure(size, Path(tmp), args.runs)
        jrnl = jrnl_rows(args.jrnl, Path(tmp), 10_000, args.runs) if args.jrnl.exists() else None
    if jrnl is None:
        print(f"(jrnl is not at {args.jrnl}; to compare: python3 -m venv /tmp/jrnlvenv && "
              "/tmp/jrnlvenv/bin/pip install jrnl==4.6)")
    report(results, jrnl)
    args.json.write_text(json.dumps({"machine": os.uname().nodename, "made": datetime.now(UTC).isoformat(),
                                     "sizes": results, "jrnl": jrnl}, indent=2))
    print(f"\nJSON: {args.json}")


if __name__ == "__main__":
    main()
