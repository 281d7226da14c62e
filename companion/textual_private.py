"""The one place companion reaches past Textual's public API, and why.

1. What a crash prints. Textual's crash report is a traceback with local variables, which would put
   decrypted text on the terminal. Textual offers no public way to replace it, so `QuietCrash`
   overrides `App._fatal_error` and writes one plain sentence to `App._exit_renderables` instead.
2. What rendering remembers. Textual and Rich keep module-level caches (functools.lru_cache) of
   rendered lines and measured text; one of them (`StylesCache.get_inner_outer`) even keeps every
   rendered widget's line cache alive. `forget_rendered_text` clears every such cache in their modules
   when the journal locks, so no decrypted line outlives the screens that showed it.
3. Escape, then a key. Over SSH or in tmux (its escape-time) an Escape and the keys pressed right after
   it often arrive together. Textual's terminal parser then keeps reading them as one unknown sequence:
   some pairs mean something else in its table (Escape-2 types "™", a macOS Option key; Escape-f moves a
   word right), a pause makes the pair an alt+key, and 32 characters without a pause turn the Escape into
   a typed "^". `EscapeThenKey` (the parser the Linux drivers build, `_sequence_to_key_events` overridden)
   reads Escape followed by a character that starts no terminal sequence as Escape, then that character,
   as soon as the character arrives. (An alt+key still read as one, from a terminal that reports alt
   itself, is turned into Escape and the key by the App: companion binds no alt keys.)
4. Which row is highlighted, in the characters. An OptionList shows its highlighted row by colour (and
   reverse video) only; a plain-text copy of the screen cannot tell it. `MarkedOptionList` writes `►`
   over the leading space of the highlighted option's first line, which needs OptionList's private map
   from screen lines to options (`_lines`).
5. Keys in order. Textual's App hands each key to the focused widget's queue and goes straight on to the
   next key; a key the widget does not use (Tab, Enter, `/`) travels back up to the App's queue before its
   binding runs, behind the keys that came with it. So a burst (a paste, a slow SSH line, a fast typist)
   typed "Ann", Tab, "No calls late" all into the first field. `KeysInOrder` hands a key on only once the
   key before it is done: handled where it went and by each parent it went on to (a callback queued on a
   widget after the key runs once the widget is done with it), and, when a binding took it or the focus
   or the screen moved, until the screen showing has handled everything that followed and the work the key
   started (a worker preparing a dialog, a save) has ended or opened its screen, for at most WORK_WAIT
   seconds. Waiting on a widget or a worker needs its task (`_task`), so as not to wait on one that ended.

6. Handing the terminal to the process that replaces this one (relaunch.py). Textual offers only stopping the
   application mode, which leaves the alternate screen, puts the terminal back in cooked mode (keys typed then
   would be echoed, a passphrase among them) and flushes unread keys. `stop_reading_keys` stops the Linux
   driver's input thread only (`exit_event`, `_key_thread`): keys not yet read stay in the terminal for the
   fresh process (its selector, `QuickToStop`, put in the driver module's `selectors`, lets it stop within one
   select of 0.1 s instead of two). `finish_writing` stops its writer thread (`_writer_thread`), so no escape
   sequence is cut in half, and returns the terminal settings from before the first app started (`attrs_before`), which
   `restore_on_exit` gives the fresh process's driver, so quitting later restores the shell's own settings.
7. A highlight that is no longer there. A SelectionList turns the OptionList's "highlighted" message into its
   own by looking the option up again by index when the message is handled; when the list was emptied or
   refilled meanwhile (the Share screen lists again as a choice changes), the lookup fails and the app
   crashed. `SteadySelectionList` adds a handler of the same name (`_on_option_list_option_highlighted`),
   which Textual runs first and which keeps SelectionList's from running on such a message: the option it
   named is gone, and the refilled list highlights its own.

tests/ui/test_textual_private.py fails loudly if a Textual upgrade changes any of this.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import selectors
import threading
import types
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

from rich.segment import Segment
from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.drivers import linux_driver, linux_inline_driver
from textual.message_pump import MessagePump
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist
from textual.worker import Worker

CRASH_MESSAGE = (
    "companion met an unexpected problem and closed. Your journal is safe on disk, "
    "and any unfinished entry was kept as a draft."
)
PRIVATE_NAMES = ("_fatal_error", "_exit_renderables", "_close_messages_no_wait")
DRIVER_PRIVATE = ("exit_event", "_key_thread", "_writer_thread", "attrs_before")
SEQUENCE_STARTS = frozenset("[O]P_^\\X\x1b")  # what may follow Escape in a terminal's own sequence
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


class EscapeThenKey(XTermParser):
    """Textual's terminal parser, reading Escape and a character that came with it as both (see 3)."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if len(sequence) == 2 and sequence[0] == "\x1b" and sequence[1] not in SEQUENCE_STARTS \
                and sequence[1].isprintable():
            yield events.Key("escape", "\x1b")
            yield from super()._sequence_to_key_events(sequence[1])
            return
        yield from super()._sequence_to_key_events(sequence, alt)


def tune_linux_drivers() -> None:
    """Have the Linux drivers build `EscapeThenKey` as their parser, and stop reading keys at once when told."""
    for driver in (linux_driver, linux_inline_driver):
        setattr(driver, "XTermParser", EscapeThenKey)  # noqa: B010 (a module's global, not a typed attribute)
    setattr(linux_driver, "selectors", _QUICK_SELECTORS)  # noqa: B010


class QuickToStop(selectors.SelectSelector):
    """The Linux driver's selector. Told to stop, its input thread unregisters the terminal and waits on an empty
    selector for 0.1 s more; once a lock hands the terminal over (`handing_over`), this one returns at once when
    nothing is registered, so the fresh process starts sooner. Otherwise it is SelectSelector, unchanged."""

    handing_over = False  # set by stop_reading_keys: this process is about to be replaced

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if QuickToStop.handing_over and not self.get_map():
            return []
        return super().select(timeout)


_QUICK_SELECTORS = types.ModuleType("selectors")
_QUICK_SELECTORS.__dict__.update(vars(selectors))
_QUICK_SELECTORS.SelectSelector = QuickToStop  # type: ignore[attr-defined]


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


V = TypeVar("V")


class SteadySelectionList(SelectionList[V]):
    """A SelectionList that drops a highlight message whose option is no longer in the list (see 7)."""

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Runs before SelectionList's own handler (Textual calls each class's), which it skips for a message
        whose option has gone."""
        try:
            still_there = self.get_option_at_index(event.option_index) is event.option
        except OptionDoesNotExist:
            still_there = False
        if not still_there:
            event.stop()
            event.prevent_default()


SETTLE_ROUNDS = 12  # at most, after a key that moved the focus or a screen (two quiet ones end it sooner)
WORK_WAIT = 5.0  # seconds the next key waits, at most, for work the key before it started (then it goes on)
Typed = events.Key | events.Paste


class KeysInOrder(App[int]):
    """An App that hands a key (or a paste) to the focus only after the keys before it are done (see 5)."""

    URGENT_KEYS: frozenset[str] = frozenset()  # keys that never wait behind others (where to find urgent help)
    SETTLING_GROUPS: frozenset[str] = frozenset()  # workers a key always waits for (short: loads, saves)
    _key_settling: asyncio.Task[None] | None = None
    _key_in_flight: Typed | None = None
    _key_came_back = False
    _urgent_screen: object = None

    @functools.cached_property
    def _keys_held(self) -> deque[Typed]:
        return deque()

    @functools.cached_property
    def _screen_moved(self) -> asyncio.Event:
        moved = asyncio.Event()
        self.screen_change_signal.subscribe(self, lambda _screen: moved.set(), immediate=True)
        return moved

    @functools.cached_property
    def _after_keys(self) -> list[Callable[[], object]]:
        return []

    def after_keys(self, callback: Callable[..., object], *args: object) -> None:
        """Run `callback(*args)` once every key already read has acted (after the focus's own queue)."""
        self._after_keys.append(functools.partial(callback, *args))
        if not self.keys_waiting:
            self._run_after_keys()

    async def keys_acted(self) -> None:
        """Return once every key already read has acted."""
        acted = asyncio.Event()
        self.after_keys(acted.set)
        await acted.wait()

    def _run_after_keys(self) -> None:
        waiting, self._after_keys[:] = list(self._after_keys), []
        for callback in waiting:
            (self.focused or self.screen).call_later(callback)

    @property
    def keys_waiting(self) -> int:
        """How many keys are held or still being followed (0 once the keys that came have all acted)."""
        return len(self._keys_held) + (self._key_settling is not None)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, Typed):
            await super().on_event(event)
        elif event.is_forwarded:
            if event is self._key_in_flight:
                self._key_came_back = True  # nothing below used it: the bindings will
            await super().on_event(event)
        elif isinstance(event, events.Key) and event.key in self.URGENT_KEYS:
            await super().on_event(event)  # at once, whatever is still being typed or worked on
            self._urgent_screen = self.screen  # not a screen the key being followed opened
        elif self._key_settling is not None or self._keys_held:
            self._keys_held.append(event)
        else:
            await self._hand_on(event)

    async def _hand_on(self, event: Typed) -> None:
        """Give `event` to the focus as Textual does, then follow it until it is done, then the next."""
        before = Before(self.focused or self.screen, self.screen, frozenset(self.workers))
        self._key_in_flight, self._key_came_back = event, False
        self._screen_moved.clear()
        await super().on_event(event)
        if not event.is_forwarded:
            self._key_came_back = True  # a binding of the App's own took it at once
        self._key_settling = asyncio.create_task(self._settle(before))

    async def _settle(self, before: Before) -> None:
        node: MessagePump | None = before.focus
        while node is not None and node is not self:
            await _after_queued(node)  # done there, and queued on the parent if it goes on up
            node = node._parent
        await _after_queued(self)
        if self._key_came_back or self.screen is not before.screen or self.focused is not before.focus \
                or self._work_since(before):
            await self._all_settled(before)  # a binding ran, or the focus moved: until all that follows is done
        self._key_settling = self._key_in_flight = None
        if self._keys_held:
            self.call_later(self._hand_on_held)
        else:
            self._run_after_keys()

    async def _hand_on_held(self) -> None:
        if self._key_settling is None and self._keys_held:
            await self._hand_on(self._keys_held.popleft())

    def _work_since(self, before: Before) -> list[Worker[object]]:
        """Workers started since `before` that still run (a dialog being prepared, a save, a screen's load)."""
        return [worker for worker in self.workers if worker not in before.workers and not worker.is_finished]

    async def _all_settled(self, before: Before) -> None:
        """Until the screen has settled and the work started since `before` has ended, or opened a screen (the
        work of SETTLING_GROUPS, such as loading what the new screen shows, is waited for even then)."""
        deadline = asyncio.get_running_loop().time() + WORK_WAIT
        while True:
            await self._screen_settled()
            work = self._work_since(before)
            if self.screen is not before.screen and self.screen is not self._urgent_screen:
                work = [worker for worker in work if worker.group in self.SETTLING_GROUPS]
            tasks = [task for worker in work if (task := worker._task) is not None]
            left = deadline - asyncio.get_running_loop().time()
            if not tasks or left <= 0:
                return
            screen_moved = asyncio.ensure_future(self._screen_moved.wait())
            await asyncio.wait([*tasks, screen_moved], timeout=left, return_when=asyncio.FIRST_COMPLETED)
            screen_moved.cancel()
            self._screen_moved.clear()

    async def _screen_settled(self) -> None:
        """Until the screen showing and everything on it have handled what they were sent (twice quiet)."""
        quiet = 0
        for _ in range(SETTLE_ROUNDS):
            screen = self.screen
            nodes: list[MessagePump] = [self, *screen.walk_children(with_self=True)]
            await asyncio.gather(*(_after_queued(node) for node in nodes))
            if self.screen is screen and not any(node.message_queue_size for node in nodes):
                quiet += 1
                if quiet == 2:
                    return
            else:
                quiet = 0

    def _on_unmount(self) -> None:
        if self._key_settling is not None:
            self._key_settling.cancel()


class Before(NamedTuple):
    """What a key found: the focus it went to, the screen, the workers already running."""

    focus: MessagePump
    screen: MessagePump
    workers: frozenset[Worker[object]]


async def _after_queued(node: MessagePump) -> None:
    """Once `node` has handled every message queued on it so far (at once if it has ended)."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    task = node._task  # None for a running App's own queue: it ends only with the App (which cancels us)

    def reached() -> None:
        if not done.done():
            done.set_result(None)

    if (task is not None and task.done()) or not node.call_later(reached):
        return
    await asyncio.wait([done] if task is None else [done, task], return_when=asyncio.FIRST_COMPLETED)



def stop_reading_keys(app: App[Any]) -> threading.Thread | None:
    """Tell the driver's input thread to stop reading the terminal (keys not read by then stay there for the next
    program); the thread, to join once it has stopped (within 0.2 s: its select times out), or None when there
    is no terminal to stop reading (a test's headless driver)."""
    driver = app._driver
    if not isinstance(driver, linux_driver.LinuxDriver) or driver._key_thread is None:
        return None
    QuickToStop.handing_over = True
    driver.exit_event.set()
    return driver._key_thread


def finish_writing(app: App[Any]) -> list[Any] | None:
    """Write out everything queued for the terminal, staying in application mode; the terminal's settings from
    before the first app started, to restore on quitting."""
    driver = app._driver
    if not isinstance(driver, linux_driver.LinuxDriver):
        return None
    if driver._writer_thread is not None:
        driver._writer_thread.stop()
        driver._writer_thread = None
    return driver.attrs_before


def restore_on_exit(app: App[Any], settings: list[Any] | None) -> None:
    """On quitting, put the terminal back as it was before the first app started (not as this one found it)."""
    driver = app._driver
    if settings is not None and isinstance(driver, linux_driver.LinuxDriver):
        driver.attrs_before = settings


def give_back_terminal(settings: list[Any] | None) -> None:
    """When handing over failed after `finish_writing`: leave the alternate screen and restore the settings, by
    hand (the driver can no longer write)."""
    import sys
    import termios

    if sys.__stdout__ is not None:
        sys.__stdout__.write("\x1b[?1049l\x1b[?25h")
        sys.__stdout__.flush()
    if settings is not None and sys.__stdin__ is not None:
        try:
            termios.tcsetattr(sys.__stdin__.fileno(), termios.TCSANOW, settings)
        except (termios.error, OSError, ValueError):
            pass
