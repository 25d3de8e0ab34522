"""The bilingual glossary sheet of a session pack, one model and two writers (DOCX and
PDF): the working-language term and definition beside the agreed rendering, its
back-translation and usage note, grouped by domain; "no direct equivalent" shown with its
paraphrase; renderings marked "avoid" listed as words not to use; a draft lists what is
not agreed yet and prints none of its wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _

from .. import agreement as rules
from ..i18n import _l
from . import document as engine
from . import typst_builders as typst
from .document import Para, Span, para
from .handout_context import (
    FLAG_RED,
    NOTE_GREY,
    Handout,
    _docx_frame,
    _meta_line,
    _pdf_frame,
    _usable,
)


@dataclass
class GlossaryRow:
    """One agreed concept: working-language wording and definition, and the renderings
    to use (a "no direct equivalent" one carries its paraphrase)."""

    source: str
    definition: str
    renderings: list[dict]


@dataclass
class GlossaryModel:
    """The sheet's content: agreed rows by domain, words to avoid, and (drafts) gaps."""

    sections: list[tuple[str, list[GlossaryRow]]] = field(default_factory=list)
    avoid: list[tuple[str, dict]] = field(default_factory=list)
    gaps: list[tuple[str, str]] = field(default_factory=list)


def glossary_model(content: dict) -> GlossaryModel:
    """Sort a pack's concepts into the sheet: only agreed concepts print wording."""
    model = GlossaryModel()
    by_domain: dict[str, list[GlossaryRow]] = {}
    for concept in content["concepts"]:
        source = " / ".join(concept["source"]) or concept["key"]
        if concept["state"] != rules.AGREED:
            model.gaps.append((source, concept["state"]))
            continue
        usable = [r for r in concept["renderings"] if _usable(r)]
        model.avoid += [(source, r) for r in concept["renderings"] if not _usable(r)]
        by_domain.setdefault(concept["domain_name"], []).append(
            GlossaryRow(source, concept["definition"], usable))
    model.sections = list(by_domain.items())
    return model


STATE_NAMES = {rules.OPEN: _l("no rendering"), rules.PROPOSED: _l("proposed, not signed"),
               rules.NEEDS_REVIEW: _l("needs review"), rules.DISPUTED: _l("disputed")}
REGISTER_NAMES = {"clinical": _l("clinical"), "colloquial": _l("colloquial"),
                  "euphemism": _l("euphemism"), "vulgar": _l("vulgar")}


def _rendering_paras(rendering: dict, h: Handout) -> list[Para]:
    """The paragraphs of one rendering in the target column."""
    out = []
    if rendering["no_equivalent"]:
        out.append(para([Span(_("No direct equivalent. Say:"), italic=True)], h.source, "small"))
        out.append(para(rendering["paraphrase"], h.target, "lead", bold=True))
    else:
        out.append(para(rendering["text"], h.target, "lead", bold=True))
    facts = []
    if rendering["status"] == "admitted":
        facts.append(_("also acceptable"))
    if rendering["register"] in REGISTER_NAMES:
        facts.append(str(REGISTER_NAMES[rendering["register"]]))
    if rendering["back_translation"]:
        facts.append(_("literally: %(text)s", text=rendering["back_translation"]))
    if facts:
        out.append(para([Span(" · ".join(facts), color=NOTE_GREY)], h.source, "small"))
    if rendering["usage_note"]:
        note = rendering["usage_note"]
        out.append(para(note, h.free_language(note), "small"))
    return out


def glossary_title(h: Handout) -> list[Span]:
    """"Glossary: <group>", the name isolated in its own direction."""
    return [Span(_("Glossary") + ": "), Span(h.group_name, lang=h.name_language())]


def _header(h: Handout) -> list[list[Para]]:
    return [[para(h.source_name, h.source, bold=True)],
            [para([Span(h.target_endonym, bold=True)], h.target)]]


def _row_cells(row: GlossaryRow, h: Handout) -> list[list[Para]]:
    source = [para(row.source, h.source, bold=True)]
    if row.definition:
        source.append(para(row.definition, h.source, "small"))
    return [source, [p for r in row.renderings for p in _rendering_paras(r, h)]]


def _avoid_header(h: Handout) -> list[list[Para]]:
    return [[para(_("Concept"), h.source, bold=True)],
            [para([Span(h.target_endonym, bold=True)], h.target)],
            [para(_("Why not"), h.source, bold=True)]]


def _avoid_cells(source: str, rendering: dict, h: Handout) -> list[list[Para]]:
    return [[para(source, h.source)],
            [para([Span(rendering["text"], bold=True, color=FLAG_RED)], h.target)],
            _why_paras(rendering, h)]


def _subtitle(h: Handout) -> Para:
    return para([Span(f"{h.source_name} › {h.target_name} "),
                 Span(h.target_endonym, lang=h.target, bold=True)], h.source, "heading2")


def _gap_para(source: str, state: str, h: Handout) -> Para:
    return para([Span(source, bold=True), Span(f" · {STATE_NAMES[state]}", color=FLAG_RED)],
                h.source)


def glossary_docx(h: Handout, target: str | Path | BinaryIO) -> None:
    """Write the bilingual glossary sheet of ``h`` as DOCX."""
    model = glossary_model(h.pack.content)
    # The page reads in the working language: from the right, tables included, when it
    # is written right to left (the PDF does the same).
    rtl = h.source.rtl
    doc = _docx_frame(h, h.source, rtl=rtl)
    engine.add_paragraph(doc, Para(tuple(glossary_title(h)), h.source, "title"))
    engine.add_paragraph(doc, _subtitle(h))
    engine.add_paragraph(doc, para(_meta_line(h), h.source, "small"))
    for domain, rows in model.sections:
        engine.add_paragraph(doc, para(domain, h.source, "heading1"), keep_next=True)
        engine.add_table(doc, header=_header(h), widths=(1, 1.25), rtl=rtl,
                         rows=[_row_cells(row, h) for row in rows])
    if model.avoid:
        engine.add_paragraph(doc, para(_("Words not to use"), h.source, "heading1"),
                             keep_next=True)
        engine.add_table(doc, widths=(1, 1, 1.4), header=_avoid_header(h), rtl=rtl, rows=[
            _avoid_cells(source, r, h) for source, r in model.avoid])
    if model.gaps:
        engine.add_paragraph(doc, para(_("Not agreed yet: no wording printed"), h.source,
                                       "heading1"), keep_next=True)
        for source, state in model.gaps:
            engine.add_paragraph(doc, _gap_para(source, state, h))
    engine.save_docx(doc, target)


def _why_paras(rendering: dict, h: Handout) -> list[Para]:
    out = []
    if rendering["back_translation"]:
        out.append(para(_("literally: %(text)s", text=rendering["back_translation"]),
                        h.source, "small"))
    if rendering["usage_note"]:
        note = rendering["usage_note"]
        out.append(para(note, h.free_language(note), "small"))
    return out


def _cells(cells: list[list[Para]]) -> list[list[dict]]:
    return [typst.paragraphs(c) for c in cells]


def glossary_data(h: Handout) -> dict:
    """Everything the PDF sheet shows, as data for ``glossary_sheet.typ``."""
    model = glossary_model(h.pack.content)
    data = {
        "frame": _pdf_frame(h, h.source),
        "title": typst.paragraph(Para(tuple(glossary_title(h)), h.source, "title")),
        "subtitle": typst.paragraph(_subtitle(h)),
        "meta": typst.paragraph(para(_meta_line(h), h.source, "meta")),
        "sections": [{"heading": typst.paragraph(para(domain, h.source, "heading1")),
                      "header": _cells(_header(h)),
                      "rows": [_cells(_row_cells(row, h)) for row in rows]}
                     for domain, rows in model.sections],
        "avoid": None, "gaps": None, "rtl": h.source.rtl,
    }
    if model.avoid:
        data["avoid"] = {
            "heading": typst.paragraph(para(_("Words not to use"), h.source, "heading1")),
            "header": _cells(_avoid_header(h)),
            "rows": [_cells(_avoid_cells(source, r, h)) for source, r in model.avoid]}
    if model.gaps:
        data["gaps"] = {
            "heading": typst.paragraph(para([Span(_("Not agreed yet: no wording printed"),
                                                  color=FLAG_RED)], h.source, "heading1")),
            "items": [typst.paragraph(_gap_para(source, state, h))
                      for source, state in model.gaps]}
    return data


def glossary_pdf(h: Handout, target: str | Path | BinaryIO | None = None) -> bytes | None:
    """Write the bilingual glossary sheet of ``h`` as PDF (bytes when no target),
    laid out by Typst from ``templates/exports/typst/glossary_sheet.typ``."""
    pdf = typst.compile_document("glossary_sheet.typ", glossary_data(h))
    return typst.write_bytes(pdf, target)
