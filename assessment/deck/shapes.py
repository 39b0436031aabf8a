"""Small python-pptx building blocks: text boxes and native tables, right to left when asked.

PowerPoint reads a paragraph as right to left from ``<a:pPr rtl="1">``; its runs carry the
language (``lang="ar-SA"``) and a named font for Latin and complex scripts (``<a:cs>``), so an
Arabic deck opens right to left and in the fonts the report uses, on any machine that has them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from assessment.text import RTL_LANGUAGES

__all__ = ["ACCENT", "FONTS", "INK", "MUTED", "add_table", "add_text", "style_paragraph"]

#: Fonts named in the deck, by language: Latin text and complex scripts (Arabic).
FONTS = {"latin": "Noto Sans", "cs": "Noto Naskh Arabic"}
INK = RGBColor(0x1D, 0x24, 0x33)
MUTED = RGBColor(0x5B, 0x64, 0x75)
ACCENT = RGBColor(0x00, 0x72, 0xB2)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
_LANG_TAG = {"ar": "ar-SA", "en": "en-GB"}
#: Characters no XML part may hold (python-pptx refuses the whole deck for one of them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (user strings are stripped of every
    control and bidi override before they get here; the deck's own isolates stay)."""
    return _NOT_XML.sub("", text)


def style_paragraph(
    paragraph: Any,
    lang: str,
    *,
    size: float = 14,
    bold: bool = False,
    color: RGBColor = INK,
) -> None:
    """Direction, alignment, language and fonts of one paragraph and its runs."""
    rtl = lang in RTL_LANGUAGES
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.set("rtl", "1" if rtl else "0")
    paragraph.alignment = PP_ALIGN.RIGHT if rtl else PP_ALIGN.LEFT
    for run in paragraph.runs:
        font = run.font
        font.size = Pt(size)
        font.bold = bold
        font.color.rgb = color
        font.name = FONTS["latin"]
        r_pr = run._r.get_or_add_rPr()
        r_pr.set("lang", _LANG_TAG.get(lang, "en-GB"))
        cs = r_pr.find(qn("a:cs"))
        if cs is None:
            cs = r_pr.makeelement(qn("a:cs"), {})
            r_pr.append(cs)
        cs.set("typeface", FONTS["cs"])


def add_text(
    slide: Any,
    box: tuple[int, int, int, int],
    lines: Sequence[str | tuple[str, dict[str, Any]]],
    lang: str,
    **style: Any,
) -> Any:
    """A text box at ``box`` (left, top, width, height in EMU), one paragraph per line.

    A line is a string, or ``(text, style)`` with :func:`style_paragraph` options for it.
    """
    shape = slide.shapes.add_textbox(*(Emu(v) for v in box))
    frame = shape.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        text, own = (line, {}) if isinstance(line, str) else line
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = _xml_safe(text)
        style_paragraph(paragraph, lang, **{**style, **own})
    return shape


def add_table(
    slide: Any,
    box: tuple[int, int, int, int],
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    lang: str,
    *,
    size: float = 11,
    widths: Sequence[float] | None = None,
) -> Any:
    """A native (editable) PowerPoint table; in a right-to-left deck its columns run RTL.

    An empty ``header`` makes a table without a header row.
    """
    first = 1 if header else 0
    n_rows, n_cols = len(rows) + first, len(header) or len(rows[0])
    shape = slide.shapes.add_table(n_rows, n_cols, *(Emu(v) for v in box))
    table = shape.table
    table.first_row = bool(header)
    if lang in RTL_LANGUAGES:
        # <a:tblPr rtl="1">: the first column on the right, as an Arabic reader expects.
        table._tbl.tblPr.set("rtl", "1")
    if widths:
        total = sum(widths)
        for col, w in zip(table.columns, widths, strict=True):
            col.width = Emu(int(box[2] * w / total))
    for c, text in enumerate(header):
        cell = table.cell(0, c)
        cell.text = _xml_safe(text)
        style_paragraph(cell.text_frame.paragraphs[0], lang, size=size, bold=True, color=WHITE)
    for r, row in enumerate(rows, start=first):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            # User text (names, comments) may hold control characters no XML part can hold.
            cell.text = _xml_safe(text)
            for paragraph in cell.text_frame.paragraphs:
                style_paragraph(paragraph, lang, size=size)
    return shape
