"""What every handout of a session pack shares: the :class:`Handout` built from a pack
(refused when its stored content no longer matches its hash), with its languages, footer
and draft mark; the line naming the pack under each title; the DOCX page frame; and
which renderings of a pack may be printed. The handouts themselves are in
:mod:`.handout_glossary` and :mod:`.handout_rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ..errors import Refused
from ..groups import pack_intact
from ..i18n import _l
from ..languages import LanguageInfo
from ..models.groups import SessionPack
from . import document as engine
from . import typst_builders as typst
from .document import Span, TextLanguage

NOTE_GREY, FLAG_RED = "555555", "B00020"


@dataclass
class Handout:
    """What every handout of a pack prints: the group, the pack and its languages."""

    group_name: str
    start_date: date | None
    pack: SessionPack
    source: TextLanguage
    target: TextLanguage
    source_name: str
    target_name: str
    target_endonym: str

    @property
    def draft(self) -> bool:
        """True for a draft pack: every page is marked DRAFT."""
        return self.pack.draft

    @property
    def pack_date(self) -> date:
        """The day the pack was frozen (UTC)."""
        return self.pack.created_at.date()

    def name_language(self) -> TextLanguage:
        """The direction of the group's name, which may be in any script."""
        return self.free_language(self.group_name)

    def free_language(self, text: str) -> TextLanguage:
        """The language of free text (a name, a usage note) in this handout: the working
        language, or for right-to-left text the pack's target language when that is
        right to left (an Urdu note is set in Nastaliq, not Naskh)."""
        return free_text_language(text, self.source,
                                  rtl_language=self.target if self.target.rtl else None)

    def footer_spans(self) -> list[Span]:
        """Group, language pair, pack number, date and hash (and DRAFT)."""
        spans = [Span(self.group_name, lang=self.name_language()),
                 Span(f"  ·  {self.pack.source_language} › {self.pack.target_language}  ·  "
                      + _("pack %(id)d of %(date)s", id=self.pack.id,
                          date=self.pack_date.isoformat())
                      + "  ·  " + _("hash") + " "),
                 Span(self.pack.content_hash, bold=True)]
        if self.draft:
            spans.append(Span("  ·  " + _("DRAFT"), bold=True, color=FLAG_RED))
        return spans

    def draft_mark(self) -> str:
        """The words printed at the top of every page of a draft."""
        return _("DRAFT: not all wording is agreed. Do not use as the agreed glossary.")


def free_text_language(text: str, default: TextLanguage, *,
                       rtl_language: TextLanguage | None = None) -> TextLanguage:
    """``default`` unless ``text`` starts with a right-to-left letter while ``default``
    is left to right (or the reverse): names and notes may be in any script. Right-to-
    left text is taken to be in ``rtl_language`` when given (its script's font)."""
    rtl = engine.first_strong_rtl(text)
    if rtl is None or rtl == default.rtl:
        return default
    if rtl:
        return rtl_language or TextLanguage("und-Arab", True)
    return TextLanguage("und", False)


def handout_for(pack: SessionPack, *, group_name: str, start_date: date | None,
                describe: Callable[[str], LanguageInfo]) -> Handout:
    """The handout context of ``pack``; ``describe`` names a language tag in the
    working language. Raises :class:`Refused` when the stored content no longer matches
    the pack's hash."""
    if not pack_intact(pack):
        raise Refused(_l("Session pack %(id)s does not match its hash any more; it cannot be "
                         "printed.", id=pack.id))
    source, target = describe(pack.source_language), describe(pack.target_language)
    return Handout(group_name=group_name, start_date=start_date, pack=pack,
                   source=TextLanguage(source.tag, source.rtl),
                   target=TextLanguage(target.tag, target.rtl),
                   source_name=str(source.name), target_name=str(target.name),
                   target_endonym=str(target.endonym))


def _usable(rendering: dict) -> bool:
    return rendering["status"] != "deprecated" or bool(
        rendering["no_equivalent"] and rendering["paraphrase"])


def _meta_line(h: Handout) -> str:
    agreed, needed = h.pack.agreed_count, h.pack.concept_count
    return _("Session pack %(id)d, frozen on %(date)s, hash %(hash)s: %(agreed)d of %(needed)d "
             "concepts agreed.", id=h.pack.id, date=h.pack_date.isoformat(),
             hash=h.pack.content_hash, agreed=agreed, needed=needed)


def _pdf_frame(h: Handout, base: TextLanguage) -> dict:
    return typst.frame(base=base, footer=h.footer_spans(), footer_lang=h.source,
                       page_label=_("page"), draft_mark=h.draft_mark() if h.draft else None,
                       draft_word=_("DRAFT"))


def _docx_frame(h: Handout, base: TextLanguage, rtl: bool):
    document = engine.new_docx(base=base, rtl=rtl)
    engine.set_footer(document, h.footer_spans(), h.source, page_label=_("page"),
                      of_label=_("of"))
    if h.draft:
        engine.set_draft_mark(document, h.draft_mark(), h.source)
    return document
