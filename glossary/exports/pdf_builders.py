"""PDF builders: HTML from Jinja templates under ``templates/``, laid out by WeasyPrint.

PDFs use only the bundled OFL Noto fonts in ``static/fonts/`` (declared by @font-face
under private family names, so a system font can never stand in unnoticed) and fetch
nothing else; A4, a footer in the page margin and, for drafts, a DRAFT mark on every page.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext, ngettext
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..collections_gc import fewer_collections
from ..config import ROOT
from .bidi import isolate_ltr
from .content import LATIN, SCRIPTS, Script, TextLanguage

FONT_DIR = ROOT / "static" / "fonts"
TEMPLATE_DIR = ROOT / "templates"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string (for ``content:`` in page margin boxes)."""
    cleaned = " ".join(str(text).split())
    escaped = cleaned.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    return '"' + escaped + '"'


@lru_cache(maxsize=1)
def font_face_css() -> str:
    """@font-face rules for every bundled font, regular and bold, under private family
    names that no installed font can answer to."""
    rules = []
    for script in SCRIPTS.values():
        for weight, name in (("normal", script.regular), ("bold", script.bold)):
            uri = (FONT_DIR / name).resolve().as_uri()
            rules.append(f'@font-face {{ font-family: "{script.css_family}"; '
                         f'font-weight: {weight}; src: url("{uri}"); }}')
    return "\n".join(rules)


def font_stack(first: Script = LATIN) -> str:
    """The CSS font-family list with ``first``'s font leading, then the other bundled
    fonts, so a stray character of another script still finds a bundled glyph."""
    families = [first.css_family] + [s.css_family for s in SCRIPTS.values() if s != first]
    return ", ".join(f'"{f}"' for f in families)


def script_css() -> str:
    """One class per script (``.script-arabic`` ...) with its font stack and line
    height."""
    return "\n".join(f".script-{s.key} {{ font-family: {font_stack(s)}; "
                     f"line-height: {s.line_height}; }}" for s in SCRIPTS.values())


def lang_attrs(lang: TextLanguage, *classes: str, within: TextLanguage | None = None) -> Markup:
    """``lang``, ``dir`` and script class attributes for an HTML element. ``within``
    names the language around it: when the direction is the same, ``dir`` is left out
    (WeasyPrint isolates every element with a ``dir``, which costs time in long tables)."""
    names = " ".join(c for c in (f"script-{lang.script.key}", *classes) if c)
    direction = "" if within is not None and within.rtl == lang.rtl else (
        f' dir="{lang.direction}"')
    return Markup(f'lang="{escape(lang.tag)}"{direction} class="{escape(names)}"')


def bidi_text(text: str, lang: TextLanguage) -> str:
    """Text ready for HTML in its language: numbers isolated when right to left."""
    return isolate_ltr(text) if lang.rtl else text


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)),
                      autoescape=select_autoescape(["html"]),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(lang_attrs=lang_attrs, css_string=css_string, font_face_css=font_face_css,
                       script_css=script_css, font_stack=font_stack)
    env.filters["bidi"] = bidi_text
    return env


def render_html(template: str, **context) -> str:
    """Render a template under ``templates/`` (e.g. ``exports/glossary_sheet.html``) with
    the engine's helpers: ``lang_attrs``, ``css_string``, ``font_face_css``, the
    ``bidi`` filter and ``_``."""
    return _environment().get_template(template).render(**context)


def _font_bytes(url: str) -> bytes:
    """The bytes of a bundled font named by its file URL; anything else is refused, so a
    handout never makes a network request or reads another file."""
    font_root = FONT_DIR.resolve().as_uri() + "/"
    name = url.split("?")[0][len(font_root):] if url.startswith(font_root) else ""
    path = FONT_DIR / name
    if not name or "/" in name or ".." in name or not path.is_file():
        raise ValueError(f"refused to fetch {url!r}: handouts use bundled fonts only")
    return path.read_bytes()


@lru_cache(maxsize=1)
def _url_fetcher():
    # Imported here, like HTML below: WeasyPrint takes a moment to load and only
    # handouts need it.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class BundledFontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            return URLFetcherResponse(url, body=_font_bytes(url),
                                      headers={"Content-Type": "font/ttf"})

    return BundledFontsOnly()


def write_pdf(html: str, target: str | Path | BinaryIO | None = None) -> bytes | None:
    """Lay out ``html`` with WeasyPrint and write the PDF to ``target`` (returned as
    bytes when ``target`` is None)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=FONT_DIR.resolve().as_uri() + "/",
                    url_fetcher=_url_fetcher())
    with fewer_collections():
        return document.write_pdf(target)
