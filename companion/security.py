"""The passphrase and the recovery key from inside the app: why an unlock failed, in one kind sentence; and
changing them, where the dialogs ask, the journal's thread checks and seals everything again, and the person is
told in one sentence what happened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from textual.screen import Screen

from companion.crypto.kdf import KdfParams
from companion.dialogs.passphrase import ChangePassphraseDialog
from companion.dialogs.recovery import PassphraseCheckDialog, RecoveryKeyDialog, SecurityDialog
from companion.errors import CompanionError, WrongPassphrase

if TYPE_CHECKING:  # the journal loads with the unlock
    from companion.services.journal import Journal

T = TypeVar("T")
KIND_WRONG_PASSPHRASE = "That passphrase didn't open your journal. Take your time and try again."


def unlock_failure(exc: Exception) -> str:
    """Why the journal did not open, in one kind sentence (never a traceback)."""
    if isinstance(exc, WrongPassphrase):
        kind = exc.message.startswith("That passphrase does not open")  # not a recovery key's sentence
        more = exc.message.partition("; ")[2]  # this file replaced the journal (vault.py)
        return KIND_WRONG_PASSPHRASE + (f" Note that {more}." if more else "") if kind else exc.message
    if isinstance(exc, CompanionError):
        return exc.message
    return f"companion could not open the journal ({type(exc).__name__})."


class SecurityHost(Protocol):
    """What these flows need of the App."""

    kdf: KdfParams
    vault_path: Path

    async def journal_ask(self, job: Callable[[Journal], T], fallback: T) -> T: ...

    async def push_screen_wait(self, screen: Screen[Any]) -> Any: ...

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None: ...

    def show_recovery_key(self, code: str) -> object: ...


class SecurityFlows:
    """Change the passphrase; make a new recovery key and show it once (run inside the App's workers)."""

    def __init__(self, app: SecurityHost) -> None:
        self.app = app

    async def choose(self) -> None:
        """Ask which, then do it."""
        has_key = await self.app.journal_ask(lambda j: j.vault.has_recovery_key, False)
        choice = await self.app.push_screen_wait(SecurityDialog(has_key))
        if choice == "passphrase":
            await self.change_passphrase()
        elif choice == "recovery":
            await self.new_recovery_key()

    async def change_passphrase(self) -> None:
        """The current passphrase, then the new one twice; everything companion keeps is sealed again."""
        answer = await self.app.push_screen_wait(ChangePassphraseDialog())
        if answer is None:
            return
        current, new = answer
        kdf = self.app.kdf
        self.app.notify("Changing your passphrase…", timeout=3)

        def change(journal: Journal) -> list[Path] | str:
            try:
                return journal.change_passphrase(current, new, kdf)
            except WrongPassphrase:
                return "That is not your current passphrase; nothing was changed."

        result = await self.app.journal_ask(change, None)
        if isinstance(result, str):
            self.app.notify(result, severity="error", timeout=8)
        elif result:
            self.app.notify(f"Your passphrase has been changed, but {len(result)} older copies in backups/ could "
                            "not be re-sealed and still open with the old one.", severity="warning", timeout=12)
        elif result is not None:
            self.app.notify("Your passphrase has been changed. The old one opens nothing companion keeps.",
                            timeout=8)

    async def new_recovery_key(self) -> None:
        """The passphrase first; then a new recovery key (the old one stops opening anything)."""
        passphrase = await self.app.push_screen_wait(PassphraseCheckDialog())
        if not passphrase:
            return
        kdf = self.app.kdf

        def make(journal: Journal) -> str:
            try:
                return journal.make_recovery_key(passphrase, kdf)[0]
            except WrongPassphrase:
                return ""

        code = await self.app.journal_ask(make, None)
        if code == "":
            self.app.notify("That is not your passphrase; no recovery key was made.", severity="error", timeout=8)
        elif code:
            self.app.show_recovery_key(code)

    async def show_recovery_key(self, code: str) -> None:
        """Show a new recovery key once; save it to a file (0600) if the person asks."""
        suggested = str(Path.home() / "companion-recovery-key.txt")
        error = ""
        vault = self.app.vault_path
        while True:
            path = await self.app.push_screen_wait(RecoveryKeyDialog(code, suggested, error))
            if not path:
                return
            target = Path(path).expanduser()
            if target.exists():
                error, suggested = f"{target} already exists; choose another name.", path
                continue
            if await self.app.journal_ask(_writer(target, code, vault), None):
                self.app.notify(f"Saved your recovery key to {target}. Move it somewhere safe, away from this "
                                "computer.", timeout=10)
                return
            error, suggested = "It could not be saved there; try another place.", path


def _writer(target: Path, code: str, vault: Path) -> Callable[[Journal], Path]:
    from companion.services.recovery import write_recovery_key_file

    return lambda _journal: write_recovery_key_file(target, code, vault)
