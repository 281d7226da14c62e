"""What locking forgets: after ctrl+l no live object holds the journal's words or the passphrase
(what Python cannot promise about freed memory is said in README and docs/SECURITY.md)."""

from __future__ import annotations

import gc
from pathlib import Path

from textual.strip import Strip

from companion.domain.reflection import Reflection
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault

from conftest import FAST_KDF, NOW, fixed_clock, make_app, settle, submit_passphrase, wait_until

SECRET = "LANTERN" + "-KEEPER-" + "WORDS"  # built here, so this module holds no copy of it whole
PASSPHRASE = "tide" + "pools and " + "driftwood"


def _holders(needle: str) -> list[str]:
    """Live containers (and rendered lines) that hold `needle`."""
    gc.collect()
    found = []
    for obj in gc.get_objects():
        try:
            if isinstance(obj, Strip):
                text = "".join(segment.text for segment in obj)
            elif isinstance(obj, dict):
                if "__builtins__" in obj:
                    continue  # a module's own globals (this test's constants)
                text = " ".join(v for v in obj.values() if isinstance(v, str))
            elif isinstance(obj, (list, tuple)):
                text = " ".join(v for v in obj if isinstance(v, str))
            elif type(obj).__module__.startswith(("textual", "companion")):
                text = str(getattr(obj, "text", "") or getattr(obj, "value", "") or "")
            else:
                continue
        except Exception:
            continue
        if needle in text:
            found.append(type(obj).__name__)
    return found


async def test_locking_drops_the_words_and_the_passphrase(vault_path: Path) -> None:
    with Vault.create(vault_path, PASSPHRASE, FAST_KDF, clock=fixed_clock) as vault:
        ReflectionRepository(vault).add(Reflection(text=f"{SECRET} private words", created=NOW, tags=["x"]))
    app = make_app(vault_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await submit_passphrase(pilot, PASSPHRASE)
        assert _holders(PASSPHRASE) == []  # gone once the key is derived, even while unlocked
        for key in ("2", "enter", "escape", "5", "ctrl+r", "escape", "2", "e"):
            await pilot.press(key)
            await settle(pilot)
        assert _holders(SECRET)  # the scan does see the words while they are on screen
        await pilot.press("ctrl+l")
        await settle(pilot)
        await wait_until(pilot, lambda: _holders(SECRET) == [], "dropping every object that held the words", 5)
        assert _holders(PASSPHRASE) == []
