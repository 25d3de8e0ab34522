"""Agreements in the database: finding them, refreshing their state, signing, disputing.

Every change to an agreement first bumps its ``lock_version`` with an UPDATE. That takes
the row lock on PostgreSQL and the write lock on SQLite before anything is read, so two
signatures arriving at once are applied one after the other, each seeing the other's
result, and end in one consistent state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from . import agreement as rules
from .audit import record
from .errors import Refused
from .i18n import _l
from .models import Agreement, Dispute, Person, Signature, Term, utcnow
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


def lock(session: Session, row):
    """Take the row's (PostgreSQL) or the database's (SQLite) write lock by bumping its
    ``lock_version``, then reload it. Works for any table with that column."""
    table = type(row)
    session.execute(
        update(table).where(table.id == row.id).values(lock_version=table.lock_version + 1)
    )
    session.refresh(row)
    return row


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


@dataclass(frozen=True)
class Wording:
    """The exact wording of both sides of a subject, as a signer sees it."""

    fingerprint: str
    complete: bool  # there is something to sign
    snapshot: dict  # kept with each signature for the history


class SubjectRow(Protocol):
    """The row of a sign-off subject: an agreement or a flyer translation."""

    id: int | None
    state: str
    lock_version: int
    target_language: str
    agreed_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class Subject:
    """Something a facilitator and a mediator sign off (an agreement on a concept, a flyer
    translation), described by what the generic steps below need from it. ``row`` has
    ``id``, ``state``, ``lock_version``, ``target_language``, ``agreed_at`` and
    ``updated_at``."""

    row: SubjectRow
    entity: str
    wording: Callable[[Session], Wording]
    signatures: Callable[[Session], list]
    disputed: Callable[[Session], bool]
    new_signature: Callable[..., Any]  # a Signature or a FlyerSignature


def refresh_subject(session: Session, subject: Subject, *, person: Person | None) -> str:
    """Recompute and store the subject's state; record an audit event when it changes.
    The caller holds the lock (see :func:`lock`)."""
    return _store_state(session, subject, person=person, wording=subject.wording(session),
                        signatures=subject.signatures(session),
                        disputed=subject.disputed(session))


def _store_state(session: Session, subject: Subject, *, person: Person | None,
                 wording: Wording, signatures: list, disputed: bool) -> str:
    row = subject.row
    state = rules.derive_state(rendering=wording.complete, signatures=signatures,
                               current_fingerprint=wording.fingerprint, open_dispute=disputed)
    if state != row.state:
        record(session, person=person, action=f"{subject.entity}_state", entity=subject.entity,
               entity_id=row.id, before={"state": row.state}, after={"state": state})
        row.state = state
        row.agreed_at = utcnow() if state == rules.AGREED else row.agreed_at
        row.updated_at = utcnow()
        session.add(row)
    return state


def sign_subject(session: Session, subject: Subject, *, person: Person, role: str,
                 seen_fingerprint: str, today: date, validity_months: int):
    """Add ``person``'s signature in ``role`` to the wording identified by
    ``seen_fingerprint``. Raises :class:`Refused` or :class:`Conflict` with the reason
    when the rules in :mod:`glossary.agreement` forbid it (the caller rolls back).

    Under the lock nothing the decision depends on can change, so the wording, the
    signatures and the open dispute are read once."""
    row = subject.row
    rules.check_can_sign(person, role, target_language=row.target_language, today=today,
                         validity_months=validity_months)
    lock(session, row)
    wording = subject.wording(session)
    signatures = subject.signatures(session)
    disputed = subject.disputed(session)
    _store_state(session, subject, person=person, wording=wording, signatures=signatures,
                 disputed=disputed)
    rules.check_signature_allowed(
        person_id=person.id, role=role, state=row.state,
        signatures=signatures, current_fingerprint=wording.fingerprint,
        seen_fingerprint=seen_fingerprint,
    )
    signature = subject.new_signature(person_id=person.id, role=role,
                                      fingerprint=wording.fingerprint, wording=wording.snapshot)
    session.add(signature)
    session.flush()
    record(session, person=person, action="sign", entity=subject.entity, entity_id=row.id,
           after={"role": role, "fingerprint": wording.fingerprint,
                  "signature_id": signature.id})
    _store_state(session, subject, person=person, wording=wording,
                 signatures=[*signatures, signature], disputed=disputed)
    return signature


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


def subject_state(session: Session, subject: Subject) -> str:
    """The state the subject's wording, signatures and disputes give it now, without
    storing it (:func:`refresh_subject` stores it)."""
    wording = subject.wording(session)
    return rules.derive_state(rendering=wording.complete, signatures=subject.signatures(session),
                              current_fingerprint=wording.fingerprint,
                              open_dispute=subject.disputed(session))


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
