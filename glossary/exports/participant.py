"""Participant handouts of a session pack, the one entry point for pages and the command
line: the group's handout texts (ground rules, programme information, confidentiality,
where to get help) in the participants' language first, and the participant glossary
(the agreed words with their explanations for participants:
:mod:`.participant_glossary`)."""

from __future__ import annotations

import io

from ..errors import InputError
from ..handouts import KINDS as TEXT_KINDS
from ..i18n import _l
from .handout_context import Handout
from .handout_texts import LAYOUTS, text_pdf
from .handout_texts_docx import text_docx
from .participant_glossary import build_docx, build_pdf

FORMATS = ("docx", "pdf")
KINDS = ("participant", *TEXT_KINDS)


def participant_glossary(h: Handout, fmt: str, *, easy: bool) -> bytes:
    """The participant glossary of ``h``'s pack (one column: the working language is
    always its smaller second line)."""
    if fmt == "pdf":
        return build_pdf(h, easy_read=easy) or b""
    buffer = io.BytesIO()
    build_docx(h, buffer, easy_read=easy)
    return buffer.getvalue()


def render_participant(h: Handout, *, kind: str, fmt: str, layout: str = "lines",
                       easy: bool = False) -> bytes:
    """A participant handout of ``h``'s pack as bytes. Raises :class:`InputError` for an
    unknown kind, format or layout, :class:`NotFound` when the pack holds no text of
    that kind."""
    if kind not in KINDS:
        raise InputError(_l("Unknown handout kind."), field="kind")
    if fmt not in FORMATS:
        raise InputError(_l("A handout is written as docx or pdf."), field="format")
    if layout not in LAYOUTS:
        raise InputError(_l("Choose the working language as a second line or a facing "
                            "column."), field="layout")
    if kind == "participant":
        return participant_glossary(h, fmt, easy=easy)
    if fmt == "pdf":
        return text_pdf(h, kind, layout=layout, easy=easy) or b""
    buffer = io.BytesIO()
    text_docx(h, kind, buffer, layout=layout, easy=easy)
    return buffer.getvalue()


def participant_filename(h: Handout, kind: str, fmt: str, *, easy: bool = False) -> str:
    """``demo-group-ar-pack3-rules-easy.pdf``."""
    from ..concepts import slugify

    name = slugify(h.group_name) or "group"
    return (f"{name}-{h.pack.target_language}-pack{h.pack.id}-{kind}"
            f"{'-easy' if easy else ''}{'-DRAFT' if h.draft else ''}.{fmt}")
