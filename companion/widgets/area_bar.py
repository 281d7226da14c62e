"""The bar across the top: the four areas and their keys, the current one marked."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

AREAS: dict[str, tuple[str, str]] = {
    "home": ("1", "Home"),
    "reflections": ("2", "Reflections"),
    "boundaries": ("3", "Boundaries"),
    "secure": ("4", "Secure base"),
    "share": ("5", "Share"),
}


class AreaBar(Static):
    """Shows where you are and how to go elsewhere."""

    def __init__(self, current: str) -> None:
        parts: list[str | tuple[str, str]] = [("companion ", "bold")]
        for area, (key, label) in AREAS.items():
            style = "reverse bold" if area == current else ""
            parts.extend([" ", (f" {key} {label} ", style)])
        super().__init__(Content.assemble(*parts), id="area-bar")
