"""The `companion` console script: parses arguments, resolves paths, runs the TUI or a subcommand.

Subcommands never import textual: they are used from scripts and shells and must start quickly.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from companion.ahead import DERIVES_AHEAD
from companion.arguments import build_parser
from companion.colors import color_environment
from companion.domain.text import visible
from companion.errors import CompanionError, UsageError
from companion.hardening import harden_process
from companion.relaunch import Handover, relaunch, take_handover

if TYPE_CHECKING:
    from companion.domain.clock import Clock

# Which module serves which command (the journal's own commands, the default, are commands/journal.py).
COMMAND_MODULES = {
    "capture": "companion.quick",  # needs no journal and no passphrase: it skips importing the rest
    "asks": "companion.commands.asks",
    **dict.fromkeys(("check", "merge", "passwd", "recovery-key"), "companion.commands.keeping"),
    **dict.fromkeys(("export", "backup", "restore", "import"), "companion.commands.files"),
}


class VisibleText(io.TextIOBase):
    """A text stream that writes control characters as visible symbols (see domain.text.visible)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream
        self.buffer = stream.buffer  # JSON goes out as bytes, escaped by commands._print_json

    def write(self, text: str) -> int:
        self._stream.write(visible(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()


class _Stopped(BaseException):
    """SIGTERM or SIGHUP: unwind (a save in progress is abandoned whole; the terminal is restored)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """Entry point of the console script; `clock` stands in for the machine's wall clock (in-process tests)."""
    harden_process()  # first: before any secret is read or textual imported
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _stop)  # the app installs its own handlers when it starts
    handover = take_handover() if argv is None else None  # this process replaced a locked app
    args = build_parser().parse_args([] if handover is not None else argv)
    if clock is None:
        from companion.clocks import local_now  # the one place the machine's time is read

        clock = local_now
    try:
        if handover is not None:
            return _run_locked(handover, clock)
        return _dispatch(args, clock)
    except CompanionError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    except (KeyboardInterrupt, _Stopped) as stop:
        print("Stopped; what was already saved is safe.", file=sys.stderr)
        return 128 + (stop.signum if isinstance(stop, _Stopped) else signal.SIGINT)
    except Exception as exc:  # no traceback ever reaches the person
        print(f"companion met an unexpected problem ({type(exc).__name__}); your journal was not changed.",
              file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace, clock: Clock) -> int:
    from companion import paths

    passphrase_file = getattr(args, "passphrase_file", None)
    if args.demo:
        if args.command is not None or hasattr(args, "data") or passphrase_file is not None:
            raise UsageError("--demo opens the app on a throwaway journal; use it on its own (with --color at most).")
        return _run_demo(args.color, clock)
    vault = paths.vault_path(getattr(args, "data", None))
    if args.command is None:
        return _run_tui(vault, passphrase_file, args.color, clock)
    # What a command prints may carry words from the journal or an imported file: a terminal must show
    # control characters, never obey them (clear the screen, set the title, write the clipboard).
    sys.stdout = VisibleText(sys.stdout)
    sys.stderr = VisibleText(sys.stderr)
    name = f"cmd_{args.command.replace('-', '_')}"
    module = importlib.import_module(COMMAND_MODULES.get(args.command, "companion.commands.journal"))
    handler: Callable[[argparse.Namespace, Path, str | None, Clock], int] = getattr(module, name)
    if args.command in DERIVES_AHEAD and passphrase_file not in (None, "-"):
        from companion.services.preflight import ready_to_open

        ready_to_open(vault, clock)  # while the key the launcher began is derived (ahead.py)
    started()
    return handler(args, vault, passphrase_file, clock)


def started() -> None:
    """The start is over: what it made is set aside from collections for good (gc.freeze), and collecting, which
    the launcher kept off while starting, begins. Called in-process (tests), with collecting on, it does nothing."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _need_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("The companion app needs a terminal; from a script, use a command such as 'companion list'.")


def _choose_colors(vault: Path, flag: str | None) -> None:
    """--color (or the settings' color) for Textual, which reads it when imported: so before that."""
    from companion.paths import settings_path
    from companion.settings import load_settings

    os.environ.update(color_environment(flag or load_settings(settings_path(vault)).color))


def _run_tui(vault: Path, passphrase_file: str | None, color: str | None, clock: Clock) -> int:
    if passphrase_file is not None:
        raise UsageError("The app asks for the passphrase itself; --passphrase-file is for commands.")
    from companion.services.preflight import preflight

    preflight(vault)
    _need_terminal()
    return _run_app(vault, color, clock)


def _run_demo(color: str | None, clock: Clock) -> int:
    """The app on a fictional journal in a temporary folder, which is removed however the app ends."""
    _need_terminal()
    from companion.services.demo import DEMO_KDF, make_demo, remove_demo

    folder, journal = make_demo(clock)
    try:
        journal.close()
        return _run_app(folder / "vault.companion", color, clock, kdf=DEMO_KDF, demo_folder=folder)
    finally:
        remove_demo(folder)


def _run_locked(handover: Handover, clock: Clock) -> int:
    """The app on the lock screen of the process this one replaced (a demo's folder still removed on quit)."""
    vault, demo = Path(handover.vault), Path(handover.demo_folder) if handover.demo_folder else None
    if demo is None:
        return _run_app(vault, handover.color, clock, locked_from=handover)
    from companion.services.demo import DEMO_KDF, remove_demo

    try:
        return _run_app(vault, handover.color, clock, kdf=DEMO_KDF, demo_folder=demo, locked_from=handover)
    finally:
        remove_demo(demo)


def _run_app(vault: Path, color: str | None, clock: Clock, **options: Any) -> int:
    """The full-screen app on `vault`, in the colours chosen; its exit code. After a lock, the process is
    replaced by a fresh one on the lock screen (relaunch.py)."""
    _choose_colors(vault, color)
    from companion.app import CompanionApp  # only now: subcommands never import textual
    from companion.clocks import monotonic

    def forget_everything(handover: Handover) -> NoReturn:
        relaunch(replace(handover, color=color))

    app = CompanionApp(vault_path=vault, clock=clock, monotonic=monotonic, handle_signals=True,
                       relaunch=forget_everything, **options)
    started()
    app.run()
    app.exited()
    return int(app.return_code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
