"""What companion asks of every terminal, apart from the journal: its themes and cursor, the palette,
the minimum size, and keys that survive tmux and SSH. `CompanionApp` builds the journal's life on it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import events
from textual.app import SystemCommand
from textual.screen import Screen

from companion.dialogs.info import HelpDialog, TooSmallDialog, too_small
from companion.errors import CompanionError
from companion.palette import NAMED
from companion.resources import APP_STYLES, stylesheets
from companion.settings import blink_wanted, load_settings, remember
from companion.textual_private import KeysInOrder, QuietCrash, tune_linux_drivers
from companion.themes import THEME_TITLES, THEMES

NO_SCREENSHOTS = "Screenshots are turned off so your writing never lands on disk."


def _escaped_character(event: events.Key) -> str | None:
    """The character of an alt+character key (what Escape followed at once by a character reads as)."""
    rest = event.key.removeprefix("alt+")
    if rest == event.key or "+" in rest:
        return None
    character = event.character or (rest if len(rest) == 1 else None)
    return character if character is not None and len(character) == 1 and character.isprintable() else None


class TerminalApp(KeysInOrder, QuietCrash):
    """Themes, blink, palette, minimum size, keys in order and Escape pairs, from the settings file."""

    def __init__(self, settings_file: Path) -> None:
        super().__init__(css_path=stylesheets(APP_STYLES))
        tune_linux_drivers()
        self.settings_file = settings_file
        self.settings = load_settings(settings_file)
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = self.settings.theme
        self.blink = blink_wanted(self.settings, os.environ)

    @property
    def unlocked(self) -> bool:
        """Whether a journal is open (the palette offers its actions only then)."""
        return False

    # -- keys: Escape and a character arriving together -------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if (isinstance(event, events.Key) and not event.is_forwarded
                and (character := _escaped_character(event)) is not None):
            # Escape and the next character arrived together (tmux, SSH): companion binds no alt keys, so
            # it was Escape, then that key, each in its turn. (alt+arrows and the like stay word moves.)
            await super().on_event(events.Key("escape", None))
            await super().on_event(events.Key(event.key.removeprefix("alt+"), character))
            return
        await super().on_event(event)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Each blink redraws a line: over SSH the cursor stays still unless the settings ask for a blink.
        widget = event.widget  # an Input or a TextArea (not imported: the start does without the editor)
        if getattr(widget, "cursor_blink", self.blink) != self.blink:
            widget.cursor_blink = self.blink  # type: ignore[attr-defined]

    # -- sizes: below the minimum, one plain message covers everything (nothing underneath changes) ----
    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.check_size)

    def check_size(self) -> None:
        """Cover the screen with "please make the window larger" while it is too small."""
        if too_small(*self.size) and not isinstance(self.screen, TooSmallDialog):
            self.push_screen(TooSmallDialog())

    # -- themes ----------------------------------------------------------------------------------------
    def action_set_theme(self, name: str) -> None:
        """Change the colours, and remember the choice in the settings file."""
        if name not in THEME_TITLES:
            return
        self.theme = name
        try:
            remember(self.settings_file, "theme", name)
        except (CompanionError, OSError):
            self.notify("The theme changed, but the settings file could not be written to remember it.",
                        severity="warning", timeout=8)
            return
        self.notify(f"Theme: {THEME_TITLES[name]}. It is remembered in {self.settings_file}.", timeout=5)

    # -- the palette: every action by name, then this screen's keys; no screenshots (text on disk) -----
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        titles: set[str] = set()
        actions: set[str] = set()
        for named in NAMED:
            if named.unlocked and not self.unlocked:
                continue
            titles.add(named.title.lower())
            actions.add(named.action)
            yield SystemCommand(named.title, named.help, lambda action=named.action: self.run_action(action))
        for active in screen.active_bindings.values():
            binding = active.binding
            # Only companion's own keys (they carry ids); Textual's "Focus Next" or "Copy selected text" stay out.
            if (binding.id is None or binding.system or not binding.description or not active.enabled
                    or binding.action == "command_palette" or binding.description.lower() in titles
                    or binding.action.removeprefix("app.") in actions):
                continue
            titles.add(binding.description.lower())
            node, action = active.node, binding.action
            yield SystemCommand(binding.description, f"key: {self.get_key_display(binding)}",
                                lambda node=node, action=action: node.run_action(action))

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.notify(NO_SCREENSHOTS)

    def deliver_screenshot(self, *args: object, **kwargs: object) -> None:
        self.notify(NO_SCREENSHOTS)

    # -- help: every key of the screen showing ---------------------------------------------------------
    def action_help(self) -> None:
        """Every key of the current screen, with what it does."""
        name = self.screen.__class__.__name__.removesuffix("Screen").removesuffix("Dialog")
        title = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).capitalize()  # SecureBase: "Secure base"
        self.push_screen(HelpDialog(title, self.screen_keys()))

    def screen_keys(self) -> list[tuple[str, str]]:
        """The keys that act on the current screen now, as (key, description)."""
        seen: list[tuple[str, str]] = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.system or binding.id is None or not binding.description or not active.enabled:
                continue
            seen.append((self.get_key_display(binding), binding.description))
        return seen
