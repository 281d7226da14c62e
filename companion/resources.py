"""Where the shipped Textual CSS lives (inside the wheel, or the checkout when developing)."""

from __future__ import annotations

from pathlib import Path, PurePath

STYLE_FILES = ("base.tcss", "gate.tcss", "home.tcss", "lists.tcss", "editor.tcss", "dialogs.tcss", "share.tcss")


def styles_dir() -> Path:
    """The folder of .tcss files: companion/styles when installed, ../styles in a checkout."""
    packaged = Path(__file__).resolve().parent / "styles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "styles"


def stylesheets() -> list[str | PurePath]:
    """Every stylesheet the app loads, in order."""
    folder = styles_dir()
    return [folder / name for name in STYLE_FILES]
