"""The therapist's PDF: AES-256 (PDF 2.0, revision 6) via fpdf2, built in memory, Unicode via DejaVu Sans."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import EncryptionMethod, XPos, YPos

from companion.crypto.words import random_secret
from companion.domain.boundary import EVENT_KINDS
from companion.domain.contact import INTERACTION_KINDS, ROLES
from companion.domain.prompts import THEME_LABELS
from companion.services.export import ExportContent

FONTS = Path(__file__).resolve().parent.parent / "data"
FAMILY = "DejaVu"


class _Document(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(120)
        self.cell(0, 8, f"companion · shared privately · page {self.page_no()}", align="C")


def to_pdf(content: ExportContent, user_password: str, names: dict[int, str] | None = None) -> bytes:
    """The export as an encrypted PDF (bytes; nothing touches the disk)."""
    names = names or {}
    pdf = _Document(format="A4")
    pdf.set_title("Shared from companion")
    pdf.set_creator("companion")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    # Glyphs DejaVu lacks: CJK and many other scripts, then emoji and symbols.
    pdf.add_font("Fallback", "", str(FONTS / "DroidSansFallbackFull.ttf"))
    pdf.add_font("Symbols", "", str(FONTS / "Symbola.ttf"))
    pdf.set_fallback_fonts(["Fallback", "Symbols"], exact_match=False)
    pdf.set_text_shaping(True)  # HarfBuzz: right-to-left scripts and joined letters come out right
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_encryption(owner_password=random_secret(), user_password=user_password,
                       encryption_method=EncryptionMethod.AES_256)
    _cover(pdf, content)
    tz = content.made.tzinfo
    if content.reflections:
        _heading(pdf, "Reflections")
        for r in content.reflections:
            _subheading(pdf, r.created.astimezone(tz).strftime("%A %d %B %Y, %H:%M"))
            if r.prompt:
                _para(pdf, f"{THEME_LABELS.get(r.theme or '', 'Prompt')}: {r.prompt}", muted=True)
            facts = r.facts(names, tags=False)
            if facts:
                _para(pdf, " · ".join(facts), muted=True)
            _para(pdf, r.text.rstrip())
    if content.boundaries:
        _heading(pdf, "Boundaries")
        for b in content.boundaries:
            _subheading(pdf, b.boundary)
            for label, value in b.details():
                _para(pdf, f"{label}: {value}")
            for e in b.events:
                _para(pdf, f"{e.day.isoformat()}  {EVENT_KINDS[e.kind]}" + (f" · {e.note}" if e.note else ""), muted=True)
    if content.contacts:
        _heading(pdf, "Secure base")
        for c in content.contacts:
            _subheading(pdf, f"{c.name} ({ROLES[c.role]})")
            for label, value in c.details():
                _para(pdf, f"{label}: {value}")
            for i in c.interactions:
                label = INTERACTION_KINDS[i.kind][0]
                _para(pdf, f"{i.day.isoformat()}  {label}" + (f" · {i.note}" if i.note else ""), muted=True)
    return bytes(pdf.output())


def _cover(pdf: FPDF, content: ExportContent) -> None:
    pdf.add_page()
    pdf.ln(50)
    pdf.set_font(FAMILY, "B", 24)
    pdf.multi_cell(0, 12, "Shared from companion", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(FAMILY, "", 12)
    for line in (f"Prepared on {content.made.strftime('%d %B %Y')}",
                 f"Dates: {content.range_text()}",
                 f"Includes: {content.summary()}"):
        pdf.multi_cell(0, 8, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)
    pdf.set_text_color(110)
    pdf.multi_cell(0, 6, "A private journal, shared by its author with the person they chose. "
                         "It is not a clinical record.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 18)
    pdf.multi_cell(0, 10, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _subheading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _para(pdf: FPDF, text: str, muted: bool = False) -> None:
    pdf.set_font(FAMILY, "", 10.5)
    pdf.set_text_color(110 if muted else 0)
    pdf.multi_cell(0, 5.6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.ln(1)
