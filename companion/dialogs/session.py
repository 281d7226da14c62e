"""A therapy session: the day, what to bring up, and afterwards what you took away. Saves nothing."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from companion.dialogs.editors import FormDialog, row
from companion.domain.clock import parse_day
from companion.domain.session import Session
from companion.domain.text import plural
from companion.widgets.quiet_text import QuietTextArea
from companion.widgets.ticks import TickBox


@dataclass(frozen=True)
class SessionForm:
    """The edited session, and which of its shared entries the person ticked as talked through."""

    session: Session
    discussed: list[int]


@dataclass(frozen=True)
class SharedEntry:
    """An entry shared for the session, as the take-aways list it: when, its first words, whether talked through."""

    id: int
    label: str
    discussed: bool


class SessionDialog(FormDialog):
    """New or edited session; opens on the take-aways when the session has been held."""

    HINT = "ctrl+s save · tab next field · escape cancel"
    WHAT = "This session"

    def __init__(self, session: Session | None, today_text: str, boundaries: dict[int, str],
                 people: dict[int, str], *, after: bool = False, shared: list[SharedEntry] | None = None) -> None:
        super().__init__()
        self._session = session
        self._today = today_text
        self._boundaries, self._people = boundaries, people
        self._after = after
        self._shared = shared or []  # offered only once the session has been held
        self.TITLE_TEXT = "What you took away" if after else ("A therapy session" if session is None else "Session")

    def form_rows(self) -> list[Widget]:
        s = self._session
        rows: list[Widget] = [
            row("Day", Input(s.day.isoformat() if s else self._today, id="day", compact=True)),
            row("To bring up", Input(s.agenda if s else "", id="agenda", compact=True, placeholder="optional")),
            Horizontal(Label("What I took away", classes="form-label"),
                       QuietTextArea(s.takeaways if s else "", id="takeaways", soft_wrap=True, compact=True,
                                tab_behavior="focus"), classes="form-row tall"),
            row("A boundary to try", self._select("boundary", self._boundaries, s.follow_boundaries if s else [])),
            row("Someone to reach", self._select("person", self._people, s.follow_contacts if s else [])),
        ]
        if self._shared:
            rows.append(Static(f"Shared for it: tick the {plural(len(self._shared), 'entry', 'entries')} you "
                               "talked through (they stay in your journal, no longer marked to bring).",
                               classes="form-note"))
            rows += [Horizontal(TickBox(entry.label, entry.discussed, id=f"talked-{entry.id}", compact=True),
                                classes="form-row tick-row") for entry in self._shared]
        return rows

    @staticmethod
    def _select(field_id: str, options: dict[int, str], chosen: list[int]) -> Select[int]:
        items = [(name, key) for key, name in sorted(options.items(), key=lambda kv: kv[1].casefold())]
        value = next((c for c in chosen if c in options), Select.NULL)
        return Select(items, value=value, id=field_id, compact=True, prompt="none")

    def first_focus(self) -> Widget:
        return self.query_one("#takeaways", TextArea) if self._after else self.query_one("#day", Input)

    def build(self) -> SessionForm:
        day = parse_day(self.value("day"))
        if day is None:
            raise ValueError("Which day was (or will be) the session? Dates look like 2026-12-31.")
        boundary = self.query_one("#boundary", Select).value
        person = self.query_one("#person", Select).value
        base = self._session or Session(day=day)
        session = dataclasses.replace(
            base, day=day, agenda=self.value("agenda"), takeaways=self.query_one("#takeaways", TextArea).text.strip(),
            follow_boundaries=[boundary] if isinstance(boundary, int) else [],
            follow_contacts=[person] if isinstance(person, int) else [],
        )
        ticked = [entry.id for entry in self._shared if self.query_one(f"#talked-{entry.id}", Checkbox).value]
        return SessionForm(session, ticked)
