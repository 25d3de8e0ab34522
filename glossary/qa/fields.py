"""The terminology check over a text in named parts (a flyer's fields, a handout's
paragraphs) and its translation, part by part, and the readable line for each problem.
Flyers and handout texts share it."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session

from ..i18n import _l
from .check import check_pair

PROBLEM_TEXT = {
    "not_agreed": _l("%(concept)s is not agreed for this language pair"),
    "missing_rendering": _l("%(concept)s: the agreed rendering is missing"),
    "avoid_used": _l("%(concept)s: a word marked “avoid” is used (%(words)s)"),
    "vulgar_used": _l("%(concept)s: a vulgar word is used (%(words)s)"),
}


def check_parts(session: Session, *, source: Mapping[str, str], target: Mapping[str, str],
                source_language: str, target_language: str) -> dict[str, list]:
    """:func:`glossary.qa.check_pair` on each part of ``source`` beside the part of
    ``target`` with the same key (and on parts only the target has): findings by key,
    only for parts with findings."""
    findings = {}
    for key, text in source.items():
        found = check_pair(session, source_text=text or "", target_text=target.get(key) or "",
                           source_language=source_language, target_language=target_language)
        if found:
            findings[key] = found
    for key in set(target) - set(source):
        found = check_pair(session, source_text="", target_text=target[key] or "",
                           source_language=source_language, target_language=target_language)
        if found:
            findings[key] = found
    return findings


def problem_messages(findings: Mapping[str, list]) -> list[str]:
    """One readable line per problem found by :func:`check_parts`."""
    messages = []
    for items in findings.values():
        for finding in items:
            words = ", ".join(w for r in (*finding.avoid, *finding.vulgar) for w in r.found_as)
            for problem in finding.problems:
                messages.append(str(PROBLEM_TEXT[problem] % {
                    "concept": finding.source_wording, "words": words}))
    return messages
