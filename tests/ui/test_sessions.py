"""The session loop from the keyboard: prepare and export for a session, then come back and keep
what you took away; the shared entries are marked talked through and leave 'bring to therapy'."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual.widgets import Checkbox, Input, OptionList, Static, TextArea

from companion.dialogs.export import ExportDialog
from companion.dialogs.info import DetailDialog, NoticeDialog
from companion.dialogs.session import SessionDialog
from companion.domain.reflection import Reflection
from companion.domain.session import Shared
from companion.screens.home import HomeScreen
from companion.screens.sessions import SessionsScreen
from companion.services.journal import Journal
from companion.storage.vault import Vault

from conftest import NOW, PASSPHRASE, fixed_clock, seed_practices, settle, unlocked


async def test_prepare_export_and_close_a_session(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    path = make_vault([])
    seed_practices(path)  # two guided entries are marked to bring to therapy
    out = tmp_path / "today.pdf"
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        home = app.screen
        assert not home.query_one("#session-line", Static).display
        await pilot.press("5", "ctrl+e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#session", Input).value = NOW.date().isoformat()
        dialog.query_one("#note", Input).value = "The move, and asking Priya"
        dialog.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)
        assert "kept with your session on Fri 27 Nov 2026" in str(app.screen.query_one(".dialog-lines").render())
        await pilot.press("escape", "6")
        await settle(pilot)
        sessions = app.screen
        assert isinstance(sessions, SessionsScreen)
        rows = sessions.query_one("#sessions", OptionList)
        labels = [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]
        assert len(labels) == 3 and "Fri 27 Nov 2026" in labels[1] and "nothing noted yet" in labels[1]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailDialog)
        card = str(app.screen.query_one(".dialog-lines").render())
        assert "The move, and asking Priya" in card and "today.pdf" in card
        await pilot.press("escape", "1")
        await settle(pilot)
        # Home asks gently, once the session has been held
        line = app.screen.query_one("#session-line", Static)
        assert line.display and "Anything you want to keep from today's session?" in str(line.render())
        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SessionDialog)
        assert app.focused is dialog.query_one("#takeaways", TextArea)
        app.focused.insert("Asking is a skill; practise it with small things.")
        ticks = list(dialog.query(Checkbox))
        assert len(ticks) == 2 and not any(t.value for t in ticks)  # offered, each entry unticked
        assert all("Nov 2026" in str(t.label) for t in ticks)  # each with its date
        ticks[0].value = True  # only the first was talked through
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.query_one("#session-line", Static).display
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        session = journal.sessions.on(NOW.date())
        assert session is not None
        assert session.takeaways == "Asking is a skill; practise it with small things."
        first, second = (journal.reflections.get(i) for i in session.shared_reflections)
        assert first is not None and not first.flagged and first.discussed == NOW.date()
        assert second is not None and second.flagged and second.discussed is None  # not unmarked behind the back
        assert journal.reflections.flagged_count() == 1


async def test_the_card_lists_the_shared_entries_with_their_dates(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        ids = [e.id or 0 for e in journal.reflections.page().items[:2]]
        for name in ("first.pdf", "second.pdf"):
            journal.sessions.record_export(NOW.date(), "", Shared(name, "pdf", NOW, "2 reflections"), ids)
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("6")
        await settle(pilot)
        rows = app.screen.query_one("#sessions", OptionList)
        rows.highlighted = next(i for i in range(rows.option_count) if "Fri 27 Nov 2026" in
                                str(rows.get_option_at_index(i).prompt))
        await pilot.press("enter")
        await settle(pilot)
        card = str(app.screen.query_one(".dialog-lines").render())
        assert "first.pdf" in card and "second.pdf" in card  # every export kept
        assert "to bring" not in card
        assert card.count("• ") == 2 and card.count(" Nov 2026  A guided answer") == 2  # each with its date


async def test_a_session_to_come_offers_no_entries_to_tick(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        ids = [e.id or 0 for e in journal.reflections.page().items[:2]]
        journal.sessions.record_export(NOW.date() + timedelta(days=4), "", Shared("soon.pdf", "pdf", NOW, "2"), ids)
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("e")  # the first row: the session still to come
        await settle(pilot)
        assert isinstance(app.screen, SessionDialog)
        assert not app.screen.query(Checkbox)


async def test_a_session_without_an_export(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("6", "n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SessionDialog)
        assert not dialog.query("#discussed")  # nothing was shared, so nothing to mark
        dialog.query_one("#day", Input).value = "2026-12-04"
        dialog.query_one("#agenda", Input).value = "Boundaries with work"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        rows = app.screen.query_one("#sessions", OptionList)
        assert "Fri 04 Dec 2026  → coming up" in str(rows.get_option_at_index(0).prompt)


async def test_a_shared_entry_is_dated_by_the_persons_clock(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    just_after_midnight = NOW.replace(day=26, hour=0, minute=30)  # in UTC still the 25th
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        entry = journal.reflections.save(Reflection(text="Could not sleep; wrote instead.", created=just_after_midnight))
        journal.sessions.record_export(NOW.date() - timedelta(days=1), "", Shared("a.pdf", "pdf", NOW, "1"),
                                       [entry.id or 0])
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("6", "enter")
        await settle(pilot)
        card = str(app.screen.query_one(".dialog-lines").render())
        assert "Thu 26 Nov 2026  Could not sleep" in card
        await pilot.press("escape", "e")
        await settle(pilot)
        [tick] = app.screen.query(Checkbox)
        assert str(tick.label).startswith("Thu 26 Nov 2026  Could not sleep")
