"""DOCX documents: a new A4 document, data tables, footers with page numbers, draft marks
and saving with the fonts embedded; python-docx, with the OOXML it has no API for, right
in every script. Paragraphs and runs are built by :mod:`.docx_paragraphs`, OOXML elements
inserted in schema order by :mod:`.docx_ooxml`.

Right-to-left text gets:

- paragraph direction ``w:bidi``, placed in schema order inside ``w:pPr`` (before
  ``w:spacing`` and ``w:jc``), never appended at the end where Word ignores it;
- run direction ``w:rtl``, complex-script font ``w:rFonts/@w:cs``, size ``w:szCs``,
  bold ``w:bCs`` and language ``w:lang/@w:bidi``;
- ``w:bidiVisual`` on a table whose whole content is right to left, and ``w:bidi`` in
  the section of a right-to-left document.

Numbers and addresses inside right-to-left text go in their own left-to-right run,
between LEFT-TO-RIGHT MARKs (see :mod:`.bidi`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from .content import LATIN, Cell, Para, Span, TextLanguage
from .docx_fonts import embed_fonts
from .docx_ooxml import (
    PPR_ORDER,
    RPR_ORDER,
    SECTPR_ORDER,
    TBLPR_ORDER,
    TCPR_ORDER,
    TRPR_ORDER,
    set_child,
    sub_element,
)
from .docx_paragraphs import BODY_PT, SMALL_PT, add_paragraph, add_run, paragraph_element


def new_docx(*, base: TextLanguage, rtl: bool = False, margins_mm: float = 18) -> DocxDocument:
    """A new A4 document whose default text is ``base`` in the bundled Noto fonts; with
    ``rtl`` the section reads right to left (``w:bidi`` in ``w:sectPr``)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(margins_mm))
    section.header_distance = section.footer_distance = Mm(8)
    if rtl:
        set_child(section._sectPr, "bidi", SECTPR_ORDER)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    set_child(rpr, "rFonts", RPR_ORDER, ascii=LATIN.word_font, hAnsi=LATIN.word_font,
              cs=base.script.word_font if base.rtl else LATIN.word_font)
    set_child(rpr, "szCs", RPR_ORDER, val=str(round(BODY_PT * 2)))
    set_child(rpr, "lang", RPR_ORDER, **({"bidi": base.tag} if base.rtl else {"val": base.tag}))
    return document


def add_table(document: DocxDocument, *, header: Sequence[Cell], rows: Sequence[Sequence[Cell]],
              widths: Sequence[float], rtl: bool = False, shade: str = "E8EEF4") -> Table:
    """Append a table: a header row repeated on every page, then ``rows``; each cell is
    a list of :class:`Para`. ``widths`` are the column shares (any unit). With ``rtl``
    (the page reads right to left) the columns run from the right: ``w:bidiVisual``.

    Rows are filled through ``row.cells`` once per row, never ``table.cell(i, j)``, which
    walks the table on every call. Raises ValueError when a row has the wrong length."""
    columns = len(header)
    table = document.add_table(rows=1 + len(rows), cols=columns)
    table.style = document.styles["Table Grid"]
    tblpr = table._tbl.tblPr
    if rtl:
        set_child(tblpr, "bidiVisual", TBLPR_ORDER)
    set_child(tblpr, "tblW", TBLPR_ORDER, w="5000", type="pct")
    set_child(tblpr, "tblLayout", TBLPR_ORDER, type="fixed")
    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    total = float(sum(widths))
    twips = [str(int(usable * share / total / 635)) for share in widths]
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        grid_col.set(qn("w:w"), width)
    for index, (row, content) in enumerate(zip(table.rows, [header, *rows], strict=True)):
        if len(content) != columns:
            raise ValueError(f"row {index} has {len(content)} cells, expected {columns}")
        trpr = row._tr.get_or_add_trPr()
        if index == 0:
            set_child(trpr, "tblHeader", TRPR_ORDER)
        set_child(trpr, "cantSplit", TRPR_ORDER)
        for cell, paragraphs, width in zip(row.cells, content, twips, strict=True):
            tc = cell._tc
            tcpr = tc.get_or_add_tcPr()
            set_child(tcpr, "tcW", TCPR_ORDER, w=width, type="dxa")
            if index == 0:
                set_child(tcpr, "shd", TCPR_ORDER, val="clear", color="auto", fill=shade)
            for old in tc.findall(qn("w:p")):
                tc.remove(old)
            for paragraph in paragraphs:
                tc.append(paragraph_element(paragraph))
            if not paragraphs:
                sub_element(tc, "p")
    return table


def _field(parent, instruction: str, lang: TextLanguage, size: float) -> None:
    field = sub_element(parent, "fldSimple", instr=instruction)
    add_run(field, "1", lang, size=size, bold=False, italic=False, strike=False, color=None,
            rtl=False)


def set_footer(document: DocxDocument, spans: Sequence[Span], lang: TextLanguage, *,
               page_label: str, of_label: str) -> None:
    """Put ``spans`` and "page N of M" (live fields) in the footer of every page,
    centred under a rule, as in the PDF."""
    footer = document.sections[0].footer
    element = footer._element
    for old in element.findall(qn("w:p")):
        element.remove(old)
    p = add_paragraph(footer, Para(tuple(spans) + (Span(f"  ·  {page_label} "),), lang, "small",
                                   center=True))
    rule = set_child(p.find(qn("w:pPr")), "pBdr", PPR_ORDER)
    sub_element(rule, "top", val="single", sz="4", space="4", color="999999")
    _field(p, "PAGE", lang, SMALL_PT)
    add_run(p, f" {of_label} ", lang, size=SMALL_PT, bold=False, italic=False, strike=False,
            color=None, rtl=False)
    _field(p, "NUMPAGES", lang, SMALL_PT)


def set_draft_mark(document: DocxDocument, text: str, lang: TextLanguage) -> None:
    """Mark every page as a draft: ``text`` in bold red in the page header."""
    header = document.sections[0].header
    element = header._element
    for old in element.findall(qn("w:p")):
        element.remove(old)
    add_paragraph(header, Para((Span(text, bold=True, color="B00020"),), lang, "mark",
                               center=True))


def save_docx(document: DocxDocument, target: str | Path | BinaryIO) -> None:
    """Write the document to a path or a binary stream, with the bundled fonts it uses
    embedded (see :mod:`.docx_fonts`)."""
    embed_fonts(document)
    document.save(target)
