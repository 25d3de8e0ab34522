"""Why two wordings are thought similar, and whether a near spelling is close enough to
warn about.

Both texts are compared in their match form (:func:`glossary.normalise.match_form`, the
one normalisation), so hamza and alef forms, Persian and Arabic yeh and kaf, teh
marbuta and diacritics are already equal there. What is left between two Arabic-script
words is either a spelling variant that normalisation does not fold (the seat of a
hamza, ``مسؤول`` and ``مسئول``; a long vowel written or not, ``دکتر`` and ``داکتر``; a
space or a zero-width joiner) or a different letter. In a short Arabic-script word a
different consonant is a different word: ``القضيب`` (penis) and ``الغضب`` (anger) are
two letters apart, the article taking two of six letters. So for Arabic script a near
spelling warns only when the difference is a variant, or when both words are long
enough for a letter or two to be a typo (:data:`LONG_ARABIC`). Latin, Cyrillic and
other scripts write their vowels and keep the typo budget of
:func:`glossary.search.fuzzy.fuzzy_budget`. The figures behind this rule are in
``bench/bench_similar.py`` and ``bench/RESULTS.md``.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from ..i18n import LazyText, _l
from ..inflection import stems
from ..normalise import match_form, script_of

# Letters whose presence or absence is a spelling variant, not another word, once
# normalised: alef, waw, yeh, the hamza on the line and its seats (folded to waw and
# yeh by normalisation), Pashto yeh forms, and the space (ZWNJ written as a space).
WEAK = frozenset("اويءېۍئ ")
# Shortest Arabic-script word (letters, article included) in which a different letter
# may be a typo rather than another word.
LONG_ARABIC = 9

REASONS: dict[str, LazyText] = {
    "same": _l("same wording"),
    "folded": _l("same letters once diacritics and letter forms are ignored"),
    "affix": _l("the same word with an article, prefix or ending"),
    "spacing": _l("differs only in spacing"),
    "variant": _l("differs only in a long vowel or the seat of a hamza"),
    "one": _l("differs by one letter"),
    "letters": _l("differs by a few letters"),
    "starts": _l("starts with the same words"),
    "words": _l("shares whole words"),
}


def _variant_only(a: str, b: str) -> bool:
    """True when every edit from ``a`` to ``b`` touches only :data:`WEAK` letters."""
    for kind, i, j in Levenshtein.editops(a, b):
        if kind == "delete" and a[i] not in WEAK:
            return False
        if kind == "insert" and b[j] not in WEAK:
            return False
        if kind == "replace" and (a[i] not in WEAK or b[j] not in WEAK):
            return False
    return True


def reason(text: str, other: str) -> str:
    """A key of :data:`REASONS`: why ``other`` is thought similar to ``text``."""
    a, b = match_form(text), match_form(other)
    if text == other:
        return "same"
    if a == b:
        return "folded"
    if b in stems(a) or a in stems(b):
        return "affix"
    if a.replace(" ", "") == b.replace(" ", ""):
        return "spacing"
    if _variant_only(a, b):
        return "variant"
    if b.startswith(a + " ") or a.startswith(b + " "):
        return "starts"
    if f" {b} " in f" {a} " or f" {a} " in f" {b} ":
        return "words"
    return "one" if Levenshtein.distance(a, b) == 1 else "letters"


def close_spelling(query: str, key: str) -> bool:
    """Whether the index key ``key`` (a match form within the typo budget of the match
    form ``query``) is close enough to warn about (see the module docstring)."""
    if script_of(query) != "arabic":
        return True
    if _variant_only(query, key):
        return True
    return min(len(query), len(key)) >= LONG_ARABIC


def explain(text: str, other: str) -> LazyText:
    """The translated reason why ``other`` is thought similar to ``text``."""
    return REASONS[reason(text, other)]
