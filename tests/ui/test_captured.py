"""An entry captured (companion capture) while the app is open joins the list within a poll, and says so."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from companion.services.inbox import capture

from conftest import journal_of, settle, unlocked


async def test_a_capture_while_the_app_is_open_is_taken_in(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        before = journal_of(app).reflections.count()
        capture(seeded_vault, "Noted from the phone", ["bus"], datetime(2026, 11, 27, 8, 0, tzinfo=UTC))
        notes: list[str] = []
        app.notify = lambda message, *a, **k: notes.append(message)  # type: ignore[method-assign]
        app.check_disk()
        await settle(pilot)
        journal = journal_of(app)
        assert journal.reflections.count() == before + 1
        newest = [e for e in journal.reflections.page(limit=None).items if e.text == "Noted from the phone"]
        assert newest and newest[0].tags == ["bus", "captured"]
        assert any("captured without unlocking" in n for n in notes)
