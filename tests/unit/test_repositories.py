"""ReflectionRepository and the Journal service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from companion.domain.reflection import ReflectionFilter
from companion.errors import UsageError
from companion.services.journal import Journal
from companion.storage.vault import Vault

from conftest import NOW, PASSPHRASE, SEED_TEXTS, fixed_clock


def test_newest_first_with_limit_and_search(seeded_vault: Path) -> None:
    with Vault.open(seeded_vault, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        newest = journal.reflections.page(limit=None).items
        assert [r.text for r in newest] == SEED_TEXTS[::-1]
        assert [r.text for r in journal.reflections.page(limit=2).items] == SEED_TEXTS[::-1][:2]
        found = journal.reflections.page(ReflectionFilter(text="GIVE AND TAKE"), limit=None).items
        assert [r.text for r in found] == [SEED_TEXTS[3]]


def test_order_is_by_time_across_time_zones(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        from datetime import timezone

        from companion.domain.reflection import Reflection

        repo = Journal(vault, fixed_clock).reflections.repo
        repo.add(Reflection(text="earlier, far east", created=NOW.astimezone(timezone(timedelta(hours=12)))))
        repo.add(Reflection(text="later, far west", created=(NOW + timedelta(hours=1)).astimezone(timezone(timedelta(hours=-10)))))
        assert [row["text"] for _, row in repo.rows()] == ["later, far west", "earlier, far east"]


def test_add_reflection_validates(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        with pytest.raises(UsageError):
            journal.add_reflection("   ")
        with pytest.raises(UsageError):
            journal.add_reflection("text", mood=9)
        entry = journal.add_reflection("Asked for a lift", mood=4, tags=["#Help"])
        assert entry.created == NOW and entry.tags == ["help"]
        summary = journal.summary()
        assert (summary.reflections, summary.boundaries, summary.contacts) == (1, 0, 0)
        assert summary.newest[0].text == "Asked for a lift"
