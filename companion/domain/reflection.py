"""A reflection: one journal entry, guided by a prompt or written freely."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from companion.domain.clock import day_text
from companion.domain.text import displayable

THERAPY_MARK = "⚑"
MOODS = {1: "very low", 2: "low", 3: "steady", 4: "good", 5: "very good"}
# The dependence/independence spectrum; interdependence sits in the middle.
RELIANCE = {
    1: "carried it all alone",
    2: "mostly on my own",
    3: "mutual give and take",
    4: "leaned on others a lot",
    5: "leaned on others for everything",
}


def check_mood(mood: int | None) -> int | None:
    """A mood is 1-5 or absent."""
    if mood is not None and mood not in MOODS:
        raise ValueError("A mood is a number from 1 to 5.")
    return mood


def check_reliance(reliance: int | None) -> int | None:
    """A reliance check-in is 1-5 or absent."""
    if reliance is not None and reliance not in RELIANCE:
        raise ValueError("A reliance check-in is a number from 1 to 5.")
    return reliance


def clean_tags(tags: list[str]) -> list[str]:
    """Tags are trimmed, lower-case, without a leading '#', and unique (order kept)."""
    seen: list[str] = []
    for tag in tags:
        t = tag.strip().lstrip("#").strip().lower()
        if t and t not in seen:
            seen.append(t)
    return seen


@dataclass
class Reflection:
    """A journal entry; times are timezone-aware."""

    text: str
    created: datetime
    edited: datetime | None = None
    prompt: str | None = None
    theme: str | None = None
    mood: int | None = None
    reliance: int | None = None
    tags: list[str] = field(default_factory=list)
    contacts: list[int] = field(default_factory=list)
    flagged: bool = False
    discussed: date | None = None  # the therapy session it was talked through in
    zone: str = ""  # the IANA zone it was written in, when it came from elsewhere (Day One); "" = the reader's
    experiment: int | None = None  # the ask experiment it reflects on
    id: int | None = None

    def local(self, reader: tzinfo | None) -> datetime:
        """When it was written, on the clock of the place it was written (its zone), else the reader's."""
        if self.zone:
            try:
                return self.created.astimezone(ZoneInfo(self.zone))
            except (ZoneInfoNotFoundError, ValueError):
                pass  # a zone this machine does not know: the reader's clock
        return self.created.astimezone(reader)

    @property
    def first_line(self) -> str:
        """The first non-empty line of the text."""
        for line in self.text.splitlines():
            if line.strip():
                return line.strip()
        return ""

    def facts(self, names: dict[int, str]) -> list[str]:
        """Short lines about the entry: mood, reliance, tags, the people it is about, the therapy mark."""
        found = []
        if self.mood:
            found.append(f"mood {self.mood}/5 ({MOODS[self.mood]})")
        if self.reliance:
            found.append(f"reliance {self.reliance}/5 ({RELIANCE[self.reliance]})")
        if self.tags:
            found.append(" ".join(f"#{t}" for t in self.tags))
        people = [names[c] for c in self.contacts if c in names]
        if people:
            found.append("with " + ", ".join(people))
        if self.experiment:
            found.append("about an ask experiment")
        if self.flagged:
            found.append(f"{THERAPY_MARK} to bring to therapy")
        if self.discussed:
            found.append(f"talked through in therapy on {day_text(self.discussed)}")
        return found

    def to_record(self) -> dict[str, Any]:
        """The dict stored in the vault."""
        return {
            "text": self.text,
            "created": self.created.astimezone(UTC).isoformat(),
            "edited": self.edited.astimezone(UTC).isoformat() if self.edited else None,
            "prompt": self.prompt,
            "theme": self.theme,
            "mood": self.mood,
            "reliance": self.reliance,
            "tags": list(self.tags),
            "contacts": list(self.contacts),
            "flagged": self.flagged,
            "discussed": self.discussed.isoformat() if self.discussed else None,
            **({"zone": self.zone} if self.zone else {}),
            **({"experiment": self.experiment} if self.experiment else {}),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], id: int | None = None) -> Reflection:
        """Build from a stored dict (unknown keys are ignored, missing ones take defaults)."""
        record = displayable(record)  # a control character is shown, never sent to the terminal
        edited = record.get("edited")
        discussed = record.get("discussed")
        return cls(
            text=record.get("text", ""),
            created=datetime.fromisoformat(record["created"]),
            edited=datetime.fromisoformat(edited) if edited else None,
            prompt=record.get("prompt"),
            theme=record.get("theme"),
            mood=record.get("mood"),
            reliance=record.get("reliance"),
            tags=list(record.get("tags", [])),
            contacts=list(record.get("contacts", [])),
            flagged=bool(record.get("flagged", False)),
            discussed=date.fromisoformat(discussed) if discussed else None,
            zone=str(record.get("zone") or ""),
            experiment=record.get("experiment"),
            id=id,
        )


@dataclass(frozen=True)
class ReflectionFilter:
    """What the reflections list is narrowed to; empty fields match everything."""

    text: str = ""
    tag: str | None = None
    theme: str | None = None
    flagged_only: bool = False
    since: date | None = None
    until: date | None = None

    @property
    def active(self) -> bool:
        """Whether anything narrows the list."""
        return bool(self.text or self.tag or self.theme or self.flagged_only or self.since or self.until)

    def matches_record(self, record: dict[str, Any], tz: tzinfo | None = None, haystack: str | None = None) -> bool:
        """The same test on a stored dict; `haystack` is its casefolded searchable text, if known."""
        if self.flagged_only and not record.get("flagged"):
            return False
        if self.tag and self.tag not in record.get("tags", ()):
            return False
        if self.theme and record.get("theme") != self.theme:
            return False
        if self.since or self.until:
            day = datetime.fromisoformat(record["created"]).astimezone(tz).date()
            if (self.since and day < self.since) or (self.until and day > self.until):
                return False
        if not self.text:
            return True
        return self.text.casefold() in (haystack if haystack is not None else searchable(record))


def searchable(record: dict[str, Any]) -> str:
    """The casefolded text a search looks in: the words, the prompt and the tags."""
    return "\n".join([record.get("text", ""), record.get("prompt") or "", *record.get("tags", ())]).casefold()
