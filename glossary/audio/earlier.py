"""Recordings made for an earlier text: a rendering's wording or explanation, or a
translated handout or flyer paragraph, changed after it was recorded. The recording
stays in the signed text until it is recorded again; pages say it may no longer match,
so that nobody signs, and no participant hears, words that are no longer the agreed
ones without being told."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlmodel import Session, col, select

from ..models import Term, TermVersion
from ..models.flyers import FlyerTranslation
from ..models.handouts import HandoutTranslation
from ..models.recordings import Recording

# The field of a rendering each of its recording slots speaks.
SPOKEN_FIELD = {"wording": "text", "explanation": "explanation"}


def spoken_hash(text: str) -> str:
    """What a paragraph recording remembers of the text it speaks: its SHA-256."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def earlier_wording(session: Session, terms: Iterable[Term]) -> dict[int, set[str]]:
    """The recordings that were made for an earlier text: for each term whose text (or
    explanation) changed after its saved wording (or explanation) recording was made,
    the keys of those recordings (``{"wording"}``)."""
    current = {t.id: t for t in terms if t.audio}
    if not current:
        return {}
    said: dict[tuple[int, str], tuple[str | None, str]] = {}
    for version in session.exec(select(TermVersion).where(
            col(TermVersion.term_id).in_(list(current)))
            .order_by(col(TermVersion.term_id), col(TermVersion.version))):
        for key, field in SPOKEN_FIELD.items():
            sha = (version.audio or {}).get(key)
            if sha and said.get((version.term_id, key), (None, ""))[0] != sha:
                # The version in which this recording was saved: the text it speaks.
                said[(version.term_id, key)] = (sha, getattr(version, field))
    stale: dict[int, set[str]] = {}
    for (term_id, key), (sha, text) in said.items():
        term = current[term_id]
        if (term.audio or {}).get(key) == sha and getattr(term, SPOKEN_FIELD[key]) != text:
            stale.setdefault(term_id, set()).add(key)
    return stale


def earlier_paragraphs(session: Session, translation: FlyerTranslation | HandoutTranslation
                       | None, *, slot: str, texts: dict[str, str]) -> set[str]:
    """The keys of the paragraphs of ``translation`` (current texts in ``texts``) whose
    saved recording was made for another text. A recording saved before this was kept
    (no text remembered) is taken as current."""
    if translation is None or not translation.audio:
        return set()
    spoken: dict[str, str | None] = {}
    for sha, said in session.exec(
            select(Recording.audio_sha256, Recording.spoken)
            .where(Recording.slot == slot, Recording.owner_id == translation.id)
            .order_by(col(Recording.id))):
        spoken[sha] = said  # the latest saving of this audio for this translation
    return {key for key, sha in translation.audio.items()
            if spoken.get(sha) and spoken[sha] != spoken_hash(texts.get(key) or "")}
