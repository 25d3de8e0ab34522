"""Handout texts in session packs and in readiness.

A pack freezes each handout text of its group with its translation into the pack's
language: both sides as written (placeholders kept), the group's field values, and what
every cited concept says on each side, so a handout prints from the pack alone. The
``handouts`` key enters a pack's content only when the group has handout texts, so the
hash of every pack made without them stays what it was; likewise a text's ``audio`` (the
recordings of its translated paragraphs, by part id) only when it has recordings.

Readiness: a handout the group has that is not translated into a language, or whose
translation is not signed off, blocks that pair.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from .. import agreement as rules
from ..flyer_templates import concept_wordings
from ..i18n import _l
from ..models.groups import Group
from ..models.handouts import HandoutText, HandoutTranslation
from . import KIND_NAMES, concept_keys, group_values, texts_of
from .translations import (
    get_translation,
    live_state,
    source_parts,
    translation_wording,
)


@dataclass
class HandoutBlocker:
    """A handout text that keeps a language pair from being ready, and why."""

    kind: str
    name: str
    text_id: int
    state: str
    reason: str


def _reason(state: str):
    if state == rules.NEEDS_REVIEW:
        return _l("The text changed after it was signed; both sides sign again.")
    if state == rules.PROPOSED:
        return _l("Translated; the facilitator's and the mediator's signatures are needed.")
    return _l("The translation is incomplete: a paragraph is empty or cites a concept "
              "not agreed yet.")


def handout_blockers(session: Session, language: str,
                     texts: list[HandoutText]) -> list[HandoutBlocker]:
    """Which of a group's handout ``texts`` are not translated into ``language`` or not
    signed off (readiness reads the texts once for all its languages)."""
    if not texts:
        return []
    found = {t.text_id: t for t in session.exec(select(HandoutTranslation).where(
        col(HandoutTranslation.text_id).in_([t.id for t in texts]),
        HandoutTranslation.target_language == language))}
    blockers = []
    for text in texts:
        name = str(KIND_NAMES.get(text.kind, text.kind))
        translation = found.get(text.id or 0)
        if translation is None:
            blockers.append(HandoutBlocker(text.kind, name, text.id or 0, rules.OPEN,
                                           str(_l("Not translated yet."))))
            continue
        state = live_state(session, translation)
        if state != rules.AGREED:
            blockers.append(HandoutBlocker(text.kind, name, text.id or 0, state,
                                           str(_reason(state))))
    return blockers


def frozen_handouts(session: Session, group: Group, language: str) -> list[dict]:
    """Every handout text of the group as a pack holds it for ``language``."""
    frozen = []
    for text in texts_of(session, group):
        source = source_parts(text)
        translation = get_translation(session, text, language)
        target = {k: v for k, v in (translation.paragraphs if translation else {}).items()
                  if k in source}
        keys = concept_keys([*source.values(), *target.values()])
        theirs = concept_wordings(session, keys, language=language,
                                  working=group.working_language)
        ours = concept_wordings(session, keys, language=group.working_language,
                                working=group.working_language)
        state = live_state(session, translation) if translation else rules.OPEN
        audio = {k: v for k, v in ((translation.audio if translation else None) or {}).items()
                 if k in target}
        frozen.append({
            "kind": text.kind,
            "title": text.title,
            "paragraphs": [{"id": p["id"], "text": p["text"], "picture": p.get("picture", "")}
                           for p in text.paragraphs],
            "translation": target,
            "state": state,
            "fingerprint": (translation_wording(session, translation).fingerprint
                            if translation and state == rules.AGREED else ""),
            "values": group_values(group),
            "concepts": {k: {"source": ours.get(k), "target": theirs.get(k)} for k in keys},
        })
        if audio:  # only when recorded: the hash of packs made without stays as it was
            frozen[-1]["audio"] = audio
    return frozen
