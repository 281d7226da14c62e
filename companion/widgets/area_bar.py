"""The bar across the top: the areas and their keys, the current one marked; it fits any width."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

AREAS: dict[str, tuple[str, str, str]] = {  # key, label, short label
    "home": ("1", "Home", "Home"),
    "reflections": ("2", "Reflections", "Reflect"),
    "boundaries": ("3", "Boundaries", "Bounds"),
    "secure": ("4", "Secure base", "Base"),
    "share": ("5", "Share", "Share"),
    "sessions": ("6", "Sessions", "Sessions"),
    "asks": ("7", "Asks", "Asks"),
}


class AreaBar(Widget):
    """Shows where you are and how to go elsewhere; at narrow widths the other areas shrink to their keys."""

    def __init__(self, current: str) -> None:
        super().__init__(id="area-bar")
        self.current = current

    def render(self) -> Content:
        for title, labels in ((True, "full"), (False, "full"), (False, "short"), (False, "")):
            content = self._bar(title, labels)
            if content.cell_length <= self.size.width:
                return content
        return content

    def _bar(self, title: bool, labels: str) -> Content:
        parts: list[str | tuple[str, str]] = [("companion ", "bold")] if title else []
        for area, (key, full, short) in AREAS.items():
            here = area == self.current
            label = full if labels == "full" else short
            # The current area is marked by reverse video and by brackets, so it shows without colour too.
            if labels == "short":
                text = f"[{key} {label}]" if here else f" {key} {label}"
            else:
                text = f"[{key} {label}]" if here else f" {key} {label} " if labels else f" {key} "
            parts.extend([" " if parts and labels != "short" else "", (text, "reverse bold" if here else "")])
        return Content.assemble(*parts)
