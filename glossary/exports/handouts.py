"""Handouts printed from a session pack, as DOCX and PDF through the shared engine in
:mod:`glossary.exports.document`:

- the bilingual glossary sheet: the working-language term and definition beside the
  agreed rendering, its back-translation and usage note, grouped by domain; "no direct
  equivalent" shown with its paraphrase; renderings marked "avoid" listed as words not
  to use; a draft lists what is not agreed yet and prints none of its wording;
- the ground-rules / programme-information handout, from an editable template in
  ``data/handouts/`` (``rules.<tag>.md``) whose text cites concepts as
  ``{{concept:KEY}}``: each is printed with the pack's agreed wording. A final pack
  refuses a template citing a concept it does not hold as agreed; a draft flags it.

Every page carries a footer naming the group, the pack and its date and hash, and for a
draft pack a DRAFT mark. Only a pack whose stored content still matches its hash is
printed.

Callers import this module, the one entry point (which handout, in which format, its
bytes and file name); the code lives in the modules beside it:

- :mod:`.handout_context`: the :class:`Handout` built from a pack, its footer and draft
  mark, and what both handouts share;
- :mod:`.handout_glossary`: the glossary sheet;
- :mod:`.handout_rules`: the ground-rules handout from its template.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .. import languages
from ..concepts import custom_languages
from ..errors import InputError
from ..i18n import _l
from ..languages import LanguageInfo
from .handout_context import (
    FLAG_RED,
    NOTE_GREY,
    Handout,
    free_text_language,
    handout_for,
)
from .handout_glossary import (
    REGISTER_NAMES,
    STATE_NAMES,
    GlossaryModel,
    GlossaryRow,
    glossary_docx,
    glossary_model,
    glossary_pdf,
    glossary_title,
)
from .handout_rules import (
    COMMENT,
    HANDOUT_DIR,
    KEEP_TOGETHER,
    PLACEHOLDER,
    RulesModel,
    cited_columns,
    find_rules_template,
    rules_docx,
    rules_model,
    rules_pdf,
)

__all__ = [
    "FORMATS", "KINDS", "handout_filename", "language_describer", "render_handout",
    "write_handout",
    # .handout_context
    "FLAG_RED", "NOTE_GREY", "Handout", "free_text_language", "handout_for",
    # .handout_glossary
    "REGISTER_NAMES", "STATE_NAMES", "GlossaryModel", "GlossaryRow", "glossary_docx",
    "glossary_model", "glossary_pdf", "glossary_title",
    # .handout_rules
    "COMMENT", "HANDOUT_DIR", "KEEP_TOGETHER", "PLACEHOLDER", "RulesModel", "cited_columns",
    "find_rules_template", "rules_docx", "rules_model", "rules_pdf",
]

KINDS = ("glossary", "rules")
FORMATS = ("docx", "pdf")


def handout_filename(h: Handout, kind: str, fmt: str) -> str:
    """A file name safe on every system: ``demo-group-ar-pack3-glossary.docx``."""
    from ..concepts import slugify

    name = slugify(h.group_name) or "group"
    return f"{name}-{h.pack.target_language}-pack{h.pack.id}-{kind}.{fmt}"


def write_handout(h: Handout, target: str | Path | BinaryIO, *, kind: str, fmt: str,
                  describe: Callable[[str], LanguageInfo],
                  template_dir: Path = HANDOUT_DIR) -> None:
    """Write one handout (``kind`` glossary or rules, ``fmt`` docx or pdf) to
    ``target``. Raises :class:`InputError` for an unknown kind or format and
    :class:`Refused` when the pack cannot print it."""
    if kind not in KINDS:
        raise InputError(_l("A handout is a glossary or rules."), field="kind")
    if fmt not in FORMATS:
        raise InputError(_l("A handout is written as docx or pdf."), field="format")
    if kind == "glossary":
        (glossary_docx if fmt == "docx" else glossary_pdf)(h, target)
        return
    template = find_rules_template(h.target.tag, h.source.tag, template_dir)
    (rules_docx if fmt == "docx" else rules_pdf)(h, target, template=template,
                                                describe=describe)


def render_handout(h: Handout, *, kind: str, fmt: str, describe: Callable[[str], LanguageInfo],
                   template_dir: Path = HANDOUT_DIR) -> bytes:
    """The handout as bytes (see :func:`write_handout`), so that nothing half-written
    ever reaches a file or a download."""
    buffer = io.BytesIO()
    write_handout(h, buffer, kind=kind, fmt=fmt, describe=describe, template_dir=template_dir)
    return buffer.getvalue()


def language_describer(session, working: str) -> Callable[[str], LanguageInfo]:
    """Names languages in the working language, with the organisation's own entries."""
    custom = custom_languages(session)
    return lambda tag: languages.describe(tag, working, custom)
