"""The areas of an unlocked journal, by mode: loaded with the first unlock (in the unlock's thread, while the key is
derived), so the unlock screen shows without them, or the journal, storage and the PDF's libraries behind them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.screens.area import AreaScreen

AREAS: dict[str, tuple[str, str]] = {
    "home": ("companion.screens.home", "HomeScreen"),
    "reflections": ("companion.screens.reflections", "ReflectionsScreen"),
    "boundaries": ("companion.screens.boundaries", "BoundariesScreen"),
    "secure": ("companion.screens.secure_base", "SecureBaseScreen"),
    "share": ("companion.screens.share", "ShareScreen"),
    "sessions": ("companion.screens.sessions", "SessionsScreen"),
    "asks": ("companion.screens.asks", "AsksScreen"),
}


def area_screens() -> dict[str, type[AreaScreen]]:
    """The area screens' classes (importing them the first time)."""
    return {mode: getattr(importlib.import_module(module), name) for mode, (module, name) in AREAS.items()}
