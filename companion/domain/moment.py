"""A dated moment in a log: a boundary event or an interaction with a contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from companion.domain.text import displayable


@dataclass
class Moment:
    """Something that happened on a day, of a kind, with an optional note."""

    day: date
    kind: str
    note: str = ""
    support: str = ""  # a moment with a person: the kind of support that flowed ("" when not said)

    def to_record(self) -> dict[str, Any]:
        """The stored dict."""
        record = {"day": self.day.isoformat(), "kind": self.kind, "note": self.note}
        return {**record, "support": self.support} if self.support else record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Moment:
        """From a stored dict."""
        record = displayable(record)  # a control character is shown, never sent to the terminal
        return cls(date.fromisoformat(record["day"]), record["kind"], record.get("note", ""),
                   record.get("support", ""))
