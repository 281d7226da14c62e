"""The shared document drawn in the terminal as the page will read: headings, bullets, charts with their
captions and the calendar of days, in the order and words of the PDF (the preview, ctrl+r)."""

from __future__ import annotations

from textual.content import Content

from companion.domain.document import Bullets, Calendar, Chart, Document, Heading, Pairs, Paragraph, chart_caption
from companion.domain.series import WEEKDAYS

_HEADING_STYLES = {1: "bold underline", 2: "bold $accent", 3: "bold"}


def page_content(document: Document) -> Content:
    """Every block of `document`, styled like the page (nothing of Markdown's marks left to read past)."""
    parts: list[Content] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            text = block.text.upper() if block.level == 2 else block.text
            parts += [Content(""), Content.styled(text, _HEADING_STYLES[block.level])]
        elif isinstance(block, Paragraph):
            parts.append(Content.styled(block.text.rstrip(), "dim" if block.muted else ""))
        elif isinstance(block, Bullets):
            parts += [Content(f"  • {item}") for item in block.items]
        elif isinstance(block, Calendar):
            parts += _calendar(block)
        elif isinstance(block, Pairs):
            parts += _pairs(block)
        else:
            parts += _chart(block)
    return Content("\n").join(parts[1:] if parts and not parts[0].plain else parts)


def _chart(chart: Chart) -> list[Content]:
    rows = chart.values.rows("healthy middle" if chart.middle else "")
    lines = [Content.styled(chart.title, "bold"), *(Content(row) for row in rows),
             Content.styled(chart_caption(chart, "a dot on the 1 line"), "dim")]
    return lines + [Content(f"  • {line}") for line in chart.values.ranges()]


def _pairs(pairs: Pairs) -> list[Content]:
    # The page sets them side by side; the preview, which may be narrow, one under the other.
    lines: list[Content] = []
    for left, right in pairs.rows:
        for heading, text in zip(pairs.headings, (left, right), strict=True):
            lines += [Content.styled(heading, "bold"), *(Content(f"  {line}") for line in text.splitlines())]
        lines.append(Content(""))
    return lines[:-1]


def _calendar(calendar: Calendar) -> list[Content]:
    cells = [("Week of", *WEEKDAYS), *((label, *days) for label, days in calendar.rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(WEEKDAYS) + 1)]
    table = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    return [Content.styled(calendar.title, "bold"), Content.styled(table[0], "bold"),
            *(Content(line) for line in table[1:]), Content.styled(calendar.caption, "dim")]
