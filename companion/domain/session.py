"""Therapy sessions: what was prepared and shared for one, and what the person took away from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from companion.domain.clock import day_text
from companion.domain.text import displayable

TAKEAWAY_DAYS = 21  # after this, a session without take-aways is no longer mentioned on Home


@dataclass(frozen=True)
class Shared:
    """An export made for a session: which file, in what form, and what it held."""

    file: str
    format: str
    made: datetime
    summary: str

    def to_record(self) -> dict[str, Any]:
        """The stored dict."""
        return {"file": self.file, "format": self.format, "made": self.made.isoformat(), "summary": self.summary}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Shared:
        """From a stored dict."""
        record = displayable(record)  # a control character is shown, never sent to the terminal
        return cls(str(record.get("file", "")), str(record.get("format", "")),
                   datetime.fromisoformat(record["made"]), str(record.get("summary", "")))


@dataclass
class Session:
    """One therapy session: the day, the agenda, every export made for it (and the entries they held), and
    afterwards the take-aways."""

    day: date
    agenda: str = ""
    exports: list[Shared] = field(default_factory=list)
    shared_reflections: list[int] = field(default_factory=list)
    takeaways: str = ""
    follow_boundaries: list[int] = field(default_factory=list)
    follow_contacts: list[int] = field(default_factory=list)
    id: int | None = None

    def waiting_for_takeaways(self, today: date) -> bool:
        """Held (today or before), recently, and nothing kept from it yet: Home asks, gently, once in a while."""
        return self.held(today) and (today - self.day).days <= TAKEAWAY_DAYS and not self.takeaways.strip()

    def called(self, today: date) -> str:
        """How to name it in a sentence: "today's session", "Tuesday's session", "the session on …"."""
        delta = (today - self.day).days
        if delta == 0:
            return "today's session"
        if delta == 1:
            return "yesterday's session"
        if 1 < delta < 7:
            return f"{self.day:%A}'s session"
        return f"the session on {day_text(self.day)}"

    def held(self, today: date) -> bool:
        """Whether the day has come (take-aways and talked-through entries make sense only then)."""
        return self.day <= today

    def exported(self) -> str:
        """What was shared for it, in a few words ("" when nothing was)."""
        if not self.exports:
            return ""
        newest = self.exports[-1]
        more = f" (and {len(self.exports) - 1} earlier)" if len(self.exports) > 1 else ""
        return f"{newest.summary}{more}"

    def state(self, today: date) -> str:
        """Where the session stands, in words (never a judgement)."""
        if not self.held(today):
            return "coming up"
        return "take-aways noted" if self.takeaways.strip() else "nothing noted yet"

    def to_record(self) -> dict[str, Any]:
        """The stored dict."""
        return {
            "day": self.day.isoformat(), "agenda": self.agenda,
            "exports": [shared.to_record() for shared in self.exports],
            "shared_reflections": list(self.shared_reflections), "takeaways": self.takeaways,
            "follow_boundaries": list(self.follow_boundaries), "follow_contacts": list(self.follow_contacts),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], id: int | None = None) -> Session:
        """From a stored dict."""
        record = displayable(record)  # a control character is shown, never sent to the terminal
        exports = [e for e in record.get("exports", []) if isinstance(e, dict)]
        if not exports and isinstance(record.get("shared"), dict):
            exports = [record["shared"]]  # written before a session kept every export: its one export
        return cls(
            day=date.fromisoformat(record["day"]), agenda=record.get("agenda", ""),
            exports=[Shared.from_record(e) for e in exports],
            shared_reflections=list(record.get("shared_reflections", [])), takeaways=record.get("takeaways", ""),
            follow_boundaries=list(record.get("follow_boundaries", [])),
            follow_contacts=list(record.get("follow_contacts", [])), id=id,
        )
