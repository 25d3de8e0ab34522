"""Agreements in the database: finding them, refreshing their state, signing, disputing.

Every change to an agreement first bumps its ``lock_version`` with an UPDATE. That takes
the row lock on PostgreSQL and the write lock on SQLite before anything is read, so two
signatures arriving at once are applied one after the other, each seeing the other's
result, and end in one consistent state.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from . import agreement as rules
from .audit import record
from .errors import Refused
from .models import Agreement, Dispute, Person, Signature, Term, utcnow
from .text import clean_text
from .transaction import transactional


def terms_of(session: Session, concept_id: int, language: str) -> list[Term]:
    """The current terms of a concept in one language, oldest first."""
    return list(
        session.exec(
            select(Term)
            .where(Term.concept_id == concept_id, Term.language == language)
            .order_by(Term.id)
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


def lock(session: Session, agreement: Agreement) -> Agreement:
    """Take the agreement's row (or database) write lock and reload it."""
    session.execute(
        update(Agreement)
        .where(Agreement.id == agreement.id)
        .values(lock_version=Agreement.lock_version + 1)
    )
    session.refresh(agreement)
    return agreement


def signatures_of(session: Session, agreement_id: int) -> list[Signature]:
    """Every signature an agreement has had, oldest first."""
    return list(
        session.exec(
            select(Signature).where(Signature.agreement_id == agreement_id).order_by(Signature.id)
        )
    )


def open_dispute_of(session: Session, agreement_id: int) -> Dispute | None:
    """The unresolved dispute of an agreement, if any."""
    return session.exec(
        select(Dispute).where(Dispute.agreement_id == agreement_id, Dispute.resolved_at.is_(None))
    ).first()


def current_fingerprint(session: Session, agreement: Agreement) -> str:
    """The fingerprint of the wording of both sides as it stands now."""
    return rules.fingerprint(
        terms_of(session, agreement.concept_id, agreement.source_language),
        terms_of(session, agreement.concept_id, agreement.target_language),
    )


def refresh(session: Session, agreement: Agreement, *, person: Person | None = None) -> str:
    """Recompute and store the agreement's state; record an audit event when it changes.
    The caller holds the lock (see :func:`lock`)."""
    target_terms = terms_of(session, agreement.concept_id, agreement.target_language)
    source_terms = terms_of(session, agreement.concept_id, agreement.source_language)
    state = rules.derive_state(
        rendering=bool(source_terms) and rules.has_rendering(target_terms),
        signatures=signatures_of(session, agreement.id),
        current_fingerprint=rules.fingerprint(source_terms, target_terms),
        open_dispute=open_dispute_of(session, agreement.id) is not None,
    )
    if state != agreement.state:
        record(
            session,
            person=person,
            action="agreement_state",
            entity="agreement",
            entity_id=agreement.id,
            before={"state": agreement.state},
            after={"state": state},
        )
        agreement.state = state
        agreement.agreed_at = utcnow() if state == rules.AGREED else agreement.agreed_at
        agreement.updated_at = utcnow()
        session.add(agreement)
    return state


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
        .order_by(Agreement.id)
    ).all()
    for agreement in agreements:
        lock(session, agreement)
        refresh(session, agreement, person=person)


def wording_snapshot(session: Session, agreement: Agreement) -> dict:
    """The wording a signer saw, kept with the signature for the history."""

    def side(language):
        return [
            {"id": t.id, "version": t.version, "text": t.text, "status": t.status,
             "back_translation": t.back_translation, "no_equivalent": t.no_equivalent,
             "paraphrase": t.paraphrase}
            for t in terms_of(session, agreement.concept_id, language)
        ]

    return {
        agreement.source_language: side(agreement.source_language),
        agreement.target_language: side(agreement.target_language),
    }


@transactional
def sign(
    session: Session,
    *,
    agreement: Agreement,
    person: Person,
    role: str,
    seen_fingerprint: str,
    today: date,
    validity_months: int,
) -> Signature:
    """Add ``person``'s signature in ``role`` to the wording identified by
    ``seen_fingerprint`` and commit. Raises :class:`Refused` or :class:`Conflict` with the
    reason, changing nothing, when the rules in :mod:`glossary.agreement` forbid it."""
    rules.check_can_sign(
        person, role, target_language=agreement.target_language, today=today,
        validity_months=validity_months,
    )
    lock(session, agreement)
    refresh(session, agreement, person=person)
    fp = current_fingerprint(session, agreement)
    rules.check_signature_allowed(
        person_id=person.id, role=role, state=agreement.state,
        signatures=signatures_of(session, agreement.id), current_fingerprint=fp,
        seen_fingerprint=seen_fingerprint,
    )
    signature = Signature(
        agreement_id=agreement.id, person_id=person.id, role=role, fingerprint=fp,
        wording=wording_snapshot(session, agreement),
    )
    session.add(signature)
    session.flush()
    record(session, person=person, action="sign", entity="agreement", entity_id=agreement.id,
           after={"role": role, "fingerprint": fp, "signature_id": signature.id})
    refresh(session, agreement, person=person)
    return signature


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
    if not may_discuss(person, agreement):
        raise Refused(_l("Only a facilitator or a mediator of this language can dispute."))
    lock(session, agreement)
    if open_dispute_of(session, agreement.id):
        raise Refused(_l("This agreement is already disputed."))
    dispute = Dispute(agreement_id=agreement.id, person_id=person.id, comment=comment)
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
