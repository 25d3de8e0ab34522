"""Flyer files: print-ready PDF and DOCX (A4 in the target language, or A5 bilingual with
the working language under each field) and plain UTF-8 text for messaging apps, built
with the shared document engine. A translation that is not signed off is exported only
as a draft, marked DRAFT on every page (and at the top of the text)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import segno
from docx.shared import Mm
from flask_babel import gettext as _
from markupsafe import Markup
from sqlmodel import Session

from .. import flyers as domain
from ..agreement import AGREED
from ..errors import Refused
from ..i18n import _l
from ..languages import describe
from ..models.flyers import Flyer, FlyerTranslation
from . import document as engine
from .document import Span, TextLanguage, para

FORMATS = ("pdf", "docx", "txt")
RLM = "\u200f"
CONTACT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?[0-9][0-9 ()/.-]{5,}[0-9]")


@dataclass
class FlyerText:
    """Everything a flyer file shows, resolved for one target language."""

    flyer: Flyer
    translation: FlyerTranslation
    source: TextLanguage
    target: TextLanguage
    source_fields: dict[str, str]
    target_fields: dict[str, str]
    order: list[str]
    draft: bool
    fingerprint: str

    @property
    def bilingual(self) -> bool:
        """A5 with the working language under each field."""
        return self.flyer.layout == "a5-bilingual"

    def footer(self) -> str:
        """Flyer name, language, and the state the text came from (with its short
        fingerprint), so the paper can be traced to the sign-off behind it."""
        state = (_("DRAFT: not signed off") if self.draft else _("signed off"))
        return f"{self.flyer.name} · {self.target.tag} · {state} · {self.fingerprint[-16:]}"

    def contact_uri(self) -> str | None:
        """A ``tel:`` or ``mailto:`` URI for the QR code, from the contact field."""
        match = CONTACT.search(self.source_fields.get("contact", ""))
        if not match:
            return None
        found = match.group()
        if "@" in found:
            return f"mailto:{found}"
        return "tel:" + re.sub(r"[^0-9+]", "", found)


def flyer_text(session: Session, *, flyer: Flyer, language: str, draft: bool) -> FlyerText:
    """Resolve the flyer for ``language``. Raises :class:`Refused` when the translation
    is missing, or is not signed off and no draft was asked for."""
    translation = domain.get_translation(session, flyer, language)
    if translation is None:
        raise Refused(_l("This flyer has no translation into %(language)s yet.",
                         language=language))
    if translation.state != AGREED and not draft:
        raise Refused(_l("The %(language)s translation is not signed off by a facilitator and "
                         "a mediator; export it as a draft, or sign it off first.",
                         language=language))
    wording = domain.translation_wording(session, translation)
    template = domain.get_template(flyer.template)
    source_info = describe(flyer.source_language)
    target_info = describe(language)
    return FlyerText(
        flyer=flyer, translation=translation,
        source=TextLanguage(flyer.source_language, source_info.rtl),
        target=TextLanguage(language, target_info.rtl),
        source_fields=wording.snapshot[flyer.source_language],
        target_fields=wording.snapshot[language],
        order=[spec.key for spec in template.fields],
        draft=translation.state != AGREED, fingerprint=wording.fingerprint)


KINDS = {"title": "title", "call_to_action": "heading2", "contact": "heading2"}


def flyer_docx(text: FlyerText, target: str | Path | BinaryIO) -> None:
    """Write the flyer as DOCX: A4, or A5 with the working language under each field."""
    doc = engine.new_docx(base=text.target, rtl=text.target.rtl,
                          margins_mm=12 if text.bilingual else 18)
    if text.bilingual:
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(148), Mm(210)
    engine.set_footer(doc, [Span(text.footer())], text.source, page_label=_("page"),
                      of_label=_("of"))
    if text.draft:
        engine.set_draft_mark(doc, _("DRAFT: not signed off, do not distribute"), text.source)
    for key in text.order:
        value = text.target_fields.get(key, "")
        if not value:
            continue
        engine.add_paragraph(doc, para(value, text.target, KINDS.get(key, "body")))
        if text.bilingual and text.source_fields.get(key):
            engine.add_paragraph(doc, para([Span(text.source_fields[key], color="555555")],
                                           text.source, "small"))
    uri = text.contact_uri()
    if uri:
        png = io.BytesIO()
        segno.make(uri, error="m").save(png, kind="png", scale=6, border=2)
        png.seek(0)
        doc.add_picture(png, width=Mm(28))
    engine.save_docx(doc, target)


def flyer_pdf(text: FlyerText, target: str | Path | BinaryIO | None = None) -> bytes | None:
    """Write the flyer as a print-ready PDF with the bundled fonts."""
    uri = text.contact_uri()
    qr = Markup(segno.make(uri, error="m").svg_inline(scale=3, border=2)) if uri else None
    html = engine.render_html(
        "exports/flyer.html", t=text, qr=qr, title=text.flyer.name, base=text.target,
        footer_lang=text.source, page_label=_("page"),
        draft_mark=_("DRAFT: not signed off, do not distribute") if text.draft else None)
    return engine.write_pdf(html, target)


def flyer_txt(text: FlyerText) -> str:
    """The flyer as plain UTF-8 text for messaging apps: one paragraph per field; right-
    to-left paragraphs start with a RIGHT-TO-LEFT MARK and keep numbers and addresses
    isolated, so phone numbers do not reverse when pasted."""
    lines = []
    if text.draft:
        lines.append(_("DRAFT: not signed off, do not distribute"))
    for key in text.order:
        value = text.target_fields.get(key, "")
        if not value:
            continue
        if text.target.rtl:
            value = "\n".join(RLM + engine.isolate_ltr(line) for line in value.split("\n"))
        lines.append(value)
    return "\n\n".join(lines) + "\n"


def write_flyer(session: Session, *, flyer: Flyer, language: str, fmt: str, draft: bool,
                target: str | Path | BinaryIO) -> FlyerText:
    """Write the flyer file in ``fmt`` (pdf, docx, txt) to ``target``."""
    text = flyer_text(session, flyer=flyer, language=language, draft=draft)
    if fmt == "pdf":
        flyer_pdf(text, target)
    elif fmt == "docx":
        flyer_docx(text, target)
    elif fmt == "txt":
        data = flyer_txt(text).encode("utf-8")
        if isinstance(target, str | Path):
            Path(target).write_bytes(data)
        else:
            target.write(data)
    else:
        raise ValueError(fmt)
    return text
