"""Agreements in the database: finding them, refreshing their state, signing, disputing.

An agreement is one kind of sign-off subject: the steps every subject shares (its
wording, storing its state, signing, the lock every change takes first so that two
signatures arriving at once end in one consistent state) are in
:mod:`glossary.signoff_subjects`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from . import agreement as rules
from .audit import record
from .errors import Refused
from .i18n import _l
from .models import Agreement, Dispute, Person, Signature, Term, utcnow
from .signoff_subjects import Subject, Wording, lock, refresh_subject, sign_subject
from .text import clean_text
from .transaction import transactional


def terms_of(session: Session, concept_id: int, language: str) -> list[Term]:
    """The current terms of a concept in one language, oldest first."""
    return list(
        session.exec(
            select(Term)
            .where(Term.concept_id == concept_id, Term.language == language)
            .order_by(col(Term.id))
        )
    )


def get_or_create_agreement(
    session: Session, *, concept_id: int, source: str, target: str
) -> Agreement:
    """The agreement for a concept and language pair, created (state open) if missing."""
    query = select(Agreement).where(
        Agreement.concept_id == concept_id,
        Agreement.source_language == source,
        Agreement.target_language == target,
    )
    found = session.exec(query).first()
    if found:
        return found
    try:
        with session.begin_nested():
            found = Agreement(concept_id=concept_id, source_language=source, target_language=target)
            session.add(found)
    except IntegrityError:
        # Someone created it at the same moment; theirs is the one.
        found = session.exec(query).one()
    return found


def signatures_of(session: Session, agreement_id: int | None) -> list[Signature]:
    """Every signature an agreement has had, oldest first."""
    return list(
        session.exec(
            select(Signature).where(Signature.agreement_id == agreement_id)
            .order_by(col(Signature.id))
        )
    )


def open_dispute_of(session: Session, agreement_id: int | None) -> Dispute | None:
    """The unresolved dispute of an agreement, if any."""
    return session.exec(
        select(Dispute).where(Dispute.agreement_id == agreement_id,
                              col(Dispute.resolved_at).is_(None))
    ).first()


def _agreement_wording(session: Session, agreement: Agreement) -> Wording:
    source = terms_of(session, agreement.concept_id, agreement.source_language)
    target = terms_of(session, agreement.concept_id, agreement.target_language)

    def side(terms):
        return [{"id": t.id, "version": t.version, "text": t.text, "status": t.status,
                 "back_translation": t.back_translation, "no_equivalent": t.no_equivalent,
                 "paraphrase": t.paraphrase}
                | ({"explanation": t.explanation} if t.explanation else {})
                | ({"audio": dict(t.audio)} if t.audio else {}) for t in terms]

    return Wording(
        fingerprint=rules.fingerprint(source, target),
        complete=_complete(source, target),
        snapshot={agreement.source_language: side(source),
                  agreement.target_language: side(target)},
    )


def _complete(source: list, target: list) -> bool:
    """An agreement has something to sign: a source wording and a usable rendering."""
    return bool(source) and rules.has_rendering(target)


def agreement_state(*, source_terms: list, target_terms: list, signatures: list,
                    disputed: bool) -> str:
    """The state an agreement has for the current terms of both sides (oldest first),
    every signature it has had and whether a dispute is open; the same derivation as
    :func:`refresh`, for callers that read many agreements at once (a restore's check)."""
    return rules.derive_state(rendering=_complete(source_terms, target_terms),
                              signatures=signatures,
                              current_fingerprint=rules.fingerprint(source_terms, target_terms),
                              open_dispute=disputed)


def agreement_subject(agreement: Agreement) -> Subject:
    """An agreement on a concept for a language pair, as a sign-off subject."""
    return Subject(
        row=agreement,
        entity="agreement",
        wording=lambda session: _agreement_wording(session, agreement),
        signatures=lambda session: signatures_of(session, agreement.id),
        disputed=lambda session: open_dispute_of(session, agreement.id) is not None,
        # A stored row's id is never None, whatever SQLModel's type for it says.
        new_signature=lambda **fields: Signature(
            agreement_id=agreement.id, **fields),  # type: ignore[arg-type]
    )


def current_fingerprint(session: Session, agreement: Agreement) -> str:
    """The fingerprint of the wording of both sides as it stands now."""
    return _agreement_wording(session, agreement).fingerprint


def refresh(session: Session, agreement: Agreement, *, person: Person | None = None) -> str:
    """Recompute and store an agreement's state (the caller holds the lock)."""
    return refresh_subject(session, agreement_subject(agreement), person=person)


def refresh_concept(session: Session, *, concept_id: int, language: str, working: str,
                    person: Person | None) -> None:
    """After a term of ``language`` changed, refresh every agreement of the concept that
    has that language on either side (creating the pair's agreement if needed)."""
    if language != working:
        get_or_create_agreement(session, concept_id=concept_id, source=working, target=language)
    agreements = session.exec(
        select(Agreement)
        .where(Agreement.concept_id == concept_id)
        .where((Agreement.source_language == language) | (Agreement.target_language == language))
        .order_by(col(Agreement.id))
    ).all()
    for agreement in agreements:
        lock(session, agreement)
        refresh(session, agreement, person=person)


@transactional
def sign(session: Session, *, agreement: Agreement, person: Person, role: str,
         seen_fingerprint: str, today: date, validity_months: int) -> Signature:
    """Sign an agreement on the wording identified by ``seen_fingerprint`` and commit;
    refused signatures change nothing (see :func:`sign_subject`)."""
    return sign_subject(session, agreement_subject(agreement), person=person, role=role,
                        seen_fingerprint=seen_fingerprint, today=today,
                        validity_months=validity_months)


def may_discuss(person: Person, agreement: Agreement) -> bool:
    """Facilitators, and mediators of the target language, may raise and resolve
    disputes."""
    return person.has_role("facilitator", "admin") or (
        person.has_role("mediator") and agreement.target_language in person.language_list
    )


@transactional
def raise_dispute(session: Session, *, agreement: Agreement, person: Person,
                  comment: str) -> Dispute:
    """Object to the rendering with a comment; the agreement is disputed until resolved."""
    comment = clean_text(comment, label=_l("Comment"), field="comment", max_length=4000,
                         multiline=True)
    rules.check_can_dispute(person, target_language=agreement.target_language)
    lock(session, agreement)
    if open_dispute_of(session, agreement.id):
        raise Refused(_l("This agreement is already disputed."))
    dispute = Dispute(agreement_id=agreement.id, person_id=person.id,  # type: ignore[arg-type]
                      comment=comment)
    session.add(dispute)
    session.flush()
    record(session, person=person, action="dispute", entity="agreement", entity_id=agreement.id,
           after={"dispute_id": dispute.id, "comment": comment})
    refresh(session, agreement, person=person)
    return dispute


@transactional
def resolve_dispute(session: Session, *, agreement: Agreement, person: Person,
                    resolution: str) -> Dispute:
    """Close the open dispute with a note on how it was resolved."""
    resolution = clean_text(resolution, label=_l("Resolution"), field="resolution",
                            max_length=4000, multiline=True)
    if not may_discuss(person, agreement):
        raise Refused(_l("Only a facilitator or a mediator of this language can resolve."))
    lock(session, agreement)
    dispute = open_dispute_of(session, agreement.id)
    if dispute is None:
        raise Refused(_l("There is no open dispute."))
    dispute.resolved_at = utcnow()
    dispute.resolved_by_id = person.id
    dispute.resolution = resolution
    session.add(dispute)
    record(session, person=person, action="resolve_dispute", entity="agreement",
           entity_id=agreement.id, after={"dispute_id": dispute.id, "resolution": resolution})
    refresh(session, agreement, person=person)
    return dispute
