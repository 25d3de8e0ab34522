"""Flyer files: print-ready PDF and DOCX (A4 in the target language, or A5 bilingual with
the working language under each field) and plain UTF-8 text for messaging apps, built
with the shared document engine. A translation that is not signed off is exported only
as a draft, marked DRAFT on every page (and at the top of the text)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import segno
from flask_babel import gettext as _
from sqlmodel import Session

from .. import flyer_templates
from .. import flyers as domain
from ..agreement import AGREED
from ..errors import InputError, Refused
from ..i18n import _l
from ..languages import describe
from ..models.flyers import Flyer, FlyerTranslation
from . import document as engine
from . import typst_builders as typst
from .document import Span, TextLanguage, para
from .flyer_docx import flyer_docx
from .flyer_layout import BOLD, FLYER_SIZES, field_size

FORMATS = ("pdf", "docx", "txt", "png")
SOCIAL_SIZES = ("post", "story")  # 1080 x 1080 and 1080 x 1920 pixels
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
    template = flyer_templates.get_template(flyer.template)
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


def _field_para(value: str, lang: TextLanguage, size: float, *, bold: bool = False,
                grey: bool = False) -> dict:
    data = typst.paragraph(para([Span(value, bold=bold, color="555555" if grey else None)],
                                lang))
    data["size"] = size
    return data


def flyer_data(text: FlyerText, *, layout: str | None = None) -> dict:
    """Everything a flyer page or image shows, as data for ``flyer.typ`` and
    ``social.typ``: the fields in the template's order, each as paragraphs in the target
    language (with the working language under it on the bilingual layout), the QR code
    of the contact and the page frame with the DRAFT marks."""
    layout = layout or ("a5" if text.bilingual else "a4")
    sizes = FLYER_SIZES[layout]
    fields = []
    for key in text.order:
        value = text.target_fields.get(key, "")
        if not value:
            continue
        size = field_size(key, layout)
        bold = key in BOLD
        lines = [_field_para(line, text.target, size, bold=bold)
                 for line in value.split("\n") if line.strip()]
        # Images are in the target language only.
        source = (text.source_fields.get(key) if text.bilingual and layout in ("a4", "a5")
                  else None)
        fields.append({"key": key, "lines": lines, "source": _field_para(
            source, text.source, sizes["source"], grey=True) if source else None})
    uri = text.contact_uri()
    draft_mark = _("DRAFT: not signed off, do not distribute") if text.draft else None
    return {
        "frame": typst.frame(base=text.target, footer=[Span(text.footer())],
                             footer_lang=text.source, page_label=_("page"),
                             draft_mark=draft_mark, draft_word=_("DRAFT"),
                             paper="a5" if layout == "a5" else "a4"),
        "layout": layout, "fields": fields,
        "qr": segno.make(uri, error="m").svg_inline(scale=3, border=2) if uri else None,
    }


def flyer_pdf(text: FlyerText, target: str | Path | BinaryIO | None = None) -> bytes | None:
    """Write the flyer as a print-ready PDF with the bundled fonts, laid out by Typst
    from ``templates/exports/typst/flyer.typ``."""
    pdf = typst.compile_document("flyer.typ", flyer_data(text))
    return typst.write_bytes(pdf, target)


def flyer_png(text: FlyerText, *, size: str = "post") -> bytes:
    """The flyer as a PNG image for social media: a square ``post`` (1080 x 1080) or a
    ``story`` (1080 x 1920), laid out by Typst from ``social.typ``; a draft carries a
    DRAFT band and watermark. Raises :class:`InputError` for another size."""
    if size not in SOCIAL_SIZES:
        raise InputError(_l("An image is a post or a story."), field="size")
    image = typst.compile_document("social.typ", flyer_data(text, layout=size), fmt="png",
                                   ppi=72)
    return image if isinstance(image, bytes) else image[0]


def alt_text(text: FlyerText) -> str:
    """A description of the flyer image for screen readers, in the target language:
    its title and its call to action (else where and when)."""
    return alt_text_of(text.target_fields)


def alt_text_of(fields: dict[str, str]) -> str:
    """The alt text (see :func:`alt_text`) from a translation's rendered fields."""
    parts = [fields.get("title", ""),
             fields.get("call_to_action") or fields.get("where_when", "")]
    return ". ".join(" ".join(p.split()).rstrip(".") for p in parts if p.strip())


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
                target: str | Path | BinaryIO, size: str = "post") -> FlyerText:
    """Write the flyer file in ``fmt`` (pdf, docx, txt, or png in ``size`` post or
    story) to ``target``."""
    text = flyer_text(session, flyer=flyer, language=language, draft=draft)
    if fmt == "pdf":
        flyer_pdf(text, target)
    elif fmt == "docx":
        flyer_docx(text, target)
    elif fmt in ("txt", "png"):
        data = (flyer_txt(text).encode("utf-8") if fmt == "txt"
                else flyer_png(text, size=size))
        typst.write_bytes(data, target)
    else:
        raise ValueError(fmt)
    return text
