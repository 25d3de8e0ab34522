"""The prefixes and suffixes each language writes onto a term, in normalised form (see
:mod:`glossary.normalise`).

Words attach to other words. :data:`AFFIXES` lists, per language, the prefixes and
suffixes that may be written onto a term (Arabic ال و ف ب ل ك and their combinations,
Persian ها های ی, English and German inflections); :func:`word_forms` gives every
attached form of a word, and says what was attached, so that a matcher can accept a
prefix only on the first word of a term and a suffix only on its last (the Arabic
article may stand on every word of a phrase). A term is never matched inside an
unrelated longer word: only these listed forms count. :func:`stems` goes the other way,
for search, where the query's language is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalise import normalise, script_of


@dataclass(frozen=True)
class Affixes:
    """What a language may write onto a whole term, in normalised form.

    ``article`` is taken off the first word of a term before ``prefixes`` are tried, so
    that the Arabic term "الموافقة" is also found as "موافقة" and "بالموافقة";
    ``endings`` replace a term's ending (English ``y`` -> ``ies``)."""

    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    article: str = ""
    endings: tuple[tuple[str, str], ...] = ()


def _affixes(prefixes=(), suffixes=(), article="", endings=()) -> Affixes:
    return Affixes(tuple(normalise(p) for p in prefixes), tuple(normalise(s) for s in suffixes),
                   normalise(article), tuple((normalise(a), normalise(b)) for a, b in endings))


_PERSIAN = _affixes(suffixes=("ها", "های", "هایی", "ی", "ای"))
# Per language (BCP 47 primary subtag, or a full tag where it differs).
AFFIXES: dict[str, Affixes] = {
    "ar": _affixes(
        prefixes=("ال", "و", "ف", "ب", "ل", "ك", "وال", "فال", "بال", "كال", "لل", "ولل",
                  "فلل", "وب", "فب", "ول", "فل", "وك", "فك", "وبال", "فبال", "وكال"),
        article="ال",
    ),
    "fa": _PERSIAN,
    "prs": _PERSIAN,
    "ckb": _affixes(suffixes=("ەکە", "ەکان", "ەکانی", "ان", "ێک", "ی")),
    "en": _affixes(suffixes=("s", "es", "'s", "ed", "ing"),
                  endings=(("y", "ies"), ("e", "ed"), ("e", "ing"))),
    "de": _affixes(suffixes=("e", "n", "en", "s", "es", "er", "ern", "em")),
    "nl": _affixes(suffixes=("en", "s")),
    "fr": _affixes(prefixes=("l'", "d'", "qu'"), suffixes=("s", "x", "e", "es")),
    "it": _affixes(prefixes=("l'", "dell'", "all'", "dall'", "nell'", "sull'", "un'")),
    "es": _affixes(suffixes=("s", "es")),
    "pt": _affixes(suffixes=("s", "es")),
}
NO_AFFIXES = Affixes()
# Every article a language here puts on a word (Arabic ال), for :func:`with_article`.
ARTICLES = tuple(sorted({rules.article for rules in AFFIXES.values() if rules.article}))


def affixes(language: str) -> Affixes:
    """The attached prefixes and suffixes of a language tag (``fa-AF`` uses ``fa``'s);
    none for a language without a list."""
    tag = language or ""
    return AFFIXES.get(tag) or AFFIXES.get(tag.split("-")[0].lower()) or NO_AFFIXES


PREFIX = 1
SUFFIX = 2


def bare_word(word: str, language: str) -> str:
    """A normalised word without the language's article (Arabic ال), unless fewer than
    two letters would be left ("الم", pain, keeps its letters)."""
    article = affixes(language).article
    if article and word.startswith(article) and len(word) - len(article) >= 2:
        return word[len(article):]
    return word


def word_forms(word: str, language: str) -> dict[str, int]:
    """Every written form of the normalised, bare word ``word`` that counts as it in
    ``language``, with what was attached: 0 (the word, or the word with the article),
    :data:`PREFIX`, :data:`SUFFIX`, or both. Prefixes are not attached to words of one
    letter, suffixes not to words of fewer than three, which would make stray
    matches."""
    rules = affixes(language)
    forms = {word: 0}
    if rules.article:
        forms[rules.article + word] = 0
    if rules.prefixes and len(word) >= 2:
        for prefix in rules.prefixes:
            forms.setdefault(prefix + word, 0 if prefix == rules.article else PREFIX)
    if len(word) >= 3 and (rules.suffixes or rules.endings):
        for stem, flags in list(forms.items()):
            for suffix in rules.suffixes:
                forms.setdefault(stem + suffix, flags | SUFFIX)
            for old, new in rules.endings:
                if stem.endswith(old):
                    forms.setdefault(stem[: -len(old)] + new, flags | SUFFIX)
    return forms


def stems(form: str) -> set[str]:
    """What the match form ``form`` may stand for once an attached prefix (on its first
    word) or suffix (on its last) of any language in :data:`AFFIXES` is taken off, with
    and without the Arabic article: "بالموافقه" -> "موافقه", "الموافقه";
    "consents" -> "consent". Used by search, where the query's language is unknown;
    ``form`` itself is not included."""
    words = form.split(" ")
    found: set[str] = set()
    for rules in {id(r): r for r in AFFIXES.values()}.values():
        stripped = {words[0][len(prefix):] for prefix in rules.prefixes
                    if words[0].startswith(prefix) and len(words[0]) - len(prefix) >= 2}
        if rules.article and script_of(words[0]) == script_of(rules.article):
            stripped |= {rules.article + head for head in stripped | {words[0]}
                         if not head.startswith(rules.article)}
        heads = {words[0]} | stripped
        tails = {words[-1]} if len(words) > 1 else set(heads)
        last = words[-1] if len(words) > 1 else None
        for tail in list(tails):
            for suffix in rules.suffixes:
                if tail.endswith(suffix) and len(tail) - len(suffix) >= 3:
                    tails.add(tail[: -len(suffix)])
            for old, new in rules.endings:
                if tail.endswith(new) and len(tail) - len(new) >= 2:
                    tails.add(tail[: -len(new)] + old)
        if last is None:
            found |= tails
        else:
            middle = " ".join(words[1:-1])
            for head in heads:
                for tail in tails:
                    found.add(" ".join(part for part in (head, middle, tail) if part))
    found.discard(form)
    return found


def with_article(form: str) -> list[str]:
    """``form`` with the article of its script put on (Arabic ال), when it has none: a
    query typed without the article and with a typo still reaches a rendering written
    with it ("اغتصب" for "الاغتصاب")."""
    return [article + form for article in ARTICLES
            if script_of(form) == script_of(article) and not form.startswith(article)]
