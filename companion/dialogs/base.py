"""The frame every dialog shares: a centred card, escape to close, a hint line."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

from companion.resources import DIALOG_STYLES, stylesheets

T = TypeVar("T")


class Dialog(ModalScreen[T], Generic[T]):
    """A modal card that dismisses with a value; it never saves anything itself."""

    BINDINGS = [Binding("escape", "close", "Close", id="dialog.close")]
    CSS_PATH = stylesheets(DIALOG_STYLES)  # read when the first dialog opens (see resources.py)

    def action_close(self) -> None:
        """Close without a value."""
        self.dismiss(None)

    def copy_out(self, text: str, what: str) -> None:
        """Put `text` on the terminal's clipboard (OSC 52, which works over SSH and in most terminals)."""
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {what} to the clipboard, if your terminal allows it (tmux needs set-clipboard on). "
                    "It is also shown here to copy by hand.", timeout=8)
