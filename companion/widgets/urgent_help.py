"""The one-line reminder, on every screen, that companion is not an emergency service."""

from __future__ import annotations

from textual.widgets import Static

URGENT_HELP = "Not a clinical or emergency service · in crisis, call local emergency services"


class UrgentHelp(Static):
    """Where to find urgent help, always visible."""

    def __init__(self) -> None:
        super().__init__(URGENT_HELP, id="urgent-help", markup=False)
