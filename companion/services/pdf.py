"""The therapist's PDF: AES-256 (PDF 2.0, revision 6) via fpdf2, built in memory from the shared document.

It flows: sections do not start new pages, a heading is never the last line of a page, charts are
never split, and every page says "page N of M".
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import EncryptionMethod, XPos, YPos
from fpdf.fonts import FontFace

from companion.crypto.words import random_secret
from companion.domain.clock import day_text
from companion.domain.document import Bullets, Calendar, Chart, Document, Heading, Pairs, Paragraph, chart_caption
from companion.domain.series import HIGH, LOW, WEEKDAYS, short_day
from companion.services.document import TITLE

FONTS = Path(__file__).resolve().parent.parent / "data"
FAMILY = "DejaVu"
MUTED = 100  # grey level for the quieter lines
LINE = 5.4  # mm per line of body text
# (size in points, line height in mm, space before in mm) per heading level
HEADINGS = {1: (20, 10.0, 0.0), 2: (14, 7.5, 5.0), 3: (11.5, 6.0, 3.0)}
CHART_HEIGHT = 22.0  # mm for the five levels


class _Document(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(120)
        self.cell(0, 8, f"{TITLE} · shared privately · page {self.page_no()} of {{nb}}", align="C")


def to_pdf(document: Document, user_password: str) -> bytes:
    """The document as an encrypted PDF (bytes; nothing touches the disk)."""
    pdf = _Document(format="A4")
    pdf.set_title(TITLE)
    pdf.set_creator("companion")
    pdf.set_creation_date(document.made)  # else fpdf2 reads the machine's clock
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    # Glyphs DejaVu lacks: CJK and many other scripts, then emoji and symbols.
    pdf.add_font("Fallback", "", str(FONTS / "DroidSansFallbackFull.ttf"))
    pdf.add_font("Symbols", "", str(FONTS / "Symbola.ttf"))
    pdf.set_fallback_fonts(["Fallback", "Symbols"], exact_match=False)
    pdf.set_text_shaping(True)  # HarfBuzz: right-to-left scripts and joined letters come out right
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.alias_nb_pages()
    pdf.set_encryption(owner_password=random_secret(), user_password=user_password,
                       encryption_method=EncryptionMethod.AES_256)
    pdf.add_page()
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            _heading(pdf, block, blocks[index + 1:index + 3])
        elif isinstance(block, Paragraph):
            _paragraph(pdf, block.text, muted=block.muted)
        elif isinstance(block, Bullets):
            _bullets(pdf, block.items)
        elif isinstance(block, Calendar):
            _calendar(pdf, block)
        elif isinstance(block, Pairs):
            _pairs(pdf, block)
        else:
            _chart(pdf, block)
    return bytes(pdf.output())


def _heading(pdf: FPDF, heading: Heading, following: tuple[object, ...]) -> None:
    size, height, before = HEADINGS[heading.level]
    # Keep a heading with what follows it: never the last line of a page, nor a chart's heading and its
    # lead-in sentence on one page and the chart on the next.
    keep = height + before + 3 * LINE
    kinds = [type(block) for block in following]
    if kinds[:1] == [Chart] or kinds == [Paragraph, Chart]:
        keep += CHART_HEIGHT + 14
    if pdf.get_y() > pdf.t_margin + 1 and (heading.new_page or pdf.will_page_break(keep)):
        pdf.add_page()
    elif pdf.get_y() > pdf.t_margin + 1:
        pdf.ln(before)
    pdf.set_font(FAMILY, "B", size)
    pdf.set_text_color(0)
    pdf.multi_cell(0, height, heading.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _paragraph(pdf: FPDF, text: str, *, muted: bool = False, indent: float = 0, size: float = 10) -> None:
    pdf.set_font(FAMILY, "", size)
    pdf.set_text_color(MUTED if muted else 0)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    if not indent:
        pdf.ln(1.5)


def _bullets(pdf: FPDF, items: tuple[str, ...], size: float = 10) -> None:
    for item in items:
        _paragraph(pdf, f"•  {item}", indent=4, size=size)
    pdf.ln(1)


def _calendar(pdf: FPDF, calendar: Calendar) -> None:
    """A row a week, Monday first; each day its number and mood/reliance, in a table that reads as text."""
    if pdf.will_page_break(LINE * (len(calendar.rows) + 3)):
        pdf.add_page()
    pdf.set_font(FAMILY, "B", 10)
    pdf.cell(0, LINE, calendar.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 8)
    pdf.set_draw_color(200)
    pdf.set_line_width(0.15)
    pdf.set_fill_color(255)
    pdf.set_text_color(0)
    with pdf.table(col_widths=(16, *(12,) * len(WEEKDAYS)), line_height=4.6, text_align="LEFT",
                   first_row_as_headings=True,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(238, 238, 238))) as table:
        table.row(("Week of", *WEEKDAYS))
        for label, cells in calendar.rows:
            table.row((label, *cells))
    pdf.ln(1)
    pdf.set_text_color(MUTED)
    pdf.multi_cell(0, 4, calendar.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.ln(2)


def _pairs(pdf: FPDF, pairs: Pairs) -> None:
    """Two columns side by side (before, after), a row each, in a table that reads as text."""
    pdf.set_font(FAMILY, "", 9)
    pdf.set_draw_color(200)
    pdf.set_line_width(0.15)
    pdf.set_fill_color(255)
    pdf.set_text_color(0)
    with pdf.table(col_widths=(1, 1), line_height=4.6, text_align="LEFT", first_row_as_headings=True,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(238, 238, 238))) as table:
        table.row(pairs.headings)
        for left, right in pairs.rows:
            table.row((left, right))
    pdf.ln(2)


def _chart(pdf: FPDF, chart: Chart) -> None:
    """Bars on a fixed 1-5 grid, a column a day (or week); a gap is an empty column with a small tick."""
    values = chart.values
    if pdf.will_page_break(CHART_HEIGHT + 20):
        pdf.add_page()
    pdf.set_font(FAMILY, "B", 10)
    pdf.cell(0, LINE, chart.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left = pdf.l_margin + 6
    width = pdf.w - pdf.r_margin - left
    top = pdf.get_y() + 1
    step = CHART_HEIGHT / (HIGH - LOW)
    pdf.set_font(FAMILY, "", 7)
    pdf.set_text_color(MUTED)
    pdf.set_draw_color(200)
    pdf.set_line_width(0.15)
    if chart.middle:  # reliance: the healthy middle (2.5 to 3.5) shaded behind the bars, and named
        pdf.set_fill_color(222, 238, 222)
        pdf.rect(left, top + (HIGH - 3.5) * step, width, step, style="F")
        pdf.text(left + width - pdf.get_string_width("healthy middle") - 1, top + (HIGH - 3) * step + 1,
                 "healthy middle")
    for level in range(LOW, HIGH + 1):
        y = top + (HIGH - level) * step
        pdf.line(left, y, left + width, y)
        pdf.text(pdf.l_margin + 1, y + 1, str(level))
    column = width / max(len(values.values), 1)
    bar = max(column * 0.7, 0.4)
    baseline = top + CHART_HEIGHT + step / 2  # half a step below 1, so a 1 is a short bar, never nothing
    pdf.set_fill_color(70, 110, 160)
    pdf.set_draw_color(150)
    ranged = values.days_per_column > 1
    for n, value in enumerate(values.values):
        x = left + n * column + (column - bar) / 2
        if value is None:
            pdf.line(x + bar / 2, baseline + 0.6, x + bar / 2, baseline + 1.6)  # a gap: nothing noted
            continue
        bar_top = top + (HIGH - value) * step
        pdf.rect(x, bar_top, bar, baseline - bar_top, style="F")
        low, high = values.lows[n], values.highs[n]
        if ranged and low is not None and high is not None and low != high:  # the week's lowest to highest day
            pdf.set_draw_color(40)
            pdf.set_line_width(0.3)
            pdf.line(x + bar / 2, top + (HIGH - high) * step, x + bar / 2, top + (HIGH - low) * step)
            pdf.set_draw_color(150)
            pdf.set_line_width(0.15)
    pdf.set_font(FAMILY, "", 7)
    if ranged:  # each week's first day under its column, as many as fit without touching
        room = pdf.get_string_width("00 Mmm") + 3
        every = max(1, int(room // column) + 1)
        for n in range(0, len(values.values), every):
            pdf.text(left + n * column, baseline + 4.5, short_day(values.column_start(n)))
    else:
        pdf.text(left, baseline + 4.5, day_text(values.start))
        end = day_text(values.end)
        pdf.text(left + width - pdf.get_string_width(end), baseline + 4.5, end)
    pdf.set_y(baseline + 6)
    pdf.set_font(FAMILY, "", 8)
    pdf.multi_cell(0, 4, chart_caption(chart, "a small tick under the line", range_drawn=True),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    if ranged:
        _bullets(pdf, tuple(values.ranges()), size=8)
    pdf.ln(2)
