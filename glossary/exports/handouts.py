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
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import agreement as rules
from .. import languages
from ..concepts import custom_languages
from ..config import ROOT
from ..errors import InputError, Refused
from ..groups import pack_intact
from ..languages import LanguageInfo
from ..models.groups import SessionPack
from . import document as engine
from .document import Para, Span, TextLanguage, para

KINDS = ("glossary", "rules")
FORMATS = ("docx", "pdf")
HANDOUT_DIR = ROOT / "data" / "handouts"
PLACEHOLDER = re.compile(r"\{\{\s*(concept|group)\s*:\s*([A-Za-z0-9_.-]+)\s*\}\}")
COMMENT = re.compile(r"<!--.*?-->", re.S)
NOTE_GREY, FLAG_RED = "555555", "B00020"
KEEP_TOGETHER = 32  # cited wording up to this many characters is kept on one line


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
        return free_text_language(self.group_name, self.source)

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


def free_text_language(text: str, default: TextLanguage) -> TextLanguage:
    """``default`` unless ``text`` starts with a right-to-left letter while ``default``
    is left to right (or the reverse): names and notes may be in any script."""
    rtl = engine.first_strong_rtl(text)
    if rtl is None or rtl == default.rtl:
        return default
    return TextLanguage("und-Arab", True) if rtl else TextLanguage("und", False)


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


# --- the glossary sheet: one model, two writers --------------------------------------


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


def _usable(rendering: dict) -> bool:
    return rendering["status"] != "deprecated" or bool(
        rendering["no_equivalent"] and rendering["paraphrase"])


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
        out.append(para(note, free_text_language(note, h.source), "small"))
    return out


def glossary_title(h: Handout) -> list[Span]:
    """"Glossary: <group>", the name isolated in its own direction."""
    return [Span(_("Glossary") + ": "), Span(h.group_name, lang=h.name_language())]


def _meta_line(h: Handout) -> str:
    agreed, needed = h.pack.agreed_count, h.pack.concept_count
    return _("Session pack %(id)d, frozen on %(date)s, hash %(hash)s: %(agreed)d of %(needed)d "
             "concepts agreed.", id=h.pack.id, date=h.pack_date.isoformat(),
             hash=h.pack.content_hash, agreed=agreed, needed=needed)


def _docx_frame(h: Handout, base: TextLanguage, rtl: bool):
    document = engine.new_docx(base=base, rtl=rtl)
    engine.set_footer(document, h.footer_spans(), h.source, page_label=_("page"),
                      of_label=_("of"))
    if h.draft:
        engine.set_draft_mark(document, h.draft_mark(), h.source)
    return document


def glossary_docx(h: Handout, target: str | Path | BinaryIO) -> None:
    """Write the bilingual glossary sheet of ``h`` as DOCX."""
    model = glossary_model(h.pack.content)
    doc = _docx_frame(h, h.source, rtl=False)
    engine.add_paragraph(doc, Para(tuple(glossary_title(h)), h.source, "title"))
    engine.add_paragraph(doc, para([Span(f"{h.source_name} › {h.target_name} "),
                                    Span(h.target_endonym, lang=h.target, bold=True)],
                                   h.source, "heading2"))
    engine.add_paragraph(doc, para(_meta_line(h), h.source, "small"))
    header = [[para(h.source_name, h.source, bold=True)],
              [para([Span(h.target_endonym, bold=True)], h.target)]]
    for domain, rows in model.sections:
        engine.add_paragraph(doc, para(domain, h.source, "heading1"), keep_next=True)
        engine.add_table(doc, header=header, widths=(1, 1.25), rows=[
            [[para(row.source, h.source, bold=True), para(row.definition, h.source, "small")],
             [p for r in row.renderings for p in _rendering_paras(r, h)]] for row in rows])
    if model.avoid:
        engine.add_paragraph(doc, para(_("Words not to use"), h.source, "heading1"),
                             keep_next=True)
        engine.add_table(doc, widths=(1, 1, 1.4), header=[
            [para(_("Concept"), h.source, bold=True)],
            [para([Span(h.target_endonym, bold=True)], h.target)],
            [para(_("Why not"), h.source, bold=True)]], rows=[
            [[para(source, h.source)],
             [para([Span(r["text"], bold=True, color=FLAG_RED)], h.target)],
             _why_paras(r, h)] for source, r in model.avoid])
    if model.gaps:
        engine.add_paragraph(doc, para(_("Not agreed yet: no wording printed"), h.source,
                                       "heading1"), keep_next=True)
        for source, state in model.gaps:
            engine.add_paragraph(doc, para([Span(source, bold=True),
                                            Span(f" · {STATE_NAMES[state]}", color=FLAG_RED)],
                                           h.source))
    engine.save_docx(doc, target)


def _why_paras(rendering: dict, h: Handout) -> list[Para]:
    out = []
    if rendering["back_translation"]:
        out.append(para(_("literally: %(text)s", text=rendering["back_translation"]),
                        h.source, "small"))
    if rendering["usage_note"]:
        note = rendering["usage_note"]
        out.append(para(note, free_text_language(note, h.source), "small"))
    return out


def glossary_pdf(h: Handout, target: str | Path | BinaryIO | None = None) -> bytes | None:
    """Write the bilingual glossary sheet of ``h`` as PDF (bytes when no target)."""
    html = engine.render_html(
        "exports/glossary_sheet.html", h=h, model=glossary_model(h.pack.content),
        title=_("Glossary") + ": " + h.group_name, title_spans=glossary_title(h),
        meta=_meta_line(h), state_names=STATE_NAMES,
        register_names=REGISTER_NAMES, usable=_usable, free_lang=free_text_language)
    return engine.write_pdf(html, target)


# --- the ground-rules handout --------------------------------------------------------


@dataclass
class RulesModel:
    """A parsed template: its language, title and blocks of spans, and the concepts it
    cited (working-language wording and agreed wording)."""

    lang: TextLanguage
    title: list[Span]
    blocks: list[tuple[str, list[Span]]]
    cited: list[tuple[str, str]]


def find_rules_template(target: str, source: str, directory: Path = HANDOUT_DIR) -> Path:
    """The template for a handout in ``target``: ``rules.<target>.md``, else the one of
    its base language, else the working language's. Raises :class:`Refused`."""
    for tag in (target, target.split("-")[0], source, source.split("-")[0]):
        path = directory / f"rules.{tag}.md"
        if path.is_file():
            return path
    missing = "data/handouts/rules." + source + ".md"
    raise Refused(_l("There is no ground-rules template: add %(path)s.", path=missing))


def _agreed_wording(concept: dict) -> str | None:
    usable = [r for r in concept["renderings"] if _usable(r)]
    if concept["state"] != rules.AGREED or not usable:
        return None
    best = next((r for r in usable if r["status"] == "preferred"), usable[0])
    return best["paraphrase"] if best["no_equivalent"] else best["text"]


def rules_model(h: Handout, path: Path, describe: Callable[[str], LanguageInfo]) -> RulesModel:
    """Parse the template at ``path`` and resolve its placeholders from the pack.

    Raises :class:`Refused` naming every concept a final pack does not hold as agreed,
    and :class:`InputError` for a placeholder the template language does not know."""
    tag = path.name[len("rules."):-len(".md")]
    in_target = tag in (h.target.tag, h.target.tag.split("-")[0])
    info = describe(tag)
    lang = h.target if in_target else TextLanguage(info.tag, info.rtl)
    concepts = {c["key"]: c for c in h.pack.content["concepts"]}
    text = COMMENT.sub("", path.read_text(encoding="utf-8"))
    missing: list[str] = []
    cited: dict[str, tuple[str, str]] = {}

    def resolve(line: str) -> list[Span]:
        spans, last = [], 0
        for match in PLACEHOLDER.finditer(line):
            if match.start() > last:
                spans.append(Span(line[last:match.start()]))
            last = match.end()
            kind, key = match.groups()
            if kind == "group":
                spans.extend(_group_field(h, key))
                continue
            concept = concepts.get(key)
            wording = _agreed_wording(concept) if concept else None
            if wording is None:
                missing.append(key)
                spans.append(Span(f"[{_('not agreed')}: {key}]", bold=True, color=FLAG_RED))
                continue
            source = " / ".join(concept["source"]) or key
            cited.setdefault(key, (source, wording))
            keep = len(wording) <= KEEP_TOGETHER
            if in_target:
                spans.append(Span(wording, lang=h.target, bold=True, keep=keep))
            else:
                spans += [Span(source, bold=True), Span(" ["),
                          Span(wording, lang=h.target, bold=True, keep=keep), Span("]")]
        if last < len(line):
            spans.append(Span(line[last:]))
        return spans

    title: list[Span] = [Span(h.group_name, lang=h.name_language())]
    blocks: list[tuple[str, list[Span]]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(("p", resolve(" ".join(paragraph))))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(("h2", resolve(line[3:])))
        elif line.startswith("# "):
            flush()
            title = resolve(line[2:])
        elif line.startswith(("- ", "* ")):
            flush()
            blocks.append(("li", resolve(line[2:])))
        else:
            paragraph.append(line)
    flush()
    if missing and not h.draft:
        raise Refused(_l(
            "The ground-rules template cites concepts this pack does not hold as agreed: "
            "%(keys)s. Add them to the group and agree them, or print from a draft pack.",
            keys=", ".join(dict.fromkeys(missing))))
    return RulesModel(lang, title, blocks, list(cited.values()))


def _group_field(h: Handout, key: str) -> list[Span]:
    if key == "name":
        return [Span(h.group_name, lang=h.name_language())]
    if key == "start_date":
        return [Span(h.start_date.isoformat() if h.start_date else "—")]
    raise InputError(_l("The ground-rules template uses an unknown placeholder "
                        "{{group:%(key)s}}.", key=key))


def rules_docx(h: Handout, target: str | Path | BinaryIO, *, template: Path,
               describe: Callable[[str], LanguageInfo]) -> None:
    """Write the ground-rules handout of ``h`` from ``template`` as DOCX."""
    model = rules_model(h, template, describe)
    lang = model.lang
    doc = _docx_frame(h, lang, rtl=lang.rtl)
    engine.add_paragraph(doc, Para(tuple(model.title), lang, "title"))
    engine.add_paragraph(doc, para(_meta_line(h), h.source, "small"))
    for kind, spans in model.blocks:
        if kind == "h2":
            engine.add_paragraph(doc, Para(tuple(spans), lang, "heading2"), keep_next=True)
        elif kind == "li":
            engine.add_paragraph(doc, Para((Span("•\u00a0"), *spans), lang))
        else:
            engine.add_paragraph(doc, Para(tuple(spans), lang))
    if model.cited:
        engine.add_paragraph(doc, para(_("Agreed words in this handout"), h.source,
                                       "heading2"), keep_next=True)
        columns = cited_columns(h, model)
        engine.add_table(
            doc, widths=(1, 1), rtl=model.lang.rtl,
            header=[[para(name, language, bold=True)] for name, language, _i in columns],
            rows=[[[para(pair[index], language)] for _n, language, index in columns]
                  for pair in model.cited])
    engine.save_docx(doc, target)


def cited_columns(h: Handout, model: RulesModel) -> list[tuple[str, TextLanguage, int]]:
    """Columns of the table of cited words as (heading, language, index into a cited
    pair): the handout's own language first, so a right-to-left handout's table, laid
    out from the right (``w:bidiVisual``), starts with it."""
    working = (h.source_name, h.source, 0)
    agreed = (h.target_endonym, h.target, 1)
    return [agreed, working] if model.lang == h.target else [working, agreed]


def rules_pdf(h: Handout, target: str | Path | BinaryIO | None = None, *, template: Path,
              describe: Callable[[str], LanguageInfo]) -> bytes | None:
    """Write the ground-rules handout of ``h`` from ``template`` as PDF."""
    model = rules_model(h, template, describe)
    html = engine.render_html("exports/rules.html", h=h, model=model, meta=_meta_line(h),
                              title=h.group_name,
                              cited_columns=cited_columns(h, model))
    return engine.write_pdf(html, target)


# --- one entry point -----------------------------------------------------------------


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
