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

import threading
from bisect import bisect_left
from dataclasses import dataclass
from functools import reduce
from itertools import accumulate, compress, repeat
from operator import or_

from sqlmodel import Session

from ..inflection import PREFIX, SUFFIX
from ..normalise import ASCII_SPLIT, SPLIT, normalise_words
from ..versioned_cache import cached
from . import building

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

    def __init__(self, language: str, rows: list[tuple]) -> None:
        """A matcher of the terms in ``rows`` (see :data:`building.ROW_COLUMNS`), in
        term id order; its structures are described in :mod:`glossary.qa.building`."""
        self.language = language
        self.lock = threading.Lock()  # finds and patches take turns
        building.build(self, rows)

    @classmethod
    def load(cls, session: Session, language: str) -> TermMatcher:
        """Build the matcher from every term in ``language`` of an active concept; a
        "no direct equivalent" entry is also found by its paraphrase."""
        return cls(language, building.read_rows(session, language))

    def patched(self, session: Session, concept_ids) -> TermMatcher:
        """The matcher, brought up to date in place for the concepts ``concept_ids``
        (written since): only their terms in its language are read again, and only the
        words and keys they add or drop are changed."""
        new = building.read_rows(session, self.language, concept_ids)
        old = sorted(row for cid in set(concept_ids) for row in self.rows_of.get(cid, ()))
        if old != new:
            with self.lock:
                building.patch(self, old, new)
        return self

    def forget_words(self) -> None:
        """Empty the word memory (see :meth:`_read`)."""
        self._memory = ({}, {})

    def find(self, text: str) -> list[TextMatch]:
        """Every term of the matcher's language in ``text``, in text order; a match
        lying inside a longer one is left out."""
        return [TextMatch(start, end, term_ids) for start, end, term_ids in self.spans(text)]

    def spans(self, text: str) -> list[tuple[int, int, tuple[int, ...]]]:
        """:meth:`find`'s matches as ``(start, end, term ids)``."""
        if not self.size or not text:
            return []
        # Separators and words alternate in ``parts``. A word that normalises to nothing
        # (a lone tatweel) stays an empty word, which no term matches across. An ASCII
        # text in lower case is its own normal form, offset for offset: its words are
        # read as they are, without the word memory.
        normal = text.isascii()
        parts = ASCII_SPLIT.split(text.lower()) if normal else SPLIT.split(text)
        with self.lock:
            found = self._match(parts[1::2], normal=normal)
        if not found:
            return []
        ends = list(accumulate(map(len, parts)))  # word i spans ends[2i]:ends[2i + 1]
        return [(ends[2 * first], ends[2 * last + 1], term_ids)
                for first, last, term_ids in found]

    def _read(self, words: list[str]) -> tuple[list[str], dict[str, str]]:
        """The bare term word each written word is a form of, and the normal form of
        each written word that is a form of a term word (for its attached affixes). A
        word that is a form of no term word reads as an empty word: it cannot be part
        of a match, and the automaton then has less text to scan (a word that
        normalises to several words, as "ﷺ" does, reads as them).

        Words are normalised once and remembered per matcher (a matcher lives until a
        term of its language changes): texts checked again and again, as a flyer is
        while it is edited, share most of their words. The memory is bounded: past
        :data:`WORD_MEMORY` words it starts again empty."""
        bare_of, normal_of = self._memory
        new = set(words).difference(bare_of)
        if new:
            if len(bare_of) + len(new) > WORD_MEMORY:
                # A fresh pair of dicts, not clear(): other threads may be reading. All
                # the text's words are read again, the remembered ones too.
                bare_of, normal_of = self._memory = ({}, {})
                new = set(words)
            written = list(new)
            normal = normalise_words(written)
            # Only dictionary work from here on: a text's words are mostly new.
            bares = list(map(self.forms.get, normal))  # None: a form of no term word
            if " " in "".join(normal):
                bares = [n if b is None and " " in n else b
                         for b, n in zip(bares, normal, strict=True)]
            bare_of.update(zip(written, repeat("")))
            known = list(compress(written, bares))
            bare_of.update(zip(known, compress(bares, bares), strict=True))
            normal_of.update(zip(known, compress(normal, bares), strict=True))
        return list(map(bare_of.__getitem__, words)), normal_of

    def _match(self, words: list[str], *, normal: bool = False
               ) -> list[tuple[int, int, tuple[int, ...]]]:
        """``(first word, last word, term ids)`` of every longest match in ``words``
        (as written, or ``normal`` ones).

        Each word is read as the bare term word it is a written form of; a match is
        kept only when prefixes stand on its first word and suffixes on its last."""
        if not words:
            return []
        normal_of = None
        if normal:
            bare = list(map(self.forms.get, words, repeat("")))
        else:
            bare, normal_of = self._read(words)
        # The words joined by single spaces, with a space at each end.
        joined = " " + " ".join(bare) + " "
        hits = (self._hits if joined.count(" ") == len(bare) + 1 else self._hits_spaced)
        found = []
        flags = self.attached.get  # by normal word
        for first, last, term_ids in hits(joined, bare):
            if first != last:
                span = words[first:last + 1]  # each of them a form of a term word
                if normal_of is not None:
                    span = list(map(normal_of.__getitem__, span))
                if (reduce(or_, map(flags, span[1:], repeat(0))) & PREFIX
                        or reduce(or_, map(flags, span[:-1], repeat(0))) & SUFFIX):
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


    def _hits(self, joined: str, bare: list[str]):
        """``(first word, last word, term ids)`` of each key in ``joined``, the words
        ``bare`` joined, none of them holding a space: a key (spaces around it) then
        always stands on whole words, and a word's index is the spaces before it."""
        count = joined.count
        seen = spaces = 0
        for end, (length, term_ids) in self.automaton.iter(joined):
            spaces += count(" ", seen, end)  # before the key's last space
            seen = end
            yield spaces - count(" ", end - length + 1, end), spaces - 1, term_ids

    def _hits_spaced(self, joined: str, bare: list[str]):
        """:meth:`_hits` when a word holds spaces (a ligature read as several words): a
        key counts only where it starts and ends on a word's bounds."""
        # offsets[i] is where word i starts, offsets[i + 1] - 1 the space after it.
        offsets = list(accumulate(map((1).__add__, map(len, bare)), initial=1))
        for end, (length, term_ids) in self.automaton.iter(joined):
            start = end - length + 2
            first = bisect_left(offsets, start)
            last = bisect_left(offsets, end + 1, first) - 1
            if offsets[first] == start and offsets[last + 1] == end + 1:
                yield first, last, term_ids


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
