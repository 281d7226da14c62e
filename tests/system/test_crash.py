"""A short run of benchmarks/crash.py: SIGKILL at random moments loses nothing and corrupts nothing,
and the same check does catch a writer that saves in place."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from conftest import NOW
from pinned import pinned_env

ROOT = Path(__file__).resolve().parents[2]


def _crash() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crash_benchmark", ROOT / "benchmarks" / "crash.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_forty_kills_lose_and_corrupt_nothing() -> None:
    result = _crash().run(kills=40, entries=2000, now=NOW, env=pinned_env())
    assert result.kills == 40
    assert result.corruptions == 0, result.notes
    assert result.lost == 0
    assert result.acknowledged > 0  # there was something to lose
    assert result.during_temp > 0  # and some kills landed in the middle of a save


def test_the_check_catches_a_naive_in_place_writer() -> None:
    result = _crash().run(kills=10, entries=2000, now=NOW, naive=True, env=pinned_env())
    assert result.corruptions > 0
