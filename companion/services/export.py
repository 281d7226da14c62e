"""What goes to the therapist: the choice, its checks, and exactly which records it holds — in memory."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from companion.domain.boundary import Boundary
from companion.domain.clock import day_text
from companion.domain.contact import Contact
from companion.domain.experiment import Experiment
from companion.domain.passphrase import export_passphrase_problem
from companion.domain.reflection import Reflection, ReflectionFilter
from companion.domain.safety_plan import Steps
from companion.domain.text import plural
from companion.errors import StorageFailure, UsageError
from companion.services.journal import Journal
from companion.storage.disk import atomic_write

SECTIONS = ("reflections", "boundaries", "contacts", "experiments", "plan")
DEFAULT_SECTIONS = frozenset({"reflections", "boundaries"})  # contacts are other people's data: opt in
FORMATS = ("pdf", "age")
# Where the mood and reliance charts come from: only the entries shared, or every day's check-ins (numbers only).
CHECKINS = ("shared", "all")
AUTHOR_KEY = "export_author"  # remembered in the vault's preferences, never in settings.toml

Item = tuple[str, int]  # (section, record id)
PLAN_ITEM: Item = ("plan", 1)  # the one safety plan, as the person picks it
R = TypeVar("R", Reflection, Boundary, Contact, Experiment)


class ExportExists(StorageFailure):
    """The chosen file is already there; the CLI offers --force, the app asks."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists; choose another name.")
        self.path = path


@dataclass(frozen=True)
class ExportChoice:
    """What the person chose to share, and the words that go with it."""

    sections: frozenset[str] = DEFAULT_SECTIONS
    since: date | None = None
    until: date | None = None
    flagged_only: bool = False
    with_contact_details: bool = False
    picked: frozenset[Item] | None = None  # exactly these records, when the person chose one by one
    author: str = ""  # who it is from: a name or initials, optional
    note: str = ""  # what I want to bring up, optional
    checkins: str = "shared"  # the charts: "shared" (the entries shared) or "all" (every day's numbers, no words)
    crisis_lines: tuple[str, ...] = ()  # the support card's lines, for the safety plan's fifth step

    def check(self) -> None:
        """UsageError with one plain sentence when the choice cannot match anything."""
        if self.checkins not in CHECKINS:
            raise UsageError(f"The charts come from one of: {', '.join(CHECKINS)}.")
        if self.since and self.until and self.since > self.until:
            raise UsageError(f"The start date ({self.since.isoformat()}) comes after the end date "
                             f"({self.until.isoformat()}), so nothing could match.")


@dataclass(frozen=True)
class ExportRequest:
    """How the file is made: its format, where it goes, and what opens it."""

    fmt: str
    path: Path
    recipients: tuple[str, ...] = ()
    passphrase: str | None = None  # None: companion makes one up (for a PDF or a passphrase age file)
    force: bool = False

    def __post_init__(self) -> None:
        # A name typed without the format's ending gets it: "notes" becomes notes.pdf (or notes.age), so a reader
        # knows the file and the person finds it where the notice says.
        ending = ".pdf" if self.fmt == "pdf" else ".age"
        if self.fmt in FORMATS and not self.path.name.lower().endswith(ending):
            object.__setattr__(self, "path", self.path.with_name(self.path.name + ending))

    def check(self) -> None:
        """UsageError with one plain sentence before anything slow or anything written."""
        if self.fmt not in FORMATS:
            raise UsageError(f"The format is one of: {', '.join(FORMATS)}.")
        if self.recipients and self.fmt == "pdf":
            raise UsageError("Recipients (age public keys) go with the age format; a PDF opens with a passphrase.")
        if self.recipients and self.passphrase:
            raise UsageError("An age file opens either with age keys or with a passphrase, not both.")
        if self.passphrase is not None:
            problem = export_passphrase_problem(self.passphrase, self.fmt)
            if problem:
                raise UsageError(problem)
        from companion.crypto import age  # pyrage: loaded when an export is made, not when the app starts

        age.parse_recipients(list(self.recipients))  # a mistyped key is told now
        check_free(self.path, force=self.force)


def split_recipients(text: str) -> tuple[str, ...]:
    """Age public keys typed in one field, separated by spaces or commas."""
    return tuple(part for part in text.replace(",", " ").split() if part)


@dataclass(frozen=True)
class CheckIn:
    """One entry's numbers and when, without its words: what a chart of every day is drawn from."""

    created: datetime
    mood: int | None
    reliance: int | None


@dataclass
class ExportContent:
    """The records that will be in the file, already stripped of what was not chosen.

    `everyday` holds the check-ins of every entry in the period (numbers only): the charts are drawn from them
    when the person chose so, and otherwise only the count of their days is told.
    """

    choice: ExportChoice
    made: datetime
    reflections: list[Reflection] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    everyday: list[CheckIn] = field(default_factory=list)
    plan: Steps = field(default_factory=list)  # the safety plan's steps, when chosen
    experiments: list[Experiment] = field(default_factory=list)  # asks tested: the ladder, then those tried

    def checkins(self) -> list[CheckIn]:
        """What the charts are drawn from, as the person chose."""
        if self.choice.checkins == "all":
            return self.everyday
        return [CheckIn(r.created, r.mood, r.reliance) for r in self.reflections if r.mood or r.reliance]

    def checkin_days(self, checkins: list[CheckIn]) -> set[date]:
        """The person's days that have a check-in among `checkins`."""
        tz = self.made.tzinfo
        return {c.created.astimezone(tz).date() for c in checkins}

    def unshared_days(self) -> int:
        """Days of the period with check-ins that the charts leave out (none when every day is drawn)."""
        start, end = self.period()
        return len({d for d in self.checkin_days(self.everyday) - self.checkin_days(self.checkins())
                    if start <= d <= end})

    def checkins_source(self) -> str:
        """One sentence for the page: where the charts come from and how many days they count."""
        drawn = self.checkins()
        days = plural(len(self.checkin_days(drawn)), "day", "days")
        if self.choice.checkins == "all":
            return (f"The charts are drawn from the check-ins of every day in the period ({days}), numbers only: "
                    "the words of entries not shared stay private.")
        entries = plural(len(self.reflections), "entry shared", "entries shared")
        left = self.unshared_days()
        rest = (f"; {plural(left, 'day', 'days')} of the period {'has' if left == 1 else 'have'} check-ins that are "
                "not shared, so the charts do not show the whole period" if left
                else "; no other day of the period has a check-in")
        return f"The charts are drawn only from the {entries} ({days} with a check-in){rest}."

    @property
    def empty(self) -> bool:
        """Nothing chosen at all."""
        return not (self.reflections or self.boundaries or self.contacts or self.plan or self.experiments)

    def summary(self) -> str:
        """One line: how many of each."""
        parts = [plural(len(self.reflections), "reflection", "reflections")]
        if "boundaries" in self.choice.sections or self.boundaries:
            parts.append(plural(len(self.boundaries), "boundary", "boundaries"))
        if "contacts" in self.choice.sections or self.contacts:
            parts.append(plural(len(self.contacts), "person", "people"))
        if "experiments" in self.choice.sections or self.experiments:
            parts.append(plural(len(self.experiments), "ask experiment", "ask experiments"))
        if self.plan:
            parts.append("the safety plan")
        return ", ".join(parts)

    def period(self) -> tuple[date, date]:
        """The days the file covers: the chosen dates, else from the first thing in it to today."""
        tz = self.made.tzinfo
        days = [r.created.astimezone(tz).date() for r in self.reflections]
        if self.choice.checkins == "all":
            days += self.checkin_days(self.everyday)
        days += [e.day for b in self.boundaries for e in b.events]
        days += [i.day for c in self.contacts for i in c.interactions]
        days += [e.done_on for e in self.experiments if e.done_on]
        start = self.choice.since or min(days, default=self.made.date())
        end = self.choice.until or max([self.made.date(), *days])
        return start, end

    def range_text(self) -> str:
        """The period in words, in the one date style."""
        start, end = self.period()
        return day_text(start) if start == end else f"{day_text(start)} to {day_text(end)}"


def candidates(journal: Journal, choice: ExportChoice) -> ExportContent:
    """Every record the filters let through (ignoring `picked`): what the person picks from."""
    choice.check()
    content = ExportContent(choice, journal.reflections.now())
    in_period = journal.reflections.page(ReflectionFilter(since=choice.since, until=choice.until), limit=None).items
    if "reflections" in choice.sections:
        content.reflections = [r for r in in_period if r.flagged or not choice.flagged_only]
    content.everyday = [CheckIn(r.created, r.mood, r.reliance) for r in in_period if r.mood or r.reliance]
    if "boundaries" in choice.sections:
        content.boundaries = journal.boundaries.all()
    if "contacts" in choice.sections:
        content.contacts = journal.contacts.all()
    if "experiments" in choice.sections:  # the ladder as it stands, and the asks tried in the period
        content.experiments = [e for e in journal.asks.all() if e.done_on is None or _in_range(e.done_on, choice)]
    if "plan" in choice.sections:  # how to reach its people is their data: in only when chosen
        content.plan = journal.safety.written_steps(list(choice.crisis_lines),
                                                    with_reach=choice.with_contact_details) or []
    return content


def build(journal: Journal, choice: ExportChoice) -> ExportContent:
    """Exactly what will be written for `choice`."""
    return narrow(candidates(journal, choice), choice.picked)


def narrow(content: ExportContent, picked: frozenset[Item] | None, *, author: str | None = None,
           note: str | None = None, checkins: str | None = None) -> ExportContent:
    """From the candidates to what will be written: the person's own picks, then privacy stripping.

    `author`, `note` and `checkins`, when given, are what was chosen at export time.
    """
    choice = dataclasses.replace(content.choice, picked=picked,
                                 author=content.choice.author if author is None else author,
                                 note=content.choice.note if note is None else note,
                                 checkins=content.choice.checkins if checkins is None else checkins)

    def kept(section: str, records: list[R]) -> list[R]:
        return [r for r in records if picked is None or (section, r.id or 0) in picked]

    return ExportContent(
        choice,
        content.made,
        reflections=sorted(kept("reflections", content.reflections), key=lambda r: r.created),  # reads like a story
        boundaries=[_dated_events(b, choice) for b in kept("boundaries", content.boundaries)],
        contacts=[_private_details_out(c, choice) for c in kept("contacts", content.contacts)],
        everyday=content.everyday,
        plan=content.plan if picked is None or PLAN_ITEM in picked else [],
        experiments=kept("experiments", content.experiments),
    )


def _dated_events(b: Boundary, choice: ExportChoice) -> Boundary:
    events = [e for e in b.events if _in_range(e.day, choice)]
    return dataclasses.replace(b, events=events)


def _private_details_out(c: Contact, choice: ExportChoice) -> Contact:
    moments = [i for i in c.interactions if _in_range(i.day, choice)]
    reach = c.reach if choice.with_contact_details else ""
    return dataclasses.replace(c, reach=reach, interactions=moments)


def _in_range(day: date, choice: ExportChoice) -> bool:
    return (choice.since is None or day >= choice.since) and (choice.until is None or day <= choice.until)


def check_free(path: Path, *, force: bool) -> None:
    """Refuse to overwrite an existing file unless told to (checked early, before any slow work)."""
    if path.exists() and not force:
        raise ExportExists(path)


def write_export(path: Path, data: bytes, *, force: bool) -> None:
    """Write the finished (encrypted) file atomically with mode 0600; never overwrite unless told."""
    check_free(path, force=force)
    if not path.parent.is_dir():
        raise StorageFailure(f"companion could not write the export: the folder {path.parent} does not exist.")
    atomic_write(path, data, action="write the export")
