"""Typst builders: PDF pages and PNG images from the Typst templates in
``templates/exports/typst/``, with the bundled fonts only.

Python prepares everything a document shows as plain data (paragraphs of runs, each run
with its text, script, language and formatting) and hands it to a template as one JSON
string through ``sys.inputs``; the template decodes it with ``json(...)`` and places
the strings as text. No user text is ever pasted into Typst markup, so ``*bold*``,
``$x$`` or ``#image("/etc/passwd")`` in a wording prints as those characters.

Fonts come only from ``static/fonts/`` (Typst's embedded fonts and the system's are
switched off), and the compiler's root is the template folder, so a template can read
nothing else and nothing is fetched.

Right to left, as in DOCX and the plain text (see :mod:`.bidi`): numbers, phone numbers,
dates and addresses inside right-to-left text are their own run, between LEFT-TO-RIGHT
MARKs, unbreakable, and set in the Latin font first (Naskh has no hyphen-minus); a run in
the other direction than its paragraph is wrapped in directional isolates
(U+2066..2069). Each paragraph's line box comes from the scripts it contains (Nastaliq
needs far more room above and below than Latin), so lines in one paragraph keep one
spacing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from ..config import ROOT
from .bidi import isolated, ltr_segments
from .content import LATIN, SCRIPTS, Para, Script, Span, TextLanguage

FONT_DIR = ROOT / "static" / "fonts"
TYPST_DIR = ROOT / "templates" / "exports" / "typst"
LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"

# Paragraph kinds and their sizes in points: nothing a reader needs is below 10 pt.
SIZES = {"title": 18, "heading1": 14, "heading2": 12.5, "lead": 11.5, "body": 10.5,
         "small": 10, "meta": 10, "footer": 10}
# The line box of each script, in em above and below the baseline (Typst's text
# top-edge and bottom-edge): Nastaliq climbs and descends far beyond Latin, Naskh
# descends deeper. A paragraph takes the largest box of the scripts in it.
EDGES = {"latin": (0.95, 0.3), "ethiopic": (1.0, 0.3), "arabic": (1.0, 0.5),
         "urdu": (1.45, 0.75)}

# Naskh and Nastaliq look smaller than Latin at one size: their runs are set larger.
SCALE = {"arabic": 1.1, "urdu": 1.15}

# A paragraph of more characters than this may break across pages inside a table cell;
# shorter ones are kept whole there (a cell is laid out twice, and an unbreakable block
# costs far less than a breakable one). Even in Nastaliq in the narrowest column, this
# many characters take well under a page.
LONG = 300

_local = threading.local()


def font_files() -> list[Path]:
    """The bundled font files: the only fonts a document may use."""
    return sorted(FONT_DIR.glob("*.ttf"))


def font_stacks() -> dict[str, list[str]]:
    """For each script key, the font families in order: the script's own first, then
    the other bundled families, so a stray character of another script still finds a
    bundled glyph."""
    families = {s.key: s.word_font for s in SCRIPTS.values()}
    return {key: [family] + [f for k, f in families.items() if k != key]
            for key, family in families.items()}


def _fonts():
    import typst

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=[str(FONT_DIR)])


def available_fonts() -> list:
    """The fonts Typst can choose from (``typst.FontInfo``): the bundled ones only."""
    return _fonts().fonts()


def _compiler():
    """One Typst compiler per thread (it keeps the fonts loaded between documents)."""
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        import typst

        compiler = typst.Compiler(root=str(TYPST_DIR), font_paths=_fonts(),
                                  ignore_system_fonts=True)
        _local.compiler = compiler
    return compiler


def compile_document(template: str, data: dict, *, fmt: str = "pdf",
                     ppi: float | None = None) -> bytes | list[bytes]:
    """Compile ``templates/exports/typst/<template>`` with ``data`` (given to the
    template as JSON in ``sys.inputs.data``) to PDF bytes, or to PNG bytes (one per
    page, a list when there are several) at ``ppi``."""
    payload = json.dumps(dict(data, fonts=font_stacks()), ensure_ascii=False,
                         separators=(",", ":"))
    return _compiler().compile(input=str(TYPST_DIR / template), format=fmt, ppi=ppi,
                               sys_inputs={"data": payload})


def write_bytes(data: bytes, target: str | Path | BinaryIO | None) -> bytes | None:
    """Write ``data`` to a path or a binary stream; return it when ``target`` is None."""
    if target is None:
        return data
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)
    return None


# --- content as data -------------------------------------------------------------------


def _lang_fields(lang: TextLanguage) -> dict:
    return _tag_fields(lang.tag)


@lru_cache(maxsize=256)
def _tag_fields(tag: str) -> dict:
    """Typst's ``lang`` and ``region`` for a BCP 47 tag (callers copy the dict with
    ``**``, never change it)."""
    parts = tag.replace("_", "-").split("-")
    fields: dict = {}
    primary = parts[0].lower()
    if primary.isalpha() and 2 <= len(primary) <= 3:
        fields["l"] = primary
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    if region:
        fields["g"] = region
    return fields


def _run(text: str, script: Script, lang: TextLanguage, span: Span) -> dict:
    run = {"t": text, "f": script.key, **_lang_fields(lang)}
    if script.key in SCALE:
        run["z"] = SCALE[script.key]
    if span.bold:
        run["b"] = True
    if span.italic:
        run["i"] = True
    if span.strike:
        run["s"] = True
    if span.color:
        run["c"] = span.color
    return run


def span_runs(span: Span, base: TextLanguage, *, script: Script | None = None) -> list[dict]:
    """The runs of one span inside a paragraph in ``base``: split at every number or
    address when right to left, and isolated when its direction is not the
    paragraph's. ``script`` overrides the font (an Urdu note in Nastaliq)."""
    lang = span.lang or base
    font = script or lang.script
    text = span.kept_text
    if not lang.rtl:
        runs = [_run(text, font, lang, span)]
    else:
        runs = [_run(isolated(part), LATIN, lang, span) if ltr else _run(part, font, lang, span)
                for part, ltr in ltr_segments(text)]
    if lang.rtl != base.rtl and runs:
        runs[0]["t"] = (RLI if lang.rtl else LRI) + runs[0]["t"]
        runs[-1]["t"] += PDI
    return runs


def paragraph(p: Para, *, kind: str | None = None, script: Script | None = None) -> dict:
    """A :class:`Para` as data for the templates: direction, language, size, line box
    and runs. ``kind`` overrides the paragraph's kind (its size); ``script`` the font of
    text in the paragraph's own language."""
    runs: list[dict] = []
    for span in p.spans:
        own = span.lang is None or span.lang == p.lang
        runs += span_runs(span, p.lang, script=script if own else None)
    base_script = script or p.lang.script
    keys = {base_script.key} | {r["f"] for r in runs}
    top = max(EDGES[k][0] for k in keys)
    bottom = max(EDGES[k][1] for k in keys)
    kind = kind or p.kind
    own = {"f": base_script.key, **_lang_fields(p.lang)}
    data = {"runs": [_inheriting(r, own) for r in runs], "rtl": p.lang.rtl, **own,
            "size": SIZES.get(kind, SIZES["body"]), "kind": kind, "top": top,
            "bottom": bottom, "center": p.center}
    if sum(len(r["t"]) for r in runs) > LONG:
        data["long"] = True
    return data


def _inheriting(run: dict, own: dict) -> dict:
    """``run`` without the font, language and region it shares with its paragraph (the
    template sets those once for the paragraph; a run left with its text alone is placed
    without a text() of its own, which keeps long tables quick to lay out)."""
    return {k: v for k, v in run.items() if own.get(k, run) != v}


def paragraphs(items: Iterable[Para]) -> list[dict]:
    """Several paragraphs as data."""
    return [paragraph(p) for p in items]


def frame(*, base: TextLanguage, footer: Sequence[Span], footer_lang: TextLanguage,
          page_label: str, draft_mark: str | None, draft_word: str,
          paper: str = "a4") -> dict:
    """What every page shows: paper, base direction, the footer (with the page label),
    and for a draft the banner at the top and the watermark across the page."""
    footer_para = paragraph(Para(tuple(footer) + (Span(f"  ·  {page_label} "),),
                                 footer_lang, "footer"))
    banner = (paragraph(Para((Span(draft_mark, bold=True, color="B00020"),), footer_lang,
                             "body")) if draft_mark else None)
    return {"paper": paper, "rtl": base.rtl, **_lang_fields(base), "f": base.script.key,
            "footer": footer_para, "banner": banner, "watermark": draft_word if draft_mark
            else None}
