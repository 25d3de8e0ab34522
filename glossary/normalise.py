"""The one normalisation used for matching: search, duplicate warnings and the terminology
check all compare texts through :func:`normalise`. What is shown is always the original
text; normalised forms exist only to decide whether two texts match.

:func:`normalise` applies, in this order:

1. Unicode NFKC (compatibility forms: Arabic presentation forms, ligatures, full-width
   letters) and case folding (``ß`` -> ``ss``, ``İ`` -> ``i``).
2. Letter folding for Arabic script: alef variants (أ إ آ ٱ) to ا; Persian and Arabic
   yeh (ی ى) to ي; keheh ک to ك; heh forms (ۀ ة ہ ھ) to ه. Sorani ە (U+06D5) is a
   letter of its own and stays. Arabic-Indic and Extended Arabic-Indic digits become
   ASCII digits. Tatweel, ZWNJ, ZWJ, direction marks and soft hyphens are dropped: they
   shape a word on screen but do not change it.
3. Combining marks of Latin, Greek, Cyrillic and Arabic script are removed (diacritics,
   tashkeel/harakat, hamza above and below). Ethiopic, and scripts whose vowel signs are
   marks (Devanagari ...), are left intact.
4. A word mixing Latin, Cyrillic or Greek letters is written in its main script where
   its other letters have a look-alike there (:func:`glossary.lookalikes.fold_mixed`):
   ``cужэнжя`` with a Latin ``c`` is ``сужэнжя``.

On top of it, :func:`words` splits a normalised text into words (a hyphen, a slash or
any punctuation separates words; an apostrophe inside a word does not), and
:func:`match_form` joins them with single spaces: ``"Sexual-violence"`` and
``"sexual violence"`` have the same match form. :func:`script_of` names the script a
text is written in. The prefixes and suffixes a language writes onto a term are in
:mod:`glossary.inflection`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .lookalikes import fold_mixed

# Folded letters, applied after NFKC and case folding.
_FOLD: dict[int, str | None] = {
    # alef with madda, hamza above, hamza below, wasla; alef with wavy hamza
    0x0622: "\u0627", 0x0623: "\u0627", 0x0625: "\u0627", 0x0671: "\u0627",
    0x0672: "\u0627", 0x0673: "\u0627",
    # Persian yeh and alef maksura to Arabic yeh
    0x06CC: "\u064a", 0x0649: "\u064a",
    # keheh (Persian kaf) to Arabic kaf
    0x06A9: "\u0643",
    # heh with yeh above, teh marbuta, heh goal (and with hamza), heh doachashmee, teh
    # marbuta goal: all to heh. Sorani AE (U+06D5) is deliberately absent.
    0x06C0: "\u0647", 0x0629: "\u0647", 0x06C1: "\u0647", 0x06C2: "\u0647",
    0x06BE: "\u0647", 0x06C3: "\u0647",
    # apostrophes
    0x2019: "'", 0x2018: "'", 0x02BC: "'", 0x2032: "'",
}
_FOLD.update({0x0660 + d: str(d) for d in range(10)})  # Arabic-Indic digits
_FOLD.update({0x06F0 + d: str(d) for d in range(10)})  # Extended Arabic-Indic digits
# Invisible characters that shape a word but do not change it.
_INVISIBLE = (0x0640, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0x00AD, 0x2060,
              0xFEFF, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069)
_FOLD.update({code: None for code in _INVISIBLE})

# Combining marks removed after canonical decomposition (Latin, Greek and Cyrillic
# diacritics; Arabic tashkeel, Quranic marks, hamza above/below, superscript alef).
_MARK_RANGES = (
    (0x0300, 0x036F), (0x0483, 0x0489), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF), (0xFE20, 0xFE2F), (0x0610, 0x061A), (0x064B, 0x065F),
    (0x0670, 0x0670), (0x06D6, 0x06DC), (0x06DF, 0x06E4), (0x06E7, 0x06E8),
    (0x06EA, 0x06ED), (0x08D3, 0x08FF),
)
# Applied with str.replace (long texts) or one regex (short ones) and a regex for the
# marks: much faster than str.translate on non-ASCII text.
_FOLD_PAIRS = tuple((chr(code), value or "") for code, value in _FOLD.items())
_FOLD_CHARS = dict(_FOLD_PAIRS)
_FOLDED = re.compile("[" + "".join(f"\\u{code:04x}" for code in _FOLD) + "]")
_MARKS = re.compile("[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in _MARK_RANGES)
                    + "]+")


def normalise(text: str) -> str:
    """The form of ``text`` used for matching (see the module docstring).

    Whitespace and punctuation are kept as they are; :func:`words` and
    :func:`match_form` take care of word boundaries."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    if len(text) > 200:
        for old, new in _FOLD_PAIRS:
            if old in text:
                text = text.replace(old, new)
    elif _FOLDED.search(text):
        text = _FOLDED.sub(lambda found: _FOLD_CHARS[found.group()], text)
    if text.isascii():
        return text
    text = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return fold_mixed(unicodedata.normalize("NFC", text))


def _combining_class() -> str:
    """A regex character class of every combining mark (Mn, Mc, Me) of the BMP, so that
    a vowel sign never splits a word; built once at import."""
    ranges: list[list[int]] = []
    for code in range(0x0300, 0x10000):
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges)


# A word: letters, digits and marks, with the invisible joiners of Arabic script and
# direction marks inside; an apostrophe between letters joins (women's, l'accord).
_WORD_CHARS = r"[\w" + _combining_class() + r"\u200c\u200d\u200e\u200f\u00ad\u2060]"
WORD = re.compile(_WORD_CHARS + r"+(?:['\u2019\u02bc]" + _WORD_CHARS + r"+)*")
# Splits a text into separators and words, alternately (the first and last part may be
# empty separators).
SPLIT = re.compile("(" + WORD.pattern + ")")
# SPLIT of an ASCII text in lower case, found faster: its only word characters are
# a-z, digits and "_", its only joining apostrophe "'".
ASCII_SPLIT = re.compile(r"([a-z0-9_]+(?:'[a-z0-9_]+)*)")
_QUALIFIER = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
# Separator for normalising many texts in one call: a private-use character, which
# normalisation leaves alone and user text is not expected to contain.
_SEP = "\ue000"


def words(normalised: str) -> list[str]:
    """The words of an already normalised text."""
    return WORD.findall(normalised)


def match_form(text: str) -> str:
    """``text`` normalised, its words joined by single spaces: the form two texts are
    compared in (punctuation, hyphens and repeated spaces do not count)."""
    return " ".join(WORD.findall(normalise(text)))


def match_forms(texts: list[str]) -> list[str]:
    """:func:`match_form` of many texts at once (one normalisation call for a batch,
    which is much faster when indexing a large glossary)."""
    out: list[str] = []
    for start in range(0, len(texts), 2000):
        batch = texts[start:start + 2000]
        pieces = normalise(_SEP.join(batch)).split(_SEP)
        if len(pieces) != len(batch):  # a text held the separator itself
            pieces = [normalise(text) for text in batch]
        out.extend(" ".join(WORD.findall(piece)) for piece in pieces)
    return out


def without_qualifier(text: str) -> str:
    """``text`` without bracketed qualifiers: ``"consent (sexual)"`` -> ``"consent"``.
    Returns an empty string when nothing else is left."""
    return _QUALIFIER.sub("", text).strip()


def normalise_words(words: list[str]) -> list[str]:
    """:func:`normalise` of each of ``words`` (words as :data:`WORD` finds them), in one
    call for all of them."""
    if not words:
        return []
    spaced = " ".join(words)
    if spaced.isascii():  # normalise() of ASCII is lower(); WORD's words hold no space
        normalised = spaced.lower().split(" ")
        if len(normalised) == len(words):
            return normalised
    normalised = normalise(_SEP.join(words)).split(_SEP)
    if len(normalised) != len(words):  # cannot happen with WORD's words; be safe anyway
        normalised = [normalise(word) for word in words]
    return normalised


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Every word of the original ``text`` as ``(start, end, normalised word)``; words
    that normalise to nothing (a lone tatweel or mark) are left out. The offsets point
    into ``text``, so a match can be shown as it was written."""
    found = [m.span() for m in WORD.finditer(text)]
    normalised = normalise_words([text[s:e] for s, e in found])
    return [(s, e, n) for (s, e), n in zip(found, normalised, strict=True) if n]


_SCRIPT_RANGES = (
    (0x0041, 0x024F, "latin"), (0x1E00, 0x1EFF, "latin"), (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"), (0x0590, 0x05FF, "hebrew"), (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"), (0x08A0, 0x08FF, "arabic"), (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"), (0x1200, 0x139F, "ethiopic"), (0x2D80, 0x2DDF, "ethiopic"),
    (0xAB00, 0xAB2F, "ethiopic"),
)


@lru_cache(maxsize=4096)
def _script_of_char(char: str) -> str:
    code = ord(char)
    for low, high, name in _SCRIPT_RANGES:
        if low <= code <= high:
            return name
    return "other"


def script_of(text: str) -> str:
    """The script of the first letter of ``text`` (latin, greek, cyrillic, hebrew,
    arabic, ethiopic, other); ``none`` when it has no letter."""
    for char in text:
        if char.isalpha():
            return _script_of_char(char)
    return "none"

