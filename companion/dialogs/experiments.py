"""An ask tested as an experiment: the before (whom, what, the fear and how strongly it is believed) and the
after (what happened, how it felt, the belief now, what to take from it). Forms that save nothing."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from textual.widget import Widget
from textual.widgets import Input, Select, Static

from companion.dialogs.editors import FormDialog, row
from companion.domain.clock import parse_day
from companion.domain.experiment import Experiment

BEFORE_NOTE = ("Write the prediction down before you ask: it is the part the experiment tests. There is no "
               "right answer, and a fear that comes true is worth knowing too.")


def _belief(text: str, what: str) -> int:
    if not text.strip().isdigit() or not 0 <= int(text) <= 100:
        raise ValueError(f"{what}: a number from 0 (not at all) to 100 (completely).")
    return int(text)


class ExperimentDialog(FormDialog):
    """New or edited ask experiment (the before); returns an Experiment."""

    WHAT = "This ask experiment"

    def __init__(self, experiment: Experiment | None, people: dict[int, str], *, ask: str = "",
                 contact_id: int | None = None) -> None:
        super().__init__()
        self._experiment, self._people = experiment, people
        self._ask, self._contact = ask, contact_id  # from the ask-for-help message
        self.TITLE_TEXT = "Edit the ask experiment" if experiment else "An ask, as an experiment"

    def form_rows(self) -> list[Widget]:
        e = self._experiment
        contact = e.contact_id if e else self._contact
        people = [(name, cid) for cid, name in sorted(self._people.items(), key=lambda kv: kv[1].casefold())]
        return [
            Static(BEFORE_NOTE, classes="form-note"),
            row("Whom", Select(people, value=contact if contact in self._people else Select.NULL, id="contact",
                               compact=True, prompt="someone else (below)")),
            row("or someone else", Input(e.who if e else "", id="who", compact=True,
                                         placeholder="a name, if not in your secure base")),
            row("I will ask", Input(e.ask if e else self._ask, id="ask", compact=True,
                                    placeholder="what you will ask for")),
            row("I fear", Input(e.fear if e else "", id="fear", compact=True,
                                placeholder="what you expect might happen")),
            row("Belief 0-100", Input(str(e.belief_before) if e else "", id="belief", compact=True,
                                      placeholder="how strongly you believe the fear")),
            row("When", Input(e.planned.isoformat() if e and e.planned else "", id="when", compact=True,
                              placeholder="YYYY-MM-DD, optional")),
        ]

    def first_focus(self) -> Widget:
        return self.query_one("#fear" if self._ask else "#contact")

    def build(self) -> Experiment:
        contact = self.query_one("#contact", Select).value
        contact_id = contact if isinstance(contact, int) else None
        who = "" if contact_id is not None else self.value("who")
        if contact_id is None and not who:
            raise ValueError("Whom will you ask? Choose someone, or type a name.")
        when = self.value("when")
        planned = parse_day(when) if when else None
        old = self._experiment
        fields = {"ask": self.value("ask"), "fear": self.value("fear"),
                  "belief_before": _belief(self.value("belief"), "How strongly you believe the fear"),
                  "who": who, "contact_id": contact_id, "planned": planned}
        return dataclasses.replace(old, **fields) if old else Experiment(**fields)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ExperimentAfter:
    """How an ask went (the dialog's answer)."""

    day: date
    happened: str
    felt: str
    belief_after: int
    learned: str


class AfterDialog(FormDialog):
    """How the ask went, beside what was predicted; returns an ExperimentAfter."""

    WHAT = "How the ask went"

    def __init__(self, experiment: Experiment, whom: str, today: str) -> None:
        super().__init__()
        self._experiment, self._today = experiment, today
        self.TITLE_TEXT = f"How did asking {whom} go?" if whom else "How did the ask go?"

    def form_rows(self) -> list[Widget]:
        e = self._experiment
        before = f"You asked: {e.ask}\nYou feared: {e.fear} (believed at {e.belief_before})"
        return [
            Static(before, classes="form-note", markup=False),
            row("What happened", Input(e.happened, id="happened", compact=True, placeholder="what actually happened")),
            row("How it felt", Input(e.felt, id="felt", compact=True, placeholder="optional")),
            row("Belief now", Input("" if e.belief_after is None else str(e.belief_after), id="belief",
                                    compact=True, placeholder=f"0-100: the fear you believed at {e.belief_before}")),
            row("I take from it", Input(e.learned, id="learned", compact=True, placeholder="optional")),
            row("Day", Input(e.done_on.isoformat() if e.done_on else self._today, id="day", compact=True)),
        ]

    def build(self) -> ExperimentAfter:
        if not self.value("happened"):
            raise ValueError("Say in a few words what actually happened.")
        day = parse_day(self.value("day"))
        if day is None:
            raise ValueError("The day is needed, like 2026-12-31.")
        return ExperimentAfter(day, self.value("happened"), self.value("felt"),
                               _belief(self.value("belief"), "How strongly you believe the fear now"),
                               self.value("learned"))
