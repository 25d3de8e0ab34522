"""DOCX builders: python-docx, with the OOXML it has no API for, right in every script.

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

import re
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from lxml import etree

from .bidi import NB_HYPHEN, isolated, ltr_segments
from .content import LATIN, SCRIPTS, Cell, Para, Span, TextLanguage
from .docx_fonts import embed_fonts

# The sizes of the PDF (typst_builders.SIZES): nothing a reader needs is below 10 pt.
BODY_PT, SMALL_PT, LEAD_PT, HEADING1_PT, HEADING2_PT, TITLE_PT = 10.5, 10, 11.5, 14, 12.5, 18


ETHIOPIC_LETTER = re.compile("[\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]")


# --- DOCX: ordered insertion ---------------------------------------------------------

# Child order of the OOXML elements we add to (ISO/IEC 29500-1, 17.3 and 17.4, 17.6):
# Word rejects or ignores children out of this order.
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
             "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs",
             "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
             "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing",
             "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
             "cnfStyle", "rPr", "sectPr", "pPrChange")
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
             "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
             "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
             "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
             "em", "lang", "eastAsianLayout", "specVanish", "oMath")
TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
               "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
               "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
TRPR_ORDER = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter",
              "cantSplit", "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden")
TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd",
              "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")
SECTPR_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type",
                "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols",
                "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
                "rtlGutter", "docGrid", "printerSettings", "sectPrChange")


def _local(element) -> str:
    return etree.QName(element).localname


def set_child(parent, name: str, order: Sequence[str], **attrs: str):
    """Return ``parent``'s ``w:name`` child, created in its schema position (before the
    first sibling that ``order`` puts after it) when missing; set ``attrs`` on it."""
    existing = parent.find(qn(f"w:{name}"))
    if existing is None:
        existing = etree.Element(qn(f"w:{name}"))
        later = set(order[order.index(name) + 1:])
        anchor = next((c for c in parent if _local(c) in later), None)
        if anchor is None:
            parent.append(existing)
        else:
            anchor.addprevious(existing)
    for key, value in attrs.items():
        existing.set(qn(f"w:{key}"), value)
    return existing


def _sub(parent, name: str, **attrs: str):
    element = etree.SubElement(parent, qn(f"w:{name}"))
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


# --- DOCX: builders ------------------------------------------------------------------

# Word's built-in Title style spaces its letters, which pulls Arabic script apart: the
# title is formatted directly instead.
STYLE_IDS = {"heading1": "Heading1", "heading2": "Heading2"}
HEADINGS = ("title", "heading1", "heading2", "mark")
SIZES = {"title": TITLE_PT, "heading1": HEADING1_PT, "heading2": HEADING2_PT,
         "lead": LEAD_PT, "body": BODY_PT, "small": SMALL_PT, "mark": HEADING2_PT}


def _run(parent, text: str, lang: TextLanguage, *, size: float, bold: bool, italic: bool,
         strike: bool, color: str | None, rtl: bool) -> None:
    """Append one ``w:r``; ``rtl`` false for the left-to-right isolate of RTL text."""
    run = _sub(parent, "r")
    rpr = _sub(run, "rPr")
    script = lang.script
    if rtl:
        _sub(rpr, "rFonts", ascii=LATIN.word_font, hAnsi=LATIN.word_font,
             cs=script.word_font, hint="cs")
    else:
        # Stray Arabic letters in left-to-right text take the complex-script slot: give
        # it an Arabic font rather than one without those glyphs. Ethiopic letters, also
        # in text of another language (a Tigrinya usage note on an English sheet), get
        # the Ethiopic font in both slots: Word reads hAnsi for them, LibreOffice the
        # complex-script slot, and neither falls back to a bundled font by itself.
        if script.key == "ethiopic" or ETHIOPIC_LETTER.search(text):
            wide = complex_font = SCRIPTS["ethiopic"].word_font
        else:
            wide = LATIN.word_font
            complex_font = script.word_font if script != LATIN else SCRIPTS["arabic"].word_font
        _sub(rpr, "rFonts", ascii=LATIN.word_font, hAnsi=wide, cs=complex_font)
    if bold:
        _sub(rpr, "b")
        _sub(rpr, "bCs")
    if italic:
        _sub(rpr, "i")
        _sub(rpr, "iCs")
    if strike:
        _sub(rpr, "strike")
    if color:
        _sub(rpr, "color", val=color)
    half_points = str(round(size * 2))
    _sub(rpr, "sz", val=half_points)
    _sub(rpr, "szCs", val=half_points)
    if rtl:
        _sub(rpr, "rtl")
        _sub(rpr, "lang", bidi=lang.tag)
    elif not lang.rtl:
        _sub(rpr, "lang", val=lang.tag)
    # A non-breaking hyphen is its own run content element in OOXML (w:noBreakHyphen).
    for index, piece in enumerate(text.split(NB_HYPHEN)):
        if index:
            _sub(run, "noBreakHyphen")
        if piece:
            t = _sub(run, "t")
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _paragraph_element(paragraph: Para, *, keep_next: bool = False, size: float | None = None,
                       after_pt: float | None = None):
    """The ``w:p`` of ``paragraph``; ``size`` (points) and ``after_pt`` (the space
    below) override those of its kind."""
    p = etree.Element(qn("w:p"))
    ppr = _sub(p, "pPr")
    style = STYLE_IDS.get(paragraph.kind)
    if style:
        _sub(ppr, "pStyle", val=style)
    if keep_next:
        _sub(ppr, "keepNext")
    if paragraph.lang.rtl:
        _sub(ppr, "bidi")
    after = {"title": 120, "heading1": 80, "heading2": 60, "small": 20}.get(paragraph.kind, 60)
    if after_pt is not None:
        after = round(after_pt * 20)
    _sub(ppr, "spacing", before="160" if style else "0", after=str(after))
    if paragraph.center:
        _sub(ppr, "jc", val="center")
    if paragraph.kind == "title":
        _sub(ppr, "outlineLvl", val="0")
    size = size or SIZES.get(paragraph.kind, BODY_PT)
    for span in paragraph.spans:
        lang = span.lang or paragraph.lang
        heading = paragraph.kind in HEADINGS
        options = dict(size=size, bold=span.bold or heading, italic=span.italic,
                       strike=span.strike, color=span.color)
        if not lang.rtl:
            _run(p, span.kept_text, lang, rtl=False, **options)
            continue
        for part, ltr in ltr_segments(span.kept_text):
            if ltr:
                _run(p, isolated(part), lang, rtl=False, **options)
            else:
                _run(p, part, lang, rtl=True, **options)
    return p


def _append_block(container, element) -> None:
    """Append a paragraph or table to a body, cell, header or footer element, before a
    body's closing ``w:sectPr``."""
    last = container[-1] if len(container) else None
    if last is not None and _local(last) == "sectPr":
        last.addprevious(element)
    else:
        container.append(element)


def add_paragraph(container, paragraph: Para, *, keep_next: bool = False,
                  size: float | None = None, after_pt: float | None = None):
    """Append ``paragraph`` to ``container`` (a python-docx Document, table cell,
    header or footer, or their XML element) and return its ``w:p`` element; ``size``
    and ``after_pt`` as for :func:`_paragraph_element`."""
    element = _paragraph_element(paragraph, keep_next=keep_next, size=size, after_pt=after_pt)
    _append_block(_container_element(container), element)
    return element


def _container_element(container):
    if isinstance(container, DocxDocument):
        return container.element.body
    return getattr(container, "_element", container)


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
                tc.append(_paragraph_element(paragraph))
            if not paragraphs:
                _sub(tc, "p")
    return table


def _field(parent, instruction: str, lang: TextLanguage, size: float) -> None:
    field = _sub(parent, "fldSimple", instr=instruction)
    _run(field, "1", lang, size=size, bold=False, italic=False, strike=False, color=None,
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
    _sub(rule, "top", val="single", sz="4", space="4", color="999999")
    _field(p, "PAGE", lang, SMALL_PT)
    _run(p, f" {of_label} ", lang, size=SMALL_PT, bold=False, italic=False, strike=False,
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
