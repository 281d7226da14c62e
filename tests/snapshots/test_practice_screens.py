"""Snapshots of every area screen and dialog, empty and seeded, at 80x24 and 120x36."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from companion.dialogs.info import SupportDialog

from conftest import (
    PASSPHRASE,
    SEED_TEXTS,
    fixed_clock,
    make_app,
    seed_asks,
    seed_practices,
    settle,
    submit_passphrase,
    wait_until,
)

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])


def keys(*presses: str, text: str = "") -> Callable[..., object]:
    """Unlock, press keys, optionally type into the focused field, then hold still for the picture (the
    support card's plan, which comes from the journal a moment after the card, shown)."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await submit_passphrase(pilot, PASSPHRASE)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)
        if isinstance(pilot.app.screen, SupportDialog):
            await wait_until(pilot, lambda: str(pilot.app.screen.query_one("#plan").render()), "the plan on the card")
        if text:
            if isinstance(pilot.app.focused, TextArea):
                pilot.app.focused.insert(text)
            elif isinstance(pilot.app.focused, Input):
                pilot.app.focused.value = text
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        for screen in pilot.app.screen_stack:  # the export path names the home folder: keep it fixed
            for field in screen.query("#path"):
                field.value = "/home/you/companion-2026-11-27.pdf"
        await settle(pilot)
        await settle(pilot)

    return run_before


@pytest.fixture
def full_vault(make_vault: Callable[..., Path]) -> Path:
    path = make_vault(SEED_TEXTS)
    seed_practices(path)
    seed_asks(path)
    return path


FULL = {
    "home": keys(),
    "reflections": keys("2"),
    "reflections_filtered": keys("2", "slash", text="#guided flagged"),
    "reflections_bad_filter": keys("2", "slash", text="since:soon"),
    "reflection_detail": keys("2", "enter"),
    "editor_guided": keys("w", text="Texted Priya first this time."),
    "editor_existing": keys("2", "e"),
    "prompt_picker": keys("2", "n"),
    "confirm_delete": keys("2", "d"),
    "unsaved": keys("w", "x", "escape"),
    "people": keys("w", "ctrl+o"),
    "help": keys("2", "question_mark"),
    "boundaries": keys("3"),
    "boundary_detail": keys("3", "enter"),
    "boundary_editor": keys("3", "e"),
    "boundary_log": keys("3", "l"),
    "secure_base": keys("4"),
    "contact_detail": keys("4", "down", "down", "enter"),
    "contact_editor": keys("4", "n"),
    "contact_editor_existing": keys("4", "down", "down", "e"),
    "secure_base_filtered": keys("4", "slash", text="lifts"),
    "secure_base_no_match": keys("4", "slash", text="nobody by this name"),
    "home_help": keys("question_mark"),
    "contact_log": keys("4", "l"),
    "share": keys("5"),
    "share_preview": keys("5", "ctrl+r"),
    "restore_dialog": keys("5", "ctrl+o"),
    "backup_dialog": keys("5", "ctrl+t"),
    "ask_dialog": keys("4", "down", "down", "a", "enter", text="with the move on Saturday?"),
    "reliance_dropdown": keys("w", "tab", "tab", "enter"),
    "security": keys("ctrl+k"),
    "change_passphrase": keys("ctrl+k", "p"),
    "export_dialog": keys("5", "ctrl+e"),
    "sessions": keys("6"),
    "session_new": keys("6", "n"),
    "safety_plan": keys("4", "p", text="Staying in bed past noon"),
    "support_card_unlocked": keys("ctrl+g"),
    "asks": keys("7"),
    "ask_detail": keys("7", "enter"),
    "ask_new": keys("7", "n"),
    "ask_after": keys("7", "l"),
    "ask_as_experiment": keys("4", "down", "down", "a", "enter", "tab", "space", "ctrl+s"),
    "connection": keys("i"),
}
EMPTY = {
    "reflections": keys("2"),
    "boundaries": keys("3"),
    "secure_base": keys("4"),
    "editor_free": keys("n", "f"),
    "boundary_editor_new": keys("3", "n"),
    "prompt_picker": keys("n"),
    "people": keys("n", "f", "ctrl+o"),
    "share": keys("5"),
    "sessions": keys("6"),
    "asks": keys("7"),
}


@SIZES
@pytest.mark.parametrize("scene", list(FULL))
def test_seeded(snap_compare, full_vault: Path, scene: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(full_vault), terminal_size=size, run_before=FULL[scene])


@SIZES
@pytest.mark.parametrize("scene", list(EMPTY))
def test_empty(snap_compare, make_vault: Callable[..., Path], scene: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(make_vault([])), terminal_size=size, run_before=EMPTY[scene])


@pytest.mark.parametrize("size", [(60, 20), (200, 50)], ids=["60x20", "200x50"])
def test_secure_base_rings_narrow_and_wide(snap_compare, full_vault: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    # narrower than the picture needs, the rings are a list; very wide, the picture stops growing
    assert snap_compare(make_app(full_vault), terminal_size=size, run_before=keys("4"))


@SIZES
def test_support_card_while_locked(snap_compare, seeded_vault: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("ctrl+g")
        await settle(pilot)

    assert snap_compare(make_app(seeded_vault), terminal_size=size, run_before=run_before)


@SIZES
def test_support_card_with_a_safety_plan(snap_compare, full_vault: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from companion.domain.safety_plan import SafetyPlan
    from companion.services.journal import Journal
    from companion.storage.vault import Vault

    with Vault.open(full_vault, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        [priya] = [c.id for c in journal.contacts.all() if c.name == "Priya"]
        journal.safety.save(SafetyPlan(warning_signs="Staying in bed past noon\nNot answering messages",
                                       on_my_own="A long walk by the canal", helpers=[priya],
                                       safer="Ask Priya to keep the pills"))
    assert snap_compare(make_app(full_vault), terminal_size=size, run_before=keys("ctrl+g"))


@SIZES
def test_share_done(snap_compare, full_vault: Path, tmp_path: Path, monkeypatch, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from companion.services import sharing

    monkeypatch.setattr(sharing, "generate_passphrase", lambda: "tidy-oven-pluck-gift-siren-woven")
    monkeypatch.chdir(tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await submit_passphrase(pilot, PASSPHRASE)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        pilot.app.screen.query_one("#path", Input).value = "for-my-therapist.pdf"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)
        await settle(pilot)

    assert snap_compare(make_app(full_vault), terminal_size=size, run_before=run_before)
    # the PDF it wrote opens, encrypted, in every reader a therapist might use
    from pdfreaders import read_everywhere

    assert all("Shared from companion" in text
               for text in read_everywhere(tmp_path / "for-my-therapist.pdf", "tidy-oven-pluck-gift-siren-woven").values())


@SIZES
def test_home_offers_a_conflict_copy(snap_compare, full_vault: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    import shutil

    shutil.copy2(full_vault, full_vault.with_name("vault.sync-conflict-20261128-101500-ABCDEFG.companion"))
    assert snap_compare(make_app(full_vault), terminal_size=size, run_before=keys())


@SIZES
def test_home_offers_a_copy_kept_aside(snap_compare, full_vault: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    import shutil

    (full_vault.parent / "backups").mkdir(exist_ok=True)
    shutil.copy2(full_vault, full_vault.parent / "backups" / "concurrent-edit-20261127T183000000000Z.companion")
    assert snap_compare(make_app(full_vault), terminal_size=size, run_before=keys())


@SIZES
def test_home_asks_about_a_session(snap_compare, full_vault: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from companion.domain.session import Session
    from companion.services.journal import Journal
    from companion.storage.vault import Vault

    from conftest import NOW, fixed_clock

    with Vault.open(full_vault, PASSPHRASE, clock=fixed_clock) as vault:
        Journal(vault, fixed_clock).sessions.save(Session(day=(NOW - timedelta(days=3)).date(), agenda="The move"))
    assert snap_compare(make_app(full_vault), terminal_size=size, run_before=keys())


@SIZES
def test_takeaways_offer_each_shared_entry(snap_compare, full_vault: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """After a session: the entries shared for it, each with its date, unticked; the sentence whole at 80x24."""
    from datetime import timedelta

    from companion.domain.session import Shared
    from companion.services.journal import Journal
    from companion.storage.vault import Vault

    from conftest import NOW, fixed_clock

    with Vault.open(full_vault, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        ids = [e.id or 0 for e in journal.reflections.page().items[:3]]
        journal.sessions.record_export(NOW.date() - timedelta(days=2), "", Shared("s.pdf", "pdf", NOW, "3"), ids)
    assert snap_compare(make_app(full_vault), terminal_size=size, run_before=keys("6", "down", "e"))
