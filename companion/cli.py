"""The `companion` console script: parses arguments, resolves paths, runs the TUI or a subcommand.

Subcommands never import textual: they are used from scripts and shells and must start quickly.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from companion import __version__
from companion.domain.clock import Clock, in_range
from companion.domain.text import visible
from companion.errors import CompanionError, UsageError
from companion.hardening import harden_process
from companion.relaunch import Handover, relaunch, take_handover
from companion.settings import COLORS, color_environment, load_settings


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"companion: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (global options work before or after the subcommand)."""
    common = _Parser(add_help=False)
    common.add_argument("--data", metavar="PATH", default=argparse.SUPPRESS,
                        help="the journal file (default: vault.companion in $COMPANION_HOME or the user data folder)")
    common.add_argument("--recovery-key-file", metavar="FILE", default=argparse.SUPPRESS,
                        help="open with the recovery key in FILE instead of the passphrase (with passwd)")
    common.add_argument("--passphrase-file", metavar="FILE", default=argparse.SUPPRESS,
                        help="read the passphrase from the first line of FILE ('-' = standard input)")

    parser = _Parser(prog="companion", parents=[common],
                     description="A private, encrypted companion for reflecting on interdependence. "
                                 "With no command, opens the full-screen app.")
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument("--color", choices=COLORS, default=None,
                        help="the app's colours: auto (the terminal decides), 256, 16, or none "
                             "(default: 'color' in settings.toml, else auto)")
    parser.add_argument("--demo", action="store_true",
                        help="look around in a throwaway journal of fictional entries, deleted on quit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, what: str, *, parent: Any = sub, example: str = "") -> argparse.ArgumentParser:
        """A subcommand whose --help page says what it does and shows an example (EXAMPLES)."""
        made: argparse.ArgumentParser = parent.add_parser(
            name, parents=[common], help=what, description=what[0].upper() + what[1:] + ".",
            epilog=f"Example:\n  {example or EXAMPLES[name]}\n", formatter_class=argparse.RawDescriptionHelpFormatter)
        return made

    command("init", "create a new, empty journal (you choose its passphrase)")

    add = command("add", "add a reflection")
    add.add_argument("text", nargs="?", help="the text (read from standard input when absent)")
    add.add_argument("--mood", type=int, choices=range(1, 6), metavar="1-5", help="how you feel, 1-5")
    add.add_argument("--reliance", type=int, choices=range(1, 6), metavar="1-5",
                     help="1 alone … 3 mutual give and take … 5 leaning on others")
    add.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    add.add_argument("--flag", action="store_true", help="mark it to bring to therapy")
    add.add_argument("--date", type=_moment, metavar="YYYY-MM-DD[THH:MM]",
                     help="when it happened, for a day that has passed (default: now)")

    cap = command("capture", "add a reflection without the passphrase (taken in at the next unlock)")
    cap.add_argument("text", nargs="?", help="the text (read from standard input when absent)")
    cap.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")

    lst = command("list", "print reflections, newest first")
    lst.add_argument("-n", type=_positive, metavar="N", help="at most N reflections")
    lst.add_argument("filter", nargs="*", metavar="FILTER",
                     help="the app's filter words: words, #tag, theme:asking, since:2026-01-31, until:…, flagged")
    lst.add_argument("--search", metavar="TEXT", help="only reflections containing TEXT (any case)")
    lst.add_argument("--format", choices=("text", "markdown", "json"), default="text", help="how to print them")
    lst.add_argument("--json", action="store_true", help="print JSON (the same as --format json)")

    for name, what in (("boundaries", "boundary notes"), ("contacts", "secure-base contacts"),
                       ("sessions", "therapy sessions")):
        group = command(name, f"work with {what}")
        actions = group.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
        listing = command("list", f"print {what}", parent=actions, example=EXAMPLES[f"{name} list"])
        listing.add_argument("--json", action="store_true", help="print JSON")

    asks = command("asks", "ask experiments: an ask, the fear before it, and what happened")
    ask_actions = asks.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    listing = command("list", "print the ladder of asks not yet tried, then the asks tried", parent=ask_actions,
                      example=EXAMPLES["asks list"])
    listing.add_argument("--json", action="store_true", help="print JSON")
    ask_add = command("add", "write an ask down before trying it: whom, what, the fear and how strongly you "
                      "believe it", parent=ask_actions, example=EXAMPLES["asks add"])
    ask_add.add_argument("--who", metavar="NAME", required=True,
                         help="whom you will ask (a name from your secure base is linked to them)")
    ask_add.add_argument("--ask", metavar="TEXT", required=True, help="what you will ask for")
    ask_add.add_argument("--fear", metavar="TEXT", required=True, help="what you fear will happen")
    ask_add.add_argument("--belief", type=_belief, required=True, metavar="0-100",
                         help="how strongly you believe the fear, 0-100")
    ask_add.add_argument("--when", type=_day, metavar="YYYY-MM-DD", help="when you mean to ask")
    ask_done = command("done", "say how an ask went", parent=ask_actions, example=EXAMPLES["asks done"])
    ask_done.add_argument("id", type=_positive, metavar="ID", help="the experiment's id (from asks list)")
    ask_done.add_argument("--happened", metavar="TEXT", required=True, help="what actually happened")
    ask_done.add_argument("--belief", type=_belief, required=True, metavar="0-100",
                          help="how strongly you believe the fear now, 0-100")
    ask_done.add_argument("--felt", metavar="TEXT", default="", help="how it felt")
    ask_done.add_argument("--learned", metavar="TEXT", default="", help="what you take from it")
    ask_done.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="the day you asked (default: today)")

    plan = command("plan", "your safety plan")
    plan_actions = plan.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    command("show", "print your safety plan (for a printed copy to keep at hand)", parent=plan_actions,
            example=EXAMPLES["plan show"])

    export = command("export", "an encrypted file for your therapist")
    export.add_argument("--out", metavar="PATH", required=True, help="where to write it")
    export.add_argument("--format", choices=("pdf", "age"), required=True)
    export.add_argument("--recipient", action="append", default=[], metavar="AGE_PUBLIC_KEY",
                        help="an age public key (age1...) to encrypt to (repeatable; age only)")
    export.add_argument("--export-passphrase-file", metavar="FILE",
                        help="the passphrase that will open the export (else one is generated and shown)")
    export.add_argument("--since", type=_day, metavar="YYYY-MM-DD")
    export.add_argument("--until", type=_day, metavar="YYYY-MM-DD")
    export.add_argument("--include", type=_sections, default=None, metavar="SECTIONS",
                        help="comma-separated: reflections,boundaries,contacts,experiments (asks tried, before "
                             "and after),plan (the safety plan, a page of its own) (default reflections,boundaries)")
    export.add_argument("--flagged-only", action="store_true", help="only reflections marked for therapy")
    export.add_argument("--with-contact-details", action="store_true",
                        help="include how to reach your contacts (left out by default: it is their data)")
    export.add_argument("--checkins", choices=("shared", "all"), default="shared",
                        help="the mood and reliance charts: from the entries shared (default), or from every day's "
                             "check-ins in the period (numbers only, no words)")
    export.add_argument("--from", dest="author", metavar="NAME",
                        help="who it is from, on its first page (a name or initials; remembered)")
    export.add_argument("--note", metavar="TEXT", help="what you want to bring up, on its first page")
    export.add_argument("--session", type=_day, metavar="YYYY-MM-DD",
                        help="record it as prepared for the therapy session on that day")
    export.add_argument("--force", action="store_true", help="replace an existing file")

    backup = command("backup", "the whole journal in an age file")
    backup.add_argument("--out", metavar="PATH", required=True)
    backup.add_argument("--recipient", action="append", default=[], metavar="AGE_PUBLIC_KEY")
    backup.add_argument("--export-passphrase-file", metavar="FILE")
    backup.add_argument("--force", action="store_true", help="replace an existing file")

    restore = command("restore", "replace the journal with a backup")
    restore.add_argument("backup_file", metavar="PATH")
    restore.add_argument("--identity", metavar="AGE_KEY_FILE", help="an age identity file (from age-keygen)")
    restore.add_argument("--export-passphrase-file", metavar="FILE", help="the backup's passphrase")
    restore.add_argument("--yes", action="store_true", help="do not ask before replacing")

    imp = command("import", "bring in entries from another journal")
    imp.add_argument("source", choices=("jrnl", "dayone", "daylio"))
    imp.add_argument("file", metavar="FILE", help="jrnl's or Day One's JSON export, or Daylio's CSV export")
    imp.add_argument("--mood", action="append", default=[], metavar="NAME=1-5",
                     help="Daylio only: where a renamed mood sits on 1-5 (repeatable), e.g. --mood \"average=3\"")

    command("check", "verify the journal, its backups, kept copies and drafts open correctly")

    merge = command("merge", "merge a copy of the journal (a sync conflict copy) in")
    merge.add_argument("copy", metavar="FILE", help="the copy, e.g. vault.sync-conflict-….companion")

    pw = command("passwd", "change the passphrase (or set one with the recovery key)")
    pw.add_argument("--new-passphrase-file", metavar="FILE", help="read the new passphrase from FILE")

    recovery = command("recovery-key", "make (or replace) the key that opens the journal if the passphrase is lost")
    recovery.add_argument("--out", metavar="FILE", help="write it to FILE (mode 0600) instead of showing it")
    recovery.add_argument("--force", action="store_true", help="replace an existing FILE")
    return parser


EXAMPLES = {
    "init": "companion init",
    "add": "companion add --mood 3 --reliance 3 --tag work \"Asked Sam to cover my shift, and he said yes.\"",
    "capture": "echo \"Felt alone at lunch, then texted Priya.\" | companion capture",
    "list": "companion list '#work' since:2026-11-01 --format markdown",
    "boundaries": "companion boundaries list",
    "contacts": "companion contacts list --json",
    "sessions": "companion sessions list",
    "boundaries list": "companion boundaries list --json",
    "contacts list": "companion contacts list --json",
    "sessions list": "companion sessions list --json",
    "asks": "companion asks list",
    "asks list": "companion asks list --json",
    "asks add": "companion asks add --who Priya --ask \"Could you come with me on Friday?\" --fear \"She'll think "
                "I can't cope\" --belief 70",
    "asks done": "companion asks done 3 --happened \"She said yes at once\" --belief 20",
    "plan": "companion plan show",
    "plan show": "companion plan show | lp",
    "export": "companion export --format pdf --out for-my-therapist.pdf --flagged-only --session 2026-12-08",
    "backup": "companion backup --out journal-backup.age",
    "restore": "companion restore journal-backup.age",
    "import": "companion import daylio daylio_export.csv --mood \"average=3\"",
    "check": "companion check",
    "merge": "companion merge \"vault.sync-conflict-20261204-101500-ABCDEFG.companion\"",
    "passwd": "companion passwd",
    "recovery-key": "companion recovery-key --out ~/recovery-key.txt",
}


SECTIONS = ("reflections", "boundaries", "contacts", "experiments", "plan")
# Which module serves which command (the journal's own commands, the default, are commands/journal.py).
COMMAND_MODULES = {
    "capture": "companion.quick",  # needs no journal and no passphrase: it skips importing the rest
    "asks": "companion.commands.asks",
    **dict.fromkeys(("check", "merge", "passwd", "recovery-key"), "companion.commands.keeping"),
    **dict.fromkeys(("export", "backup", "restore", "import"), "companion.commands.files"),
}


def _in_range(day: date) -> None:
    try:
        in_range(day)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None


def _day(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-30") from None
    _in_range(day)
    return day


def _moment(value: str) -> datetime:
    """A day (noon) or a day and time, as typed: the zone is the journal's, added when it is used."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-30 or 2026-11-30T21:15") from None
    if moment.tzinfo is not None:
        raise argparse.ArgumentTypeError("give the date and time as on your clock, without a zone")
    _in_range(moment.date())
    return moment if "T" in value or " " in value else moment.replace(hour=12)


def _sections(value: str) -> frozenset[str]:
    chosen = frozenset(part.strip() for part in value.split(",") if part.strip())
    unknown = chosen - set(SECTIONS)
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(SECTIONS)}, separated by commas")
    return chosen


def _belief(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number from 0 to 100") from None
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError("a belief is from 0 (not at all) to 100 (completely)")
    return number


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("it must be 1 or more")
    return number


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
    return handler(args, vault, passphrase_file, clock)


def _need_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("The companion app needs a terminal; from a script, use a command such as 'companion list'.")


def _choose_colors(vault: Path, flag: str | None) -> None:
    """--color (or the settings' color) for Textual, which reads it when imported: so before that."""
    from companion.paths import settings_path

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
    app.run()
    app.exited()
    return int(app.return_code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
