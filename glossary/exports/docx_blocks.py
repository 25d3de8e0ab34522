"""DOCX blocks beyond paragraphs and data tables: a framed and shaded box, a bar on the
side where lines start, and text beside a picture. Built from borderless one-row tables
and paragraph borders, which Word and LibreOffice both lay out the same way.

Right to left: a bar goes on the right of a right-to-left paragraph. ``w:bidi`` turns
the paragraph's indentation round (``w:ind/@w:left`` is then on the right) but not its
borders (ISO/IEC 29500-1, 17.3.1.6), so the bar is ``w:pBdr/w:right`` there; text
beside a picture gets a table with ``w:bidiVisual``, so the text comes first from the
right and the picture sits on the left, as in the PDF.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Mm
from docx.table import Table

from .content import Para
from .docx_ooxml import PPR_ORDER, TBLPR_ORDER, TCPR_ORDER, set_child, sub_element
from .docx_paragraphs import paragraph_element

PBDR_ORDER = ("top", "left", "bottom", "right", "between", "bar")
Sizes = Sequence[float | None] | None


def _eighths(points: float) -> str:
    return str(round(points * 8))


def _layout_table(document: DocxDocument, columns: int, *, rtl: bool = False) -> Table:
    """A one-row table across the text width with no borders of its own."""
    table = document.add_table(rows=1, cols=columns)
    tblpr = table._tbl.tblPr
    if rtl:
        set_child(tblpr, "bidiVisual", TBLPR_ORDER)
    set_child(tblpr, "tblW", TBLPR_ORDER, w="5000", type="pct")
    set_child(tblpr, "tblLayout", TBLPR_ORDER, type="fixed")
    borders = set_child(tblpr, "tblBorders", TBLPR_ORDER)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub_element(borders, side, val="nil")
    return table


def _fill_cell(cell, paragraphs: Sequence[Para], sizes: Sizes, *,
               after_pt: float | None = None) -> None:
    tc = cell._tc
    for old in tc.findall(qn("w:p")):
        tc.remove(old)
    for paragraph, size in zip(paragraphs, sizes or [None] * len(paragraphs), strict=True):
        tc.append(paragraph_element(paragraph, size=size, after_pt=after_pt))
    if not paragraphs:
        sub_element(tc, "p")


def add_box(document: DocxDocument, paragraphs: Sequence[Para], *, fill: str, color: str,
            border_pt: float = 1.5, padding_mm: float = 4, sizes: Sizes = None,
            after_pt: float = 12) -> Table:
    """Append ``paragraphs`` framed by a ``color`` border on a ``fill`` background, with
    ``after_pt`` of space below (an empty paragraph of that height). ``sizes``: the size
    in points of each paragraph, else that of its kind."""
    table = _layout_table(document, 1)
    cell = table.rows[0].cells[0]
    tcpr = cell._tc.get_or_add_tcPr()
    borders = set_child(tcpr, "tcBorders", TCPR_ORDER)
    for side in ("top", "left", "bottom", "right"):
        sub_element(borders, side, val="single", sz=_eighths(border_pt), space="0", color=color)
    set_child(tcpr, "shd", TCPR_ORDER, val="clear", color="auto", fill=fill)
    margins = set_child(tcpr, "tcMar", TCPR_ORDER)
    padding = str(round(Mm(padding_mm).twips))
    for side in ("top", "left", "bottom", "right"):
        sub_element(margins, side, w=padding, type="dxa")
    _fill_cell(cell, paragraphs, sizes, after_pt=3)
    _spacer(document, after_pt)
    return table


def add_beside(document: DocxDocument, paragraphs: Sequence[Para], png: bytes, *,
               width_mm: float, rtl: bool = False, sizes: Sizes = None,
               after_pt: float = 12) -> Table:
    """Append ``paragraphs`` with the picture ``png`` (``width_mm`` wide) beside them
    on the end side, vertically centred; ``sizes`` as for :func:`add_box`."""
    table = _layout_table(document, 2, rtl=rtl)
    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    picture = Mm(width_mm + 4)
    widths = [Length(usable - picture), picture]
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    text_cell, picture_cell = table.rows[0].cells
    for column, cell, width in zip(grid, (text_cell, picture_cell), widths, strict=True):
        column.set(qn("w:w"), str(width.twips))
        tcpr = cell._tc.get_or_add_tcPr()
        set_child(tcpr, "tcW", TCPR_ORDER, w=str(width.twips), type="dxa")
        set_child(tcpr, "vAlign", TCPR_ORDER, val="center")
    _fill_cell(text_cell, paragraphs, sizes, after_pt=3)
    run = picture_cell.paragraphs[0].add_run()
    run.add_picture(io.BytesIO(png), width=Mm(width_mm))
    # Against the page's edge: the right, or the left on a right-to-left page.
    picture_cell.paragraphs[0].alignment = (WD_ALIGN_PARAGRAPH.LEFT if rtl
                                            else WD_ALIGN_PARAGRAPH.RIGHT)
    _spacer(document, after_pt)
    return table


def start_bar(p, *, color: str, rtl: bool = False, width_pt: float = 3,
              gap_pt: float = 10) -> None:
    """Put a ``color`` bar on the start side of the paragraph element ``p`` (the right
    for a right-to-left paragraph), ``gap_pt`` from its text."""
    ppr = p.find(qn("w:pPr"))
    borders = set_child(ppr, "pBdr", PPR_ORDER)
    set_child(borders, "right" if rtl else "left", PBDR_ORDER, val="single",
              sz=_eighths(width_pt), space=str(round(gap_pt)), color=color)
    set_child(ppr, "ind", PPR_ORDER, left=str(round(Mm(2).twips + gap_pt * 20)))


def _spacer(document: DocxDocument, points: float) -> None:
    """An empty paragraph ``points`` high: the space after a table."""
    p = document.add_paragraph()._p
    ppr = p.get_or_add_pPr()
    set_child(ppr, "spacing", PPR_ORDER, before="0", after="0", line=str(round(points * 20)),
              lineRule="exact")
