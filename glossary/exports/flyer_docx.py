"""A flyer as DOCX, laid out like its PDF (``flyer.typ``): the title large, each field
at its size with room between fields, where/when and cost with a blue bar on the side
where lines start, the confidentiality statement framed in amber on a light background,
the contact beside its QR code, and the footer with the flyer's state and fingerprint;
a draft carries the DRAFT mark on every page. Right-to-left flyers read from the right
(section, paragraphs, bar and the contact's table)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import segno
from docx.shared import Mm
from flask_babel import gettext as _

from . import document as engine
from .document import Span, para
from .docx_blocks import add_beside, add_box, start_bar
from .flyer_layout import (
    AMBER,
    AMBER_FILL,
    BARRED,
    BLUE,
    BOLD,
    BOXED,
    FLYER_SIZES,
    GAP_MM,
    GREY,
    QR_MM,
    field_size,
)

if TYPE_CHECKING:
    from .flyers import FlyerText


def _field_paras(text: FlyerText, key: str, value: str, layout: str) -> tuple[list, list]:
    """The paragraphs of one field (each line, then the working language on the
    bilingual layout) and their sizes."""
    size = field_size(key, layout)
    kind = "title" if key == "title" else "body"
    paras = [para([Span(line, bold=key in BOLD)], text.target, kind)
             for line in value.split("\n") if line.strip()]
    sizes = [size] * len(paras)
    source = text.source_fields.get(key) if text.bilingual else None
    if source:
        paras.append(para([Span(source, color=GREY)], text.source, "small"))
        sizes.append(FLYER_SIZES[layout]["source"])
    return paras, sizes


def flyer_docx(text: FlyerText, target: str | Path | BinaryIO) -> None:
    """Write the flyer as DOCX: A4, or A5 with the working language under each field."""
    layout = "a5" if text.bilingual else "a4"
    doc = engine.new_docx(base=text.target, rtl=text.target.rtl,
                          margins_mm=12 if text.bilingual else 17)
    if text.bilingual:
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(148), Mm(210)
    engine.set_footer(doc, [Span(text.footer())], text.source, page_label=_("page"),
                      of_label=_("of"))
    if text.draft:
        engine.set_draft_mark(doc, _("DRAFT: not signed off, do not distribute"), text.source)
    gap = Mm(GAP_MM[layout]).pt
    uri = text.contact_uri()
    for key in text.order:
        value = text.target_fields.get(key, "")
        if not value:
            continue
        paras, sizes = _field_paras(text, key, value, layout)
        if key == BOXED:
            add_box(doc, paras, fill=AMBER_FILL, color=AMBER, sizes=sizes, after_pt=gap)
        elif key == "contact" and uri:
            png = io.BytesIO()
            segno.make(uri, error="m").save(png, kind="png", scale=6, border=2)
            add_beside(doc, paras, png.getvalue(), width_mm=QR_MM[layout],
                       rtl=text.target.rtl, sizes=sizes, after_pt=gap)
        else:
            for index, (paragraph, size) in enumerate(zip(paras, sizes, strict=True)):
                last = index == len(paras) - 1
                p = engine.add_paragraph(doc, paragraph, size=size,
                                         after_pt=gap if last else size * 0.4)
                if key in BARRED:
                    start_bar(p, color=BLUE, rtl=text.target.rtl)
    engine.save_docx(doc, target)
