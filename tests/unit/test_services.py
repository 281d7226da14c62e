"""Services over a real (fast-KDF) vault: reflections, drafts, boundaries, contacts, the home summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from companion.domain.boundary import Boundary, BoundaryEvent
from companion.domain.contact import Contact
from companion.domain.query import parse_filter
from companion.domain.reflection import Reflection
from companion.errors import UsageError
from companion.paths import draft_path
from companion.services.journal import Journal
from companion.storage import backups
from companion.storage.vault import Vault

from conftest import CANARY, NOW, PASSPHRASE, SEED_TEXTS, fixed_clock, seed_many, seed_practices


def _journal(path: Path) -> Journal:
    return Journal(Vault.open(path, PASSPHRASE, clock=fixed_clock), fixed_clock)


def test_save_edit_delete_and_persist(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    journal = _journal(path)
    entry = journal.reflections.save(Reflection(text="first draft", created=NOW, tags=["#Help"], reliance=3))
    assert entry.id is not None and entry.edited is None and entry.tags == ["help"]
    entry.text = "second thoughts"
    journal.reflections.save(entry)
    journal.close()
    journal = _journal(path)
    stored = journal.reflections.get(entry.id)
    assert stored is not None and stored.text == "second thoughts" and stored.edited == NOW
    journal.reflections.delete(entry.id)
    assert journal.reflections.count() == 0
    with pytest.raises(UsageError):
        journal.reflections.save(Reflection(text="x", created=NOW, reliance=7))
    journal.close()


def test_pages_and_totals(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_many(path, 450)
    journal = _journal(path)
    first = journal.reflections.page(None, 0, 200)
    assert first.total == 450 and len(first.items) == 200
    assert first.items[0].created > first.items[-1].created
    assert len(journal.reflections.page(None, 400, 200).items) == 50
    found = journal.reflections.page(parse_filter("lighthouse"))
    assert found.total == 1 and "lighthouse" in found.items[0].text
    journal.close()


def test_draft_is_sealed_and_survives_reopening(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    journal = _journal(path)
    assert journal.reflections.draft() == (None, "")
    journal.reflections.keep_draft({"text": f"{CANARY} unfinished", "id": None})
    assert CANARY.encode() not in draft_path(path).read_bytes()
    journal.close()
    journal = _journal(path)
    draft, note = journal.reflections.draft()
    assert draft == {"text": f"{CANARY} unfinished", "id": None}
    assert "kept safe" in note
    journal.reflections.drop_draft()
    assert not draft_path(path).exists()
    journal.close()


def test_a_damaged_draft_is_set_aside_not_deleted(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    draft_path(path).write_bytes(b"not sealed")
    journal = _journal(path)
    assert journal.reflections.draft() == (None, "")
    assert not draft_path(path).exists()
    kept = backups.list_kept(path)
    assert [k.read_bytes() for k in kept] == [b"not sealed"]
    assert kept[0].name.startswith("set-aside-draft-")
    assert any("set aside" in line for line in journal.vault.take_news())
    # the next unlock is calm: nothing to set aside again
    journal.close()
    journal = _journal(path)
    assert journal.reflections.draft() == (None, "")
    assert journal.vault.take_news() == []
    journal.close()


def test_custom_prompts_and_tags(make_vault: Callable[..., Path]) -> None:
    path = make_vault(SEED_TEXTS)
    journal = _journal(path)
    journal.reflections.add_prompt("What am I carrying that is not mine?")
    assert journal.reflections.prompts.all() == ["What am I carrying that is not mine?"]
    with pytest.raises(UsageError):
        journal.reflections.add_prompt("  ")
    journal.close()


def test_boundaries_group_by_status_and_log(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    journal = _journal(path)
    statuses = [b.status for b in journal.boundaries.all()]
    assert statuses == ["thinking", "said", "holding"]
    assert [b.boundary for b in journal.boundaries.due()] == ["No calls about my weight"]
    target = journal.boundaries.all("holding")[0]
    journal.boundaries.log(target, BoundaryEvent(NOW.date(), "renegotiated", "9pm on Fridays"))
    with pytest.raises(UsageError):
        journal.boundaries.log(target, BoundaryEvent(NOW.date(), "shrugged"))
    journal.close()
    journal = _journal(path)
    again = journal.boundaries.get(target.id or 0)
    assert again is not None and again.events[-1].note == "9pm on Fridays"
    journal.close()


def test_logging_an_interaction_resets_due(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    journal = _journal(path)
    assert [c.name for c in journal.contacts.due()] == ["Priya"]
    priya = next(c for c in journal.contacts.all() if c.name == "Priya")
    journal.contacts.log(priya, "asked", "Asked how to handle the landlord")
    assert journal.contacts.due() == []
    journal.close()
    journal = _journal(path)
    assert journal.contacts.due() == []
    assert journal.contacts.get(priya.id or 0).last_contact == NOW.date()  # type: ignore[union-attr]
    journal.close()


def test_home_summary(make_vault: Callable[..., Path]) -> None:
    path = make_vault(SEED_TEXTS)
    seed_practices(path)
    journal = _journal(path)
    s = journal.summary()
    assert (s.reflections, s.boundaries, s.contacts) == (9, 3, 3)
    assert s.flagged == 2
    assert [c.name for c in s.due_contacts] == ["Priya"]
    assert len(s.mood.values) == 30 and s.mood.values[-1] is not None
    assert s.prompt.text
    journal.close()


def test_contacts_and_boundaries_round_trip(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    journal = _journal(path)
    c = journal.contacts.save(Contact("Ana", "safe-haven", reach="call"))
    b = journal.boundaries.save(Boundary(who="Ana", boundary="Ask before dropping by", contact_id=c.id,
                                         review_on=NOW.date() + timedelta(days=7)))
    journal.contacts.delete(c.id or 0)
    assert journal.contacts.all() == []
    assert journal.boundaries.get(b.id or 0) is not None
    journal.close()
