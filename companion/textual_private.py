"""The one place companion reaches past Textual's public API, and why.

1. What a crash prints. Textual's crash report is a traceback with local variables, which would put
   decrypted text on the terminal. Textual offers no public way to replace it, so `QuietCrash`
   overrides `App._fatal_error` and writes one plain sentence to `App._exit_renderables` instead.
2. What rendering remembers. Textual and Rich keep module-level caches (functools.lru_cache) of
   rendered lines and measured text; one of them (`StylesCache.get_inner_outer`) even keeps every
   rendered widget's line cache alive. `forget_rendered_text` clears every such cache in their modules
   when the journal locks, so no decrypted line outlives the screens that showed it.

tests/ui/test_textual_private.py fails loudly if a Textual upgrade changes any of this.
"""

from __future__ import annotations

import functools
import gc

from textual.app import App

CRASH_MESSAGE = (
    "companion met an unexpected problem and closed. Your journal is safe on disk, "
    "and any unfinished entry was kept as a draft."
)
PRIVATE_NAMES = ("_fatal_error", "_exit_renderables", "_close_messages_no_wait")
CACHING_LIBRARIES = ("textual", "rich")


class QuietCrash(App[int]):
    """An App whose crash report is one sentence, never a traceback."""

    def _fatal_error(self) -> None:
        self.bell()
        self._exit_renderables.append(CRASH_MESSAGE)
        self._close_messages_no_wait()


def forget_rendered_text() -> int:
    """Clear Textual's and Rich's module-level caches, then collect; returns how many were cleared."""
    cleared = 0
    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper):
            module = getattr(obj, "__module__", "") or ""
            if module.split(".")[0] in CACHING_LIBRARIES:
                obj.cache_clear()
                cleared += 1
    gc.collect()
    return cleared
