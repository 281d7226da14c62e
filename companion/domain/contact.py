"""The secure base: the people to turn to and come back to, and the give and take with them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from companion.domain.moment import Moment
from companion.domain.text import displayable, plural

ROLES: dict[str, str] = {
    "secure-base": "Secure base",
    "safe-haven": "Safe haven",
    "mutual": "Mutual",
    "professional": "Professional",
    "other": "Other",
}
# kind -> (label, direction): +1 I received, -1 I gave, 0 shared
INTERACTION_KINDS: dict[str, tuple[str, int]] = {
    "asked": ("I asked for help", +1),
    "helped-me": ("They helped me", +1),
    "helped-them": ("I helped them", -1),
    "together": ("Time together", 0),
    "other": ("Other", 0),
}
# How close a person is (the circles of the secure base); the role says what kind of person they are to me.
RINGS: dict[str, str] = {"closest": "Closest", "close": "Close", "wider": "Wider"}
# Kinds of support a person offers, and a moment may carry.
SUPPORT_KINDS: dict[str, str] = {
    "listening": "listening",
    "practical": "practical help",
    "advice": "advice",
    "company": "company",
}
QUIET_DAYS = 30  # without a reconnect rhythm, a person last reached this long ago is "not reached in a while"
BALANCE_DAYS = 90
PATTERN_MOMENTS, PATTERN_DAYS = 4, 21  # a pattern is named only from this many moments over this many days


Interaction = Moment  # same shape; the owner checks the kind


@dataclass(frozen=True)
class Balance:
    """Giving and receiving with one person over a window of days."""

    received: int
    given: int
    shared: int
    span_days: int = 0  # from the first moment in the window to the last
    received_kinds: tuple[tuple[str, int], ...] = ()  # (support kind, moments), the most first
    given_kinds: tuple[tuple[str, int], ...] = ()

    def flows(self) -> list[str]:
        """What flowed each way, by kind of support ("You received: listening 2, advice 1")."""
        said = []
        for label, kinds in (("You received", self.received_kinds), ("You gave", self.given_kinds)):
            if kinds:
                said.append(f"{label}: " + ", ".join(f"{SUPPORT_KINDS[k]} {n}" for k, n in kinds))
        return said

    @property
    def label(self) -> str:
        """A neutral description: it describes, it does not judge, and names no pattern from a few moments."""
        moments = self.received + self.given + self.shared
        if moments == 0:
            return "Nothing logged in the last 90 days"
        if moments < PATTERN_MOMENTS or self.span_days < PATTERN_DAYS:
            return f"{plural(moments, 'moment', 'moments')} logged in the last 90 days"
        if self.received == self.given:
            return "About even lately"
        if self.received > self.given:
            return "Lately you have been receiving more"
        return "Lately you have been giving more"


@dataclass
class Contact:
    """A person in the secure base."""

    name: str
    role: str = "secure-base"
    supports: str = ""
    offer: str = ""
    reach: str = ""
    reconnect_days: int | None = None
    interactions: list[Interaction] = field(default_factory=list)
    ring: str = ""  # "" until the person places them
    kinds: list[str] = field(default_factory=list)  # the kinds of support they offer
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("A contact needs a name.")
        if self.role not in ROLES:
            raise ValueError(f"A role is one of: {', '.join(ROLES)}.")
        if self.reconnect_days is not None and self.reconnect_days < 1:
            raise ValueError("Reconnect every N days needs N of 1 or more.")
        if self.ring and self.ring not in RINGS:
            raise ValueError(f"A ring is one of: {', '.join(RINGS)}.")
        unknown = [k for k in self.kinds if k not in SUPPORT_KINDS]
        if unknown:
            raise ValueError(f"A kind of support is one of: {', '.join(SUPPORT_KINDS)}.")

    @property
    def last_contact(self) -> date | None:
        """The most recent logged interaction."""
        return max((i.day for i in self.interactions), default=None)

    def reconnect_on(self) -> date | None:
        """When it would be good to reconnect (None without a rhythm or any contact yet)."""
        if self.reconnect_days is None or self.last_contact is None:
            return None
        return self.last_contact + timedelta(days=self.reconnect_days)

    def is_due(self, today: date) -> bool:
        """Whether the reconnect rhythm says it is time (a rhythm with no contact yet is due)."""
        if self.reconnect_days is None:
            return False
        due = self.reconnect_on()
        return due is None or due <= today

    def log(self, interaction: Interaction) -> None:
        """Record an interaction; this resets the reconnect clock."""
        if interaction.kind not in INTERACTION_KINDS:
            raise ValueError(f"An interaction is one of: {', '.join(INTERACTION_KINDS)}.")
        if interaction.support and interaction.support not in SUPPORT_KINDS:
            raise ValueError(f"A kind of support is one of: {', '.join(SUPPORT_KINDS)}.")
        self.interactions.append(interaction)
        self.interactions.sort(key=lambda i: i.day)

    def balance(self, today: date, days: int = BALANCE_DAYS) -> Balance:
        """Counts of receiving, giving and shared time in the last `days` days."""
        since = today - timedelta(days=days)
        recent = [i for i in self.interactions if since < i.day <= today]
        direction = [INTERACTION_KINDS[i.kind][1] for i in recent]
        when = [i.day for i in recent]
        span = (max(when) - min(when)).days if when else 0
        def kinds(way: int) -> tuple[tuple[str, int], ...]:
            counts = Counter(i.support for i in recent if i.support and INTERACTION_KINDS[i.kind][1] == way)
            return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], list(SUPPORT_KINDS).index(kv[0]))))

        return Balance(received=direction.count(+1), given=direction.count(-1), shared=direction.count(0),
                       span_days=span, received_kinds=kinds(+1), given_kinds=kinds(-1))

    def quiet_for(self, today: date) -> int | None:
        """Days since this person was last reached, when that is "a while" (their rhythm is due, or without a
        rhythm QUIET_DAYS or more); None otherwise, and for someone never reached without a rhythm."""
        last = self.last_contact
        if last is None:
            return None
        days = (today - last).days
        due = self.is_due(today) if self.reconnect_days is not None else days >= QUIET_DAYS
        return days if due else None

    def logged(self) -> str:
        """What was logged with this person, by kind, in words ("I asked for help 1 · Time together 2")."""
        counts = Counter(i.kind for i in self.interactions)
        return " · ".join(f"{label} {counts[kind]}" for kind, (label, _) in INTERACTION_KINDS.items() if counts[kind])

    def details(self) -> list[tuple[str, str]]:
        """The filled-in descriptive fields as (label, value), for cards and exports."""
        pairs = [("How they support me", self.supports), ("Kinds of support", self.offers()),
                 ("What I offer them", self.offer), ("How to reach them", self.reach)]
        return [(label, value) for label, value in pairs if value]

    def offers(self) -> str:
        """The kinds of support they offer, in words ("listening, company")."""
        return ", ".join(SUPPORT_KINDS[k] for k in SUPPORT_KINDS if k in self.kinds)

    def to_record(self) -> dict[str, Any]:
        """The stored dict."""
        return {
            "name": self.name, "role": self.role, "supports": self.supports, "offer": self.offer,
            "reach": self.reach, "reconnect_days": self.reconnect_days,
            "interactions": [i.to_record() for i in self.interactions], "ring": self.ring,
            "kinds": list(self.kinds),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], id: int | None = None) -> Contact:
        """From a stored dict."""
        record = displayable(record)  # a control character is shown, never sent to the terminal
        return cls(
            name=record["name"], role=record.get("role", "other"), supports=record.get("supports", ""),
            offer=record.get("offer", ""), reach=record.get("reach", ""),
            reconnect_days=record.get("reconnect_days"),
            interactions=[Interaction.from_record(i) for i in record.get("interactions", [])],
            ring=record.get("ring", ""), kinds=list(record.get("kinds", [])), id=id,
        )


@dataclass(frozen=True)
class Circles:
    """The secure base as a whole: who sits in each ring, who is not placed yet, the kinds of support nobody
    offers yet, and the people not reached in a while (name, days)."""

    rings: dict[str, list[str]]
    unplaced: list[str]
    missing_kinds: list[str]
    quiet: list[tuple[str, int]]

    def notes(self) -> list[str]:
        """The gentle lines under the picture."""
        said = []
        if self.missing_kinds and any(self.rings.values()):
            kinds = [SUPPORT_KINDS[k] for k in self.missing_kinds]
            said.append("Nobody offers " + _or(kinds) + " yet; that may be worth noticing, not fixing.")
        if self.quiet:
            said.append("Not reached in a while: " + ", ".join(f"{name} ({days} days)" for name, days in self.quiet))
        return said


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def circles(contacts: list[Contact], today: date) -> Circles:
    """The rings, in the order of RINGS, names alphabetical within each."""
    people = sorted(contacts, key=lambda c: c.name.casefold())
    offered = {k for c in people for k in c.kinds}
    quiet = [(c.name, days) for c in people if (days := c.quiet_for(today)) is not None]
    quiet.sort(key=lambda q: -q[1])
    return Circles(rings={ring: [c.name for c in people if c.ring == ring] for ring in RINGS},
                   unplaced=[c.name for c in people if not c.ring],
                   missing_kinds=[k for k in SUPPORT_KINDS if k not in offered], quiet=quiet)
