"""What goes to the therapist: choose, preview (Markdown), and render as PDF or age — all in memory."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from companion.domain.boundary import EVENT_KINDS, Boundary
from companion.domain.contact import INTERACTION_KINDS, ROLES, Contact
from companion.domain.prompts import THEME_LABELS
from companion.domain.reflection import Reflection, ReflectionFilter
from companion.errors import StorageFailure
from companion.services.journal import Journal
from companion.storage.disk import atomic_write

SECTIONS = ("reflections", "boundaries", "contacts")
DEFAULT_SECTIONS = frozenset({"reflections", "boundaries"})  # contacts are other people's data: opt in

Item = tuple[str, int]  # (section, record id)
R = TypeVar("R", Reflection, Boundary, Contact)


@dataclass(frozen=True)
class ExportChoice:
    """What the person chose to share."""

    sections: frozenset[str] = DEFAULT_SECTIONS
    since: date | None = None
    until: date | None = None
    flagged_only: bool = False
    with_contact_details: bool = False
    picked: frozenset[Item] | None = None  # exactly these records, when the person chose one by one


@dataclass
class ExportContent:
    """The records that will be in the file, already stripped of what was not chosen."""

    choice: ExportChoice
    made: datetime
    reflections: list[Reflection] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing chosen at all."""
        return not (self.reflections or self.boundaries or self.contacts)

    def summary(self) -> str:
        """One line: how many of each."""
        parts = [f"{len(self.reflections)} reflection{'s' if len(self.reflections) != 1 else ''}"]
        if "boundaries" in self.choice.sections or self.boundaries:
            parts.append(f"{len(self.boundaries)} boundar{'y' if len(self.boundaries) == 1 else 'ies'}")
        if "contacts" in self.choice.sections or self.contacts:
            parts.append(f"{len(self.contacts)} contact{'s' if len(self.contacts) != 1 else ''}")
        return ", ".join(parts)

    def range_text(self) -> str:
        """The date range in words."""
        c = self.choice
        if c.since and c.until:
            return f"{c.since.isoformat()} to {c.until.isoformat()}"
        if c.since:
            return f"from {c.since.isoformat()}"
        if c.until:
            return f"until {c.until.isoformat()}"
        return "all dates"


def candidates(journal: Journal, choice: ExportChoice) -> ExportContent:
    """Every record the filters let through (ignoring `picked`): what the person picks from."""
    rule = ReflectionFilter(flagged_only=choice.flagged_only, since=choice.since, until=choice.until)
    content = ExportContent(choice, journal.reflections.now())
    if "reflections" in choice.sections:
        content.reflections = journal.reflections.page(rule, limit=None).items
    if "boundaries" in choice.sections:
        content.boundaries = journal.boundaries.all()
    if "contacts" in choice.sections:
        content.contacts = journal.contacts.all()
    return content


def build(journal: Journal, choice: ExportChoice) -> ExportContent:
    """Exactly what will be written for `choice`."""
    return narrow(candidates(journal, choice), choice.picked)


def narrow(content: ExportContent, picked: frozenset[Item] | None) -> ExportContent:
    """From the candidates to what will be written: the person's own picks, then privacy stripping."""
    choice = dataclasses.replace(content.choice, picked=picked)

    def kept(section: str, records: list[R]) -> list[R]:
        return [r for r in records if picked is None or (section, r.id or 0) in picked]

    return ExportContent(
        choice,
        content.made,
        reflections=sorted(kept("reflections", content.reflections), key=lambda r: r.created),  # reads like a story
        boundaries=[_dated_events(b, choice) for b in kept("boundaries", content.boundaries)],
        contacts=[_private_details_out(c, choice) for c in kept("contacts", content.contacts)],
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


# -- Markdown (the age format's content, and the preview) ------------------------------------------
def to_markdown(content: ExportContent, names: dict[int, str] | None = None) -> str:
    """The export as Markdown: a cover, then each chosen section."""
    names = names or {}
    tz = content.made.tzinfo
    lines = [
        "# Shared from companion",
        "",
        f"Prepared on {content.made.strftime('%d %B %Y')} · {content.range_text()} · {content.summary()}.",
        "",
        "*A private journal shared by its author. Not a clinical record.*",
        "",
    ]
    if content.reflections:
        lines += ["## Reflections", ""]
        for r in content.reflections:
            lines.append(f"### {r.created.astimezone(tz).strftime('%A %d %B %Y, %H:%M')}")
            lines.append("")
            if r.prompt:
                lines += [f"*{THEME_LABELS.get(r.theme or '', 'Prompt')}: {r.prompt}*", ""]
            facts = r.facts(names)
            if facts:
                lines += [" · ".join(facts), ""]
            lines += [r.text.rstrip(), ""]
    if content.boundaries:
        lines += ["## Boundaries", ""]
        for b in content.boundaries:
            lines += [f"### {b.boundary}", ""]
            lines += [f"- **{label}:** {value}" for label, value in b.details()]
            for e in b.events:
                lines.append(f"- {e.day.isoformat()}: {EVENT_KINDS[e.kind]}" + (f" · {e.note}" if e.note else ""))
            lines.append("")
    if content.contacts:
        lines += ["## Secure base", ""]
        for c in content.contacts:
            lines += [f"### {c.name} ({ROLES[c.role]})", ""]
            lines += [f"- **{label}:** {value}" for label, value in c.details()]
            for i in c.interactions:
                label = INTERACTION_KINDS[i.kind][0]
                lines.append(f"- {i.day.isoformat()}: {label}" + (f" · {i.note}" if i.note else ""))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def check_free(path: Path, *, force: bool) -> None:
    """Refuse to overwrite an existing file unless told to (checked early, before any slow work)."""
    if path.exists() and not force:
        raise StorageFailure(f"{path} already exists; choose another name, or use --force to replace it.")


def write_export(path: Path, data: bytes, *, force: bool) -> None:
    """Write the finished (encrypted) file atomically with mode 0600; never overwrite unless told."""
    check_free(path, force=force)
    if not path.parent.is_dir():
        raise StorageFailure(f"companion could not write the export: the folder {path.parent} does not exist.")
    atomic_write(path, data, action="write the export")


