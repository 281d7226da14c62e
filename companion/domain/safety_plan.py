"""A safety plan in the six steps of the Stanley–Brown Safety Planning Intervention, in the person's words.

The people steps name people from the secure base (with how to reach them); the crisis lines come from the
settings, so the plan and the support card never disagree. It is best written with a therapist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from companion.domain.contact import Contact
from companion.domain.text import displayable

TITLE = "My safety plan"
WITH_THERAPIST = ("A safety plan works best written together with your therapist, when things are calm, and "
                  "looked at again now and then. In a crisis, go through the steps in order; "
                  "skip to the last ones whenever you need to.")
UNWRITTEN = "(not written yet)"
LOCKED_COPY_SAID = ("A readable copy of this plan (nothing else) is then kept on this device only, outside the "
                    "journal's folder, so ctrl+g shows it before you unlock. It is rewritten each time you unlock, "
                    "never synced, and anyone using this device account can read it.")

# (field, the step's title, what it asks) in the order the steps are used in a crisis
STEPS: tuple[tuple[str, str, str], ...] = (
    ("warning_signs", "1. My warning signs",
     "Thoughts, feelings, moods or situations that tell me a crisis may be coming."),
    ("on_my_own", "2. Things I can do on my own",
     "What helps me take my mind off it without contacting anyone: a walk, music, a shower, breathing."),
    ("distraction", "3. People and places that take my mind off it",
     "People to be with, and places to go, where I can be among others for a while."),
    ("helpers_note", "4. People I can ask for help",
     "People I can tell that I am struggling and ask to help."),
    ("professionals", "5. Professionals and crisis lines",
     "My therapist, my doctor, a clinic; the crisis lines from the support card follow."),
    ("safer", "6. Making my surroundings safer",
     "What I can put away or ask someone to keep, so that the dangerous moment passes safely."),
)
TEXT_FIELDS = tuple(name for name, _, _ in STEPS)
Steps = list[tuple[str, list[str]]]  # each step's title and its lines, in order


@dataclass
class SafetyPlan:
    """The plan; `distraction_people` (step 3) and `helpers` (step 4) are ids of people in the secure base."""

    warning_signs: str = ""
    on_my_own: str = ""
    distraction: str = ""
    distraction_people: list[int] = field(default_factory=list)
    helpers_note: str = ""
    helpers: list[int] = field(default_factory=list)
    professionals: str = ""
    safer: str = ""
    id: int | None = None

    @property
    def empty(self) -> bool:
        """Nothing written or chosen yet."""
        return not (any(getattr(self, name).strip() for name in TEXT_FIELDS) or self.helpers
                    or self.distraction_people)

    def steps(self, people: dict[int, Contact], crisis_lines: list[str]) -> Steps:
        """The six steps in order, each with its lines: the person's own lines, then the people chosen
        ("Priya: text first, then call"), then (step 5) the crisis lines. An empty step says so."""
        chosen = {"distraction": self.distraction_people, "helpers_note": self.helpers}
        out = []
        for name, title, _ in STEPS:
            lines = [line.strip() for line in getattr(self, name).splitlines() if line.strip()]
            lines += [_person(people[i]) for i in chosen.get(name, []) if i in people]
            if name == "professionals":
                lines += crisis_lines
            out.append((title, lines or [UNWRITTEN]))
        return out

    def to_record(self) -> dict[str, Any]:
        """The stored dict."""
        return {**{name: getattr(self, name) for name in TEXT_FIELDS},
                "distraction_people": list(self.distraction_people), "helpers": list(self.helpers)}

    @classmethod
    def from_record(cls, record: dict[str, Any], id: int | None = None) -> SafetyPlan:
        """From a stored dict."""
        record = displayable(record)
        return cls(**{name: record.get(name, "") for name in TEXT_FIELDS},
                   distraction_people=list(record.get("distraction_people", [])),
                   helpers=list(record.get("helpers", [])), id=id)


def _person(contact: Contact) -> str:
    return f"{contact.name}: {contact.reach}" if contact.reach.strip() else contact.name


def plan_text(steps: Steps) -> str:
    """The plan as plain text, for a terminal, a printed copy or the copy kept readable while locked."""
    out = [TITLE, "", WITH_THERAPIST, ""]
    for title, lines in steps:
        out += [title, *(f"  - {line}" for line in lines), ""]
    return "\n".join(out)
