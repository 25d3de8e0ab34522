"""Participant handouts of a group's handout texts (ground rules, programme information
...), printed from a session pack, as PDF (Typst, ``participant_text.typ``) and DOCX
(:mod:`.handout_texts_docx`).

The participants' language comes first, laid out right to left where it is written so;
the working language follows as a smaller second line under each paragraph
(``lines``) or in a facing column (``columns``), as the facilitator chooses. A draft
never prints a concept key: a concept not agreed yet prints its working-language wording
marked "not agreed yet" (in both languages); an untranslated paragraph prints the
working-language text with the same mark; DRAFT is printed in both languages.

Easy read: body text at 15 pt, headings at 17, short lines, generous spacing, and the
pictogram the facilitator chose for a paragraph beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _

from ..config import ROOT
from ..errors import NotFound, Refused
from ..handouts import KIND_NAMES, placeholders
from ..handouts.markdown import paragraph_kind
from ..i18n import _l
from . import typst_builders as typst
from .document import Para, Span, TextLanguage
from .handout_context import FLAG_RED, NOTE_GREY, Handout, _pdf_frame
from .participant_words import draft_word, not_agreed, not_translated

PICTOGRAM_DIR = ROOT / "static" / "pictograms"
LAYOUTS = ("lines", "columns")
EASY_SIZES = {"title": 22, "heading": 17, "body": 15, "item": 15, "second": 13}
PLAIN_SIZES = {"title": 18, "heading": 13, "body": 11, "item": 11, "second": 9.5}


@dataclass
class Block:
    """One paragraph of the handout: its kind (title, heading, item, body), the spans in
    the participants' language and in the working language, and its pictogram."""

    kind: str
    target: list[Span]
    source: list[Span]
    picture: str = ""
    untranslated: bool = False


@dataclass
class TextModel:
    """A handout text ready to lay out."""

    name: str
    blocks: list[Block] = field(default_factory=list)


def frozen_text(h: Handout, kind: str) -> dict:
    """The handout text of ``kind`` frozen in the pack; :class:`NotFound` when the pack
    holds none, :class:`Refused` when a final pack holds an unsigned one (it cannot,
    unless the pack was made before the text was signed)."""
    for text in h.pack.content.get("handouts", []):
        if text["kind"] == kind:
            if text["state"] != "agreed" and not h.draft:
                raise Refused(_l("This pack holds the handout unsigned; freeze a new pack."))
            return text
    raise NotFound(_l("Session pack %(id)s holds no %(kind)s text; freeze a new pack after "
                      "making it.", id=h.pack.id, kind=str(KIND_NAMES.get(kind, kind))))


def _mark(h: Handout, *, translated: bool = True) -> list[Span]:
    """“(not agreed yet)”, or “(not translated yet)”, in the participants' language and
    in the working language, each in brackets of its own (so that neither direction
    breaks the other's)."""
    own = (not_agreed if translated else not_translated)(h.target.tag)
    theirs = _("not agreed yet") if translated else _("not translated yet")
    words = [Span(" "), Span(f"({own})", lang=h.target, color=FLAG_RED, keep=True)] if own else []
    return words + [Span(" "), Span(f"({theirs})", lang=h.source, color=FLAG_RED, keep=True)]


def _spans(h: Handout, text: str, frozen: dict, side: str, lang: TextLanguage) -> list[Span]:
    """``text`` with its placeholders resolved from the pack, as spans in ``lang``."""
    spans: list[Span] = []
    last = 0
    for place in placeholders(text):
        if place.start > last:
            spans.append(Span(text[last:place.start], lang=lang))
        last = place.end
        if place.kind == "group":
            spans.append(Span(frozen["values"].get(place.key) or "—", lang=lang))
            continue
        wording = frozen["concepts"].get(place.key, {})
        if wording.get(side):
            spans.append(Span(wording[side], lang=lang, bold=True, keep=len(wording[side]) < 32))
        else:
            spans.append(Span(wording.get("source") or "…", lang=h.source, bold=True))
            spans += _mark(h)
    if last < len(text):
        spans.append(Span(text[last:], lang=lang))
    return spans


def text_model(h: Handout, kind: str) -> TextModel:
    """The blocks of the frozen text of ``kind``, participants' language first."""
    frozen = frozen_text(h, kind)
    translation = frozen["translation"]
    parts = [("title", frozen["title"], "")] + [
        (p["id"], p["text"], p.get("picture", "")) for p in frozen["paragraphs"]]
    model = TextModel(name=str(KIND_NAMES.get(kind, kind)))
    for key, source_text, picture in parts:
        block_kind, source_body = ("title", source_text) if key == "title" else \
            paragraph_kind(source_text)
        own = (translation.get(key) or "").strip()
        if block_kind != "title" and own:
            own = paragraph_kind(own)[1]
        source = _spans(h, source_body, frozen, "source", h.source)
        if own:
            model.blocks.append(Block(block_kind, _spans(h, own, frozen, "target", h.target),
                                      source, picture))
        else:
            model.blocks.append(Block(block_kind, source + _mark(h, translated=False), [],
                                      picture, untranslated=True))
    return model


def draft_banner(h: Handout) -> list[Span]:
    """DRAFT in the participants' language, then the working language's draft line."""
    own = draft_word(h.target.tag)
    spans = [Span(own, lang=h.target, bold=True, color=FLAG_RED),
             Span("  ·  ", lang=h.source, color=FLAG_RED)] if own else []
    return spans + [Span(h.draft_mark(), lang=h.source, bold=True, color=FLAG_RED)]


@lru_cache(maxsize=32)
def pictogram_svg(name: str) -> str:
    """The SVG source of a bundled pictogram (``static/pictograms/<name>.svg``)."""
    path = PICTOGRAM_DIR / f"{name}.svg"
    if not name or "/" in name or not path.is_file():
        raise NotFound(_l("There is no pictogram “%(name)s”.", name=name))
    return path.read_text(encoding="utf-8")


def _sized(paragraph: dict, size: float) -> dict:
    return dict(paragraph, size=size)


def text_data(h: Handout, model: TextModel, *, layout: str, easy: bool) -> dict:
    """Everything the PDF shows, as data for ``participant_text.typ``."""
    sizes = EASY_SIZES if easy else PLAIN_SIZES
    blocks = []
    for block in model.blocks:
        kind = "heading2" if block.kind == "heading" else block.kind
        if kind not in ("title", "heading2"):
            kind = "body"
        target_lang = h.source if block.untranslated else h.target
        first = _sized(typst.paragraph(Para(tuple(block.target), target_lang, kind)),
                       sizes[block.kind])
        second = None
        if block.source:
            second = _sized(typst.paragraph(Para(
                tuple(Span(s.text, lang=s.lang, bold=s.bold, color=s.color or NOTE_GREY)
                      for s in block.source), h.source, "small")), sizes["second"])
            # Under right-to-left text the working language sits on the same side.
            second["end"] = layout == "lines" and h.target.rtl and not h.source.rtl
        blocks.append({"kind": block.kind, "first": first, "second": second,
                       "picture": pictogram_svg(block.picture) if easy and block.picture
                       else None})
    frame = _pdf_frame(h, h.target)
    if h.draft:
        frame["banner"] = typst.paragraph(Para(tuple(draft_banner(h)), h.source, "body",
                                               center=True))
    return {"frame": frame, "blocks": blocks, "layout": layout, "easy": easy,
            "rtl": h.target.rtl}


def text_pdf(h: Handout, kind: str, target: str | Path | BinaryIO | None = None, *,
             layout: str = "lines", easy: bool = False) -> bytes | None:
    """Write the participant handout of ``kind`` as PDF (see the module docstring)."""
    model = text_model(h, kind)
    pdf = typst.compile_document("participant_text.typ",
                                 text_data(h, model, layout=layout, easy=easy))
    return typst.write_bytes(pdf, target)


@lru_cache(maxsize=32)
def pictogram_png(name: str) -> bytes:
    """A bundled pictogram as PNG (for DOCX, which does not take SVG), drawn by Typst."""
    data = typst.compile_document("pictogram.typ", {"svg": pictogram_svg(name)}, fmt="png",
                                  ppi=150)
    return data[0] if isinstance(data, list) else data
