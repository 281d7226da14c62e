"""The lock that forgets, in process (the seam): a save running when the lock comes finishes first and the
screen says so; a process that replaced a locked one starts on its lock screen with the lock's note and the
keys typed meanwhile (Enter included). The replacing itself, and the memory it leaves, are checked in a real
terminal: tests/system/test_lock_forgets.py."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from pathlib import Path

from textual.widgets import Input, TextArea

from companion.relaunch import ENV, Handover, take_handover
from companion.screens.editor import EditorScreen
from companion.screens.home import HomeScreen
from companion.screens.unlock import UnlockScreen

from conftest import PASSPHRASE, journal_of, make_app, settle, unlocked, wait_until


async def test_a_save_running_when_the_lock_comes_finishes_first_and_the_screen_says_so(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        release = threading.Event()

        def slow_save(journal):  # type: ignore[no-untyped-def]
            release.wait(10)
            return journal.add_reflection("Saved while the lock waited")

        saved = app.runner.submit(slow_save)
        pressing = asyncio.create_task(pilot.press("ctrl+l"))  # the press returns once the lock is done
        await wait_until(pilot, lambda: any("Finishing what is being saved" in str(n.message)
                                            for n in app._notifications), "the screen saying it finishes the save")
        # The lock screen shows at once, so keys typed now land there (not on Home); the journal stays open
        # until the save is done.
        assert isinstance(app.screen, UnlockScreen) and app.runner is not None and not saved.done()
        release.set()
        await wait_until(pilot, lambda: app.runner is None, "the journal closing")
        assert saved.result().text == "Saved while the lock waited"
        await pressing
        screen = app.screen
        assert isinstance(screen, UnlockScreen) and screen.typed == ""
    async with unlocked(seeded_vault) as (app, pilot):
        texts = [r.text for r in journal_of(app).reflections.page().items]
        assert "Saved while the lock waited" in texts


async def test_a_fresh_process_starts_on_the_lock_screen_it_was_handed(seeded_vault: Path) -> None:
    handover = Handover(str(seeded_vault), note="Locked after 5 minutes without a key press.", typed="corr")
    app = make_app(seeded_vault, locked_from=handover)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UnlockScreen)
        assert "Locked after 5 minutes" in str(screen.query_one("#gate-lead").render())
        assert screen.query_one("#passphrase", Input).value == "corr"  # typed while it changed hands
        assert app.runner is None


async def test_enter_pressed_while_it_changed_hands_unlocks_in_the_fresh_process(seeded_vault: Path) -> None:
    app = make_app(seeded_vault, locked_from=Handover(str(seeded_vault), typed=PASSPHRASE, submitted=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: app.runner is not None, "the unlock")
        assert isinstance(app.screen, HomeScreen)


def test_the_handover_comes_through_an_inherited_pipe_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = [1280, 5, 191, 35387, 15, 15, [b"\x03", b"\x1c", 0, 1] + [b"\x00"] * 28]
    read_end, write_end = os.pipe()
    from companion import relaunch

    payload = json.dumps({"vault": "/j/vault.companion", "color": "16", "demo_folder": None,
                                   "note": "n", "typed": "pass", "terminal": relaunch._settings_out(settings),
                                   "submitted": True}).encode()
    os.write(write_end, payload)
    os.close(write_end)
    monkeypatch.setenv(ENV, str(read_end))
    found = take_handover()
    assert found == Handover("/j/vault.companion", "16", None, "n", "pass", settings, submitted=True)
    assert ENV not in os.environ and take_handover() is None  # read once; the variable is gone


def test_a_handover_that_is_not_ours_is_ignored(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    read_end, write_end = os.pipe()
    os.write(write_end, b"not json")
    os.close(write_end)
    monkeypatch.setenv(ENV, str(read_end))
    assert take_handover() is None
    monkeypatch.setenv(ENV, "not a number")
    assert take_handover() is None


async def test_a_passphrase_entered_while_the_journal_closes_unlocks_after_it(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        release = threading.Event()
        app.runner.submit(lambda journal: release.wait(10))
        pressing = asyncio.create_task(pilot.press("ctrl+l"))
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen), "the lock screen")
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")  # typed on the lock screen before the journal has closed
        assert app.runner is not None
        release.set()
        await pressing
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "the journal opening again")


async def test_a_quit_while_the_lock_waits_on_a_save_still_keeps_the_words(seeded_vault: Path) -> None:
    async with unlocked(seeded_vault) as (app, pilot):
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen), "the editor")
        await pilot.press(*"Half a thought")
        release = threading.Event()
        app.runner.submit(lambda journal: release.wait(10))
        pressing = asyncio.create_task(pilot.press("ctrl+l"))
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen), "the lock screen")
        threading.Timer(0.2, release.set).start()
        await pilot.press("ctrl+q")  # the editor is gone from the screen already: its words were taken
        await pressing
    async with unlocked(seeded_vault) as (app, pilot):
        await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen), "the draft offered back")
        assert "Half a thought" in app.screen.query_one(TextArea).text


async def test_keys_typed_after_the_handover_follow_what_was_handed(seeded_vault: Path) -> None:
    app = make_app(seeded_vault, locked_from=Handover(str(seeded_vault), typed=PASSPHRASE[:3]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*PASSPHRASE[3:], "enter")
        await settle(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "the unlock")


async def test_a_program_that_cannot_start_again_closes_locked_with_one_sentence(
        seeded_vault: Path, monkeypatch, capfd) -> None:  # type: ignore[no-untyped-def]
    from companion import locking

    def cannot(handover: Handover) -> None:
        raise FileNotFoundError(2, "No such file or directory")

    ended: list[int] = []
    given_back: list[object] = []
    monkeypatch.setattr(locking, "finish_writing", lambda app: ["settings"])
    monkeypatch.setattr(locking, "give_back_terminal", given_back.append)
    app = make_app(seeded_vault, relaunch=cannot)
    monkeypatch.setattr(app, "_force_exit", ended.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app._forget_everything()  # what a lock does last, in a real terminal
    assert ended == [1] and given_back == [["settings"]]
    said = capfd.readouterr().err.strip()
    assert said == ("Your journal is locked and companion closed: it could not start itself again "
                    "(No such file or directory). Run companion to unlock.")
