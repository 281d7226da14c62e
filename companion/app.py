"""The App: wiring only: the areas, global bindings, unlocking, the support card. The lock, the quit and the
hang-up are locking.py's; the journal's thread and the words kept are journal_app.py's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.binding import Binding
from textual.message import Message

from companion.areas import AREAS, area_screens
from companion.crypto.kdf import DEFAULT_KDF, KdfParams
from companion.dialogs.info import SupportDialog
from companion.domain.clock import Clock, Monotonic
from companion.domain.demo import DEMO_PASSPHRASE
from companion.domain.text import visible
from companion.locking import LockingApp, Relaunch
from companion.paths import settings_path
from companion.relaunch import Handover
from companion.screens.gate import GateScreen, PassphraseEntered, RecoveryEntered
from companion.settings import ensure_settings_file

if TYPE_CHECKING:
    from companion.domain.prompts import Prompt
    from companion.domain.reflection import Reflection
    from companion.screens.area import AreaScreen
    from companion.services.journal import Journal, Welcome
    from companion.services.opening import Opened

POLL_SECONDS = 2.0  # how often the journal file is checked for a copy that changed underneath


class CompanionApp(LockingApp):
    """companion's terminal interface."""

    TITLE = "companion"
    URGENT_KEYS = frozenset({"ctrl+g"})
    SETTLING_GROUPS = frozenset({"journal", "unlock"})  # the journal's thread: a key waits for what it asked
    BINDINGS = [
        Binding("ctrl+g", "support", "Urgent help", id="support", priority=True),  # an URGENT_KEY: never waits
        Binding("ctrl+l", "lock", "Lock", id="lock", priority=True),  # from a dialog too: the words are kept
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("ctrl+k", "security", "Passphrase and recovery key", id="security", show=False),
        Binding("ctrl+p", "command_palette", "Palette", id="palette", show=False, priority=True),
    ]

    class Unlocked(Message):
        """The worker opened (or created) the vault and loaded the areas; `told` is what the opening had to say,
        `recovery_key` a new one to show, once."""

        def __init__(self, opened: Opened, areas: dict[str, type[AreaScreen]], recovery_key: str = "") -> None:
            super().__init__()
            self.journal = opened.journal
            self.told = opened.told
            self.areas = areas
            self.recovery_key = recovery_key

    class UnlockFailed(Message):
        """The worker could not open the vault; `message` is one plain sentence."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(
        self,
        vault_path: Path,
        *,
        clock: Clock,
        monotonic: Monotonic,
        kdf: KdfParams = DEFAULT_KDF,
        settings_file: Path | None = None,
        handle_signals: bool = False,
        demo_folder: Path | None = None,
        poll_seconds: float | None = POLL_SECONDS,
        relaunch: Relaunch | None = None,
        locked_from: Handover | None = None,
    ) -> None:
        super().__init__(settings_file or settings_path(vault_path), vault_path, monotonic=monotonic,
                         handle_signals=handle_signals, demo_folder=demo_folder, relaunch=relaunch,
                         locked_from=locked_from)
        self.kdf = kdf
        self.clock = clock  # the wall clock: dates, "today", greetings, backups' daily rule
        self.poll_seconds = poll_seconds  # None: the journal file is looked at only when asked (tests)
        self._told_auto_lock_off = False

    # -- lifecycle ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.call_after_refresh(self.check_size)
        self.start_locking()
        if self.demo_folder is not None and self.locked_from is None:
            self.post_message(PassphraseEntered(DEMO_PASSPHRASE, create=False))
        if self.poll_seconds is not None:
            self.set_interval(self.poll_seconds, self.check_disk)
        self.app_resume_signal.subscribe(self, lambda _: self.check_disk())

    @on(PassphraseEntered)
    def _passphrase_entered(self, event: PassphraseEntered) -> None:
        if self.took_passphrase(event):
            return
        passphrase, create, recovery_key, kdf = event.passphrase, event.create, event.recovery_key, self.kdf

        def unlock() -> tuple[Opened, str]:
            from companion.services.opening import create_journal, open_journal

            if not create:
                return open_journal(self.vault_path, passphrase, clock=self.clock), ""
            made = create_journal(self.vault_path, passphrase, kdf=kdf, clock=self.clock)
            return made, (made.journal.make_recovery_key(passphrase, kdf)[0] if recovery_key else "")

        self._unlock(unlock)

    @on(RecoveryEntered)
    def _recovery_entered(self, event: RecoveryEntered) -> None:
        code, new, kdf = event.code, event.new_passphrase, self.kdf

        def unlock() -> tuple[Opened, str]:
            from companion.services.opening import open_with_recovery_key

            opened = open_with_recovery_key(self.vault_path, code, clock=self.clock)
            try:
                opened.journal.set_new_passphrase(new, kdf)
            except BaseException:
                opened.journal.close()
                raise
            return opened, ""

        self._unlock(unlock)

    @work(thread=True, exclusive=True, group="unlock")
    def _unlock(self, unlock: Callable[[], tuple[Opened, str]]) -> None:
        """The KDF is deliberately slow: run it off the event loop. Nothing of the secret is kept after."""
        from companion.security import unlock_failure  # the journal's side is loaded here, off the event loop

        try:
            opened, recovery_key = unlock()
            areas = area_screens()
        except Exception as exc:  # never a traceback on screen
            self.post_message(self.UnlockFailed(unlock_failure(exc)))
            return
        self.post_message(self.Unlocked(opened, areas, recovery_key))

    def on_companion_app_unlocked(self, event: Unlocked) -> None:
        if isinstance(self.screen, GateScreen):
            self.screen.forget()
        from companion.services.runner import JournalRunner

        ensure_settings_file(self.settings_file)
        self.runner = JournalRunner(event.journal, tell=lambda told: self.post_message(self.Told(told)))
        for mode, screen_class in event.areas.items():
            self._add_mode(mode, self._area_maker(screen_class))
        self.switch_mode("home")
        self.refresh_bindings()
        self.call_after_refresh(self.check_size)
        lines = self.settings.crisis_lines
        self.journal_job(lambda j: j.welcome(lines), self._welcome)
        self.tell(event.told)
        if event.recovery_key:
            self.show_recovery_key(event.recovery_key)
        self._last_input = self.monotonic()
        if self.settings.problem:
            self.notify(self.settings.problem, severity="warning", timeout=10)
        if self.settings.auto_lock_minutes == 0 and not self._told_auto_lock_off:
            self._told_auto_lock_off = True
            self.notify(f"Auto-lock is off (auto_lock_minutes is 0 in {self.settings_file}).", timeout=8)

    def _area_maker(self, screen_class: type[AreaScreen]) -> Callable[[], AreaScreen]:
        clock = self.clock
        return lambda: screen_class(clock)

    def _welcome(self, back: Welcome) -> None:
        """Give back what the last session left open: the unfinished entry, then the form."""
        if back.draft is not None:
            from companion.screens.editor import EditorScreen

            self.push_screen(EditorScreen(self.clock, draft=back.draft))
            self.notify(back.draft_note, timeout=6)
        if back.form is not None and back.form.get("area") in AREAS:
            self.call_later(self._reopen_form, back.form)

    async def _reopen_form(self, kept: dict[str, Any]) -> None:
        await self.switch_mode(kept["area"])
        from companion.screens.area import AreaScreen

        screen = self.screen
        if isinstance(screen, AreaScreen):
            screen.reopen(kept)
            self.notify("The form you had open was kept safe, with everything you typed.", timeout=6)

    def on_companion_app_unlock_failed(self, event: UnlockFailed) -> None:
        screen = self.screen
        if isinstance(screen, GateScreen):
            screen.failed(event.message)

    def check_disk(self) -> None:
        """Fold in a copy of the journal that a sync tool (or another device) put in place, and say so."""

        from companion.screens.area import AreaScreen
        from companion.services.capture import take_captured

        def told(lines: list[str]) -> None:
            self.tell(lines)
            if lines and isinstance(self.screen, AreaScreen):
                self.screen.reload()

        def job(journal: Journal) -> list[str]:
            # entries captured (companion capture) while the journal is open, then a copy that changed underneath
            return [*take_captured(journal), *journal.sync()]

        self.journal_job(job, told)

    # -- editors (our own bookkeeping of which are open, in any mode) --------------------------------
    def open_editor(self, *, entry: Reflection | None = None, prompt: Prompt | None = None,
                    experiment: int | None = None, people: list[int] | None = None) -> None:
        """The editor on a new entry (to a prompt, about an ask experiment, with people), or on an existing one
        (remembering which version it started from)."""
        from companion.domain.reflection import Reflection
        from companion.screens.editor import EditorScreen

        if entry is None:
            new = Reflection(text="", created=self.clock(), prompt=prompt.text if prompt else None,
                             theme=prompt.theme if prompt else None, contacts=people or [], experiment=experiment)
            self.push_screen(EditorScreen(self.clock, entry=new))
            return
        self.journal_job(lambda j: j.reflections.revision(entry.id),
                         lambda base: self.push_screen(EditorScreen(self.clock, entry=entry, base=base)))

    # -- what reaches the terminal: control characters shown, never obeyed ---------------------------
    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        """A notification; file names and words in it cannot drive the terminal."""
        super().notify(visible(message), *args, **kwargs)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.Paste):
            self._last_input = self.monotonic()  # the idle auto-lock counts from here
        if isinstance(event, events.Paste):
            event.text = visible(event.text)  # a paste carries no escape sequence into an entry
        await super().on_event(event)

    # -- areas, help, support, themes ----------------------------------------------------------------
    def action_switch_area(self, area: str) -> None:
        """Go to one of the areas."""
        if self.runner is not None and area in AREAS:
            self.switch_mode(area)

    async def action_goto(self, area: str, action: str) -> None:
        """Go to an area and do one of its actions there (the palette's "New boundary", "Export", ...)."""
        if self.runner is None or area not in AREAS:
            return
        await self.switch_mode(area)
        await self.screen.run_action(action)

    def action_support(self) -> None:
        """The support card: where to find urgent help, and the safety plan. Needs no unlocking, never waits."""
        if isinstance(self.screen, SupportDialog):
            return
        s = self.settings
        lines = s.crisis_lines
        card = SupportDialog(lines, str(self.settings_file), s.problem, editable=self.unlocked)
        self.push_screen(card, self._support_closed)
        if self.unlocked:  # the plan comes from the journal's thread; the card shows at once
            self.journal_job(lambda j: j.safety.written_text(lines), card.show_plan)
        else:  # only the copy the person chose to keep readable on this device
            from companion.services.safety import readable_copy

            card.call_after_refresh(card.show_plan, readable_copy(self.vault_path))

    def _support_closed(self, answer: str | None) -> None:
        if answer == "plan":
            self.call_later(self.run_action, "goto('secure', 'plan')")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("lock", "switch_area", "security", "goto"):
            return self.runner is not None
        return True

    # -- passphrase and recovery key (security.py) ---------------------------------------------------
    @work(group="app-dialog")
    async def action_security(self) -> None:
        """Change the passphrase, or make a new recovery key."""
        from companion.security import SecurityFlows

        await SecurityFlows(self).choose()

    @work(group="app-dialog")
    async def show_recovery_key(self, code: str) -> None:
        """Show a new recovery key once; save it to a file (0600) if the person asks."""
        from companion.security import SecurityFlows

        await SecurityFlows(self).show_recovery_key(code)
