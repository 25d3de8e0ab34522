"""Outreach flyers in the working language, their translations per language, and
sign-off through the same mechanism as agreements
(:func:`glossary.signoff_subjects.sign_subject`). Templates, fields and the citations of
concepts in field texts are in :mod:`glossary.flyer_templates`; a translation with an
unresolved citation is incomplete and cannot be signed.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from . import languages
from .audit import record
from .canonical import SPACED, content_hash
from .concepts import custom_languages
from .errors import InputError, NotFound, Refused
from .flyer_templates import LAYOUTS, check_citations, get_template, rendered
from .i18n import _l
from .models import Person
from .models.flyers import Flyer, FlyerSignature, FlyerTranslation
from .qa.fields import check_parts
from .signoff_subjects import (
    Subject,
    Wording,
    lock,
    refresh_subject,
    sign_subject,
    write_translation,
)
from .text import choice, clean_text
from .transaction import save_version, transactional

EDITOR_ROLES = ("outreach", "facilitator", "admin")


def _validate_language(session: Session, tag: str, working: str) -> str:
    tag = languages.validate_tag(tag, custom_languages(session))
    if tag == working:
        raise InputError(_l("A translation must be into another language than the source."))
    return tag


def may_translate(person: Person, language: str) -> bool:
    """Mediators translate into their own languages; facilitators and admins into any."""
    return person.has_role("facilitator", "admin") or (
        person.has_role("mediator") and language in person.language_list)


@transactional
def create_flyer(session: Session, *, name: str, template_key: str, layout: str,
                 fields: dict[str, str], person: Person | None, working: str,
                 is_demo: bool = False) -> Flyer:
    """Create a flyer from a template in the working language (outreach, facilitators,
    admins); refuse a name in use or a citation of an unknown concept."""
    if person is not None and not person.has_role(*EDITOR_ROLES):
        raise Refused(_l("Only outreach staff, facilitators and admins create flyers."))
    get_template(template_key)
    name = clean_text(name, label=_l("Name"), field="name", max_length=120)
    choice(layout, LAYOUTS, label=_l("Layout"), field="layout")
    if session.exec(select(Flyer).where(Flyer.name == name)).first():
        raise InputError(_l("A flyer named “%(name)s” exists already.", name=name),
                         field="name")
    check_citations(session, fields)
    flyer = Flyer(name=name, template=template_key, layout=layout, source_language=working,
                  fields=fields, is_demo=is_demo, created_by_id=person.id if person else None)
    session.add(flyer)
    session.flush()
    record(session, person=person, action="create", entity="flyer", entity_id=flyer.id,
           after={"name": name, "fields": fields, "layout": layout})
    return flyer


@transactional
def update_flyer(session: Session, *, flyer: Flyer, fields: dict[str, str], layout: str,
                 seen_version: int, person: Person) -> Flyer:
    """Save new working-language text unless someone saved since ``seen_version``; every
    translation's signatures then no longer match and it needs review."""
    if not person.has_role(*EDITOR_ROLES):
        raise Refused(_l("Only outreach staff, facilitators and admins edit flyers."))
    choice(layout, LAYOUTS, label=_l("Layout"), field="layout")
    check_citations(session, fields)
    before = {"fields": flyer.fields, "layout": flyer.layout, "version": flyer.version}
    save_version(session, flyer, seen_version=seen_version,
                 conflict=_l("This flyer was changed by someone else meanwhile. Your text is "
                             "shown below; compare and save again."),
                 fields=fields, layout=layout)
    record(session, person=person, action="update", entity="flyer", entity_id=flyer.id,
           before=before, after={"fields": fields, "layout": layout, "version": flyer.version})
    for translation in translations_of(session, flyer):
        lock(session, translation)
        refresh_subject(session, translation_subject(translation), person=person)
    return flyer


def translations_of(session: Session, flyer: Flyer) -> list[FlyerTranslation]:
    """The flyer's translations, by language tag."""
    return list(session.exec(select(FlyerTranslation).where(
        FlyerTranslation.flyer_id == flyer.id).order_by(FlyerTranslation.target_language)))


def get_translation(session: Session, flyer: Flyer, language: str) -> FlyerTranslation | None:
    """The flyer's translation into ``language``, if one was started."""
    return session.exec(select(FlyerTranslation).where(
        FlyerTranslation.flyer_id == flyer.id,
        FlyerTranslation.target_language == language)).first()


@transactional
def save_translation(session: Session, *, flyer: Flyer, language: str, fields: dict[str, str],
                     seen_version: int | None, person: Person | None,
                     working: str) -> FlyerTranslation:
    """Create or update the translation into ``language`` (the mediator of that language,
    or a facilitator); an update based on an outdated version is refused."""
    language = _validate_language(session, language, working)
    if person is not None and not may_translate(person, language):
        raise Refused(_l("You may translate only into your own languages."))
    check_citations(session, fields)
    return write_translation(
        session, get_translation(session, flyer, language),
        new=lambda: FlyerTranslation(flyer_id=flyer.id, target_language=language,
                                     fields=fields, updated_by_id=person.id if person else None),
        field="fields", value=fields, seen_version=seen_version, person=person,
        entity="flyer_translation", language=language, subject=translation_subject)


def translation_wording(session: Session, translation: FlyerTranslation) -> Wording:
    """The exact text of both sides as printed (citations resolved), its fingerprint,
    and whether every field with source text has a translation and every citation an
    agreed rendering."""
    flyer = session.get(Flyer, translation.flyer_id)
    source, _missing = rendered(session, flyer.fields, language=flyer.source_language,
                                working=flyer.source_language)
    target, unresolved = rendered(session, translation.fields,
                                  language=translation.target_language,
                                  working=flyer.source_language)
    snapshot = {flyer.source_language: source, translation.target_language: target}
    if translation.audio:  # only when recorded: older fingerprints stay as they were
        snapshot["audio"] = dict(translation.audio)
    # The spaced form: the one every stored flyer signature's fingerprint was taken in.
    digest = content_hash(snapshot, length=16, separators=SPACED)
    complete = not unresolved and all(target.get(k) for k, v in source.items() if v)
    return Wording(
        fingerprint=(f"flyer:{flyer.id}.{flyer.version}|{translation.target_language}:"
                     f"{translation.id}.{translation.version}|{digest}"),
        complete=complete, snapshot=snapshot)


def signatures_of(session: Session, translation_id: int) -> list[FlyerSignature]:
    """Every signature a translation has had, oldest first."""
    return list(session.exec(select(FlyerSignature).where(
        FlyerSignature.translation_id == translation_id).order_by(FlyerSignature.id)))


def translation_subject(translation: FlyerTranslation) -> Subject:
    """A flyer translation as a sign-off subject (no disputes: edit the text instead)."""
    return Subject(
        row=translation,
        entity="flyer_translation",
        wording=lambda session: translation_wording(session, translation),
        signatures=lambda session: signatures_of(session, translation.id),
        disputed=lambda session: False,
        new_signature=lambda **fields: FlyerSignature(translation_id=translation.id, **fields),
    )


def check_translation(session: Session, translation: FlyerTranslation, *,
                      wording: Wording | None = None) -> dict[str, list]:
    """The terminology check (:func:`glossary.qa.fields.check_parts`) of every field, on
    the text as printed: findings by field key, only for fields with findings. Pass
    ``wording`` when the caller has it already (see :func:`translation_wording`)."""
    wording = wording or translation_wording(session, translation)
    flyer = session.get(Flyer, translation.flyer_id)
    return check_parts(session, source=wording.snapshot[flyer.source_language],
                       target=wording.snapshot[translation.target_language],
                       source_language=flyer.source_language,
                       target_language=translation.target_language)


@transactional
def sign_translation(session: Session, *, translation: FlyerTranslation, person: Person,
                     role: str, seen_fingerprint: str, today: date, validity_months: int,
                     blocking: list[str] | None = None) -> FlyerSignature:
    """Sign the translation's exact text. ``blocking`` lists problems found by the
    terminology check; while there are any, nobody signs."""
    if blocking:
        raise Refused(_l("The terminology check found problems; fix them before signing: "
                         "%(problems)s", problems="; ".join(blocking)))
    return sign_subject(session, translation_subject(translation), person=person, role=role,
                        seen_fingerprint=seen_fingerprint, today=today,
                        validity_months=validity_months)


def find_flyer(session: Session, name_or_id: str) -> Flyer:
    """A flyer by id or exact name, or :class:`NotFound`."""
    flyer = None
    if str(name_or_id).isdigit():
        flyer = session.get(Flyer, int(name_or_id))
    if flyer is None:
        flyer = session.exec(select(Flyer).where(Flyer.name == name_or_id)).first()
    if flyer is None:
        raise NotFound(_l("No flyer is named “%(name)s”.", name=name_or_id))
    return flyer
