"""Locking, quitting and hanging up: the idle lock and ctrl+l (the words on screen sealed, the lock screen at once,
the journal closed after a save in progress, then the process replaced by a fresh one: relaunch.py), and a
dropped connection or a signal (every word sealed, then gone within a second). `CompanionApp` (app.py) builds on
it; the journal's thread and the words kept are journal_app.py's."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from companion.areas import AREAS
from companion.domain.clock import Monotonic
from companion.domain.demo import DEMO_NOTE
from companion.journal_app import JournalApp
from companion.relaunch import Handover
from companion.screens.gate import GateScreen, PassphraseEntered
from companion.screens.unlock import UnlockScreen
from companion.textual_private import (
    finish_writing,
    forget_rendered_text,
    give_back_terminal,
    restore_on_exit,
    stop_reading_keys,
)

if TYPE_CHECKING:
    from companion.services.runner import JournalRunner

# Replaces the process with a fresh one on the lock screen (relaunch.py); fills in the colours it was started with.
Relaunch = Callable[[Handover], NoReturn]
IDLE_CHECK_SECONDS = 0.5
HANG_UPS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)
HANG_UP_GRACE = 1.0  # seconds: after this, exit whatever the terminal is doing
LOCK_WAIT = 0.6  # seconds a hang-up waits for a save in progress before locking anyway


class LockingApp(JournalApp):
    """The lock, the quit and the hang-up; the first screen, which a lock comes back to."""

    DEFAULT_MODE = "gate"  # built as the app composes, so its styles are parsed with the app's, once

    def __init__(self, settings_file: Path, vault_path: Path, *, monotonic: Monotonic, handle_signals: bool,
                 demo_folder: Path | None, relaunch: Relaunch | None, locked_from: Handover | None) -> None:
        super().__init__(settings_file)
        self.vault_path = vault_path
        self.monotonic = monotonic  # the idle auto-lock counts on this one (a wall clock can jump)
        self.handle_signals = handle_signals
        self.demo_folder = demo_folder  # --demo: a throwaway journal, removed however the app ends
        self.relaunch = relaunch  # a real process: after a lock, replaced by a fresh one (relaunch.py)
        self.locked_from = locked_from  # this process replaced a locked one: start on its lock screen
        self._last_input = monotonic()
        self._lock_note = ""
        self._locking = False  # from ctrl+l until the journal is closed and forgotten
        self._submitted_meanwhile = False  # Enter was pressed on the lock screen meanwhile
        self._entered_meanwhile: PassphraseEntered | None = None
        self._hanging_up = False
        self._watchdog: threading.Timer | None = None
        self._gate: GateScreen | None = None
        self._add_mode(self.DEFAULT_MODE, self._gate_screen)

    def _gate_screen(self) -> GateScreen:
        """The first screen: the lock screen as a locked process left it, the unlock screen, or the one that
        creates a journal."""
        handed = self.locked_from
        if handed is not None:
            self._gate = UnlockScreen(handed.note, handed.typed)
        elif self.vault_path.exists():
            self._gate = UnlockScreen()
        else:
            from companion.screens.create import CreateScreen  # only on a first start

            self._gate = CreateScreen()
        return self._gate

    def delay_update(self, delay: float = 0.05) -> None:
        """Textual holds the drawing back for a moment as it switches modes; not as the journal locks, whose
        screen must be on the terminal before anything else happens."""
        if not self._locking:
            super().delay_update(delay)

    async def _show_lock_screen(self) -> UnlockScreen:
        """The first screen again, an unlock screen (after creating a journal, in place of that screen)."""
        if not isinstance(self._gate, UnlockScreen):
            await self._remove_mode(self.DEFAULT_MODE)
            self._add_mode(self.DEFAULT_MODE, self._gate_screen)  # the journal exists now: an unlock screen
        await self.switch_mode(self.DEFAULT_MODE)
        assert isinstance(self.screen, UnlockScreen)
        return self.screen

    @property
    def demo(self) -> bool:
        """Whether this is `companion --demo` (a throwaway journal)."""
        return self.demo_folder is not None

    def start_locking(self) -> None:
        """On mount: listen for hang-ups (a real process), watch for idleness, and take over a locked process's
        lock screen."""
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for sig in HANG_UPS:
                loop.add_signal_handler(sig, self.hang_up, sig)
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        if self.locked_from is not None:
            restore_on_exit(self, self.locked_from.terminal)
            self.call_after_refresh(self._locked_before)

    def took_passphrase(self, event: PassphraseEntered) -> bool:
        """Whether Enter on the lock screen came while the journal closes: it then unlocks after (in the fresh
        process, if replaced)."""
        if self._locking:
            self._submitted_meanwhile, self._entered_meanwhile = True, event
        return self._locking

    def lock_if_idle(self) -> bool:
        """Lock when no key was pressed for the settings' auto-lock minutes (checked twice a second)."""
        minutes = self.settings.auto_lock_minutes
        if self.runner is None or minutes <= 0 or self.monotonic() - self._last_input < minutes * 60:
            return False
        self._lock_note = f"Locked after {minutes:g} minute{'s' if minutes != 1 else ''} without a key press."
        self.run_worker(self.action_lock(), group="lock")
        return True

    async def action_lock(self) -> None:
        """Lock: the words on screen are taken, the lock screen shows at once, and once what is being saved is
        saved the journal closes with them sealed. Then the process forgets: a real one is replaced by a fresh
        one (relaunch.py); in a test, the screens that held decrypted text are dropped and the caches cleared."""
        runner = self.runner
        if runner is None or self._locking:
            return
        self._locking = True
        self._words_kept = self._words_on_screen()  # before the screens that hold them go: sealed on closing
        # A real process stops reading keys now: those typed meanwhile wait in the terminal for the fresh one.
        reading = stop_reading_keys(self) if self.relaunch is not None else None
        for editor in list(self._editors):
            editor.wipe()  # a Textual TextArea outlives its screen (a theme watcher): leave it empty
        screen = await self._show_lock_screen()
        screen.reset(DEMO_NOTE if self.demo_folder is not None else self._lock_note)
        self._lock_note = ""
        self.refresh_bindings()
        if runner.busy:  # a save in progress finishes first, and the screen says so meanwhile
            self.notify("Finishing what is being saved, then locking.", timeout=4)
        self.run_worker(self._finish_lock(runner, reading), group="lock")

    async def _finish_lock(self, runner: JournalRunner, reading: threading.Thread | None) -> None:
        await asyncio.wrap_future(runner.submit(lambda journal: None))  # after what was queued (a save)
        if self.runner is not runner:
            return  # quit or hung up meanwhile: that closed the journal, with the same words sealed
        self._close_journal()
        if reading is not None:
            await asyncio.to_thread(reading.join)
            # The keys the driver read before it stopped land on the lock screen first: those in the App's queue
            # are taken in (so after_keys knows of them), then each acts, the lock screen is drawn as they left
            # it, and then the process is replaced: replaced sooner, the terminal would go on showing the
            # journal until the fresh process draws.
            self.call_later(self.after_keys, self._forget_once_drawn)
            return
        for mode in AREAS:
            await self._remove_mode(mode)
        self._editors.clear()
        forget_rendered_text()
        self._locking = False
        self.check_size()
        entered, self._entered_meanwhile = self._entered_meanwhile, None
        if entered is not None:  # Enter was pressed on the lock screen while the journal closed
            self.post_message(PassphraseEntered(entered.passphrase, entered.create, entered.recovery_key))

    def _forget_once_drawn(self) -> None:
        self.screen.call_after_refresh(self._forget_everything)

    def _forget_everything(self) -> None:
        """Replace this process with a fresh one on the lock screen: no page of this one outlives the lock."""
        if self._hanging_up:
            return  # the terminal is gone: the hang-up ends this process instead
        screen = self.screen
        note, typed = (screen.note, screen.typed) if isinstance(screen, UnlockScreen) else ("", "")
        terminal = finish_writing(self)
        assert self.relaunch is not None
        try:
            self.relaunch(Handover(str(self.vault_path), None, str(self.demo_folder) if self.demo else None, note,
                                   typed, terminal, submitted=self._submitted_meanwhile))
        except Exception as exc:  # the program could not be started again: end here (every word is sealed)
            give_back_terminal(terminal)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            print(f"Your journal is locked and companion closed: it could not start itself again ({reason}). "
                  "Run companion to unlock.", file=sys.__stderr__)  # past Textual's capture of stderr
            self._force_exit(1)

    def _locked_before(self) -> None:
        """Enter was pressed on the locked process's lock screen while it changed hands: unlock with what it
        holds (what was typed there, and anything this process read after it)."""
        screen = self.screen
        handed = self.locked_from
        if isinstance(screen, UnlockScreen) and handed is not None and handed.submitted and screen.typed \
                and not screen.busy:
            screen.submit(screen.typed, create=False)

    async def action_quit(self) -> None:
        """Quit; an unfinished entry is kept as a sealed draft and comes back on the next unlock."""
        self._close_journal()
        self.exit()

    def hang_up(self, signum: int) -> None:
        """A dropped SSH connection, SIGTERM or a SIGINT from outside: keep every word, then go.

        The draft is sealed up to the last keystroke and the lock released at once; nothing
        half-done is saved. If the terminal is gone and exiting stalls, a timer ends the process.
        """
        if self._hanging_up:
            return
        self._hanging_up = True
        if self.handle_signals:  # a real process (not a test's app): it must end, whatever the terminal does
            self._watchdog = threading.Timer(HANG_UP_GRACE, self._force_exit, (128 + signum,))
            self._watchdog.daemon = True
            self._watchdog.start()
        # Keys already read from the terminal wait to act, in turn: seal the drafts after them, so they
        # hold every keystroke that arrived.
        self.call_later(self.after_keys, self._hung_up, 128 + signum)  # behind the keys in the App's queue

    def _force_exit(self, return_code: int) -> None:
        if self.demo_folder is not None:
            from companion.services.demo import remove_demo

            remove_demo(self.demo_folder)
        os._exit(return_code)

    def _hung_up(self, return_code: int) -> None:
        self._close_journal(timeout=LOCK_WAIT)
        self.exit(return_code=return_code)

    def exited(self) -> None:
        """The app has finished on its own: the hang-up timer is no longer needed."""
        if self._watchdog is not None:
            self._watchdog.cancel()

    def on_unmount(self) -> None:
        self._close_journal(timeout=LOCK_WAIT)
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for sig in HANG_UPS:
                loop.remove_signal_handler(sig)

