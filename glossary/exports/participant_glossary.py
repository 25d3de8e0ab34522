"""The participant glossary of a session pack, one model and two writers (DOCX and PDF):
what a participant may take home, in the participants' language first.

Each agreed concept prints its agreed wording (a "no direct equivalent" one, the
paraphrase to say) with the participants' explanation, both in the target language and
laid out in its direction (right to left for Arabic, Dari, Pashto, Sorani, Urdu), and the
working-language wording as a smaller second line. What is for staff stays on the staff
sheet (:mod:`.handout_glossary`): renderings marked "avoid", registers, back-translations,
usage notes, definitions. A draft never prints a concept key: a place not agreed yet
prints its working-language wording marked "not agreed yet", in the target language too
where the phrase exists (:mod:`.handout_phrases`), and DRAFT is printed in both languages.

``easy_read`` sets every line at 14 pt or more with more room between entries.

Entry points: :func:`build_docx` and :func:`build_pdf`, both taking a
:class:`~.handout_context.Handout` (group, pack and languages).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from docx.oxml.ns import qn
from flask_babel import gettext as _

from .. import agreement as rules
from . import document as engine
from . import typst_builders as typst
from .document import Para, Span
from .handout_context import FLAG_RED, NOTE_GREY, Handout, _docx_frame, _pdf_frame, _usable
from .handout_phrases import Phrases, phrases_for

# Sizes in points of the three kinds of line, as printed and in easy read.
SIZES = {"word": 14, "explanation": 11.5, "second": 10, "title": 18}
EASY_SIZES = {"word": 20, "explanation": 16, "second": 14, "title": 24}


@dataclass
class ParticipantEntry:
    """One concept: its agreed words and explanations in the target language (none when
    not agreed) and its working-language wording."""

    words: list[str]
    explanations: list[str]
    source: str
    agreed: bool


def participant_entries(content: dict) -> list[ParticipantEntry]:
    """The entries of a pack's content, in its order: only agreed concepts print target
    wording, and only renderings a participant may use (never "avoid")."""
    entries = []
    for concept in content["concepts"]:
        source = " / ".join(concept["source"]) or "…"
        if concept["state"] != rules.AGREED:
            entries.append(ParticipantEntry([], [], source, agreed=False))
            continue
        usable = [r for r in concept["renderings"] if _usable(r)]
        words = [r["paraphrase"] if r["no_equivalent"] and r["paraphrase"] else r["text"]
                 for r in usable]
        explanations = [r["explanation"] for r in usable if r.get("explanation")]
        entries.append(ParticipantEntry(words, explanations, source, agreed=True))
    return entries


class _Lines:
    """The paragraphs of the handout, each with its role (which sets its size)."""

    def __init__(self, h: Handout, phrases: Phrases):
        self.h, self.phrases = h, phrases

    def title(self) -> list[tuple[str, Para]]:
        h, lines = self.h, []
        if self.phrases.title:
            lines.append(("title", engine.para(self.phrases.title, h.target, bold=True)))
        lines.append(("second" if lines else "title", Para(
            (Span(_("Words for participants") + ": "),
             Span(h.group_name, lang=h.name_language())), h.source)))
        return lines

    def entry(self, entry: ParticipantEntry) -> list[tuple[str, Para]]:
        h = self.h
        if not entry.agreed:
            marks = [Span(_("not agreed yet"), lang=h.source, italic=True, color=FLAG_RED)]
            if self.phrases.not_agreed:
                marks[:0] = [Span(self.phrases.not_agreed, lang=h.target, color=FLAG_RED),
                             self._separator()]
            return [("word", Para((Span(entry.source, lang=h.source, bold=True),),
                                  h.source)),
                    ("second", Para(tuple(marks), h.target))]
        lines = [("word", engine.para(" / ".join(entry.words), h.target, bold=True))]
        lines += [("explanation", engine.para(text, h.target)) for text in entry.explanations]
        lines.append(("second", Para((Span(entry.source, color=NOTE_GREY),), h.source)))
        return lines

    def draft_banner(self) -> Para:
        # A LEFT-TO-RIGHT MARK keeps the sentence's full stop at its end in a right-to-left
        # paragraph of a DOCX (whose runs are not isolated).
        mark = self.h.draft_mark() + ("\u200e" if self.h.target.rtl else "")
        spans = [Span(mark, lang=self.h.source, bold=True, color=FLAG_RED)]
        if self.phrases.draft:
            spans[:0] = [Span(self.phrases.draft, lang=self.h.target, bold=True,
                              color=FLAG_RED), self._separator()]
        return Para(tuple(spans), self.h.target, "body", center=True)

    def _separator(self) -> Span:
        # In the Latin font: a space in Nastaliq is too narrow to set two languages apart.
        return Span("  ·  ", lang=self.h.source, color=FLAG_RED)


# --- PDF -------------------------------------------------------------------------------


def participant_data(h: Handout, *, easy_read: bool = False) -> dict:
    """Everything the PDF shows, as data for ``participant_glossary.typ``."""
    sizes = EASY_SIZES if easy_read else SIZES
    lines = _Lines(h, phrases_for(h.target.tag))

    def data(role: str, p: Para) -> dict:
        # A line in the other direction than the page (the working language under an
        # Arabic word) still starts on the page's side, under the word it belongs to.
        return typst.paragraph(p) | {"size": sizes[role], "side": p.lang.rtl != h.target.rtl}

    frame = _pdf_frame(h, h.target)
    if h.draft:
        frame["banner"] = typst.paragraph(lines.draft_banner())
    return {"frame": frame, "easy": easy_read,
            "title": [data(role, p) for role, p in lines.title()],
            "entries": [[data(role, p) for role, p in lines.entry(e)]
                        for e in participant_entries(h.pack.content)]}


def build_pdf(h: Handout, target: str | Path | BinaryIO | None = None, *,
              easy_read: bool = False) -> bytes | None:
    """Write the participant glossary of ``h`` as PDF (bytes when ``target`` is None),
    laid out by Typst from ``templates/exports/typst/participant_glossary.typ``."""
    pdf = typst.compile_document("participant_glossary.typ",
                                 participant_data(h, easy_read=easy_read))
    return typst.write_bytes(pdf, target)


# --- DOCX ------------------------------------------------------------------------------


def _sized(element, size: float, *, rtl_page: bool, after: int):
    """Set every run of a paragraph to ``size`` points and its spacing after; a
    working-language line on a right-to-left page is aligned right, under its word."""
    half_points = str(round(size * 2))
    for name in ("w:sz", "w:szCs"):
        for node in element.iter(qn(name)):
            node.set(qn("w:val"), half_points)
    ppr = element.find(qn("w:pPr"))
    engine.set_child(ppr, "spacing", engine.PPR_ORDER, before="0", after=str(after))
    if rtl_page and not element.findall(f"{qn('w:pPr')}/{qn('w:bidi')}"):
        engine.set_child(ppr, "jc", engine.PPR_ORDER, val="right")
    return element


def build_docx(h: Handout, target: str | Path | BinaryIO, *, easy_read: bool = False) -> None:
    """Write the participant glossary of ``h`` as DOCX: the section and every target
    paragraph right to left when the target language is (``w:bidi``)."""
    sizes = EASY_SIZES if easy_read else SIZES
    gap = 360 if easy_read else 200
    lines = _Lines(h, phrases_for(h.target.tag))
    document = _docx_frame(h, h.target, rtl=h.target.rtl)
    if h.draft:
        header = document.sections[0].header
        for old in header._element.findall(qn("w:p")):
            header._element.remove(old)
        engine.add_paragraph(header, lines.draft_banner())

    def add(role: str, p: Para, after: int) -> None:
        _sized(engine.add_paragraph(document, p, keep_next=role != "second"), sizes[role],
               rtl_page=h.target.rtl, after=after)

    for role, p in lines.title():
        add(role, p, 120)
    for entry in participant_entries(h.pack.content):
        parts = lines.entry(entry)
        for index, (role, p) in enumerate(parts):
            add(role, p, gap if index == len(parts) - 1 else 40)
    engine.save_docx(document, target)
