"""Pilot tests of the Boundaries and Secure base areas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from companion.dialogs.confirm import ConfirmDialog
from companion.dialogs.editors import BoundaryDialog, ContactDialog, LogDialog
from companion.dialogs.info import DetailDialog
from companion.screens.boundaries import BoundariesScreen
from companion.screens.secure_base import SecureBaseScreen
from companion.services.journal import Journal
from companion.storage.vault import Vault

from conftest import PASSPHRASE, fixed_clock, journal_of, seed_practices, settle, unlocked


def stored(path: Path) -> Journal:
    return Journal(Vault.open(path, PASSPHRASE, clock=fixed_clock), fixed_clock)


def _fill(screen, **values: str) -> None:  # type: ignore[no-untyped-def]
    for field, value in values.items():
        screen.query_one(f"#{field}", Input).value = value


def _body(screen) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(".dialog-lines", Static).render())


async def test_create_edit_and_delete_a_boundary(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    async with unlocked(path) as (app, pilot):
        await pilot.press("3", "n")
        await settle(pilot)
        assert isinstance(app.screen, BoundaryDialog)
        _fill(app.screen, who="My sister", boundary="", review="someday")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoundaryDialog)  # not saved: the dialog says why
        assert "dates look like" in str(app.screen.query_one("#form-error", Static).render())
        _fill(app.screen, boundary="I leave family dinners by ten", review="2026-12-20",
              script="I'm heading off now, it was lovely.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoundariesScreen)
        await pilot.press("e")
        await settle(pilot)
        _fill(app.screen, why="Late nights spill into the week")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with stored(path).vault as vault:
        [b] = Journal(vault, fixed_clock).boundaries.all()
        assert (b.who, b.why, b.review_on.isoformat()) == ("My sister", "Late nights spill into the week", "2026-12-20")
    async with unlocked(path) as (app, pilot):
        await pilot.press("3", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert "No boundaries yet" in str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
    with stored(path).vault as vault:
        assert Journal(vault, fixed_clock).boundaries.all() == []


async def test_a_boundary_event_shows(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await pilot.press("3")
        await settle(pilot)
        listing = app.screen.query_one(OptionList)
        listing.highlighted = listing.get_option_index(
            str(next(b.id for b in journal_of(app).boundaries.all() if b.status == "said")))
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LogDialog)
        await pilot.press("2")  # crossed
        app.focused.value = "Asked twice at lunch"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailDialog)
        assert "Crossed · Asked twice at lunch" in _body(app.screen)


async def test_due_boundaries_are_marked_and_status_filter_cycles(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await pilot.press("3")
        await settle(pilot)
        listing = app.screen.query_one(OptionList)
        rows = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any("No calls about my weight" in r and "review due" in r for r in rows)
        assert not any("No messages after 8pm" in r and "review due" in r for r in rows)
        await pilot.press("s")
        await settle(pilot)
        assert "Thinking about it" in str(app.screen.query_one(".list-status").render())
        assert sum(1 for i in range(listing.option_count) if listing.get_option_at_index(i).id) == 1


async def test_add_a_contact_and_quick_log_resets_due(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    async with unlocked(path) as (app, pilot):
        await pilot.press("4", "n")
        await settle(pilot)
        assert isinstance(app.screen, ContactDialog)
        _fill(app.screen, name="Sam", supports="Listens", offer="Rides", reach="Text", every="nope")
        await pilot.press("ctrl+s")
        assert "whole number" in str(app.screen.query_one("#form-error", Static).render())
        _fill(app.screen, every="14")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SecureBaseScreen)
        row = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "reconnect" in row
        await pilot.press("l", "1", "enter")  # three keys: log, "I asked for help", save
        await settle(pilot)
        row = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "last: today" in row and "reconnect" not in row
    with stored(path).vault as vault:
        [sam] = Journal(vault, fixed_clock).contacts.all()
        assert [i.kind for i in sam.interactions] == ["asked"]
        assert sam.reconnect_days == 14


async def test_contact_detail_shows_the_balance_and_can_be_deleted(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path, (100, 40)) as (app, pilot):
        await pilot.press("4")
        await settle(pilot)
        listing = app.screen.query_one(OptionList)
        names = [str(listing.get_option_at_index(i).prompt).strip() for i in range(listing.option_count)]
        listing.highlighted = next(i for i, n in enumerate(names) if n.startswith("Priya"))
        await pilot.press("enter")
        await settle(pilot)
        body = _body(app.screen)
        assert "received" in body and "2 moments logged in the last 90 days" in body  # no pattern from two
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    with stored(path).vault as vault:
        assert "Priya" not in [c.name for c in Journal(vault, fixed_clock).contacts.all()]


async def test_filter_and_escape_back_in_record_lists(make_vault: Callable[..., Path]) -> None:
    from companion.screens.home import HomeScreen

    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await pilot.press("4", "slash")
        await settle(pilot)
        app.focused.value = "lifts"
        await pilot.press("enter")
        await settle(pilot)
        listing = app.screen.query_one(OptionList)
        assert listing.option_count == 1 and "Jonas" in str(listing.get_option_at_index(0).prompt)
        await pilot.press("escape")
        await settle(pilot)
        assert listing.option_count == 3
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_edit_a_contact(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await pilot.press("4", "e")  # the first, Dr. Reyes
        await settle(pilot)
        assert isinstance(app.screen, ContactDialog)
        _fill(app.screen, reach="Via the clinic's front desk")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with stored(path).vault as vault:
        reyes = next(c for c in Journal(vault, fixed_clock).contacts.all() if c.name == "Dr. Reyes")
        assert reyes.reach == "Via the clinic's front desk" and reyes.supports == "Weekly sessions"
