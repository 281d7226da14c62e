"""The one place companion uses private Textual API: what a crash prints.

Textual's crash report is a traceback with local variables, which would put decrypted text on the
terminal. Textual offers no public way to replace it, so this mixin overrides `App._fatal_error` and
writes one plain sentence to `App._exit_renderables` instead. tests/ui/test_crash_guard.py fails
loudly if a Textual upgrade renames either.
"""

from __future__ import annotations

from textual.app import App

CRASH_MESSAGE = (
    "companion met an unexpected problem and closed. Your journal is safe on disk, "
    "and any unfinished entry was kept as a draft."
)
PRIVATE_NAMES = ("_fatal_error", "_exit_renderables", "_close_messages_no_wait")


class QuietCrash(App[int]):
    """An App whose crash report is one sentence, never a traceback."""

    def _fatal_error(self) -> None:
        self.bell()
        self._exit_renderables.append(CRASH_MESSAGE)
        self._close_messages_no_wait()
