"""Which language a column header names: "English", "Arabe", "العربية", "Farsi", "EN",
"fa-AF", "Simplified Chinese".

Names come from CLDR through Babel, in the interface languages and a few more that
glossary spreadsheets are written in, plus each common language's own name (its
endonym) and a short list of names CLDR does not use (Farsi, Dari, Pashto, Sorani…).
Only tags that Babel knows, or the organisation added, are ever proposed: a column in a
language the glossary cannot hold is left for the person to decide.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from ..languages import canonical_tag, in_cldr

# Locales whose language names are read: the interface languages and frequent others.
NAME_LOCALES = ("en", "de", "fr", "it", "ar", "es", "fa", "ru")
# Languages whose own name is read too (the people this tool serves, and big ones).
ENDONYM_TAGS = ("ar", "fa", "fa-AF", "ps", "ur", "ckb", "ku", "kmr", "ti", "am", "so", "uk",
                "ru", "tr", "fr", "es", "de", "it", "pt", "sq", "sr", "ro", "pl", "zh", "vi",
                "sw", "bn", "hi", "pa", "ka", "en")
ALIASES = {"farsi": "fa", "dari": "fa-AF", "afghan persian": "fa-AF", "pashto": "ps",
           "pushto": "ps", "sorani": "ckb", "kurdish sorani": "ckb", "kurmanji": "kmr",
           "tigrinya": "ti", "tigrigna": "ti", "amharic": "am", "somali": "so",
           "brazilian": "pt-BR", "chinese simplified": "zh-Hans",
           "chinese traditional": "zh-Hant"}
# Two-letter codes that are English words or usual abbreviations in headers: taken as a
# language only when the header is that code alone or the code plus a known field word.
AMBIGUOUS_CODES = {"id", "no", "to", "is", "am", "as", "be", "by", "do", "he", "hi", "in",
                   "me", "my", "na", "of", "on", "or", "so", "us", "we", "an", "at", "ha",
                   "it", "la", "li", "mi", "nr", "se", "si", "ti", "ve", "yo"}
_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")


def fold(text: str) -> str:
    """A name as it is compared: case-folded, separators as single spaces."""
    return _SPACES.sub(" ", re.sub(r"[_\-./()\[\]:,;|]+", " ", text.casefold())).strip()


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Folded name -> tag, built once; the locale data read for it (some 30 locales) is
    let go afterwards, so that an app server does not keep it for good."""
    from babel import localedata

    loaded = set(getattr(localedata, "_cache", {}))
    try:
        return _read_names()
    finally:
        cache = getattr(localedata, "_cache", None)
        if isinstance(cache, dict):
            for name in set(cache) - loaded:
                cache.pop(name, None)


def _read_names() -> dict[str, str]:
    index: dict[str, str] = {}

    def add(name: str, key: str) -> None:
        tag = key.replace("_", "-")
        try:
            tag = canonical_tag(tag)
        except Exception:  # noqa: BLE001  (CLDR keys such as "root")
            return
        if in_cldr(tag):
            index.setdefault(fold(name), tag)

    for code in NAME_LOCALES:
        for key, name in Locale.parse(code).languages.items():
            add(name, key)
    for tag in ENDONYM_TAGS:
        try:
            locale = Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
        add(locale.get_display_name(locale) or "", tag)
        add(locale.languages.get(tag.replace("-", "_"), ""), tag)
    for name, tag in ALIASES.items():
        index[name] = tag
    return index


def language_of_name(words: str, custom: dict | None = None) -> str | None:
    """The tag a language name (already :func:`fold`-ed) names, or None."""
    for tag, row in (custom or {}).items():
        if fold(getattr(row, "name", "") or "") == words or fold(
                getattr(row, "endonym", "") or "") == words:
            return tag
    return _names().get(words)


def language_of_code(token: str, custom: dict | None = None) -> str | None:
    """The tag a code token (``ar``, ``EN``, ``fa af``, ``zh hans``) stands for, or None."""
    candidate = token.strip().replace(" ", "-").lower()
    if not _TAG.match(candidate):
        return None
    try:
        tag = canonical_tag(candidate)
    except Exception:  # noqa: BLE001
        return None
    return tag if tag in (custom or {}) or in_cldr(tag) else None


def find_language(words: list[str], custom: dict | None = None) -> tuple[str, list[str],
                                                                          bool] | None:
    """(tag, the other words, named?) for the longest run of ``words`` that names a
    language (a name first, then a code); None when none does. ``named`` is False for a
    code, whose match is weaker."""
    count = len(words)
    for size in range(min(count, 4), 0, -1):
        for start in range(count - size + 1):
            tag = language_of_name(" ".join(words[start:start + size]), custom)
            if tag:
                return tag, words[:start] + words[start + size:], True
    for size in (2, 1):
        for start in range(count - size + 1):
            if size == 2 and len(words[start + 1]) not in (2, 4):
                continue  # "fa af", "zh hans"; not "en canon"
            tag = language_of_code(" ".join(words[start:start + size]), custom)
            if tag:
                return tag, words[:start] + words[start + size:], False
    return None
