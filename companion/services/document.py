"""The shared document as one model: a summary to prepare from, then the entries, flowing.

The preview, the Markdown inside an age file and the PDF are all rendered from this one model, so
what the person previews is exactly what the therapist reads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from companion.domain.boundary import EVENT_KINDS, STATUSES
from companion.domain.clock import day_text, moment_text
from companion.domain.contact import INTERACTION_KINDS, ROLES
from companion.domain.document import (
    HEALTHY_MIDDLE,
    Block,
    Bullets,
    Calendar,
    Chart,
    Document,
    Heading,
    Pairs,
    Paragraph,
    chart_caption,
)
from companion.domain.experiment import tried_line
from companion.domain.prompts import THEME_LABELS
from companion.domain.reflection import MOODS, RELIANCE
from companion.domain.safety_plan import TITLE as PLAN_TITLE
from companion.domain.safety_plan import WITH_THERAPIST
from companion.domain.series import CALENDAR_DAYS, WEEKDAYS, day_by_day, series, short_day
from companion.services.export import ExportContent

TITLE = "Shared from companion"
NOT_CLINICAL = "A private journal, shared by its author with the person they chose. It is not a clinical record."


def build_document(content: ExportContent, names: dict[int, str]) -> Document:
    """The summary first, then each chosen section; only what `content` holds goes in."""
    blocks: list[Block] = [*_front(content), *_summary(content)]
    if content.reflections:
        blocks.append(Heading("Reflections", 2))
        tz = content.made.tzinfo
        for r in content.reflections:
            blocks.append(Heading(moment_text(r.local(tz)), 3))
            facts = r.facts(names)
            if facts:
                blocks.append(Paragraph(" · ".join(facts), muted=True))
            if r.prompt:
                blocks.append(Paragraph(f"{THEME_LABELS.get(r.theme or '', 'Prompt')}: {r.prompt}", muted=True))
            blocks.append(Paragraph(r.text.rstrip()))
    if content.boundaries:
        blocks.append(Heading("Boundaries", 2))
        for b in content.boundaries:
            blocks.append(Heading(b.boundary, 3))
            blocks.append(Bullets(tuple(f"{label}: {value}" for label, value in b.details())))
            if b.events:  # "Held on Fri 20 Nov 2026: changed the subject kindly"
                blocks.append(Bullets(tuple(f"{EVENT_KINDS[e.kind]} on {day_text(e.day)}" + (f": {e.note}" if e.note
                                                                                             else "")
                                            for e in b.events)))
    if content.contacts:
        blocks.append(Heading("Secure base", 2))
        for c in content.contacts:
            blocks.append(Heading(person_heading(c.name, ROLES[c.role]), 3))
            details = tuple(f"{label}: {value}" for label, value in c.details())
            moments = tuple(_moment(i.day, INTERACTION_KINDS[i.kind][0], i.note) for i in c.interactions)
            if details:
                blocks.append(Bullets(details))
            if moments:
                blocks.append(Bullets(moments))
    if content.experiments:
        blocks += _experiments(content, names)
    if content.plan:
        blocks += [Heading(PLAN_TITLE, 2, new_page=True), Paragraph(WITH_THERAPIST, muted=True)]
        for title, lines in content.plan:
            blocks += [Heading(title, 3), Bullets(tuple(lines))]
    return Document(tuple(blocks), content.made)


EXPERIMENTS_NOTE = ("Each ask was written down before it was made: whom, what, the fear, and how strongly it was "
                    "believed (0 not at all, 100 completely); after it, what happened and the belief then.")


def _experiments(content: ExportContent, names: dict[int, str]) -> list[Block]:
    """Asks tested as experiments, the prediction and what happened side by side."""
    said = tried_line(content.experiments, content.made.date())
    blocks: list[Block] = [Heading("Ask experiments", 2), Paragraph(EXPERIMENTS_NOTE, muted=True)]
    if said:
        blocks.append(Paragraph(said))
    rows = tuple((e.before_text(names), e.after_text() or "Not tried yet.") for e in content.experiments)
    return [*blocks, Pairs(("Before: the prediction", "After: what happened"), rows)]


def person_heading(name: str, role: str) -> str:
    """"Mara — sister, safe haven": a name's own aside (in brackets) and the role, after one dash."""
    base, _, aside = name.partition(" (")
    aside = aside.removesuffix(")").strip() if name.endswith(")") and aside else ""
    base = base.strip() if aside else name.strip()
    return f"{base} — " + ", ".join(part for part in (aside, role.lower()) if part)


def _moment(day: date, label: str, note: str) -> str:
    return f"{day_text(day)}: {label}" + (f" · {note}" if note else "")


def _front(content: ExportContent) -> list[Block]:
    c = content.choice
    lines = []
    if c.author.strip():
        lines.append(f"From: {c.author.strip()}")
    lines += [f"Period: {content.range_text()}", f"Prepared on {day_text(content.made)}",
              f"Includes: {content.summary()}"]
    return [Heading(TITLE, 1), Paragraph("\n".join(lines)), Paragraph(NOT_CLINICAL, muted=True)]


def _summary(content: ExportContent) -> list[Block]:
    blocks: list[Block] = [Heading("Summary", 2)]
    note = content.choice.note.strip()
    if note:
        blocks += [Heading("What I want to bring up", 3), Paragraph(note)]
    tz = content.made.tzinfo
    flagged = [r for r in content.reflections if r.flagged]
    if flagged:
        blocks += [Heading("Marked to bring to therapy", 3),
                   Bullets(tuple(f"{day_text(r.local(tz))}: {r.first_line}" for r in flagged))]
    if content.reflections:
        themes = _counted(THEME_LABELS.get(r.theme or "", "") for r in content.reflections)
        tags = _counted(f"#{t}" for r in content.reflections for t in r.tags)
        if themes or tags:
            blocks += [Heading("Themes and tags", 3),
                       Bullets(tuple(line for line in (themes, tags) if line))]
    if content.boundaries:
        blocks += [Heading("Boundaries at a glance", 3), Bullets(_boundaries_at_a_glance(content))]
    if content.contacts:
        blocks += [Heading("Give and take with my secure base", 3), Bullets(_give_and_take(content))]
    if content.reflections or content.choice.checkins == "all" and content.everyday:
        blocks += _checkins(content)  # the person's words first, then the numbers
    if len(blocks) == 1:
        blocks.append(Paragraph("Nothing in this file needs a summary.", muted=True))
    return blocks


def _checkins(content: ExportContent) -> list[Block]:
    """Mood and reliance over the period, where they come from, and (up to three months) every day."""
    start, end = content.period()
    tz = content.made.tzinfo
    checkins = content.checkins()
    blocks: list[Block] = [Heading("Check-ins", 3), Paragraph(content.checkins_source(), muted=True)]
    daily = {}
    for field, title, scale in (("mood", "Mood", f"1 {MOODS[1]} … 5 {MOODS[5]}"),
                                ("reliance", "Reliance", f"1 {RELIANCE[1]} … 3 {RELIANCE[3]} … 5 {RELIANCE[5]}")):
        values = series(checkins, field, start, end, tz)
        daily[field] = values if values.days_per_column == 1 else series(checkins, field, start, end, tz, width=1)
        if values.noted:
            blocks.append(Chart(title, scale, values, HEALTHY_MIDDLE if field == "reliance" else ""))
        elif field == "mood":
            blocks.append(Paragraph("No mood was noted in the entries of this period.", muted=True))
    if (end - start).days < CALENDAR_DAYS and (daily["mood"].noted or daily["reliance"].noted):
        rows = tuple((f"{short_day(monday)}", cells) for monday, cells in day_by_day(daily["mood"], daily["reliance"]))
        blocks.append(Calendar("Day by day", rows, "Each day reads mood/reliance on the 1-5 scale (a day with "
                                                   "several entries: their average); - not noted; a day with only "
                                                   "its number: nothing noted."))
    return blocks


def _counted(names: Iterable[str]) -> str:
    """"#work 3 · #family 2": how often each came up, most first (empty names left out)."""
    counts = Counter(name for name in names if name)
    return " · ".join(f"{name} {n}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _boundaries_at_a_glance(content: ExportContent) -> tuple[str, ...]:
    today = content.made.date()
    order = list(STATUSES)
    lines = []
    for b in sorted(content.boundaries, key=lambda b: order.index(b.status)):
        line = f"{STATUSES[b.status]}: {b.boundary}"
        if b.is_due(today) and b.review_on is not None:
            line += f" (review was due {day_text(b.review_on)})"
        lines.append(line)
    return tuple(lines)


def _give_and_take(content: ExportContent) -> tuple[str, ...]:
    lines = []
    for c in content.contacts:
        lines.append(f"{c.name}: {c.logged() or 'nothing logged in this period'}")
    return tuple(lines)


# -- Markdown: the preview and the age file -------------------------------------------------------
def _hard_breaks(text: str) -> list[str]:
    """Lines kept as lines in Markdown (two spaces before each break)."""
    lines = text.rstrip().splitlines()
    return [line + "  " for line in lines[:-1]] + lines[-1:]



def to_markdown(document: Document) -> str:
    """The document as Markdown (plain enough to read as text)."""
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Paragraph):
            lines = block.text.rstrip().splitlines()
            if block.muted:
                lines = [f"*{line}*" if line.strip() else line for line in lines]
            # a line break the person made stays a line break (two spaces: Markdown's hard break)
            out += ["\n".join(line + "  " if line.strip() else line for line in lines[:-1]) + "\n" + lines[-1]
                    if len(lines) > 1 else "".join(lines), ""]
        elif isinstance(block, Bullets):
            out += [*(f"- {item}" for item in block.items), ""]
        elif isinstance(block, Pairs):
            for left, right in block.rows:
                out += [f"**{block.headings[0]}**", "", *_hard_breaks(left), "", f"**{block.headings[1]}**", "",
                        *_hard_breaks(right), "", "---", ""]
        elif isinstance(block, Calendar):
            out += [f"**{block.title}**", "", "| Week of | " + " | ".join(WEEKDAYS) + " |",
                    "|---" * (len(WEEKDAYS) + 1) + "|",
                    *(f"| {label} | " + " | ".join(cells) + " |" for label, cells in block.rows), "",
                    f"*{block.caption}*", ""]
        else:
            rows = block.values.rows("healthy middle" if block.middle else "")
            out += [f"**{block.title}**", "", "```", *rows, "```", "", chart_caption(block, "a dot on the 1 line"), ""]
            if block.values.ranges():
                out += [*(f"- {line}" for line in block.values.ranges()), ""]
    return "\n".join(out).rstrip() + "\n"
