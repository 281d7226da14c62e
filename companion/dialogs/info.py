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


class SupportDialog(Dialog[str]):
    """Where to find urgent help, and the person's safety plan; opens from every screen, even while locked.

    The plan comes a moment later (`show_plan`): the card itself never waits for the journal. `editable`: a
    journal is open, so p opens the plan to write or change it (the dialog returns "plan").
    """

    BINDINGS = [Binding("p", "edit_plan", "Safety plan", id="support.plan")]

    def __init__(self, lines: list[str], settings_file: str, problem: str = "", *, editable: bool = False) -> None:
        super().__init__()
        self._lines, self._file, self._problem, self._editable = lines, settings_file, problem, editable
        self._plan = Content("")

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
            yield Static(self._plan, id="plan", classes="dialog-lines")
            yield Static(
                Content(f"You can change the lines above in {self._file}. That file is not encrypted: "
                        "keep names and private details out of it."),
                classes="dialog-hint",
            )
            keys = "p write or change my safety plan · escape to close" if self._editable else "escape to close"
            yield Static(keys, classes="dialog-hint")

    def show_plan(self, text: str | None) -> None:
        """The plan's text (None: none written, or none kept readable while locked), said in a plain sentence."""
        if text:
            shown = Content(text.rstrip())
        elif self._editable:
            shown = Content("You have not written a safety plan yet: the steps to take, in order, when a crisis "
                            "comes. p writes one, ideally with your therapist.")
        else:
            shown = Content("Your safety plan, if you wrote one, is sealed in your journal: unlock to see it. "
                            "You can choose to see it here before unlocking (in the plan: Show it before "
                            "unlocking, on this device).")
        self._plan = shown  # composed with it, or put in place on mount, when it comes first
        for shown_here in self.query("#plan").results(Static):
            shown_here.update(shown)

    def on_mount(self) -> None:
        # The plan may have come after compose made its line but before that line was mounted (and so could be
        # found): show what came.
        self.query_one("#plan", Static).update(self._plan)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._editable if action == "edit_plan" else True

    def action_edit_plan(self) -> None:
        """Close, and open the plan to write or change it."""
        self.dismiss("plan")


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
        Binding("a", "choose('ask')", "Ask for help", id="detail.ask"),
        Binding("w", "choose('write')", "Reflect", id="detail.write"),
        Binding("escape", "close", "Close", id="detail.close"),
    ]

    def __init__(self, title: str, body: Content, *, actions: bool = True, loggable: bool = False,
                 askable: bool = False, writable: bool = False, log_label: str = "log") -> None:
        super().__init__()
        self._title, self._body = title, body
        self._actions, self._loggable, self._askable, self._writable = actions, loggable, askable, writable
        self._log_label = log_label

    def compose(self) -> ComposeResult:
        keys = ((["a ask for help"] if self._askable else []) + ([f"l {self._log_label}"] if self._loggable else [])
                + (["w reflect on it"] if self._writable else []) + (["e edit", "d delete"] if self._actions else []))
        with VerticalScroll(classes="dialog", id="detail"):
            yield Static(Content(self._title), classes="dialog-title")
            yield Static(self._body, classes="dialog-lines")
            yield Static(" · ".join([*keys, "escape close"]), classes="dialog-hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            flags: dict[tuple[object, ...], bool] = {("log",): self._loggable, ("ask",): self._askable,
                                                     ("write",): self._writable}
            return flags.get(parameters, self._actions)
        return True

    def action_choose(self, action: str) -> None:
        """Return the chosen action."""
        self.dismiss(action)


class NoticeDialog(Dialog[None]):
    """A message to read, then escape; `copyable` (a passphrase shown once) can be copied with c."""

    BINDINGS = [Binding("c,ctrl+y", "copy", "Copy", id="notice.copy"),
                Binding("escape", "close", "Close", id="notice.close")]

    def __init__(self, title: str, text: str, copyable: tuple[str, str] | None = None) -> None:
        super().__init__()
        self._title, self._text, self._copyable = title, text, copyable

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="notice"):
            yield Static(Content(self._title), classes="dialog-title")
            yield Static(Content(self._text), classes="dialog-lines")
            yield Static(f"c copy the {self._copyable[1]} · escape close" if self._copyable else "escape to close",
                         classes="dialog-hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._copyable is not None if action == "copy" else True

    def action_copy(self) -> None:
        """Copy the passphrase (OSC 52)."""
        if self._copyable is not None:
            text, what = self._copyable
            self.copy_out(text, f"the {what}")


MIN_WIDTH, MIN_HEIGHT = 60, 20


class TooSmallDialog(Dialog[None]):
    """Covers everything while the terminal is smaller than companion can show well; goes when it grows."""

    def compose(self) -> ComposeResult:
        yield Static(self._text(), id="too-small")

    def action_close(self) -> None:
        """Escape does nothing here: the message goes when the window is large enough."""

    def _text(self) -> str:
        width, height = self.app.size
        return (f"Please make the window larger.\n\ncompanion needs at least {MIN_WIDTH}x{MIN_HEIGHT}; "
                f"it is {width}x{height} now. Nothing is lost meanwhile.")

    def on_resize(self) -> None:
        if self.app.screen is not self:
            return  # left behind in a mode that is not showing: it checks again when it shows
        if too_small(*self.app.size):
            self.query_one("#too-small", Static).update(self._text())
        else:
            self.dismiss(None)

    def on_screen_resume(self) -> None:
        self.call_later(self.on_resize)


def too_small(width: int, height: int) -> bool:
    """Whether the terminal is below the size every screen is made for."""
    return width < MIN_WIDTH or height < MIN_HEIGHT
