"""DOCX paragraphs and runs, right in every script: the sizes of the PDF, the ``w:p`` of
a :class:`~.content.Para` with paragraph direction ``w:bidi`` for right-to-left text, and
its runs with direction ``w:rtl``, the script's fonts (complex-script ``w:rFonts/@w:cs``,
the Ethiopic font for Ethiopic letters), sizes ``w:sz``/``w:szCs``, bold ``w:b``/``w:bCs``
and language ``w:lang``. Numbers and addresses inside right-to-left text go in their own
left-to-right run between LEFT-TO-RIGHT MARKs (see :mod:`.bidi`)."""

from __future__ import annotations

import re
import unicodedata

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from lxml import etree

from .bidi import NB_HYPHEN, isolated, ltr_segments
from .content import LATIN, SCRIPTS, Para, TextLanguage
from .docx_fonts import covered
from .docx_ooxml import local_name, sub_element

# The sizes of the PDF (typst_builders.SIZES): nothing a reader needs is below 10 pt.
BODY_PT, SMALL_PT, LEAD_PT, HEADING1_PT, HEADING2_PT, TITLE_PT = 10.5, 10, 11.5, 14, 12.5, 18


ETHIOPIC_LETTER = re.compile("[\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]")

# Word's built-in Title style spaces its letters, which pulls Arabic script apart: the
# title is formatted directly instead.
STYLE_IDS = {"heading1": "Heading1", "heading2": "Heading2"}
HEADINGS = ("title", "heading1", "heading2", "mark")
SIZES = {"title": TITLE_PT, "heading1": HEADING1_PT, "heading2": HEADING2_PT,
         "lead": LEAD_PT, "body": BODY_PT, "small": SMALL_PT, "mark": HEADING2_PT}


def add_run(parent, text: str, lang: TextLanguage, *, size: float, bold: bool, italic: bool,
            strike: bool, color: str | None, rtl: bool) -> None:
    """Append the ``w:r`` of ``text``; ``rtl`` false for the left-to-right isolate of RTL
    text. In right-to-left text, a sign the script's font has no glyph for (a bullet, a
    slash in Naskh) gets a run of its own set in the Latin font, which has it: neither
    Word nor LibreOffice would otherwise find it in a bundled font."""
    script = lang.script
    if not rtl:
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
        fonts = {"ascii": LATIN.word_font, "hAnsi": wide, "cs": complex_font}
        _run(parent, text, lang, fonts, size=size, bold=bold, italic=italic, strike=strike,
             color=color, rtl=False)
        return
    for piece, has_glyphs in _by_coverage(text, script.word_font):
        fonts = {"ascii": LATIN.word_font, "hAnsi": LATIN.word_font,
                 "cs": script.word_font if has_glyphs else LATIN.word_font, "hint": "cs"}
        _run(parent, piece, lang, fonts, size=size, bold=bold, italic=italic, strike=strike,
             color=color, rtl=True)


def _by_coverage(text: str, family: str) -> list[tuple[str, bool]]:
    """``text`` in pieces, each with whether ``family`` has its glyphs (format and space
    characters count as having them: they are not drawn)."""
    glyphs = covered(family)
    if glyphs.issuperset(map(ord, text)):  # nearly always: one piece
        return [(text, True)]
    pieces: list[tuple[str, bool]] = []
    for char in text:
        has = ord(char) in glyphs or unicodedata.category(char) in ("Cf", "Zs")
        if pieces and pieces[-1][1] == has:
            pieces[-1] = (pieces[-1][0] + char, has)
        else:
            pieces.append((char, has))
    return pieces


def _run(parent, text: str, lang: TextLanguage, fonts: dict, *, size: float, bold: bool,
         italic: bool, strike: bool, color: str | None, rtl: bool) -> None:
    run = sub_element(parent, "r")
    rpr = sub_element(run, "rPr")
    sub_element(rpr, "rFonts", **fonts)
    if bold:
        sub_element(rpr, "b")
        sub_element(rpr, "bCs")
    if italic:
        sub_element(rpr, "i")
        sub_element(rpr, "iCs")
    if strike:
        sub_element(rpr, "strike")
    if color:
        sub_element(rpr, "color", val=color)
    half_points = str(round(size * 2))
    sub_element(rpr, "sz", val=half_points)
    sub_element(rpr, "szCs", val=half_points)
    if rtl:
        sub_element(rpr, "rtl")
        sub_element(rpr, "lang", bidi=lang.tag)
    elif not lang.rtl:
        sub_element(rpr, "lang", val=lang.tag)
    # A non-breaking hyphen is its own run content element in OOXML (w:noBreakHyphen).
    for index, piece in enumerate(text.split(NB_HYPHEN)):
        if index:
            sub_element(run, "noBreakHyphen")
        if piece:
            t = sub_element(run, "t")
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def paragraph_element(paragraph: Para, *, keep_next: bool = False, size: float | None = None,
                      after_pt: float | None = None):
    """The ``w:p`` of ``paragraph``; ``size`` (points) and ``after_pt`` (the space
    below) override those of its kind."""
    p = etree.Element(qn("w:p"))
    ppr = sub_element(p, "pPr")
    style = STYLE_IDS.get(paragraph.kind)
    if style:
        sub_element(ppr, "pStyle", val=style)
    if keep_next:
        sub_element(ppr, "keepNext")
    if paragraph.lang.rtl:
        sub_element(ppr, "bidi")
    after = {"title": 120, "heading1": 80, "heading2": 60, "small": 20}.get(paragraph.kind, 60)
    if after_pt is not None:
        after = round(after_pt * 20)
    sub_element(ppr, "spacing", before="160" if style else "0", after=str(after))
    if paragraph.center:
        sub_element(ppr, "jc", val="center")
    if paragraph.kind == "title":
        sub_element(ppr, "outlineLvl", val="0")
    size = size or SIZES.get(paragraph.kind, BODY_PT)
    for span in paragraph.spans:
        lang = span.lang or paragraph.lang
        heading = paragraph.kind in HEADINGS
        options = dict(size=size, bold=span.bold or heading, italic=span.italic,
                       strike=span.strike, color=span.color)
        if not lang.rtl:
            add_run(p, span.kept_text, lang, rtl=False, **options)
            continue
        for part, ltr in ltr_segments(span.kept_text):
            if ltr:
                add_run(p, isolated(part), lang, rtl=False, **options)
            else:
                add_run(p, part, lang, rtl=True, **options)
    return p


def _append_block(container, element) -> None:
    """Append a paragraph or table to a body, cell, header or footer element, before a
    body's closing ``w:sectPr``."""
    last = container[-1] if len(container) else None
    if last is not None and local_name(last) == "sectPr":
        last.addprevious(element)
    else:
        container.append(element)


def add_paragraph(container, paragraph: Para, *, keep_next: bool = False,
                  size: float | None = None, after_pt: float | None = None):
    """Append ``paragraph`` to ``container`` (a python-docx Document, table cell,
    header or footer, or their XML element) and return its ``w:p`` element; ``size``
    and ``after_pt`` as for :func:`paragraph_element`."""
    element = paragraph_element(paragraph, keep_next=keep_next, size=size, after_pt=after_pt)
    _append_block(_container_element(container), element)
    return element


def _container_element(container):
    if isinstance(container, DocxDocument):
        return container.element.body
    return getattr(container, "_element", container)
