"""Where the shipped Textual CSS lives (inside the wheel, or the checkout when developing)."""

from __future__ import annotations

from pathlib import Path, PurePath

# What the unlock screen (and any dialog) needs, read when the app starts; the journal's screens' styles are read
# when the first of them is shown, after unlocking (Textual's Screen.CSS_PATH), so the start parses less.
APP_STYLES = ("base.tcss", "gate.tcss", "dialogs.tcss")
JOURNAL_STYLES = ("home.tcss", "lists.tcss", "editor.tcss", "share.tcss")
STYLE_FILES = (*APP_STYLES, *JOURNAL_STYLES)


def styles_dir() -> Path:
    """The folder of .tcss files: companion/styles when installed, ../styles in a checkout."""
    packaged = Path(__file__).resolve().parent / "styles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "styles"


def stylesheets(names: tuple[str, ...] = STYLE_FILES) -> list[str | PurePath]:
    """These stylesheets (every one by default), in order."""
    folder = styles_dir()
    return [folder / name for name in names]
