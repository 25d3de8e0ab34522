"""The engine's content model: languages, the scripts they are written in (each with its
bundled font family), and the spans and paragraphs that the DOCX and PDF builders lay out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from babel.core import get_global

# --- scripts and languages -----------------------------------------------------------


@dataclass(frozen=True)
class Script:
    """A writing system and the bundled font family that renders it."""

    key: str
    word_font: str  # the family name Word, LibreOffice and Typst look for
    regular: str
    bold: str
    line_height: float = 1.45


LATIN = Script("latin", "Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", 1.3)
SCRIPTS = {
    "latin": LATIN,  # Latin, Cyrillic and Greek
    "arabic": Script("arabic", "Noto Naskh Arabic",
                     "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf", 1.5),
    "urdu": Script("urdu", "Noto Nastaliq Urdu",
                   "NotoNastaliqUrdu-Regular.ttf", "NotoNastaliqUrdu-Bold.ttf", 2.1),
    "ethiopic": Script("ethiopic", "Noto Sans Ethiopic",
                       "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf", 1.45),
}


@lru_cache(maxsize=256)
def script_for(tag: str) -> Script:
    """The script a language tag is written in: an explicit script subtag (``ku-Arab``)
    wins, else CLDR's likely script for the language. Urdu gets Nastaliq; every other
    Arabic-script language Naskh; anything without a bundled font falls back to Latin."""
    parts = tag.replace("_", "-").split("-")
    code = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if code is None:
        likely = get_global("likely_subtags").get(parts[0].lower(), "")
        code = next((p for p in likely.split("_")[1:] if len(p) == 4), "Latn")
    if code == "Arab":
        return SCRIPTS["urdu" if parts[0].lower() == "ur" else "arabic"]
    if code == "Ethi":
        return SCRIPTS["ethiopic"]
    return LATIN


@dataclass(frozen=True)
class TextLanguage:
    """How a piece of text is written: BCP 47 tag, direction and script."""

    tag: str
    rtl: bool = False

    @property
    def script(self) -> Script:
        """The script (and so the font) of the language."""
        return script_for(self.tag)

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``."""
        return "rtl" if self.rtl else "ltr"


# --- content model -------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch of text with one formatting. ``lang`` None means the paragraph's."""

    text: str
    lang: TextLanguage | None = None
    bold: bool = False
    italic: bool = False
    strike: bool = False
    color: str | None = None  # RRGGBB
    keep: bool = False  # keep on one line (short cited words)

    @property
    def kept_text(self) -> str:
        """The text, with no-break spaces when ``keep`` is set."""
        return self.text.replace(" ", "\u00a0") if self.keep else self.text


@dataclass(frozen=True)
class Para:
    """A paragraph: spans in one base language and a kind (``title``, ``heading1``,
    ``heading2``, ``lead``, ``body``, ``small``, ``mark``)."""

    spans: tuple[Span, ...]
    lang: TextLanguage
    kind: str = "body"
    center: bool = False


def para(text: str | Iterable[Span], lang: TextLanguage, kind: str = "body", *,
         bold: bool = False, center: bool = False) -> Para:
    """A :class:`Para` from a string (one span) or from spans."""
    spans = (Span(text, bold=bold),) if isinstance(text, str) else tuple(text)
    return Para(spans, lang, kind, center)


Cell = Sequence[Para]
