"""The App: wiring only — modes, global bindings and the lock/unlock lifecycle."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from companion.crypto.envelope import DEFAULT_KDF, Header, KdfParams
from companion.dialogs.info import HelpDialog, SupportDialog
from companion.dialogs.passphrase import ChangePassphraseDialog
from companion.domain.clock import Clock, local_now
from companion.errors import CompanionError, WrongPassphrase
from companion.paths import settings_path
from companion.resources import stylesheets
from companion.screens.area import AreaScreen
from companion.screens.boundaries import BoundariesScreen
from companion.screens.create import CreateScreen
from companion.screens.editor import EditorScreen
from companion.screens.gate import GateScreen, PassphraseEntered
from companion.screens.home import HomeScreen
from companion.screens.reflections import ReflectionsScreen
from companion.screens.secure_base import SecureBaseScreen
from companion.screens.sessions import SessionsScreen
from companion.screens.share import ShareScreen
from companion.screens.unlock import UnlockScreen
from companion.services.journal import Journal
from companion.settings import ensure_settings_file, load_settings
from companion.storage.vault import Vault

AREAS = {
    "home": HomeScreen,
    "reflections": ReflectionsScreen,
    "boundaries": BoundariesScreen,
    "secure": SecureBaseScreen,
    "share": ShareScreen,
    "sessions": SessionsScreen,
}
KIND_WRONG_PASSPHRASE = "That passphrase didn't open your journal. Take your time and try again."
NO_SCREENSHOTS = "Screenshots are turned off so your writing never lands on disk."
POLL_SECONDS = 2.0  # how often the journal file is checked for a copy that changed underneath
HANG_UPS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)
HANG_UP_GRACE = 1.0  # seconds: after this, exit whatever the terminal is doing
CRASH_MESSAGE = (
    "companion met an unexpected problem and closed. Your journal is safe on disk, "
    "and any unfinished entry was kept as a draft."
)


class CompanionApp(App[int]):
    """companion's terminal interface."""

    TITLE = "companion"
    BINDINGS = [
        Binding("ctrl+g", "support", "Urgent help", id="support", priority=True),
        Binding("ctrl+l", "lock", "Lock", id="lock"),
        Binding("ctrl+q", "quit", "Quit", id="quit"),
        Binding("ctrl+k", "change_passphrase", "Change passphrase", id="passphrase", show=False),
    ]

    class Unlocked(Message):
        """The worker opened (or created) the vault."""

        def __init__(self, journal: Journal) -> None:
            super().__init__()
            self.journal = journal

    class UnlockFailed(Message):
        """The worker could not open the vault; `message` is one plain sentence."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(
        self,
        vault_path: Path,
        *,
        kdf: KdfParams = DEFAULT_KDF,
        clock: Clock = local_now,
        settings_file: Path | None = None,
        handle_signals: bool = False,
    ) -> None:
        super().__init__(css_path=stylesheets())
        self.handle_signals = handle_signals
        self._hanging_up = False
        self._watchdog: threading.Timer | None = None
        self.vault_path = vault_path
        self.kdf = kdf
        self.clock = clock
        self.settings_file = settings_file or settings_path(vault_path)
        self.settings = load_settings(self.settings_file)
        self.journal: Journal | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        gate = "unlock" if self.vault_path.exists() else "create"
        self.add_mode(gate, UnlockScreen if gate == "unlock" else CreateScreen)
        self.switch_mode(gate)
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for sig in HANG_UPS:
                loop.add_signal_handler(sig, self.hang_up, sig)
        self.set_interval(POLL_SECONDS, self.check_disk)
        self.app_resume_signal.subscribe(self, lambda _: self.check_disk())

    def hang_up(self, signum: int) -> None:
        """A dropped SSH connection, SIGTERM or a SIGINT from outside: keep every word, then go.

        The draft is sealed up to the last keystroke and the lock released at once; nothing
        half-done is saved. If the terminal is gone and exiting stalls, a timer ends the process.
        """
        if self._hanging_up:
            return
        self._hanging_up = True
        if self.handle_signals:  # a real process (not a test's app): it must end, whatever the terminal does
            self._watchdog = threading.Timer(HANG_UP_GRACE, os._exit, (128 + signum,))
            self._watchdog.daemon = True
            self._watchdog.start()
        # Keys already read from the terminal wait in the focused widget's queue: seal the draft
        # after them, so it holds every keystroke that arrived.
        (self.focused or self.screen).call_later(self._keep_and_exit, 128 + signum)

    def _keep_and_exit(self, return_code: int = 0) -> None:
        self._keep_and_close()
        self.exit(return_code=return_code)

    async def action_quit(self) -> None:
        """Quit; an unfinished entry is kept as a sealed draft and comes back on the next unlock."""
        self._keep_and_exit()

    def exited(self) -> None:
        """The app has finished on its own: the hang-up timer is no longer needed."""
        if self._watchdog is not None:
            self._watchdog.cancel()

    def _keep_and_close(self) -> None:
        if self.journal is None:
            return
        for editor in self._open_editors():
            editor.keep_draft()
        self.journal.close()
        self.journal = None

    def check_disk(self) -> None:
        """Fold in a copy of the journal that a sync tool (or another device) put in place, and say so."""
        if self.journal is None:
            return
        try:
            news = self.journal.sync()
        except CompanionError as exc:
            self.notify(exc.message, severity="error", timeout=12)
            return
        for line in news:
            self.notify(line, timeout=8)
        screen = self.screen
        if news and isinstance(screen, AreaScreen):
            screen.reload()

    @on(PassphraseEntered)
    def _passphrase_entered(self, event: PassphraseEntered) -> None:
        self._open_vault(event.passphrase, event.create)

    @work(thread=True, exclusive=True, group="unlock")
    def _open_vault(self, passphrase: str, create: bool) -> None:
        """The KDF is deliberately slow: run it off the event loop."""
        try:
            if create:
                vault = Vault.create(self.vault_path, passphrase, self.kdf)
            else:
                vault = Vault.open(self.vault_path, passphrase)
        except WrongPassphrase:
            self.post_message(self.UnlockFailed(KIND_WRONG_PASSPHRASE))
            return
        except CompanionError as exc:
            self.post_message(self.UnlockFailed(exc.message))
            return
        except Exception as exc:  # never a traceback on screen
            self.post_message(self.UnlockFailed(f"companion could not open the journal ({type(exc).__name__})."))
            return
        self.post_message(self.Unlocked(Journal(vault, self.clock)))

    def on_companion_app_unlocked(self, event: Unlocked) -> None:
        ensure_settings_file(self.settings_file)
        self.journal = journal = event.journal
        clock = self.clock
        for mode, screen_class in AREAS.items():
            self.add_mode(mode, lambda cls=screen_class: cls(journal, clock))
        self.switch_mode("home")
        self.refresh_bindings()
        draft, note = journal.reflections.draft()
        if draft is not None:
            self.push_screen(EditorScreen(journal, clock, draft=draft))
            self.notify(note, timeout=6)
        for line in journal.vault.take_news():  # a draft set aside, a legacy draft re-sealed
            self.notify(line, timeout=8)

    def on_companion_app_unlock_failed(self, event: UnlockFailed) -> None:
        screen = self.screen
        if isinstance(screen, GateScreen):
            screen.failed(event.message)

    def _open_editors(self) -> list[EditorScreen]:
        # Every mode keeps its own stack; an editor may sit in any of them.
        stacks = self._screen_stacks.values()
        return [s for stack in stacks for s in stack if isinstance(s, EditorScreen)]

    async def action_lock(self) -> None:
        """Keep any draft, drop every screen that held decrypted text, release the vault."""
        if self.journal is None:
            return
        for editor in self._open_editors():
            editor.keep_draft()
        if "unlock" not in self._modes:
            self.add_mode("unlock", UnlockScreen)
        await self.switch_mode("unlock")
        for mode in (*AREAS, "create"):
            if mode in self._modes:
                await self.remove_mode(mode)
        self.journal.close()
        self.journal = None
        screen = self.screen
        if isinstance(screen, UnlockScreen):
            screen.reset()
        self.refresh_bindings()

    def action_switch_area(self, area: str) -> None:
        """Go to one of the four areas."""
        if self.journal is not None and area in AREAS:
            self.switch_mode(area)

    def action_support(self) -> None:
        """The support card: where to find urgent help. Needs no unlocking."""
        if not isinstance(self.screen, SupportDialog):
            s = self.settings
            self.push_screen(SupportDialog(s.crisis_lines, str(self.settings_file), s.problem))

    def action_help(self) -> None:
        """Every key of the current screen, with what it does."""
        self.push_screen(HelpDialog(self.screen.__class__.__name__.removesuffix("Screen"), self.screen_keys()))

    def screen_keys(self) -> list[tuple[str, str]]:
        """The keys that act on the current screen now, as (key, description)."""
        seen: list[tuple[str, str]] = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.system or binding.id is None or not binding.description or not active.enabled:
                continue
            seen.append((self.get_key_display(binding), binding.description))
        return seen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("lock", "switch_area", "change_passphrase"):
            return self.journal is not None
        return True

    def on_unmount(self) -> None:
        self._keep_and_close()
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for sig in HANG_UPS:
                loop.remove_signal_handler(sig)

    # -- changing the passphrase: the dialog asks, a worker runs the KDFs, the loop commits ---------
    @work
    async def action_change_passphrase(self) -> None:
        """Ask for the current and a new passphrase, then re-seal everything."""
        answer = await self.push_screen_wait(ChangePassphraseDialog())
        if answer is not None and self.journal is not None:
            self.notify("Changing your passphrase…", timeout=3)
            self._derive_new_header(*answer)

    @work(thread=True, exclusive=True, group="passphrase")
    def _derive_new_header(self, current: str, new: str) -> None:
        journal = self.journal
        if journal is None:
            return
        try:
            journal.vault.verify_passphrase(current)
            header = journal.vault.new_header(new, self.kdf)
        except WrongPassphrase:
            self.call_from_thread(self.notify, "That is not your current passphrase; nothing was changed.",
                                  severity="error", timeout=8)
            return
        except CompanionError as exc:
            self.call_from_thread(self.notify, exc.message, severity="error", timeout=8)
            return
        self.call_from_thread(self._commit_passphrase, header)

    def _commit_passphrase(self, header: Header) -> None:
        if self.journal is None:
            return
        try:
            failed = self.journal.vault.rewrap_to(header)
        except CompanionError as exc:
            self.notify(exc.message, severity="error", timeout=10)
            return
        if failed:
            self.notify(f"Your passphrase has been changed, but {len(failed)} older copies in backups/ could not "
                        "be re-sealed and still open with the old one.", severity="warning", timeout=12)
        else:
            self.notify("Your passphrase has been changed. The old one opens nothing companion keeps.", timeout=8)

    # -- the palette offers every key's action; no screenshots (they would put text on disk) -----
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if "screenshot" not in command.title.lower():
                yield command
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.system or not binding.description or not active.enabled or binding.action == "command_palette":
                continue
            node, action = active.node, binding.action
            yield SystemCommand(binding.description, f"key: {self.get_key_display(binding)}",
                                lambda node=node, action=action: node.run_action(action))

    def _fatal_error(self) -> None:
        # Textual's crash report prints a traceback with local variables, which would put
        # decrypted text on the terminal: say one plain sentence instead.
        self.bell()
        self._exit_renderables.append(CRASH_MESSAGE)
        self._close_messages_no_wait()

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.notify(NO_SCREENSHOTS)

    def deliver_screenshot(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        self.notify(NO_SCREENSHOTS)
