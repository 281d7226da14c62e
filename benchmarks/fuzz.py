"""The fuzzing properties of tests/unit/test_fuzz.py, run long: 5,000 examples each (the suite runs 120).

Run: .venv/bin/python benchmarks/fuzz.py    (about four minutes on the 2-core machine)
Prints each property and whether only documented errors came out; exits 1 if any did not.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", str(ROOT / "tests/unit/test_fuzz.py")],
        env={**os.environ, "HYPOTHESIS_PROFILE": "long"}, cwd=ROOT, capture_output=True, text=True,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(("PASSED", "FAILED"))]
    print(f"fuzzing with 5,000 examples a property, {time.perf_counter() - started:.0f} s")
    for line in lines:
        state, name = line.split(" ", 1)
        print(f"  {'ok  ' if state == 'PASSED' else 'FAIL'} {name.split('::')[-1]}")
    if done.returncode:
        print(done.stdout[-4000:])
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
