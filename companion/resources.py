"""Where the shipped Textual CSS lives (inside the wheel, or the checkout when developing)."""

from __future__ import annotations

from pathlib import Path, PurePath

# What the unlock screen needs is read when the app starts (a screen's own CSS_PATH would cost the start one more
# parse). The rest comes with the screens that use it (Textual's Screen.CSS_PATH): the dialogs' when the first
# opens, the journal's screens' when the first shows after unlocking. Textual parses every stylesheet it holds
# again each time, so the start parses less.
APP_STYLES = ("base.tcss", "gate.tcss")
DIALOG_STYLES = ("dialogs.tcss",)
JOURNAL_STYLES = ("home.tcss", "lists.tcss", "editor.tcss", "share.tcss")
STYLE_FILES = (*APP_STYLES, *DIALOG_STYLES, *JOURNAL_STYLES)


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
