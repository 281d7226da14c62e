"""The one place companion reaches past Textual's public API, and why.

1. What a crash prints. Textual's crash report is a traceback with local variables, which would put
   decrypted text on the terminal. Textual offers no public way to replace it, so `QuietCrash`
   overrides `App._fatal_error` and writes one plain sentence to `App._exit_renderables` instead.
2. What rendering remembers. Textual and Rich keep module-level caches (functools.lru_cache) of
   rendered lines and measured text; one of them (`StylesCache.get_inner_outer`) even keeps every
   rendered widget's line cache alive. `forget_rendered_text` clears every such cache in their modules
   when the journal locks, so no decrypted line outlives the screens that showed it.
3. Escape, then a key. Over SSH or in tmux (its escape-time) an Escape and the key pressed right after
   it often arrive together, and Textual's table of terminal sequences reads some of those pairs as
   something else: Escape-2 types "™" (a macOS Option key), Escape-f moves a word right.
   `read_escape_then_key` takes those pairs out of the table, so they read as alt+key, which the App
   turns back into Escape and the key (companion binds no alt keys).
4. Which row is highlighted, in the characters. An OptionList shows its highlighted row by colour (and
   reverse video) only; a plain-text copy of the screen cannot tell it. `MarkedOptionList` writes `►`
   over the leading space of the highlighted option's first line, which needs OptionList's private map
   from screen lines to options (`_lines`).

tests/ui/test_textual_private.py fails loudly if a Textual upgrade changes any of this.
"""

from __future__ import annotations

import functools
import gc
from typing import cast

from rich.segment import Segment
from textual import _ansi_sequences
from textual.app import App
from textual.strip import Strip
from textual.widgets import OptionList

CRASH_MESSAGE = (
    "companion met an unexpected problem and closed. Your journal is safe on disk, "
    "and any unfinished entry was kept as a draft."
)
PRIVATE_NAMES = ("_fatal_error", "_exit_renderables", "_close_messages_no_wait")
ESCAPE_PAIRS = tuple(f"\x1b{key}" for key in "1234567890-=§bf")  # Escape then a key, read as something else
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


def read_escape_then_key() -> list[str]:
    """Let Escape followed at once by a key read as alt+key (see 3 above); returns the pairs taken out."""
    table = cast(dict[str, object], _ansi_sequences.ANSI_SEQUENCES_KEYS)  # a plain dict, typed as Mapping
    return [pair for pair in ESCAPE_PAIRS if table.pop(pair, None) is not None]


MARK = "►"


class MarkedOptionList(OptionList):
    """An OptionList whose highlighted option begins with ► (its options begin with a space for it)."""

    def render_line(self, y: int) -> Strip:
        """Textual's line, with the mark over the first cell when it is the highlighted option's first line."""
        strip = super().render_line(y)
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return strip
        if index != self.highlighted or offset != 0:
            return strip
        segments = list(strip)
        if not segments or not segments[0].text.startswith(" "):
            return strip
        first = segments[0]
        marked = [Segment(MARK, first.style), Segment(first.text[1:], first.style, first.control)]
        return Strip([*marked, *segments[1:]], strip.cell_length)
