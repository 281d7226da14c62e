"""The shared document as one model: a summary to prepare from, then the entries, flowing.

The preview, the Markdown inside an age file and the PDF are all rendered from this one model, so
what the person previews is exactly what the therapist reads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from companion.domain.boundary import EVENT_KINDS, STATUSES
from companion.domain.clock import day_text, moment_text
from companion.domain.contact import INTERACTION_KINDS, ROLES
from companion.domain.prompts import THEME_LABELS
from companion.domain.reflection import MOODS, RELIANCE
from companion.domain.series import Series, series
from companion.services.export import ExportContent

TITLE = "Shared from companion"
NOT_CLINICAL = "A private journal, shared by its author with the person they chose. It is not a clinical record."


@dataclass(frozen=True)
class Heading:
    """A heading: 1 the title, 2 a section, 3 one item."""

    text: str
    level: int


@dataclass(frozen=True)
class Paragraph:
    """Running text; `muted` for the quieter lines (prompts, facts, dates)."""

    text: str
    muted: bool = False


@dataclass(frozen=True)
class Bullets:
    """A short list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    """A check-in over the period on the fixed 1-5 scale, with a text equivalent."""

    title: str
    scale: str  # what 1 and 5 mean
    values: Series
    middle: str = ""  # a band around 3 that is the healthy middle, and what it means ("" for none)


Block = Heading | Paragraph | Bullets | Chart


@dataclass(frozen=True)
class Document:
    """Everything the file holds, in order, and when it was made (the journal's clock, not the machine's)."""

    blocks: tuple[Block, ...]
    made: datetime


HEALTHY_MIDDLE = "mutual give and take, neither carrying it all alone nor leaning for everything"


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
    return Document(tuple(blocks), content.made)


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
        start, end = content.period()
        for field, title, scale in (("mood", "Mood", f"1 {MOODS[1]} … 5 {MOODS[5]}"),
                                    ("reliance", "Reliance", f"1 {RELIANCE[1]} … 3 {RELIANCE[3]} … 5 {RELIANCE[5]}")):
            values = series(content.reflections, field, start, end, tz)
            if values.noted:
                blocks.append(Chart(title, scale, values, HEALTHY_MIDDLE if field == "reliance" else ""))
            elif field == "mood":
                blocks.append(Paragraph("No mood was noted in the entries of this period.", muted=True))
        themes = _counted(THEME_LABELS.get(r.theme or "", "") for r in content.reflections)
        tags = _counted(f"#{t}" for r in content.reflections for t in r.tags)
        if themes or tags:
            blocks += [Heading("Themes and tags", 3),
                       Bullets(tuple(line for line in (themes, tags) if line))]
    if content.boundaries:
        blocks += [Heading("Boundaries at a glance", 3), Bullets(_boundaries_at_a_glance(content))]
    if content.contacts:
        blocks += [Heading("Give and take with my secure base", 3), Bullets(_give_and_take(content))]
    if len(blocks) == 1:
        blocks.append(Paragraph("Nothing in this file needs a summary.", muted=True))
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
        else:
            out += [f"**{block.title}**", "", "```", *block.values.rows(), "```", "",
                    chart_caption(block, "a dot on the 1 line"), ""]
    return "\n".join(out).rstrip() + "\n"


def chart_caption(chart: Chart, gap: str) -> str:
    """The words under a chart: the period, what a column is, how a gap looks, the scale, the healthy middle
    (reliance), the facts."""
    v = chart.values
    middle = f" The shaded band from 2.5 to 3.5 is the healthy middle: {chart.middle}." if chart.middle else ""
    return (f"{day_text(v.start)} to {day_text(v.end)}, one column a {v.unit}; {gap}: nothing noted. "
            f"{chart.scale}.{middle} {v.describe().capitalize()}.")
