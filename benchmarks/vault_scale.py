"""How the vault scales: open, one save, filter and the home summary at growing sizes.

Prints figures and ratios measured in one run (machines here are noisy); nothing is asserted.
Run: .venv/bin/python benchmarks/vault_scale.py [SIZES...]   (default 1000 10000 50000)
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.crypto.envelope import KdfParams
from companion.domain.query import parse_filter
from companion.domain.reflection import Reflection
from companion.services.journal import Journal
from companion.storage.vault import Vault

# The KDF is deliberately slow and the same at every size: leave it out of the figures.
CHEAP = KdfParams(memory_kib=8, iterations=1, lanes=1)
PASSPHRASE = "benchmark passphrase"
NOW = datetime(2026, 11, 27, 20, tzinfo=UTC)
TEXT = "Asked a friend for help with the move; it felt awkward and then fine. " * 6  # ~430 characters


def clock() -> datetime:
    return NOW


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(size: int, folder: Path) -> dict[str, float]:
    path = folder / f"vault-{size}.companion"
    with Vault.create(path, PASSPHRASE, CHEAP) as vault:
        vault.db.table("reflections").insert_multiple(
            Reflection(text=f"{i} {TEXT}", created=NOW - timedelta(minutes=i), mood=i % 5 + 1).to_record()
            for i in range(size)
        )
    figures = {"file MB": path.stat().st_size / 1e6}
    tracemalloc.start()
    figures["open s"] = timed(lambda: Vault.open(path, PASSPHRASE).close())
    vault = Vault.open(path, PASSPHRASE)
    journal = Journal(vault, clock)
    figures["first list s"] = timed(lambda: journal.reflections.page(limit=200))
    figures["save one s"] = timed(lambda: journal.add_reflection("one more"))
    rule = parse_filter("friend 4999")
    figures["filter s"] = timed(lambda: journal.reflections.page(rule))
    figures["filter again s"] = timed(lambda: journal.reflections.page(parse_filter("friend 49")))
    figures["home summary s"] = timed(journal.summary)
    figures["peak MB"] = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    journal.close()
    return figures


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = {size: measure(size, Path(tmp)) for size in sizes}
    base = results[sizes[0]]
    keys = list(base)
    print(f"{'entries':>8} " + " ".join(f"{k:>15}" for k in keys))
    for size, figures in results.items():
        print(f"{size:>8} " + " ".join(f"{figures[k]:>15.3f}" for k in keys))
    print(f"\nratios to {sizes[0]} entries (linear growth would be {sizes[-1] / sizes[0]:.0f}x at {sizes[-1]}):")
    for size, figures in results.items():
        print(f"{size:>8} " + " ".join(f"{figures[k] / base[k] if base[k] else 0:>15.1f}" for k in keys))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 50000])
