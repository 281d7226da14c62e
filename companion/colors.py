"""The app's colour choices (--color, and `color` in settings.toml), and what Textual is told for each. Standard
library only: every start reads it, before anything slow."""

from __future__ import annotations

COLORS = ("auto", "256", "16", "none")


def color_environment(choice: str) -> dict[str, str]:
    """The environment Textual reads for a colour choice (auto: whatever the terminal says)."""
    return {"256": {"TEXTUAL_COLOR_SYSTEM": "256"}, "16": {"TEXTUAL_COLOR_SYSTEM": "standard"},
            "none": {"NO_COLOR": "1"}}.get(choice, {})
