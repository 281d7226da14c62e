"""Read-only cards: the support card, the key help, and a record's details."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from companion.dialogs.base import Dialog

NOT_CLINICAL = (
    "companion is a private journal. It is not a clinical tool, not therapy and not an emergency "
    "service, and nobody is watching what you write here."
)


class SupportDialog(Dialog[None]):
    """Where to find urgent help; opens from every screen, even while locked."""

    def __init__(self, lines: list[str], settings_file: str, problem: str = "") -> None:
        super().__init__()
        self._lines, self._file, self._problem = lines, settings_file, problem

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="support"):
            yield Static("If you need help now", classes="dialog-title")
            yield Static(NOT_CLINICAL, classes="dialog-text")
            yield Static(
                "If you are in danger or thinking about ending your life, please reach out now:",
                classes="dialog-text",
            )
            yield Static(Content("\n".join(f"• {line}" for line in self._lines)), classes="dialog-lines")
            if self._problem:
                yield Static(Content(self._problem), classes="dialog-error")
            yield Static(
                Content(f"You can change these lines in {self._file}. That file is not encrypted: "
                        "keep names and private details out of it."),
                classes="dialog-hint",
            )
            yield Static("escape to close", classes="dialog-hint")


class HelpDialog(Dialog[None]):
    """Every key of the screen underneath, with what it does."""

    def __init__(self, title: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title, self._keys = title, keys

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self._keys), default=4) + 2
        rows = "\n".join(f"{key:<{width}}{what}" for key, what in self._keys)
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(f"Keys: {self._title}", classes="dialog-title")
            yield Static(Content(rows), classes="dialog-lines")
            yield Static("escape to close", classes="dialog-hint")


class DetailDialog(Dialog[str]):
    """A record shown in full; returns 'edit', 'delete' or 'log' (only the keys that apply are offered)."""

    BINDINGS = [
        Binding("e", "choose('edit')", "Edit", id="detail.edit"),
        Binding("d", "choose('delete')", "Delete", id="detail.delete"),
        Binding("l", "choose('log')", "Log", id="detail.log"),
        Binding("escape", "close", "Close", id="detail.close"),
    ]

    def __init__(self, title: str, body: Content, *, actions: bool = True, loggable: bool = False) -> None:
        super().__init__()
        self._title, self._body = title, body
        self._actions, self._loggable = actions, loggable

    def compose(self) -> ComposeResult:
        keys = (["l log"] if self._loggable else []) + (["e edit", "d delete"] if self._actions else [])
        with VerticalScroll(classes="dialog", id="detail"):
            yield Static(Content(self._title), classes="dialog-title")
            yield Static(self._body, classes="dialog-lines")
            yield Static(" · ".join([*keys, "escape close"]), classes="dialog-hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return self._loggable if parameters == ("log",) else self._actions
        return True

    def action_choose(self, action: str) -> None:
        """Return the chosen action."""
        self.dismiss(action)


class NoticeDialog(Dialog[None]):
    """A message to read, then escape."""

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self._title, self._text = title, text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="notice"):
            yield Static(Content(self._title), classes="dialog-title")
            yield Static(Content(self._text), classes="dialog-lines")
            yield Static("escape to close", classes="dialog-hint")
