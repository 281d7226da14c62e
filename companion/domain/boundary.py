"""Boundaries: limits the person wants to set or keep, and how holding them is going."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from companion.domain.clock import day_text
from companion.domain.moment import Moment
from companion.domain.text import displayable

STATUSES: dict[str, str] = {
    "thinking": "Thinking about it",
    "said": "Said it",
    "holding": "Holding it",
    "revisit": "Needs revisiting",
}
EVENT_KINDS: dict[str, str] = {
    "held": "Held",
    "crossed": "Crossed",
    "renegotiated": "Renegotiated",
}


BoundaryEvent = Moment  # same shape; the owner checks the kind


@dataclass
class Boundary:
    """One boundary note."""

    who: str
    boundary: str
    why: str = ""
    script: str = ""
    status: str = "thinking"
    review_on: date | None = None
    contact_id: int | None = None
    events: list[BoundaryEvent] = field(default_factory=list)
    id: int | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"A boundary's status is one of: {', '.join(STATUSES)}.")
        if not self.boundary.strip():
            raise ValueError("A boundary needs a sentence saying what it is.")

    def is_due(self, today: date) -> bool:
        """Whether its review date has come."""
        return self.review_on is not None and self.review_on <= today

    def log(self, event: BoundaryEvent) -> None:
        """Record an event, keeping the log in date order."""
        if event.kind not in EVENT_KINDS:
            raise ValueError(f"An event is one of: {', '.join(EVENT_KINDS)}.")
        self.events.append(event)
        self.events.sort(key=lambda e: e.day)

    def details(self, linked_name: str | None = None) -> list[tuple[str, str]]:
        """The filled-in fields as (label, value), for cards and exports."""
        who = self.who + (f" ({linked_name})" if linked_name else "")
        pairs = [("With", who), ("Why it matters", self.why), ("How I'll say it", self.script),
                 ("Status", STATUSES[self.status]), ("Review on", day_text(self.review_on) if self.review_on else "")]
        return [(label, value) for label, value in pairs if value]

    def to_record(self) -> dict[str, Any]:
        """The stored dict."""
        return {
            "who": self.who, "boundary": self.boundary, "why": self.why, "script": self.script,
            "status": self.status, "review_on": self.review_on.isoformat() if self.review_on else None,
            "contact_id": self.contact_id, "events": [e.to_record() for e in self.events],
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], id: int | None = None) -> Boundary:
        """From a stored dict."""
        record = displayable(record)  # a control character is shown, never sent to the terminal
        review = record.get("review_on")
        return cls(
            who=record.get("who", ""), boundary=record["boundary"], why=record.get("why", ""),
            script=record.get("script", ""), status=record.get("status", "thinking"),
            review_on=date.fromisoformat(review) if review else None, contact_id=record.get("contact_id"),
            events=[BoundaryEvent.from_record(e) for e in record.get("events", [])], id=id,
        )
