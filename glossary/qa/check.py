"""The check of a text pair (:func:`check_pair`): for each concept found, whether the
translation uses the agreed rendering, and the problems found (:class:`Finding`).

Terms are found by the matchers of :mod:`glossary.qa`, one per language and glossary
version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlmodel import Session

from ..agreement import AGREED
from ..errors import InputError
from ..i18n import _l
from ..models import Agreement
from ..versioned_cache import glossary_version
from . import matcher

# The agreement states of some concepts for a language pair (compiled once).
_STATES = select(Agreement.concept_id, Agreement.state).where(
    Agreement.source_language == bindparam("source"),
    Agreement.target_language == bindparam("target"),
    Agreement.concept_id.in_(bindparam("ids", expanding=True)),
)
AVOID = "deprecated"
VULGAR = "vulgar"


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


def _problems(in_source: bool, agreed: bool, rendering_found: bool, avoid, vulgar):
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
    return tuple(values) if len(values) < 2 else tuple(dict.fromkeys(values))


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
    terms = source.terms
    for start, end, term_ids in source.spans(source_text):
        surface = source_text[start:end]
        for concept_id in ((terms[term_ids[0]].concept_id,) if len(term_ids) == 1 else
                           dict.fromkeys(terms[t].concept_id for t in term_ids)):
            if concept_id in in_source:
                in_source[concept_id].append(surface)
            else:
                in_source[concept_id] = [surface]
    in_target: dict[int, list[str]] = {}
    for start, end, term_ids in target.spans(target_text):
        surface = target_text[start:end]
        for term_id in term_ids:
            if term_id in in_target:
                in_target[term_id].append(surface)
            else:
                in_target[term_id] = [surface]

    flagged = [t.concept_id for term_id in in_target
               if (t := target.terms[term_id]).status == AVOID or t.register == VULGAR]
    concept_ids = list(in_source) + [c for c in dict.fromkeys(flagged) if c not in in_source]
    states = _states(session, source_language, target_language, concept_ids)
    return _findings(concept_ids, states, in_source, in_target, source, target)


def _states(session: Session, source_language: str, target_language: str,
            concept_ids: list[int]) -> dict[int, str]:
    """The agreement state of each of ``concept_ids`` that has an agreement for the
    pair (no query when there are none)."""
    if not concept_ids:
        return {}
    return dict(session.connection().execute(_STATES, {
        "source": source_language, "target": target_language, "ids": concept_ids}).all())


def _findings(concept_ids, states, in_source, in_target, source, target) -> list[Finding]:
    """The :class:`Finding` of each concept in ``concept_ids`` (see :func:`check_pair`),
    from the words found: surfaces by concept in the source, by term in the target."""
    findings = []
    target_terms, source_terms = target.by_concept, source.by_concept
    for concept_id in concept_ids:
        state = states.get(concept_id, "open")
        agreed = state == AGREED
        renderings, avoid, vulgar = [], [], []
        rendering_found = False
        for term in target_terms.get(concept_id, ()):
            written = in_target.get(term.term_id)
            found_as = _unique(written) if written else ()
            rendering = Rendering(term.term_id, term.text, term.status, term.register, found_as)
            if term.status == AVOID:
                if found_as:
                    avoid.append(rendering)
                continue
            renderings.append(rendering)
            if found_as:
                rendering_found = True
                if term.register == VULGAR and not agreed:
                    vulgar.append(rendering)
        surfaces = in_source.get(concept_id, ())
        if not surfaces and not (avoid or vulgar):
            continue
        wordings = source_terms.get(concept_id)
        key = source.concept_keys.get(concept_id) or target.concept_keys.get(concept_id, "")
        findings.append(Finding(
            concept_id, key, wordings[0].text if wordings else key, _unique(surfaces),
            len(surfaces), state, tuple(renderings), tuple(avoid), tuple(vulgar),
            _problems(bool(surfaces), agreed, rendering_found, avoid, vulgar)))
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
