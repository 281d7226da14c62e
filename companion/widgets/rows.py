"""How each kind of record looks as a list row (Content: never parsed as markup). Render only."""

from __future__ import annotations

from datetime import date, tzinfo

from textual.content import Content
from textual.widgets.option_list import Option

from companion.domain.boundary import STATUSES, Boundary
from companion.domain.clock import day_text, friendly_day
from companion.domain.contact import ROLES, Contact
from companion.domain.prompts import THEME_SHORT
from companion.domain.reflection import THERAPY_MARK, Reflection
from companion.domain.session import Session

SESSION_MARKS = {"coming up": "→", "take-aways noted": "✓", "nothing noted yet": "·"}


def reflection_row(entry: Reflection, tz: tzinfo | None) -> Option:
    """Date, theme, the therapy mark, the first line."""
    when = entry.created.astimezone(tz).strftime("%a %d %b %Y %H:%M")
    theme = THEME_SHORT.get(entry.theme or "", "free")
    mark = (f"{THERAPY_MARK} " if entry.flagged else "  ", "bold")
    return Option(Content.assemble((when, "dim"), "  ", (f"{theme:<12}", "italic dim"), mark, entry.first_line),
                  id=str(entry.id))


def boundary_rows(records: list[Boundary], today: date) -> list[Option | None]:
    """Grouped by status, a heading for each; a review that has come due says so in words."""
    rows: list[Option | None] = []
    current = None
    for b in records:
        if b.status != current:
            if rows:
                rows.append(None)
            rows.append(Option(Content.styled(STATUSES[b.status], "bold"), disabled=True))
            current = b.status
        due = ("  ● review due", "bold") if b.is_due(today) else ""
        who = (f"{b.who}: ", "dim") if b.who else ""
        rows.append(Option(Content.assemble("  ", who, b.boundary, due), id=str(b.id)))
    return rows


def contact_row(c: Contact, today: date) -> Option:
    """Name, role, last contact, and a word when it is time to reconnect."""
    due = ("  ● reconnect when you can", "bold") if c.is_due(today) else ""
    return Option(Content.assemble(
        (f"{c.name:<18}", "bold"), (f"{ROLES[c.role]:<14}", "dim"), f"last: {friendly_day(c.last_contact, today)}", due,
    ), id=str(c.id))


def session_row(s: Session, today: date) -> Option:
    """The day, where it stands (a mark and words), what was shared."""
    state = s.state(today)
    shared = f"  shared {s.shared.summary}" if s.shared else ""
    return Option(Content.assemble((f"{day_text(s.day)}  ", "bold"), f"{SESSION_MARKS[state]} {state:<18}",
                                   (shared, "dim")), id=str(s.id))
