"""The participant handout of a group's handout text as DOCX (python-docx), from the
same model as the PDF (:mod:`.handout_texts`): participants' language first, the working
language as a smaller second line or a facing column, DRAFT in both languages, easy-read
sizes and spacing with pictograms."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from docx.oxml.ns import qn
from docx.shared import Mm

from . import document as engine
from .document import Para, Span, TextLanguage
from .handout_context import FLAG_RED, NOTE_GREY, Handout, _docx_frame
from .handout_texts import (
    EASY_SIZES,
    PLAIN_SIZES,
    Block,
    draft_banner,
    pictogram_png,
    text_model,
)

KINDS = {"title": "title", "heading": "heading2", "item": "body", "body": "body"}


def _restyle(element, *, size: float, easy: bool) -> None:
    """Set every run of a paragraph element to ``size`` points; easy read also gets
    one-and-a-half line spacing and more space after the paragraph."""
    half_points = str(round(size * 2))
    for name in ("w:sz", "w:szCs"):
        for node in element.iter(qn(name)):
            node.set(qn("w:val"), half_points)
    if easy:
        spacing = element.find(qn("w:pPr") + "/" + qn("w:spacing"))
        if spacing is not None:
            spacing.set(qn("w:line"), "360")
            spacing.set(qn("w:lineRule"), "auto")
            spacing.set(qn("w:after"), "200")


def _first(block: Block, h: Handout) -> Para:
    lang = h.source if block.untranslated else h.target
    spans = tuple(block.target)
    if block.kind == "item":
        spans = (Span("•\u00a0", lang=lang),) + spans
    return Para(spans, lang, KINDS[block.kind])


def _second(block: Block, h: Handout) -> Para | None:
    if not block.source:
        return None
    return Para(tuple(Span(s.text, lang=s.lang, bold=s.bold, color=s.color or NOTE_GREY)
                      for s in block.source), h.source, "small")


def _add(container, paragraph: Para, *, size: float, easy: bool) -> None:
    _restyle(engine.add_paragraph(container, paragraph), size=size, easy=easy)


def _picture(document, name: str, lang: TextLanguage) -> None:
    paragraph = document.add_paragraph()
    if lang.rtl:
        paragraph.paragraph_format.element.get_or_add_pPr().append(
            paragraph.paragraph_format.element.makeelement(qn("w:bidi"), {}))
    paragraph.add_run().add_picture(io.BytesIO(pictogram_png(name)), width=Mm(16))


def text_docx(h: Handout, kind: str, target: str | Path | BinaryIO, *,
              layout: str = "lines", easy: bool = False) -> None:
    """Write the participant handout of ``kind`` as DOCX to ``target``."""
    model = text_model(h, kind)
    sizes = EASY_SIZES if easy else PLAIN_SIZES
    document = _docx_frame(h, h.target, rtl=h.target.rtl)
    if h.draft:
        header = document.sections[0].header
        for old in header._element.findall(qn("w:p")):
            header._element.remove(old)
        engine.add_paragraph(header, Para(tuple(draft_banner(h)), h.source, "mark",
                                          center=True))
    if layout == "columns":
        rows = []
        for block in model.blocks:
            second = _second(block, h)
            rows.append([[_first(block, h)], [second] if second else []])
        table = engine.add_table(
            document, widths=(1, 1), rtl=h.target.rtl,
            header=[[Para((Span(h.target_endonym, bold=True),), h.target)],
                    [Para((Span(h.source_name, bold=True),), h.source)]], rows=rows)
        for row, block in zip(table.rows[1:], model.blocks, strict=True):
            _restyle(row.cells[0]._tc, size=sizes[block.kind], easy=easy)
            _restyle(row.cells[1]._tc, size=sizes["second"], easy=easy)
    else:
        for block in model.blocks:
            if easy and block.picture:
                _picture(document, block.picture, h.target)
            _add(document, _first(block, h), size=sizes[block.kind], easy=easy)
            second = _second(block, h)
            if second is not None:
                _add(document, second, size=sizes["second"], easy=easy)
    engine.save_docx(document, target)


__all__ = ["FLAG_RED", "text_docx"]
