"""The ground-rules / programme-information handout of a session pack, as DOCX and PDF,
from an editable template in ``data/handouts/`` (``rules.<tag>.md``) whose text cites
concepts as ``{{concept:KEY}}``: each is printed with the pack's agreed wording. A final
pack refuses a template citing a concept it does not hold as agreed; a draft flags it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _

from .. import agreement as rules
from ..config import ROOT
from ..errors import InputError, Refused
from ..i18n import _l
from ..languages import LanguageInfo
from . import document as engine
from . import typst_builders as typst
from .document import Para, Span, TextLanguage, para
from .handout_context import (
    FLAG_RED,
    Handout,
    _docx_frame,
    _meta_line,
    _pdf_frame,
    _usable,
)

HANDOUT_DIR = ROOT / "data" / "handouts"
PLACEHOLDER = re.compile(r"\{\{\s*(concept|group)\s*:\s*([A-Za-z0-9_.-]+)\s*\}\}")
COMMENT = re.compile(r"<!--.*?-->", re.S)
KEEP_TOGETHER = 32  # cited wording up to this many characters is kept on one line


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


def rules_data(h: Handout, model: RulesModel) -> dict:
    """Everything the PDF handout shows, as data for ``rules.typ``."""
    lang = model.lang
    blocks = [{"kind": kind, "para": typst.paragraph(
        Para(tuple(spans), lang, "heading2" if kind == "h2" else "body"))}
        for kind, spans in model.blocks]
    data = {"frame": _pdf_frame(h, lang),
            "title": typst.paragraph(Para(tuple(model.title), lang, "title")),
            "meta": typst.paragraph(para(_meta_line(h), h.source, "meta")),
            "blocks": blocks, "cited": None}
    if model.cited:
        columns = cited_columns(h, model)
        data["cited"] = {
            "heading": typst.paragraph(para(_("Agreed words in this handout"), h.source,
                                            "heading2")),
            "rtl": lang.rtl,
            "header": [[typst.paragraph(para(name, language, bold=True))]
                       for name, language, _i in columns],
            "rows": [[[typst.paragraph(para(pair[index], language))]
                      for _n, language, index in columns] for pair in model.cited]}
    return data


def rules_pdf(h: Handout, target: str | Path | BinaryIO | None = None, *, template: Path,
              describe: Callable[[str], LanguageInfo]) -> bytes | None:
    """Write the ground-rules handout of ``h`` from ``template`` as PDF, laid out by
    Typst from ``templates/exports/typst/rules.typ``."""
    model = rules_model(h, template, describe)
    pdf = typst.compile_document("rules.typ", rules_data(h, model))
    return typst.write_bytes(pdf, target)
