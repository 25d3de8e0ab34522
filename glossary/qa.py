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
a word). Both are built once per glossary version and cached (see
:func:`glossary.versioned_cache.cached`). Finding terms in a text is one pass over it, whatever the
size of the glossary.

:func:`check_pair` is the entry point, for the check page, the command line, and any
feature that must know whether a text uses agreed wording (flyers, handouts).
"""

from __future__ import annotations

import zipfile
from bisect import bisect_left
from dataclasses import dataclass, field
from io import BytesIO
from itertools import accumulate
from pathlib import Path

import ahocorasick
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlmodel import Session

from .errors import InputError
from .models import Agreement, Concept, Term
from .normalise import (
    PREFIX,
    SPLIT,
    SUFFIX,
    bare_word,
    match_forms,
    normalise_words,
    without_qualifier,
    word_forms,
)
from .text import clean_text
from .versioned_cache import cached, glossary_version

MAX_TEXT_CHARS = 200_000
# Written words a matcher remembers the bare form of (see TermMatcher._read).
WORD_MEMORY = 100_000
# The agreement states of some concepts for a language pair (compiled once).
_STATES = select(Agreement.concept_id, Agreement.state).where(
    Agreement.source_language == bindparam("source"),
    Agreement.target_language == bindparam("target"),
    Agreement.concept_id.in_(bindparam("ids", expanding=True)),
)
AVOID = "deprecated"
VULGAR = "vulgar"
AGREED = "agreed"


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

    def __init__(self, language: str, terms: list[TermInfo], concepts: dict[int, str],
                 forms: dict[int, list[str]]) -> None:
        self.language = language
        self.terms = {t.term_id: t for t in terms}
        self.concept_keys = concepts
        self.by_concept: dict[int, list[TermInfo]] = {}
        for term in terms:
            self.by_concept.setdefault(term.concept_id, []).append(term)
        # Keys are terms in bare words (no article), wrapped in spaces; ``forms`` maps
        # every written form of every word of a term to its bare word, ``attached`` to
        # what was attached to it (see :func:`glossary.normalise.word_forms`).
        keys: dict[str, list[int]] = {}
        bare_words: dict[str, str] = {}
        for term_id, term_forms in forms.items():
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
        for bare in set(bare_words.values()):
            for written, attached in word_forms(bare, language).items():
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
        rows = session.execute(
            select(Term.id, Term.concept_id, Term.text, Term.status, Term.usage_register,
                   Term.no_equivalent, Term.paraphrase, Concept.key)
            .join(Concept, Concept.id == Term.concept_id)
            .where(Term.language == language, Concept.status == "active")
            .order_by(Term.id)
        ).all()
        terms = [TermInfo(tid, cid, text, status, register)
                 for tid, cid, text, status, register, *_rest in rows]
        concepts = {row[1]: row[7] for row in rows}
        # Every wording a term is found by: its text, the text without a bracketed
        # qualifier ("consent (sexual)" -> "consent"), and a paraphrase.
        owners: list[int] = []
        texts: list[str] = []
        for tid, _cid, text, _status, _register, no_equivalent, paraphrase, _key in rows:
            wordings = {text, without_qualifier(text)}
            if no_equivalent and paraphrase:
                wordings.add(paraphrase)
            for wording in wordings:
                if wording:
                    owners.append(tid)
                    texts.append(wording)
        forms: dict[int, list[str]] = {}
        for tid, form in zip(owners, match_forms(texts), strict=True):
            if form:
                forms.setdefault(tid, []).append(form)
        return cls(language, terms, concepts, forms)

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


def matcher(session: Session, language: str, *, version: tuple | None = None) -> TermMatcher:
    """The matcher for ``language`` at the current glossary version (cached)."""
    return cached(session, ("matcher", language),
                  lambda current: TermMatcher.load(current, language), version=version)


@dataclass(slots=True)
class Rendering:
    """A rendering of a concept in the target language; ``found_as`` lists how it was
    written in the translation (empty when it does not appear)."""

    term_id: int
    text: str
    status: str
    register: str
    found_as: tuple[str, ...] = ()


@dataclass(slots=True)
class Finding:
    """One concept the check found: in the source text, or only as an avoid or vulgar
    rendering in the translation (then ``found_in_source`` is empty).

    ``renderings`` are the concept's usable renderings in the target language (not
    "avoid"): when ``state`` is agreed, these are the agreed wording. ``avoid`` and
    ``vulgar`` list renderings found in the translation that should not be there: every
    "avoid" one, and vulgar ones unless they are part of the agreed wording.
    """

    concept_id: int
    concept_key: str
    source_wording: str
    found_in_source: tuple[str, ...]
    occurrences: int
    state: str
    renderings: tuple[Rendering, ...] = ()
    avoid: tuple[Rendering, ...] = ()
    vulgar: tuple[Rendering, ...] = ()
    problems: tuple[str, ...] = field(default=())

    @property
    def agreed(self) -> bool:
        """True when the pair's agreement for this concept holds."""
        return self.state == AGREED

    @property
    def not_agreed(self) -> bool:
        """True when no agreement holds for this concept and pair."""
        return not self.agreed

    @property
    def in_source(self) -> bool:
        """True when the concept was found in the source text."""
        return bool(self.found_in_source)

    @property
    def rendering_found(self) -> bool:
        """True when one of the usable (agreed, when agreed) renderings appears in the
        translation."""
        return any(r.found_as for r in self.renderings)

    @property
    def agreed_rendering_found(self) -> bool:
        """True when the concept is agreed and its agreed rendering appears."""
        return self.agreed and self.rendering_found

    def as_dict(self) -> dict:
        """The finding as plain JSON-ready values."""
        def rendering(r: Rendering) -> dict:
            return {"text": r.text, "status": r.status, "register": r.register,
                    "found_as": list(r.found_as)}

        return {
            "concept_key": self.concept_key, "source_wording": self.source_wording,
            "found_in_source": list(self.found_in_source), "occurrences": self.occurrences,
            "state": self.state, "agreed": self.agreed,
            "agreed_rendering_found": self.agreed_rendering_found,
            "rendering_found": self.rendering_found,
            "renderings": [rendering(r) for r in self.renderings],
            "avoid_found": [rendering(r) for r in self.avoid],
            "vulgar_found": [rendering(r) for r in self.vulgar],
            "problems": list(self.problems),
        }


def _problems(*, in_source: bool, agreed: bool, rendering_found: bool, avoid, vulgar):
    problems = []
    if not agreed:
        problems.append("not_agreed")
    elif in_source and not rendering_found:
        problems.append("missing_rendering")
    if avoid:
        problems.append("avoid_used")
    if vulgar:
        problems.append("vulgar_used")
    return tuple(problems)


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def check_pair(session: Session, *, source_text: str, target_text: str,
               source_language: str, target_language: str) -> list[Finding]:
    """Check a working-language text and its translation against the glossary.

    Returns one :class:`Finding` per concept found in ``source_text`` (in order of first
    appearance), then one per concept found only through an avoid or vulgar rendering
    in ``target_text``. Each says how the concept was written in the source, the state
    of its agreement for ``source_language`` -> ``target_language``, which of its
    renderings appear in the translation, and its ``problems``: ``not_agreed``,
    ``missing_rendering`` (agreed, but the agreed rendering is not in the translation),
    ``avoid_used``, ``vulgar_used``. Raises :class:`InputError` when both languages are
    the same.
    """
    if source_language == target_language:
        raise InputError(_l("Choose a target language other than the source language."))
    version = glossary_version(session)
    source = matcher(session, source_language, version=version)
    target = matcher(session, target_language, version=version)

    in_source: dict[int, list[str]] = {}
    for match in source.find(source_text):
        surface = source_text[match.start:match.end]
        for concept_id in dict.fromkeys(source.terms[t].concept_id for t in match.term_ids):
            in_source.setdefault(concept_id, []).append(surface)
    in_target: dict[int, list[str]] = {}
    for match in target.find(target_text):
        for term_id in match.term_ids:
            in_target.setdefault(term_id, []).append(target_text[match.start:match.end])

    flagged = [t.concept_id for term_id in in_target
               if (t := target.terms[term_id]).status == AVOID or t.register == VULGAR]
    concept_ids = list(in_source) + [c for c in dict.fromkeys(flagged) if c not in in_source]
    states = dict(session.connection().execute(_STATES, {
        "source": source_language, "target": target_language, "ids": concept_ids or [0],
    }).all())

    findings = []
    for concept_id in concept_ids:
        state = states.get(concept_id, "open")
        agreed = state == AGREED
        renderings, avoid, vulgar = [], [], []
        for term in target.by_concept.get(concept_id, []):
            found_as = _unique(in_target.get(term.term_id, ()))
            rendering = Rendering(term.term_id, term.text, term.status, term.register, found_as)
            if term.status == AVOID:
                if found_as:
                    avoid.append(rendering)
                continue
            renderings.append(rendering)
            if found_as and term.register == VULGAR and not agreed:
                vulgar.append(rendering)
        surfaces = in_source.get(concept_id, [])
        if not surfaces and not (avoid or vulgar):
            continue
        source_terms = source.by_concept.get(concept_id) or []
        key = source.concept_keys.get(concept_id) or target.concept_keys.get(concept_id, "")
        findings.append(Finding(
            concept_id=concept_id, concept_key=key,
            source_wording=source_terms[0].text if source_terms else key,
            found_in_source=_unique(surfaces), occurrences=len(surfaces), state=state,
            renderings=tuple(renderings), avoid=tuple(avoid), vulgar=tuple(vulgar),
            problems=_problems(in_source=bool(surfaces), agreed=agreed,
                               rendering_found=any(r.found_as for r in renderings),
                               avoid=avoid, vulgar=vulgar),
        ))
    return findings


def summarise(findings: list[Finding]) -> dict[str, int]:
    """Counts for a summary line: concepts found, agreed, agreed rendering used, and
    each problem."""
    counts = {"concepts": sum(1 for f in findings if f.in_source),
              "agreed": sum(1 for f in findings if f.in_source and f.agreed),
              "agreed_rendering_found": sum(1 for f in findings if f.agreed_rendering_found),
              "not_agreed": 0, "missing_rendering": 0, "avoid_used": 0, "vulgar_used": 0}
    for finding in findings:
        for problem in finding.problems:
            counts[problem] += 1
    return counts


def clean_check_text(value: str | None, *, label) -> str:
    """A pasted or uploaded text, validated like every user text (NFC, no bidi
    override controls), up to :data:`MAX_TEXT_CHARS` characters."""
    return clean_text(value, label=label, max_length=MAX_TEXT_CHARS, multiline=True)


def read_text_file(filename: str, data: bytes) -> str:
    """The text of an uploaded ``.docx`` (paragraphs and table cells, in order) or
    ``.txt`` file (UTF-8 or UTF-16 with a byte-order mark). Raises :class:`InputError`
    for another kind of file or one that cannot be read."""
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".docx":
        return _docx_text(data)
    if suffix in (".txt", ".text", ".md"):
        try:
            if data.startswith((b"\xff\xfe", b"\xfe\xff")):
                return data.decode("utf-16")
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(_l("“%(name)s” is not UTF-8 text. Save it as UTF-8 and upload "
                                "it again.", name=filename)) from None
    raise InputError(_l("Upload a .docx or .txt file (“%(name)s” is neither).", name=filename))


def _docx_text(data: bytes) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise InputError(_l("The file is not a readable .docx document.")) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                lines.extend(cell.text for cell in row.cells)
        else:
            lines.append(block.text)
    return "\n".join(lines)
