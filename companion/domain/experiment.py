"""Ask experiments: the fear behind not asking, written down before an ask and looked at again after.

As cognitive therapy's behavioural experiments do, the prediction comes first (what I fear will happen, and
how strongly I believe it, 0-100), then what actually happened and how strongly I believe the fear now. The
asks not yet tried form a ladder, ordered by the person from small to big.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from companion.domain.clock import day_text
from companion.domain.text import displayable, plural

BELIEF_LOW, BELIEF_HIGH = 0, 100
TRIED_LINE_AFTER = 3  # Home speaks of experiments only once this many are done


def check_belief(value: int | None, what: str = "A belief") -> int | None:
    """A belief is a whole number from 0 to 100 (or absent)."""
    if value is not None and not BELIEF_LOW <= value <= BELIEF_HIGH:
        raise ValueError(f"{what} is a number from 0 to 100.")
    return value


@dataclass
class Experiment:
    """One ask, tested: the prediction before, and (once tried) what happened after."""

    ask: str
    fear: str
    belief_before: int
    who: str = ""  # the person asked, when they are not in the secure base
    contact_id: int | None = None  # the secure-base person asked
    planned: date | None = None  # when the person means to ask
    rung: int = 0  # the place on the ladder, small (low) to big
    happened: str = ""
    felt: str = ""
    belief_after: int | None = None
    learned: str = ""
    done_on: date | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.ask.strip():
            raise ValueError("An experiment needs the ask: what you will ask for.")
        if not self.fear.strip():
            raise ValueError("An experiment needs the fear: what you expect might happen.")
        check_belief(self.belief_before, "How strongly you believe the fear")
        check_belief(self.belief_after, "How strongly you believe the fear now")

    @property
    def done(self) -> bool:
        """Whether it was tried and looked back on."""
        return self.done_on is not None

    def whom(self, names: dict[int, str]) -> str:
        """The person asked, by name ("" when nobody is named)."""
        if self.contact_id is not None and self.contact_id in names:
            return names[self.contact_id]
        return self.who

    def complete(self, day: date, happened: str, belief_after: int, felt: str = "",
                 learned: str = "") -> Experiment:
        """The same experiment, tried on `day`."""
        if not happened.strip():
            raise ValueError("Say in a few words what actually happened.")
        return replace(self, happened=happened, belief_after=check_belief(belief_after, "How strongly you "
                                                                                         "believe the fear now"),
                       felt=felt, learned=learned, done_on=day)

    def before_text(self, names: dict[int, str]) -> str:
        """The prediction in one paragraph (for the export's left column and the card)."""
        who = self.whom(names)
        if self.done:
            to, fear = (f"Asked {who}: " if who else "Asked: "), "I feared"
        else:
            when = f" ({day_text(self.planned)})" if self.planned else ""
            to, fear = (f"To ask {who}{when}: " if who else f"To ask{when}: "), "I fear"
        return f"{to}{self.ask}\n{fear}: {self.fear}\nBelief in the fear: {self.belief_before}/100"

    def after_text(self) -> str:
        """What happened, in one paragraph ("" before it is tried)."""
        if not self.done_on:
            return ""
        lines = [f"{day_text(self.done_on)}: {self.happened}"]
        if self.felt:
            lines.append(f"It felt: {self.felt}")
        lines.append(f"Belief in the fear now: {self.belief_after}/100")
        if self.learned:
            lines.append(f"I take from it: {self.learned}")
        return "\n".join(lines)

    def to_record(self) -> dict[str, Any]:
        """The stored dict."""
        return {
            "ask": self.ask, "fear": self.fear, "belief_before": self.belief_before, "who": self.who,
            "contact_id": self.contact_id, "planned": self.planned.isoformat() if self.planned else None,
            "rung": self.rung, "happened": self.happened, "felt": self.felt, "belief_after": self.belief_after,
            "learned": self.learned, "done_on": self.done_on.isoformat() if self.done_on else None,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], id: int | None = None) -> Experiment:
        """From a stored dict."""
        record = displayable(record)  # a control character is shown, never sent to the terminal
        planned, done_on = record.get("planned"), record.get("done_on")
        return cls(
            ask=record["ask"], fear=record["fear"], belief_before=record["belief_before"],
            who=record.get("who", ""), contact_id=record.get("contact_id"),
            planned=date.fromisoformat(planned) if planned else None, rung=int(record.get("rung", 0)),
            happened=record.get("happened", ""), felt=record.get("felt", ""),
            belief_after=record.get("belief_after"), learned=record.get("learned", ""),
            done_on=date.fromisoformat(done_on) if done_on else None, id=id,
        )


def ladder(experiments: list[Experiment]) -> list[Experiment]:
    """The asks not yet tried, small to big (the person's order; then the oldest first)."""
    return sorted((e for e in experiments if not e.done), key=lambda e: (e.rung, e.id or 0))


def tried(experiments: list[Experiment]) -> list[Experiment]:
    """The asks tried, the most recent first."""
    return sorted((e for e in experiments if e.done_on), key=lambda e: (e.done_on, e.id or 0), reverse=True)


def _month(day: date, today: date) -> str:
    return day.strftime("%B") if day.year == today.year else day.strftime("%B %Y")


def tried_line(experiments: list[Experiment], today: date) -> str | None:
    """One honest line about the asks tried: counts and the fear's average belief before and after, never a
    score of the person. None until TRIED_LINE_AFTER are done."""
    done = [e for e in experiments if e.done_on and e.belief_after is not None]
    if len(done) < TRIED_LINE_AFTER:
        return None
    first = min(e.done_on for e in done if e.done_on)
    before = round(sum(e.belief_before for e in done) / len(done))
    after = round(sum(e.belief_after or 0 for e in done) / len(done))
    return (f"{plural(len(done), 'ask', 'asks')} tried since {_month(first, today)}: you expected the worst at "
            f"{before} on average; afterwards you believed it at {after}.")
