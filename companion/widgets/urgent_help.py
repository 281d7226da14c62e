"""The one-line reminder, on every screen, that companion is not an emergency service."""

from __future__ import annotations

from textual.widgets import Static

URGENT_HELP = "Not a clinical or emergency service · in crisis, call local emergency services"
URGENT_HELP_SHORT = "Not an emergency service · in crisis: ctrl+g"  # one line in narrow terminals


class UrgentHelp(Static):
    """Where to find urgent help, always visible (in one line, at any width)."""

    def __init__(self) -> None:
        super().__init__(URGENT_HELP, id="urgent-help", markup=False)

    def render(self) -> str:
        """The whole sentence when it fits on the line, else the short one."""
        return URGENT_HELP if self.size.width >= len(URGENT_HELP) else URGENT_HELP_SHORT


DEMO = "DEMO · fictional entries, deleted when you quit"


class DemoBanner(Static):
    """Shown on every screen of `companion --demo`."""

    def __init__(self) -> None:
        super().__init__(DEMO, id="demo-banner", markup=False)
