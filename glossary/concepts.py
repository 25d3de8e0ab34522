"""Concepts and their renderings: validated input, creation, and edits that keep every
version and refuse to overwrite someone else's change (optimistic locking)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from sqlalchemy import update
from sqlmodel import Session, select

from . import languages
from .audit import concept_snapshot, record, term_snapshot
from .errors import Conflict, InputError, Refused, found
from .i18n import _l
from .models import (
    CONCEPT_STATUSES,
    REGISTERS,
    SENSITIVITIES,
    TERM_STATUSES,
    Concept,
    ConceptBase,
    Domain,
    Language,
    Person,
    Term,
    TermBase,
    TermVersion,
    utcnow,
)
from .signoff import refresh_concept
from .text import choice, clean_text
from .transaction import transactional

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,119}$")
TRUE_VALUES = ("1", "on", "true", "yes")


# Validated input for a concept (form, import or CLI).
class ConceptCreate(ConceptBase):
    pass


# Validated input for a rendering.
class TermCreate(TermBase):
    pass


def slugify(text: str) -> str:
    """A concept key from its working-language wording: ``Consent (sexual)`` ->
    ``consent-sexual``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120]


def parse_concept(form: Mapping, *, session: Session, unstated: bool = False) -> ConceptCreate:
    """Validate concept fields from a form or import row; raise :class:`InputError`. With
    ``unstated`` (the edit form of a concept whose sensitivity was never stated), an empty
    sensitivity stays None."""
    source = form.get("source_text", "")
    key = (form.get("key") or "").strip().lower() or slugify(source or "")
    if not KEY_PATTERN.match(key):
        raise InputError(
            _l("The key may use lower-case letters, digits, '-', '_' and '.' only."),
            field="key",
        )
    try:
        domain_id = int(form.get("domain_id") or 0)
    except ValueError:
        domain_id = 0
    if session.get(Domain, domain_id) is None:
        raise InputError(_l("Choose a domain."), field="domain_id")
    return ConceptCreate(
        key=key,
        domain_id=domain_id,
        definition=clean_text(form.get("definition"), label=_l("Definition"),
                              field="definition", max_length=4000, required=False,
                              multiline=True),
        sensitivity=_stated(form.get("sensitivity"), "medium", unstated, SENSITIVITIES,
                            label=_l("Sensitivity"), field="sensitivity"),
        facilitator_note=clean_text(form.get("facilitator_note"), label=_l("Facilitator note"),
                                    field="facilitator_note", max_length=4000,
                                    required=False, multiline=True),
        status=choice(form.get("status") or "active", CONCEPT_STATUSES, label=_l("Status"),
                      field="status"),
    )


def parse_term(form: Mapping, *, unstated: bool = False) -> TermCreate:
    """Validate rendering fields; raise :class:`InputError` naming the field.

    A "no direct equivalent" entry needs the paraphrase to use instead; its text defaults
    to that paraphrase. The explanation for participants is in the rendering's language,
    several lines at most 2000 characters. With ``unstated`` (imports, and the edit form
    of a rendering whose status or register was never stated), an empty status or
    register stays None ("not stated") instead of taking the default."""
    no_equivalent = str(form.get("no_equivalent", "")).lower() in TRUE_VALUES
    paraphrase = clean_text(form.get("paraphrase"), label=_l("Paraphrase"), field="paraphrase",
                            max_length=1000, required=no_equivalent)
    text = clean_text(form.get("text") or (paraphrase if no_equivalent else ""),
                      label=_l("Rendering"), field="text", max_length=500)
    return TermCreate(
        text=text,
        status=_stated(form.get("status"), "preferred", unstated, TERM_STATUSES,
                       label=_l("Status"), field="status"),
        usage_register=_stated(form.get("register"), "neutral", unstated, REGISTERS,
                               label=_l("Register"), field="register"),
        back_translation=clean_text(form.get("back_translation"), label=_l("Back-translation"),
                                    field="back_translation", max_length=1000, required=False),
        usage_note=clean_text(form.get("usage_note"), label=_l("Usage note"), field="usage_note",
                              max_length=4000, required=False, multiline=True),
        no_equivalent=no_equivalent,
        paraphrase=paraphrase,
        explanation=clean_text(form.get("explanation"), label=_l("Explanation for participants"),
                               field="explanation", max_length=2000, required=False,
                               multiline=True),
    )


def _stated(value, default: str, unstated: bool, allowed, **labels) -> str | None:
    if not value:
        return None if unstated else default
    return choice(value, allowed, **labels)


def custom_languages(session: Session) -> dict[str, Language]:
    """The organisation's own language entries by tag."""
    return {row.tag: row for row in session.exec(select(Language))}


def may_edit_language(person: Person, language: str, working: str) -> bool:
    """Facilitators and admins edit any language; mediators edit their own languages (and
    may propose in the working language only as facilitators do: not at all)."""
    if person.has_role("facilitator", "admin"):
        return True
    return person.has_role("mediator") and language != working and (
        language in person.language_list
    )


def add_version(session: Session, term: Term, person: Person | None) -> None:
    """Keep the term's current wording (its recordings included) as a version."""
    session.add(TermVersion(term_id=term.id, version=term.version,
                            author_id=person.id if person else None, audio=term.audio,
                            **TermCreate.model_validate(term, from_attributes=True).model_dump()))


@transactional
def create_concept(
    session: Session, *, data: ConceptCreate, source_text: str, working: str,
    person: Person | None, is_demo: bool = False,
) -> Concept:
    """Create a concept with its working-language wording; refuse a key in use."""
    if person is not None and not person.has_role("facilitator", "admin"):
        raise Refused(_l("Only facilitators and admins create concepts."))
    source = clean_text(source_text, label=_l("Working-language wording"), field="source_text")
    if session.exec(select(Concept).where(Concept.key == data.key)).first():
        raise InputError(_l("The key “%(key)s” is already used by another concept.",
                            key=data.key), field="key")
    concept = Concept(**data.model_dump(), is_demo=is_demo)
    session.add(concept)
    session.flush()
    term = Term(concept_id=concept.id, language=working, text=source, is_demo=is_demo,
                updated_by_id=person.id if person else None)
    session.add(term)
    session.flush()
    add_version(session, term, person)
    record(session, person=person, action="create", entity="concept", entity_id=concept.id,
           after=concept_snapshot(concept) | {"source_text": source})
    return concept


@transactional
def update_concept(
    session: Session, *, concept: Concept, data: ConceptCreate, seen_version: int,
    person: Person,
) -> Concept:
    """Change a concept's fields unless someone else saved it since ``seen_version``."""
    if not person.has_role("facilitator", "admin"):
        raise Refused(_l("Only facilitators and admins edit concepts."))
    before = concept_snapshot(concept)
    clash = session.exec(
        select(Concept).where(Concept.key == data.key, Concept.id != concept.id)
    ).first()
    if clash:
        raise InputError(_l("The key “%(key)s” is already used by another concept.",
                            key=data.key), field="key")
    result = session.execute(
        update(Concept)
        .where(Concept.id == concept.id, Concept.version == seen_version)
        .values(**data.model_dump(), version=Concept.version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:
        raise Conflict(_l("This concept was changed by someone else meanwhile. "
                          "Your changes are shown below; compare and save again."))
    session.refresh(concept)
    record(session, person=person, action="update", entity="concept", entity_id=concept.id,
           before=before, after=concept_snapshot(concept))
    return concept


@transactional
def propose_term(
    session: Session, *, concept: Concept, language: str, data: TermCreate,
    person: Person | None, working: str, is_demo: bool = False,
) -> Term:
    """Add a rendering of ``concept`` in ``language``; the agreement for the pair moves to
    proposed (or needs review, when it had been signed)."""
    language = languages.validate_tag(language, custom_languages(session))
    if person is not None and not may_edit_language(person, language, working):
        raise Refused(_l("You may propose renderings only for your own languages."))
    term = Term(concept_id=concept.id, language=language, is_demo=is_demo,
                updated_by_id=person.id if person else None, **data.model_dump())
    session.add(term)
    session.flush()
    add_version(session, term, person)
    record(session, person=person, action="propose", entity="term", entity_id=term.id,
           after=term_snapshot(term))
    refresh_concept(session, concept_id=concept.id, language=language, working=working,
                    person=person)
    return term


@transactional
def edit_term(
    session: Session, *, term: Term, data: TermCreate, seen_version: int, person: Person,
    working: str,
) -> Term:
    """Save a new version of a rendering, unless someone else saved one since
    ``seen_version``: then raise :class:`Conflict` naming them, keep both texts (the
    attempt goes into the audit log and back to the form) and change nothing else."""
    if not may_edit_language(person, term.language, working):
        raise Refused(_l("You may edit renderings only for your own languages."))
    before = term_snapshot(term)
    result = session.execute(
        update(Term)
        .where(Term.id == term.id, Term.version == seen_version)
        .values(**data.model_dump(), version=Term.version + 1, updated_by_id=person.id,
                updated_at=utcnow(), is_demo=False)
    )
    if result.rowcount != 1:
        session.rollback()
        current = session.get(Term, term.id)
        session.refresh(current)
        editor = session.get(Person, current.updated_by_id) if current.updated_by_id else None
        record(session, person=person, action="edit_conflict", entity="term", entity_id=term.id,
               before=term_snapshot(current), after=data.model_dump())
        session.commit()
        raise Conflict(
            _l("This rendering was changed by %(name)s meanwhile (now version %(version)d). "
               "Nothing was overwritten: both texts are shown; compare and save again.",
               name=editor.name if editor else "?", version=current.version),
            current=current, attempted=data,
        )
    session.refresh(term)
    add_version(session, term, person)
    record(session, person=person, action="edit", entity="term", entity_id=term.id,
           before=before, after=term_snapshot(term))
    refresh_concept(session, concept_id=term.concept_id, language=term.language,
                    working=working, person=person)
    return term


def get_concept(session: Session, concept_id: int) -> Concept:
    """The concept with this id, or :class:`NotFound`."""
    return found(session.get(Concept, concept_id), _l("No such concept."))
