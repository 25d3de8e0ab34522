"""Outreach flyers: templates from ``data/flyers/``, working-language fields, translations
per language, citations of glossary concepts, and sign-off through the same mechanism as
agreements (:func:`glossary.signoff_subjects.sign_subject`).

A field's text may cite a concept as ``[[concept-key]]``. The working-language text shows
the concept's wording; a translation shows the rendering agreed for that language pair
(or its paraphrase when there is no direct equivalent). A citation with no agreed
rendering cannot be resolved: the translation is incomplete and cannot be signed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from . import agreement as rules
from . import languages
from .audit import record
from .canonical import SPACED, content_hash
from .concepts import custom_languages
from .config import ROOT
from .errors import InputError, NotFound, Refused
from .i18n import _l
from .models import Agreement, Concept, Person, Term
from .models.flyers import Flyer, FlyerSignature, FlyerTranslation
from .normalise import without_qualifier
from .qa.fields import PROBLEM_TEXT, check_parts, problem_messages  # noqa: F401
from .signoff_subjects import Subject, Wording, lock, refresh_subject, sign_subject
from .text import choice, clean_text
from .transaction import save_version, transactional

TEMPLATE_DIR = ROOT / "data" / "flyers"
LAYOUTS = ("a4", "a5-bilingual")
CITATION = re.compile(r"\[\[([a-z0-9][a-z0-9_.-]{0,119})\]\]")
EDITOR_ROLES = ("outreach", "facilitator", "admin")


@dataclass(frozen=True)
class FieldSpec:
    """One named field of a flyer template."""

    key: str
    label: str
    max_length: int = 500
    multiline: bool = False
    default: str = ""


@dataclass(frozen=True)
class FlyerTemplate:
    """A flyer template file: its fields in print order."""

    key: str
    name: str
    description: str
    fields: tuple[FieldSpec, ...]


def load_templates() -> dict[str, FlyerTemplate]:
    """Every template in ``data/flyers/*.toml`` by file name (read fresh each time, so an
    edited file takes effect without a restart)."""
    templates = {}
    for path in sorted(TEMPLATE_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        fields = tuple(FieldSpec(key=f["key"], label=f.get("label", f["key"]),
                                 max_length=int(f.get("max_length", 500)),
                                 multiline=bool(f.get("multiline", False)),
                                 default=f.get("default", ""))
                       for f in data.get("fields", []))
        templates[path.stem] = FlyerTemplate(path.stem, data.get("name", path.stem),
                                             data.get("description", ""), fields)
    return templates


def get_template(key: str) -> FlyerTemplate:
    """The template with this key, or :class:`NotFound`."""
    template = load_templates().get(key)
    if template is None:
        raise NotFound(_l("There is no flyer template “%(key)s”.", key=key))
    return template


def parse_fields(template: FlyerTemplate, form: Mapping, *, required: bool) -> dict[str, str]:
    """Validated field texts from a form; with ``required`` every field needs text."""
    return {
        spec.key: clean_text(form.get(spec.key), label=spec.label, field=spec.key,
                             max_length=spec.max_length, required=required,
                             multiline=spec.multiline)
        for spec in template.fields
    }


def cited_keys(fields: Mapping[str, str]) -> list[str]:
    """The concept keys cited in the fields, in order of first appearance."""
    keys: dict[str, None] = {}
    for text in fields.values():
        for match in CITATION.finditer(text or ""):
            keys.setdefault(match.group(1))
    return list(keys)


def _check_citations(session: Session, fields: Mapping[str, str]) -> None:
    keys = cited_keys(fields)
    if not keys:
        return
    known = set(session.exec(select(Concept.key).where(Concept.key.in_(keys))))
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise InputError(_l("No concept has the key “%(key)s”; cite concepts as [[key]].",
                            key=unknown[0]))


def concept_wordings(session: Session, keys: list[str], *, language: str,
                     working: str) -> dict[str, str | None]:
    """What each cited concept says in ``language``: the working-language wording, or
    the rendering agreed for ``working`` -> ``language`` (its paraphrase when there is no
    direct equivalent). None when nothing is agreed."""
    if not keys:
        return {}
    concepts = {c.id: c.key for c in session.exec(select(Concept).where(Concept.key.in_(keys)))}
    result: dict[str, str | None] = dict.fromkeys(keys)
    if language != working:
        agreed = set(session.exec(select(Agreement.concept_id).where(
            Agreement.concept_id.in_(list(concepts) or [0]),
            Agreement.source_language == working, Agreement.target_language == language,
            Agreement.state == rules.AGREED)))
    terms = session.exec(select(Term).where(Term.concept_id.in_(list(concepts) or [0]),
                                            Term.language == language).order_by(Term.id))
    for term in terms:
        key = concepts[term.concept_id]
        if result[key] is not None or term.status == "deprecated":
            continue
        if language != working and term.concept_id not in agreed:
            continue
        if language == working:
            # "consent (sexual)" reads as "consent" in running text.
            result[key] = without_qualifier(term.text) or term.text
        else:
            result[key] = term.paraphrase if term.no_equivalent and term.paraphrase else term.text
    return result


def resolve(text: str, wordings: Mapping[str, str | None]) -> str:
    """``text`` with each ``[[key]]`` replaced by its wording (left as is when None)."""
    return CITATION.sub(lambda m: wordings.get(m.group(1)) or m.group(0), text or "")


def rendered(session: Session, fields: Mapping[str, str], *, language: str,
             working: str) -> tuple[dict[str, str], list[str]]:
    """The fields with citations resolved for ``language``, and the cited keys that have
    no agreed wording there."""
    keys = cited_keys(fields)
    wordings = concept_wordings(session, keys, language=language, working=working)
    return ({k: resolve(v, wordings) for k, v in fields.items()},
            [k for k in keys if wordings.get(k) is None])


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
    _check_citations(session, fields)
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
    _check_citations(session, fields)
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
    _check_citations(session, fields)
    translation = get_translation(session, flyer, language)
    who = person.id if person else None
    if translation is None:
        translation = FlyerTranslation(flyer_id=flyer.id, target_language=language,
                                       fields=fields, updated_by_id=who)
        session.add(translation)
        session.flush()
        before = None
    else:
        before = {"fields": translation.fields, "version": translation.version}
        save_version(session, translation, seen_version=seen_version or 0,
                     conflict=_l("This translation was changed by someone else meanwhile. "
                                 "Your text is shown below; compare and save again."),
                     fields=fields, updated_by_id=who)
    record(session, person=person, action="translate", entity="flyer_translation",
           entity_id=translation.id, before=before,
           after={"fields": fields, "version": translation.version, "language": language})
    lock(session, translation)
    refresh_subject(session, translation_subject(translation), person=person)
    return translation


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
