"""The safety plan's six steps, in the person's own words, with people from the secure base. Saves nothing."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Label, Static, TextArea

from companion.dialogs.editors import FormDialog
from companion.domain.contact import Contact
from companion.domain.safety_plan import LOCKED_COPY_SAID, STEPS, WITH_THERAPIST, SafetyPlan
from companion.widgets.quiet_text import QuietTextArea
from companion.widgets.ticks import TickBox

# The steps whose people come from the secure base: the plan's field, and the ids of its ticks.
PEOPLE_STEPS = {"distraction": ("distraction_people", "with"), "helpers_note": ("helpers", "ask")}


@dataclass(frozen=True)
class SafetyPlanForm:
    """The edited plan, and whether this device keeps a readable copy for before unlocking."""

    plan: SafetyPlan
    readable: bool


class SafetyPlanDialog(FormDialog):
    """Each step: what it asks, the person's lines, and (steps 3 and 4) the people of the secure base to tick."""

    TITLE_TEXT = "My safety plan"
    WHAT = "Your safety plan"

    def __init__(self, plan: SafetyPlan, people: list[Contact], crisis_lines: list[str], readable: bool) -> None:
        super().__init__()
        self._plan, self._people, self._lines, self._readable = plan, people, crisis_lines, readable

    def form_rows(self) -> list[Widget]:
        rows: list[Widget] = [Static(WITH_THERAPIST, classes="form-note")]
        for name, title, asks in STEPS:
            rows.append(Static(f"[b]{title}[/b]  [dim]{asks}[/dim]", classes="form-note plan-step"))
            rows.append(Horizontal(Label("In my words", classes="form-label"),
                                   QuietTextArea(getattr(self._plan, name), id=name, soft_wrap=True, compact=True,
                                                 tab_behavior="focus"), classes="form-row tall"))
            if name in PEOPLE_STEPS:
                rows += self._people_ticks(*PEOPLE_STEPS[name])
            if name == "professionals":
                rows.append(Static("From the support card (ctrl+g; change them in the settings file):\n"
                                   + "\n".join(f"• {line}" for line in self._lines), classes="form-note", markup=False))
        rows += [Horizontal(TickBox("Show it before unlocking, on this device", self._readable, id="readable",
                                    compact=True), classes="form-row tick-row"),
                 Static(LOCKED_COPY_SAID, classes="form-note")]
        return rows

    def _people_ticks(self, field: str, prefix: str) -> list[Widget]:
        if not self._people:
            return [Static("Nobody is in your secure base yet; people you add there (4) can be chosen here.",
                           classes="form-note")]
        chosen = getattr(self._plan, field)
        return [Horizontal(TickBox(_label(c), c.id in chosen, id=f"{prefix}-{c.id}", compact=True),
                           classes="form-row tick-row") for c in self._people if c.id is not None]

    def first_focus(self) -> Widget:
        return self.query_one("#warning_signs", TextArea)

    def build(self) -> SafetyPlanForm:
        plan = dataclasses.replace(self._plan)
        for name, _, _ in STEPS:
            setattr(plan, name, self.query_one(f"#{name}", TextArea).text.strip())
        for field, prefix in PEOPLE_STEPS.values():
            setattr(plan, field, [c.id for c in self._people
                                  if c.id is not None and self.query_one(f"#{prefix}-{c.id}", Checkbox).value])
        return SafetyPlanForm(plan, self.query_one("#readable", Checkbox).value)


def _label(contact: Contact) -> str:
    return f"{contact.name} ({contact.reach})" if contact.reach.strip() else contact.name
