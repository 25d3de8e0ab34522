"""Recordings in the database: audio stored once per content, and recordings saved into
slots. A slot is a place a recording belongs to: the wording of a rendering (``term.
wording``) now; a rendering's explanation, a handout paragraph and a flyer paragraph
take the same path (:data:`SLOTS`). A rendering's recordings are part of its signed
wording: saving one makes a new version of the term, so the agreement's fingerprint
changes and a signed pair goes back to needs review (:mod:`glossary.signoff`).

Converted audio is stored when it is sent, before it is saved into a slot, so the person
can listen back to exactly what will be kept; audio that no recording uses is removed
after a day (:func:`prune_audio`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..audit import record, term_snapshot
from ..concepts import add_version, may_edit_language
from ..errors import Conflict, InputError, NotFound, Refused
from ..flyer_templates import get_template
from ..flyers import may_translate, translation_subject
from ..handouts.translations import numbered
from ..handouts.translations import parent as handout_parent
from ..handouts.translations import translation_subject as handout_subject
from ..i18n import _l
from ..models import Person, Term, utcnow
from ..models.flyers import Flyer, FlyerTranslation
from ..models.handouts import HandoutTranslation
from ..models.recordings import AudioBlob, Recording
from ..signoff import refresh_concept
from ..signoff_subjects import lock, refresh_subject
from ..transaction import transactional
from .convert import convert
from .earlier import spoken_hash

TERM_WORDING = "term.wording"
TERM_EXPLANATION = "term.explanation"
FLYER_PARAGRAPH = "flyer.paragraph"
HANDOUT_PARAGRAPH = "handout.paragraph"
# Every slot a recording may belong to, by the owner it hangs on.
SLOTS = {TERM_WORDING: "term", TERM_EXPLANATION: "term",
         HANDOUT_PARAGRAPH: "handout_translation", FLYER_PARAGRAPH: "flyer_translation"}
# The text a term's recording speaks, by its key in ``Term.audio``.
MB = 1024 * 1024


@dataclass(frozen=True)
class AudioLimits:
    """How long and how large one recording may be (see :class:`glossary.config.Config`)."""

    seconds: int = 60
    megabytes: int = 10

    @classmethod
    def from_config(cls, config) -> AudioLimits:
        """The limits an app is configured with."""
        return cls(seconds=int(config.get("AUDIO_MAX_SECONDS", 60)),
                   megabytes=int(config.get("AUDIO_MAX_MB", 10)))


def slot_key(slot: str) -> str:
    """The key a slot has in its owner's ``audio`` record: ``term.wording`` -> ``wording``."""
    return slot.split(".", 1)[1]


@transactional
def store_audio(session: Session, *, data: bytes, limits: AudioLimits) -> AudioBlob:
    """Convert ``data`` and keep it (once per content); return the stored audio. Raises
    :class:`InputError` for an empty, oversized or unreadable file (nothing is stored)."""
    if not data:
        raise InputError(_l("No recording was received. Record again or choose a file."),
                         field="audio")
    if len(data) > limits.megabytes * MB:
        raise InputError(_l("The audio file is too large: at most %(mb)d MB.",
                            mb=limits.megabytes), field="audio")
    converted = convert(data, max_seconds=limits.seconds)
    existing = session.get(AudioBlob, converted.sha256)
    if existing is not None:
        return existing
    blob = AudioBlob(sha256=converted.sha256, duration_ms=converted.duration_ms,
                     ogg=converted.ogg, m4a=converted.m4a)
    try:
        with session.begin_nested():
            session.add(blob)
    except IntegrityError:
        # The same sound was stored at the same moment by another request: one copy.
        return get_audio(session, converted.sha256)
    return blob


def get_audio(session: Session, sha256: str) -> AudioBlob:
    """Stored audio by its hash, or :class:`NotFound`."""
    blob = session.get(AudioBlob, sha256) if len(sha256) == 64 else None
    if blob is None:
        raise NotFound(_l("No such recording."))
    return blob


@transactional
def record_term(session: Session, *, term: Term, sha256: str, seen_version: int,
                person: Person, working: str, slot: str = TERM_WORDING) -> Term:
    """Save the stored audio ``sha256`` as the recording of ``term``'s ``slot``: a new
    version of the term (the pair's agreement goes to needs review if it was signed), a
    :class:`Recording` row and an audit event. Raises :class:`Refused` for someone who
    may not edit the language, :class:`Conflict` when the term changed since
    ``seen_version``, :class:`NotFound` for audio that is not stored."""
    if SLOTS.get(slot) != "term":
        raise NotFound(_l("No such recording."))
    if not may_edit_language(person, term.language, working):
        raise Refused(_l("You may record renderings only for your own languages."))
    if slot == TERM_EXPLANATION and not term.explanation:
        raise InputError(_l("This rendering has no explanation for participants to "
                            "record. Write the explanation first."), field="audio")
    blob = get_audio(session, sha256)
    before = term_snapshot(term)
    audio = dict(term.audio or {}) | {slot_key(slot): blob.sha256}
    if audio == (term.audio or {}):
        raise InputError(_l("This recording is already the one saved."), field="audio")
    result: CursorResult = session.execute(  # type: ignore[assignment]
        update(Term).where(col(Term.id) == term.id, col(Term.version) == seen_version)
        .values(audio=audio, version=Term.version + 1, updated_by_id=person.id,
                updated_at=utcnow(), is_demo=False))
    if result.rowcount != 1:
        raise Conflict(_l("This rendering was changed by someone else meanwhile. "
                          "Reload the page and record again."))
    session.refresh(term)
    add_version(session, term, person)
    session.add(Recording(slot=slot, owner_id=term.id, language=term.language,  # type: ignore[arg-type]
                          audio_sha256=blob.sha256, duration_ms=blob.duration_ms,
                          person_id=person.id))
    record(session, person=person, action="record", entity="term", entity_id=term.id,
           before=before, after=term_snapshot(term) | {
               "slot": slot, "sha256": blob.sha256, "duration_ms": blob.duration_ms})
    refresh_concept(session, concept_id=term.concept_id, language=term.language,
                    working=working, person=person)
    return term


@transactional
def record_flyer_paragraph(session: Session, *, translation: FlyerTranslation, field: str,
                           sha256: str, seen_version: int, person: Person) -> FlyerTranslation:
    """Save the stored audio ``sha256`` as the recording of one paragraph (template field
    ``field``) of a flyer translation: a new version of the translation, so a signed one
    goes back to needs review; a :class:`Recording` row (``part`` is the field's place in
    the template) and an audit event. Raises as :func:`record_term` does."""
    flyer = session.get(Flyer, translation.flyer_id)
    keys = [spec.key for spec in get_template(flyer.template).fields] if flyer else []
    if field not in keys:
        raise NotFound(_l("No such recording."))
    _record_paragraph(session, translation, slot=FLYER_PARAGRAPH, entity="flyer_translation",
                      field=field, part=keys.index(field), named="field",
                      spoken=translation.fields.get(field) or "",
                      subject=translation_subject, sha256=sha256,
                      seen_version=seen_version, person=person)
    return translation


def _record_paragraph(session: Session, translation: FlyerTranslation | HandoutTranslation,
                      *, slot: str, entity: str, field: str, part: int, named: str,
                      spoken: str, subject: Callable, sha256: str, seen_version: int,
                      person: Person) -> None:
    """What recording a paragraph of a flyer or handout translation does: put the stored
    audio ``sha256`` into the translation's ``audio`` under ``field`` as a new version
    of it, add its :class:`Recording` row (``part``: the paragraph's number, and the hash
    of ``spoken``, the paragraph's text it speaks) and an
    audit event (the field under the key ``named``), and refresh the sign-off state
    (``subject`` gives the translation's sign-off subject). Raises :class:`Refused` for a
    person who may not translate the language, :class:`Conflict` when the translation
    changed since ``seen_version``."""
    if not may_translate(person, translation.target_language):
        raise Refused(_l("You may record renderings only for your own languages."))
    blob = get_audio(session, sha256)
    audio = dict(translation.audio or {}) | {field: blob.sha256}
    if audio == (translation.audio or {}):
        raise InputError(_l("This recording is already the one saved."), field="audio")
    model = type(translation)
    result: CursorResult = session.execute(  # type: ignore[assignment]
        update(model).where(col(model.id) == translation.id,
                            col(model.version) == seen_version)
        .values(audio=audio, version=model.version + 1, updated_by_id=person.id,
                updated_at=utcnow()))
    if result.rowcount != 1:
        raise Conflict(_l("This rendering was changed by someone else meanwhile. "
                          "Reload the page and record again."))
    session.refresh(translation)
    session.add(Recording(slot=slot, owner_id=translation.id,  # type: ignore[arg-type]
                          part=part, language=translation.target_language,
                          audio_sha256=blob.sha256, duration_ms=blob.duration_ms,
                          person_id=person.id, spoken=spoken_hash(spoken)))
    record(session, person=person, action="record", entity=entity, entity_id=translation.id,
           after={"slot": slot, named: field, "sha256": blob.sha256,
                  "version": translation.version})
    lock(session, translation)
    refresh_subject(session, subject(translation), person=person)


@transactional
def record_handout_paragraph(session: Session, *, translation: HandoutTranslation,
                             key: str, sha256: str, seen_version: int,
                             person: Person) -> HandoutTranslation:
    """Save the stored audio ``sha256`` as the recording of one translated paragraph
    (part ``key``: ``title`` or a paragraph id) of a handout text: a new version of the
    translation, so a signed one goes back to needs review; a :class:`Recording` row
    (``part`` is the paragraph's number, 0 for the title) and an audit event. Raises as
    :func:`record_term` does."""
    text, _group = handout_parent(session, translation)
    order = {part: number for number, part in numbered(text)}
    if key not in order or not (translation.paragraphs.get(key) or "").strip():
        raise NotFound(_l("No such recording."))
    _record_paragraph(session, translation, slot=HANDOUT_PARAGRAPH,
                      entity="handout_translation", field=key, part=order[key], named="part",
                      spoken=translation.paragraphs.get(key) or "",
                      subject=handout_subject, sha256=sha256, seen_version=seen_version,
                      person=person)
    return translation


def voice_note_parts(session: Session, translation: FlyerTranslation) -> list[bytes]:
    """The Ogg/Opus recordings of a translation's paragraphs in the template's order."""
    flyer = session.get(Flyer, translation.flyer_id)
    audio = translation.audio or {}
    keys = [spec.key for spec in get_template(flyer.template).fields] if flyer else []
    return [get_audio(session, audio[key]).ogg for key in keys if audio.get(key)]


def recordings_of(session: Session, *, slot: str, owner_ids: Iterable[int]) -> dict:
    """Every recording saved into ``slot`` of the given owners, oldest first, by owner."""
    ids = list(owner_ids) or [0]
    found: dict[int, list[Recording]] = {}
    for row in session.exec(select(Recording).where(Recording.slot == slot,
                                                    col(Recording.owner_id).in_(ids))
                            .order_by(col(Recording.id))):
        found.setdefault(row.owner_id, []).append(row)
    return found


def wording_audio(session: Session, term_ids: Iterable[int | None]) -> dict[int, str]:
    """The hash of the wording recording of each of these terms that has one, by term id
    (for pages that list renderings found by search or by the check)."""
    ids = {i for i in term_ids if i} or {0}
    return {int(term_id or 0): audio["wording"] for term_id, audio in session.exec(
        select(Term.id, Term.audio).where(col(Term.id).in_(ids)))
        if audio and audio.get("wording")}


@transactional
def prune_audio(session: Session, *, now: datetime | None = None, hours: int = 24) -> int:
    """Remove audio that was sent but never saved into a slot, once ``hours`` old; return
    how many were removed."""
    cutoff = (now or utcnow()) - timedelta(hours=hours)
    used = select(Recording.audio_sha256)
    result: CursorResult = session.execute(delete(AudioBlob).where(  # type: ignore[assignment]
        col(AudioBlob.created_at) < cutoff, col(AudioBlob.sha256).not_in(used)))
    return int(result.rowcount or 0)
