"""How each kind of record looks as a list row (Content: never parsed as markup). Render only."""

from __future__ import annotations

from datetime import date, tzinfo

from textual.content import Content
from textual.widgets.option_list import Option

from companion.domain.boundary import STATUSES, Boundary
from companion.domain.clock import day_text, friendly_day
from companion.domain.contact import ROLES, Contact
from companion.domain.experiment import Experiment
from companion.domain.prompts import THEME_SHORT
from companion.domain.reflection import THERAPY_MARK, Reflection
from companion.domain.session import Session

SESSION_MARKS = {"coming up": "→", "take-aways noted": "✓", "nothing noted yet": "·"}
WIDE, NARROW = 110, 70  # screen widths: below NARROW the less important columns go; from WIDE there is room


def width_class(width: int) -> str:
    """Which layout rows take at this screen width (rows are built again when it changes)."""
    return "narrow" if width < NARROW else "wide" if width >= WIDE else "normal"


def reflection_row(entry: Reflection, tz: tzinfo | None, width: int = 80) -> Option:
    """Date (and time, when wide), theme (unless narrow), the therapy mark, the first line."""
    kind = width_class(width)
    when = entry.local(tz).strftime("%a %d %b %Y %H:%M" if kind == "wide" else "%a %d %b %Y")
    theme = "" if kind == "narrow" else f"{THEME_SHORT.get(entry.theme or '', 'free'):<13}"
    # Few style changes per row: each one costs bytes on the wire when a filter redraws the list.
    lead = (f"{when}  {theme}", "dim")
    if entry.flagged:
        return Option(Content.assemble(lead, (f"{THERAPY_MARK} ", "bold"), entry.first_line), id=str(entry.id))
    return Option(Content.assemble(lead, f"  {entry.first_line}"), id=str(entry.id))


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
        # The word comes first, so a long boundary can never push it out of sight.
        due = ("● review due  ", "bold") if b.is_due(today) else ""
        who = (f"{b.who}: ", "dim") if b.who else ""
        rows.append(Option(Content.assemble("  ", due, who, b.boundary), id=str(b.id)))
    return rows


def contact_row(c: Contact, today: date, width: int = 80) -> Option:
    """Name (shortened to its column), role (unless narrow), last contact, a word when it is time to reconnect."""
    kind = width_class(width)
    column = 28 if kind == "wide" else 18
    name = c.name if len(c.name) < column else c.name[:column - 2] + "…"
    role = "" if kind == "narrow" else f"{ROLES[c.role]:<14}"
    due = ("  ● reconnect when you can", "bold") if c.is_due(today) else ""
    return Option(Content.assemble(
        (f"{name:<{column}}", "bold"), (role, "dim"), f"last: {friendly_day(c.last_contact, today)}", due,
    ), id=str(c.id))


def session_row(s: Session, today: date) -> Option:
    """The day, where it stands (a mark and words), what was shared."""
    state = s.state(today)
    shared = f"  shared {s.exported()}" if s.exports else ""
    return Option(Content.assemble((f"{day_text(s.day)}  ", "bold"), f"{SESSION_MARKS[state]} {state:<18}",
                                   (shared, "dim")), id=str(s.id))


def experiment_rows(items: list[tuple[Experiment, str]], width: int = 80) -> list[Option | None]:
    """The ladder (small to big, the next rung marked in words), then the asks tried with the fear's belief
    before and after; a heading for each. Each item: an ask, and whom it is to ("" for nobody named)."""
    rows: list[Option | None] = []
    ladder = [(e, whom) for e, whom in items if not e.done]
    done = [(e, whom) for e, whom in items if e.done_on]
    if ladder:
        rows.append(Option(Content.styled("The ladder: small asks first", "bold"), disabled=True))
    for rung, (e, whom) in enumerate(ladder, start=1):
        mark = ("next ", "bold") if rung == 1 else ("     ", "")
        # the figures before the words, so a long ask is shortened, never the belief
        fear = f"fear {e.belief_before:>3}  " if width >= NARROW else ""
        rows.append(Option(Content.assemble(f"  {rung:>2} ", mark, (fear, "dim"),
                                            (f"{whom}: " if whom else "", "dim"), e.ask), id=str(e.id)))
    if done:
        if rows:
            rows.append(None)
        rows.append(Option(Content.styled("Tried", "bold"), disabled=True))
    for e, whom in done:
        when = f"{e.done_on:%d %b}" if e.done_on else ""
        rows.append(Option(Content.assemble((f"  {when}  ", "dim"), (f"fear {e.belief_before:>3} → "
                                                                     f"{e.belief_after:<3}  ", "dim"),
                                            (f"{whom}: " if whom else "", "dim"), e.ask), id=str(e.id)))
    return rows
