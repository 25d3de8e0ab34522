"""The terminology check: which glossary concepts a working-language text uses, and
whether its translation uses the agreed renderings.

Matching runs on normalised words (:mod:`glossary.normalise`): case, diacritics,
Arabic letter variants, tatweel and ZWNJ do not count, a hyphen separates words as a
space does ("sexual-violence" is the phrase "sexual violence"), and a term is found only
as whole words, or with one of its language's attached prefixes and suffixes ("الرضا"
and "بالموافقة" are "رضا" and "موافقة"; "consents" is "consent"). A term inside an
unrelated longer word is never found. Where matches overlap, a longer match wins over a
shorter one inside it.

One Aho-Corasick automaton per language holds every term in bare words (without the
Arabic article), each wrapped in spaces so that only whole words match; a text's words
are first read as the bare term words they are attached forms of (one dictionary look-up
a word). Both are built once per process and cached (see
:func:`glossary.versioned_cache.cached`); an edit builds the language's matcher again
from the previous one, re-reading only the concepts written and reusing the forms of
every other term and word (:meth:`TermMatcher.patched`). Finding terms in a text is one
pass over it, whatever the size of the glossary.

:func:`check_pair` is the entry point, for the check page, the command line, and any
feature that must know whether a text uses agreed wording (flyers, handouts).

This module holds the matcher; :mod:`glossary.qa.check` the check and its findings,
:mod:`glossary.qa.texts` the reading of a pasted or uploaded text. Every name is
importable from ``glossary.qa``.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

import ahocorasick
from sqlalchemy import select
from sqlmodel import Session

from ..models import Concept, Term
from ..normalise import (
    PREFIX,
    SPLIT,
    SUFFIX,
    bare_word,
    match_forms,
    normalise_words,
    without_qualifier,
    word_forms,
)
from ..versioned_cache import cached

# Written words a matcher remembers the bare form of (see TermMatcher._read). It stays
# in this module, beside the code that reads it, so that setting ``glossary.qa.WORD_MEMORY``
# takes effect.
WORD_MEMORY = 100_000


@dataclass(slots=True)
class TermInfo:
    """A term of the language a matcher is built for."""

    term_id: int
    concept_id: int
    text: str
    status: str
    register: str


@dataclass(slots=True)
class TextMatch:
    """Words of a text, ``text[start:end]``, that are one or more terms (``term_ids``)."""

    start: int
    end: int
    term_ids: tuple[int, ...]


class TermMatcher:
    """Finds the terms of one language in a text (see the module docstring)."""

    def __init__(self, language: str, rows: list[tuple],
                 known: TermMatcher | None = None) -> None:
        """A matcher of the terms in ``rows`` (see :data:`ROW_COLUMNS`), in term id
        order. ``known``: an earlier matcher of the language whose work on unchanged
        terms and words is reused (the same result, a fraction of the time)."""
        self.language = language
        self.rows = rows
        terms = [TermInfo(tid, cid, text, status, register)
                 for tid, cid, text, status, register, *_rest in rows]
        self.terms = {t.term_id: t for t in terms}
        self.concept_keys = {row[1]: row[7] for row in rows}
        self.by_concept: dict[int, list[TermInfo]] = {}
        for term in terms:
            self.by_concept.setdefault(term.concept_id, []).append(term)
        self.term_forms = _term_forms(rows, known)
        self._word_forms = known._word_forms if known is not None else {}
        # Keys are terms in bare words (no article), wrapped in spaces; ``forms`` maps
        # every written form of every word of a term to its bare word, ``attached`` to
        # what was attached to it (see :func:`glossary.normalise.word_forms`).
        keys: dict[str, list[int]] = {}
        bare_words: dict[str, str] = {}
        for term_id, term_forms in self.term_forms.items():
            for form in term_forms:
                bare = []
                for word in form.split(" "):
                    if word not in bare_words:
                        bare_words[word] = bare_word(word, language)
                    bare.append(bare_words[word])
                found = keys.setdefault(" " + " ".join(bare) + " ", [])
                if term_id not in found:
                    found.append(term_id)
        self.forms: dict[str, str] = {}
        self.attached: dict[str, int] = {}
        for word, bare in bare_words.items():
            self.forms[word] = self.forms[bare] = bare
        known_forms = self._word_forms
        for bare in set(bare_words.values()):
            written_forms = known_forms.get(bare)
            if written_forms is None:
                written_forms = known_forms[bare] = word_forms(bare, language)
            for written, attached in written_forms.items():
                if written not in self.forms:
                    self.forms[written] = bare
                    if attached:
                        self.attached[written] = attached
        self.size = len(keys)
        self._memory: tuple[dict[str, str], dict[str, int]] = ({}, {})
        self.automaton = ahocorasick.Automaton()
        for key, term_ids in keys.items():
            self.automaton.add_word(key, (len(key), tuple(term_ids)))
        if keys:
            self.automaton.make_automaton()

    @classmethod
    def load(cls, session: Session, language: str) -> TermMatcher:
        """Build the matcher from every term in ``language`` of an active concept; a
        "no direct equivalent" entry is also found by its paraphrase."""
        return cls(language, _rows(session, language))

    def patched(self, session: Session, concept_ids) -> TermMatcher:
        """The matcher once the concepts ``concept_ids`` were written: itself when none
        of their terms in its language changed, else a new matcher that reads only
        those concepts and reuses the work done for the other terms."""
        ids = set(concept_ids)
        ordered = sorted(ids)
        fresh = [row for start in range(0, len(ordered), 500)
                 for row in _rows(session, self.language, ordered[start:start + 500])]
        kept = [row for row in self.rows if row[1] not in ids]
        if len(kept) + len(fresh) == len(self.rows) and set(fresh) <= set(self.rows):
            return self
        return TermMatcher(self.language, sorted(kept + fresh), known=self)

    def find(self, text: str) -> list[TextMatch]:
        """Every term of the matcher's language in ``text``, in text order; a match
        lying inside a longer one is left out."""
        if not self.size or not text:
            return []
        # Separators and words alternate in ``parts``. A word that normalises to nothing
        # (a lone tatweel) stays an empty word, which no term matches across.
        parts = SPLIT.split(text)
        found = self._match(parts[1::2])
        if not found:
            return []
        ends = list(accumulate(map(len, parts)))  # word i spans ends[2i]:ends[2i + 1]
        return [TextMatch(ends[2 * first], ends[2 * last + 1], term_ids)
                for first, last, term_ids in found]

    def _read(self, words: list[str]) -> tuple[list[str], dict[str, int]]:
        """The bare term word each written word is a form of (itself when it is none),
        and the attached-affix flags by written word.

        Words are normalised once and remembered per matcher (a matcher lives for one
        glossary version): texts checked again and again, as a flyer is while it is
        edited, share most of their words. The memory is bounded: past
        :data:`WORD_MEMORY` words it starts again empty."""
        bare_of, flags_of = self._memory
        bare = list(map(bare_of.get, words))
        if None not in bare:
            return bare, flags_of
        new = list(dict.fromkeys(w for w, b in zip(words, bare, strict=True) if b is None))
        if len(bare_of) + len(new) > WORD_MEMORY:
            # A fresh pair of dicts, not clear(): other threads may be reading.
            bare_of, flags_of = self._memory = ({}, {})
        forms, attached = self.forms, self.attached
        for word, normal in zip(new, normalise_words(new), strict=True):
            bare_of[word] = forms.get(normal, normal)
            if attached.get(normal):
                flags_of[word] = attached[normal]
        return list(map(bare_of.__getitem__, words)), flags_of

    def _match(self, words: list[str]) -> list[tuple[int, int, tuple[int, ...]]]:
        """``(first word, last word, term ids)`` of every longest match in ``words``
        (as written).

        Each word is read as the bare term word it is a written form of; a match is
        kept only when prefixes stand on its first word and suffixes on its last."""
        if not words:
            return []
        bare, attached = self._read(words)
        # The words joined by single spaces, with a space at each end; ``offsets[i]`` is
        # where word i starts, and ``offsets[i + 1] - 1`` the space after it.
        joined = " " + " ".join(bare) + " "
        offsets = list(accumulate(map((1).__add__, map(len, bare)), initial=1))
        found = []
        for end, (length, term_ids) in self.automaton.iter(joined):
            start = end - length + 2
            first = bisect_left(offsets, start)
            last = bisect_left(offsets, end + 1, first) - 1
            if offsets[first] != start or offsets[last + 1] != end + 1:
                continue
            if attached and first != last and (
                any(attached.get(words[i], 0) & PREFIX for i in range(first + 1, last + 1))
                or any(attached.get(words[i], 0) & SUFFIX for i in range(first, last))
            ):
                continue
            found.append((first, -last, term_ids))
        found.sort()
        longest = []
        reach = -1
        for first, negative_last, term_ids in found:
            if -negative_last > reach:
                reach = -negative_last
                longest.append((first, reach, term_ids))
        return longest


# Columns a matcher reads per term: id, concept, text, status, register, "no direct
# equivalent", paraphrase, the concept's key.
ROW_COLUMNS = (Term.id, Term.concept_id, Term.text, Term.status, Term.usage_register,
               Term.no_equivalent, Term.paraphrase, Concept.key)


def _rows(session: Session, language: str, concept_ids: list[int] | None = None
          ) -> list[tuple]:
    """The terms in ``language`` of active concepts (of ``concept_ids`` only, when
    given), in term id order."""
    query = (select(*ROW_COLUMNS).join(Concept, Concept.id == Term.concept_id)
             .where(Term.language == language, Concept.status == "active"))
    if concept_ids is not None:
        query = query.where(Term.concept_id.in_(concept_ids))
    return [tuple(row) for row in session.execute(query.order_by(Term.id))]


def _term_forms(rows: list[tuple], known: TermMatcher | None) -> dict[int, list[str]]:
    """The match forms every term is found by: its text, the text without a bracketed
    qualifier ("consent (sexual)" -> "consent"), and a "no direct equivalent" entry's
    paraphrase. Those of a term unchanged since ``known`` are taken from it."""
    reuse = {}
    if known is not None:
        old = set(known.rows)
        reuse = {row[0]: known.term_forms.get(row[0]) for row in rows if row in old}
    owners: list[int] = []
    texts: list[str] = []
    for tid, _cid, text, _status, _register, no_equivalent, paraphrase, _key in rows:
        if tid in reuse:
            continue
        wordings = {text, without_qualifier(text)}
        if no_equivalent and paraphrase:
            wordings.add(paraphrase)
        for wording in wordings:
            if wording:
                owners.append(tid)
                texts.append(wording)
    computed: dict[int, list[str]] = {}
    for tid, form in zip(owners, match_forms(texts), strict=True):
        if form:
            computed.setdefault(tid, []).append(form)
    forms: dict[int, list[str]] = {}
    for row in rows:
        found = reuse[row[0]] if row[0] in reuse else computed.get(row[0])
        if found:
            forms[row[0]] = found
    return forms


def _patched(value: TermMatcher, session: Session, concept_ids) -> TermMatcher:
    return value.patched(session, concept_ids)


def matcher(session: Session, language: str, *, version: tuple | None = None) -> TermMatcher:
    """The matcher for ``language`` at the current glossary version (cached, and
    brought up to date for the concepts written since, see :meth:`TermMatcher.patched`)."""
    return cached(session, ("matcher", language),
                  lambda current: TermMatcher.load(current, language), version=version,
                  patch=_patched)


# The check and the reading of texts, in modules of their own; imported here so that
# callers keep using ``qa.check_pair``, ``qa.read_text_file`` and so on.
from .check import (  # noqa: E402,F401
    AGREED,
    AVOID,
    VULGAR,
    Finding,
    Rendering,
    check_pair,
    summarise,
)
from .texts import MAX_TEXT_CHARS, clean_check_text, read_text_file  # noqa: E402,F401
