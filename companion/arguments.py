"""The `companion` command line's arguments: the parser, its --help examples, and the values it accepts (a day,
a moment, a number), each refused in one plain sentence. No journal and no textual here."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from companion import __version__
from companion.colors import COLORS

if TYPE_CHECKING:
    from datetime import date, datetime


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


def _in_range(day: date) -> None:
    from companion.domain.clock import in_range  # datetime, here: a command's start reads its key first

    try:
        in_range(day)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None


def _day(value: str) -> date:
    from datetime import date

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-30") from None
    _in_range(day)
    return day


def _moment(value: str) -> datetime:
    """A day (noon) or a day and time, as typed: the zone is the journal's, added when it is used."""
    from datetime import datetime

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
