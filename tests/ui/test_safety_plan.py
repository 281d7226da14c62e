"""The safety plan as a person meets it: from ctrl+g (or the palette) to its six steps, people ticked from the
secure base, kept sealed in the journal; shown by ctrl+g before unlocking only when chosen, from a readable copy
on this device that each unlock rewrites from the journal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from companion.dialogs.info import SupportDialog
from companion.dialogs.safety import SafetyPlanDialog
from companion.domain.safety_plan import SafetyPlan
from companion.paths import readable_plan_path
from companion.screens.secure_base import SecureBaseScreen
from companion.screens.unlock import UnlockScreen
from companion.services.journal import Journal
from companion.storage.vault import Vault

from conftest import (
    PASSPHRASE,
    fixed_clock,
    journal_of,
    make_app,
    seed_practices,
    settle,
    submit_passphrase,
    unlocked,
    wait_until,
)


async def _card(app, pilot) -> str:  # type: ignore[no-untyped-def]
    """What the support card shows of the plan, once it came (the card never waits for the journal)."""
    assert isinstance(app.screen, SupportDialog), app.screen
    plan = app.screen.query_one("#plan")
    await wait_until(pilot, lambda: str(plan.render()), "the plan on the support card")
    return str(plan.render())


async def _open_plan_from_the_card(app, pilot) -> SafetyPlanDialog:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+g")
    await settle(pilot)
    await _card(app, pilot)
    await pilot.press("p")
    await settle(pilot)
    assert isinstance(app.screen, SafetyPlanDialog), app.screen
    return app.screen


async def test_written_from_the_urgent_help_card_with_people_from_the_secure_base(
        make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)  # Priya (text first, then call), Jonas, Dr. Reyes
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert "You have not written a safety plan yet" in await _card(app, pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, SafetyPlanDialog) and isinstance(app.screen.screen, SafetyPlanDialog)
        assert isinstance(app.screen_stack[-2], SecureBaseScreen)  # it lives with the people it names
        # typed as a person types: step 1, step 2, step 3 (and past its three people), step 4, then the third
        # of step 4's people (by name: Dr. Reyes, Jonas, Priya)
        await pilot.press(*"Staying in bed past noon", "tab", *"A long walk", "tab", *"The library", "tab",
                          "tab", "tab", "tab", *"My neighbour Ana", "tab", "tab", "tab", "space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SafetyPlanDialog)
        plan = journal_of(app).safety.get()
        assert (plan.warning_signs, plan.on_my_own, plan.distraction, plan.helpers_note) == (
            "Staying in bed past noon", "A long walk", "The library", "My neighbour Ana")
        [priya] = [c for c in journal_of(app).contacts.all() if c.name == "Priya"]
        assert plan.helpers == [priya.id] and plan.distraction_people == []
        await pilot.press("ctrl+g")
        await settle(pilot)
        card = await _card(app, pilot)
        steps = ["1. My warning signs", "2. Things I can do on my own", "3. People and places",
                 "4. People I can ask for help", "5. Professionals and crisis lines", "6. Making my surroundings"]
        assert [card.index(step) for step in steps] == sorted(card.index(step) for step in steps)
        assert "Priya: Text first, then call" in card and "My neighbour Ana" in card
        assert "Samaritans (UK and Ireland): 116 123" in card.split("5. Professionals")[1]  # the settings' lines
        assert "with your therapist" in card
    assert not readable_plan_path(path).exists()  # not chosen: nothing readable anywhere


async def test_shown_before_unlocking_only_when_chosen_and_rewritten_from_the_journal(
        make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    copy = readable_plan_path(path)
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        dialog = await _open_plan_from_the_card(app, pilot)
        await pilot.press(*"Not answering messages")
        dialog.query_one("#readable").focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert copy.is_file() and copy.stat().st_mode & 0o777 == 0o600
        assert copy.parent.stat().st_mode & 0o777 == 0o700
        assert path.parent not in copy.parents  # never beside the journal, in the synced folder
        assert "Not answering messages" in copy.read_text()
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press("ctrl+g")  # locked: the copy this device keeps
        await settle(pilot)
        assert "Not answering messages" in await _card(app, pilot) and "p write" not in str(app.screen.query(".dialog-hint")
                                                                              .last().render())
        await pilot.press("escape")
        await settle(pilot)
        # someone changes the copy on disk (a number in it): the next unlock writes it again from the journal
        copy.write_text(copy.read_text().replace("Not answering messages", "Call 000-FAKE"))
        await submit_passphrase(pilot, PASSPHRASE)
        await settle(pilot)
        assert "Call 000-FAKE" not in copy.read_text() and "Not answering messages" in copy.read_text()
        dialog = await _open_plan_from_the_card(app, pilot)
        assert dialog.query_one("#readable").value is True  # this device keeps a copy: the tick says so
        dialog.query_one("#readable").focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert not copy.exists()  # no longer wanted: gone
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert "sealed in your journal: unlock to see it" in await _card(app, pilot)


async def test_from_the_palette_and_kept_through_a_lock(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        Journal(vault, fixed_clock).safety.save(SafetyPlan(safer="Give the pills to a friend"))
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("ctrl+p", *"Safety plan", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SafetyPlanDialog)
        assert dialog.query_one("#safer").text == "Give the pills to a friend"
        notes = " ".join(str(note.render()) for note in dialog.query(".form-note"))
        assert notes.count("Nobody is in your secure base yet") == 2  # steps 3 and 4 say where people come from
        await pilot.press(*"Feeling numb")
        await pilot.press("ctrl+l")  # locked with the plan open: its words are sealed, and come back
        await settle(pilot)
        await submit_passphrase(pilot, PASSPHRASE)
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, SafetyPlanDialog), app.screen
        assert app.screen.query_one("#warning_signs").text == "Feeling numb"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert journal_of(app).safety.get().warning_signs == "Feeling numb"
        assert journal_of(app).safety.get().safer == "Give the pills to a friend"


async def test_the_plan_shows_whenever_it_comes(make_vault: Callable[..., Path]) -> None:
    """The plan comes from the journal's thread while the card is being built: arriving after the card made its
    lines but before they were mounted (the moment a CI run met), it still shows."""

    class PlanComesMidway(SupportDialog):
        def compose(self):  # type: ignore[no-untyped-def]
            yield from super().compose()
            self.show_plan("PLAN-WORDS")  # the lines exist, and are not mounted yet

    app = make_app(make_vault([]))
    async with app.run_test() as pilot:
        await app.push_screen(PlanComesMidway(["a line"], "settings.toml", editable=True))
        await settle(pilot)
        assert str(app.screen.query_one("#plan").render()) == "PLAN-WORDS"
