"""The App: wiring only — modes, global bindings and the lock/unlock lifecycle."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from companion.crypto.envelope import DEFAULT_KDF, KdfParams
from companion.domain.clock import Clock, local_now
from companion.errors import CompanionError, WrongPassphrase
from companion.resources import stylesheets
from companion.screens.create import CreateScreen
from companion.screens.gate import GateScreen, PassphraseEntered
from companion.screens.home import HomeScreen
from companion.screens.unlock import UnlockScreen
from companion.services.journal import Journal
from companion.storage.vault import Vault

UNLOCKED_MODES = ("home",)
KIND_WRONG_PASSPHRASE = "That passphrase didn't open your journal. Take your time and try again."


class CompanionApp(App[int]):
    """companion's terminal interface."""

    TITLE = "companion"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("ctrl+l", "lock", "Lock", id="lock", priority=True),
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
    ) -> None:
        super().__init__(css_path=stylesheets())
        self.vault_path = vault_path
        self.kdf = kdf
        self.clock = clock
        self.journal: Journal | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.vault_path.exists():
            self.add_mode("unlock", UnlockScreen)
            self.switch_mode("unlock")
        else:
            self.add_mode("create", CreateScreen)
            self.switch_mode("create")

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
        self.journal = event.journal
        journal, clock = event.journal, self.clock
        self.add_mode("home", lambda: HomeScreen(journal, clock))
        self.switch_mode("home")
        self.refresh_bindings()

    def on_companion_app_unlock_failed(self, event: UnlockFailed) -> None:
        screen = self.screen
        if isinstance(screen, GateScreen):
            screen.failed(event.message)

    async def action_lock(self) -> None:
        """Drop every screen that held decrypted text, release the vault, show the unlock screen."""
        if self.journal is None:
            return
        if "unlock" not in self._modes:
            self.add_mode("unlock", UnlockScreen)
        await self.switch_mode("unlock")
        for mode in (*UNLOCKED_MODES, "create"):
            if mode in self._modes:
                await self.remove_mode(mode)
        self.journal.close()
        self.journal = None
        screen = self.screen
        if isinstance(screen, UnlockScreen):
            screen.reset()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "lock":
            return self.journal is not None
        return True

    def on_unmount(self) -> None:
        if self.journal is not None:
            self.journal.close()
            self.journal = None

    # -- no screenshots: they would put the screen's text on disk -------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if "screenshot" not in command.title.lower():
                yield command

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.notify("Screenshots are turned off so your writing never lands on disk.")

    def deliver_screenshot(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        self.notify("Screenshots are turned off so your writing never lands on disk.")
