"""Translations of a group's handout texts, paragraph by paragraph, and their sign-off
through the one mechanism terms and flyers share (:func:`glossary.signoff_subjects.sign_subject`).

What is signed is the text as printed: both sides with every placeholder resolved (a
concept's agreed wording, a group field's value). A changed paragraph on either side, a
changed group field, or a cited concept's agreed rendering changing gives another
fingerprint, so the translation needs review. A translation with an empty paragraph, or
citing a concept with no agreed rendering in its language, has nothing to sign.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlmodel import Session, col, select

from ..canonical import content_hash
from ..errors import Conflict, InputError, NotFound, Refused, found
from ..flyer_templates import concept_wordings
from ..flyers import _validate_language, may_translate
from ..i18n import _l
from ..models import Person
from ..models.groups import Group
from ..models.handouts import HandoutSignature, HandoutText, HandoutTranslation
from ..qa.fields import check_parts, problem_messages
from ..signoff_subjects import (
    Subject,
    Wording,
    lock,
    refresh_subject,
    sign_subject,
    subject_state,
    write_translation,
)
from ..text import clean_text
from ..transaction import transactional
from . import PARAGRAPH_LENGTH, _where, check_text, concept_keys, group_values, placeholders

TITLE = "title"


def source_parts(text: HandoutText) -> dict[str, str]:
    """The working-language text by part: ``title``, then each paragraph by its id."""
    return {TITLE: text.title, **{p["id"]: p["text"] for p in text.paragraphs}}


def numbered(text: HandoutText) -> list[tuple[int, str]]:
    """(paragraph number, part id) in reading order; the title is number 0."""
    return [(0, TITLE)] + [(n, p["id"]) for n, p in enumerate(text.paragraphs, start=1)]


def parent(session: Session, translation: HandoutTranslation) -> tuple[HandoutText, Group]:
    """The handout text a translation belongs to, and its group."""
    text = session.get(HandoutText, translation.text_id)
    group = session.get(Group, text.group_id) if text is not None else None
    if text is None or group is None:
        raise NotFound(_l("No such group."))
    return text, group


def resolve(text: str, wordings: Mapping[str, str | None], values: Mapping[str, str]) -> str:
    """``text`` with each placeholder replaced by its wording or value; a concept with no
    wording keeps its token (the text is then incomplete)."""
    out, last = [], 0
    for place in placeholders(text):
        out.append(text[last:place.start])
        value = wordings.get(place.key) if place.kind == "concept" else values.get(place.key)
        out.append(place.token if value is None else value)
        last = place.end
    out.append(text[last:])
    return "".join(out)


def resolved_parts(session: Session, parts: Mapping[str, str], *, group: Group,
                   language: str) -> tuple[dict[str, str], list[str]]:
    """Each part with its placeholders resolved for ``language``, and the cited concept
    keys with no agreed wording there."""
    keys = concept_keys(parts.values())
    wordings = concept_wordings(session, keys, language=language,
                                working=group.working_language)
    values = group_values(group)
    return ({k: resolve(v, wordings, values) for k, v in parts.items()},
            [k for k in keys if wordings.get(k) is None])


def empty_paragraphs(text: HandoutText, translation: HandoutTranslation) -> list[int]:
    """Numbers of the paragraphs (0: the title) with source text and no translation."""
    source = source_parts(text)
    return [n for n, key in numbered(text)
            if source.get(key) and not (translation.paragraphs.get(key) or "").strip()]


def translation_wording(session: Session, translation: HandoutTranslation) -> Wording:
    """Both sides as printed, the fingerprint of exactly that, and whether there is
    something to sign (no empty paragraph, every cited concept agreed)."""
    text, group = parent(session, translation)
    source, _missing = resolved_parts(session, source_parts(text), group=group,
                                      language=group.working_language)
    own = {k: v for k, v in translation.paragraphs.items() if k in source}
    target, unresolved = resolved_parts(session, own, group=group,
                                        language=translation.target_language)
    snapshot: dict = {group.working_language: source, translation.target_language: target}
    if translation.audio:  # only when recorded: older fingerprints stay as they were
        snapshot["audio"] = dict(translation.audio)
    complete = not unresolved and not empty_paragraphs(text, translation)
    return Wording(
        fingerprint=(f"handout:{text.id}.{text.version}|{translation.target_language}:"
                     f"{translation.id}.{translation.version}|"
                     f"{content_hash(snapshot, length=16)}"),
        complete=complete, snapshot=snapshot)


def signatures_of(session: Session, translation_id: int | None) -> list[HandoutSignature]:
    """Every signature a handout translation has had, oldest first."""
    return list(session.exec(select(HandoutSignature).where(
        HandoutSignature.translation_id == translation_id).order_by(col(HandoutSignature.id))))


def translation_subject(translation: HandoutTranslation) -> Subject:
    """A handout translation as a sign-off subject (no disputes: edit the text)."""
    return Subject(
        row=translation,
        entity="handout_translation",
        wording=lambda session: translation_wording(session, translation),
        signatures=lambda session: signatures_of(session, translation.id),
        disputed=lambda session: False,
        new_signature=lambda **fields: HandoutSignature(
            translation_id=translation.id, **fields),  # type: ignore[arg-type]
    )


def live_state(session: Session, translation: HandoutTranslation) -> str:
    """The state the translation has now (a cited concept's agreement may have changed
    since the stored state was computed)."""
    return subject_state(session, translation_subject(translation))


def translations_of(session: Session, text: HandoutText) -> list[HandoutTranslation]:
    """The handout's translations, by language tag."""
    return list(session.exec(select(HandoutTranslation).where(
        HandoutTranslation.text_id == text.id).order_by(HandoutTranslation.target_language)))


def get_translation(session: Session, text: HandoutText,
                    language: str) -> HandoutTranslation | None:
    """The handout's translation into ``language``, if one was started."""
    return session.exec(select(HandoutTranslation).where(
        HandoutTranslation.text_id == text.id,
        HandoutTranslation.target_language == language)).first()


def refresh_translations(session: Session, text: HandoutText, *, person: Person | None) -> None:
    """Store the current state of every translation of ``text`` (after an edit)."""
    for translation in translations_of(session, text):
        lock(session, translation)
        refresh_subject(session, translation_subject(translation), person=person)


def parse_translation(text: HandoutText, form: Mapping) -> dict[str, str]:
    """The translated parts from a form (``t-title``, ``t-<paragraph id>``); empty parts
    are kept empty (a draft may be saved; it cannot be signed)."""
    parts = {}
    for number, key in numbered(text):
        parts[key] = clean_text(form.get(f"t-{key}", ""), label=str(_where(number)),
                                field=f"t-{key}", max_length=PARAGRAPH_LENGTH,
                                required=False, multiline=key != TITLE)
    return parts


@transactional
def save_translation(session: Session, *, text: HandoutText, language: str,
                     parts: dict[str, str], seen_version: int | None, person: Person | None,
                     is_demo: bool = False) -> HandoutTranslation:
    """Create or update the translation into ``language`` (a mediator of that language,
    or a facilitator); unknown placeholders and concept keys are refused naming the
    paragraph, and so is an update based on an outdated version."""
    group = found(session.get(Group, text.group_id), _l("No such group."))
    language = _validate_language(session, language, group.working_language)
    if person is not None and not may_translate(person, language):
        raise Refused(_l("You may translate only into your own languages."))
    order = dict((key, number) for number, key in numbered(text))
    check_text(session, [(order.get(k, 0), v) for k, v in parts.items()])
    return write_translation(
        session, get_translation(session, text, language),
        new=lambda: HandoutTranslation(text_id=text.id,  # type: ignore[arg-type]
                                       target_language=language, paragraphs=parts,
                                       updated_by_id=person.id if person else None,
                                       is_demo=is_demo),
        field="paragraphs", value=parts, seen_version=seen_version, person=person,
        entity="handout_translation", language=language, subject=translation_subject)


def check_translation(session: Session, translation: HandoutTranslation, *,
                      wording: Wording | None = None) -> dict[str, list]:
    """The terminology check of every paragraph as printed: findings by part id."""
    wording = wording or translation_wording(session, translation)
    _text, group = parent(session, translation)
    return check_parts(session, source=wording.snapshot[group.working_language],
                       target=wording.snapshot[translation.target_language],
                       source_language=group.working_language,
                       target_language=translation.target_language)


def check_typed(session: Session, *, text: HandoutText, language: str, key: str,
                typed: str) -> list:
    """The check of one paragraph as a mediator types it (nothing is saved)."""
    group = found(session.get(Group, text.group_id), _l("No such group."))
    source = source_parts(text)
    if key not in source:
        raise InputError(_l("There is no such paragraph."))
    resolved_source, _m = resolved_parts(session, {key: source[key]}, group=group,
                                         language=group.working_language)
    resolved_target, _u = resolved_parts(session, {key: typed}, group=group,
                                         language=language)
    return check_parts(session, source=resolved_source, target=resolved_target,
                       source_language=group.working_language,
                       target_language=language).get(key, [])


@transactional
def sign_translation(session: Session, *, translation: HandoutTranslation, person: Person,
                     role: str, seen_fingerprint: str, today: date,
                     validity_months: int) -> HandoutSignature:
    """Sign the translation's exact text. Refused, changing nothing, while a paragraph
    is empty, while the terminology check finds problems, or when the text changed since
    the signer opened it (the fingerprint they saw is not the current one)."""
    text, _group = parent(session, translation)
    if translation_wording(session, translation).fingerprint != seen_fingerprint:
        raise Conflict(_l("The handout or its translation was changed while you were "
                          "signing. Nothing was signed; read the text again, then sign."))
    empty = empty_paragraphs(text, translation)
    if empty:
        raise Refused(_l("A translation with an empty paragraph cannot be signed: %(places)s.",
                         places=", ".join(str(_where(n)) for n in empty)))
    problems = problem_messages(check_translation(session, translation))
    if problems:
        raise Refused(_l("The terminology check found problems; fix them before signing: "
                         "%(problems)s", problems="; ".join(problems)))
    return sign_subject(session, translation_subject(translation), person=person, role=role,
                        seen_fingerprint=seen_fingerprint, today=today,
                        validity_months=validity_months)
