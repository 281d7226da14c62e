"""The frame every dialog shares: a centred card, escape to close, a hint line."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

T = TypeVar("T")


class Dialog(ModalScreen[T], Generic[T]):
    """A modal card that dismisses with a value; it never saves anything itself."""

    BINDINGS = [Binding("escape", "close", "Close", id="dialog.close")]

    def action_close(self) -> None:
        """Close without a value."""
        self.dismiss(None)
