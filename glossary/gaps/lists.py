"""The lists of the trainers' view: stale agreements, agreements signed by mediators whose
training has lapsed, agreements to review, open disputes and agreed renderings without a
recording, then all lists together."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from .. import agreement as rules
from ..models import Agreement, Concept, Dispute, Domain, Person, Signature, Term
from .common import DEFAULT_DUE_DAYS, DEFAULT_STALE_MONTHS, wordings_of
from .mediators import TrainingEntry, training


@dataclass
class AgreementEntry:
    """One agreement on a list, with what makes it stale or at risk."""

    agreement_id: int
    concept_id: int
    concept_key: str
    domain_name: str
    language: str
    state: str
    wording: str = ""
    since: datetime | None = None  # agreed, edited or disputed at
    age_days: int = 0
    reason: str = ""  # "wording" or "concept" (needs review), or the dispute comment
    person_name: str = ""  # the lapsed mediator, or who raised the dispute
    training_date: date | None = None
    training_expiry: date | None = None


def _entries(session: Session, working: str, rows, today: date) -> list[AgreementEntry]:
    """Entries from rows of :func:`_agreement_query` whose first extra column is the
    date the entry counts from, with the concepts' wordings (one more query)."""
    entries = [
        AgreementEntry(agreement_id=aid, concept_id=cid, concept_key=key,
                       domain_name=domain_name, language=language, state=state,
                       since=since, age_days=(today - since.date()).days if since else 0)
        for aid, cid, language, state, key, domain_name, since, *_rest in rows
    ]
    wordings = wordings_of(session, {e.concept_id for e in entries}, working)
    for entry in entries:
        entry.wording = wordings.get(entry.concept_id, entry.concept_key)
    return entries


def _agreement_query(working: str, *extra):
    # Columns rather than entities: lists can hold thousands of agreements.
    return (
        select(Agreement.id, Agreement.concept_id, Agreement.target_language, Agreement.state,
               Concept.key, Domain.name, *extra)
        .join(Concept, Concept.id == Agreement.concept_id)
        .join(Domain, Domain.id == Concept.domain_id)
        .where(Agreement.source_language == working, Concept.status == "active")
    )


def stale_agreements(session: Session, *, working: str, today: date,
                     months: int = DEFAULT_STALE_MONTHS) -> list[AgreementEntry]:
    """Agreements agreed more than ``months`` months before ``today``, oldest first."""
    cutoff = datetime.combine(rules.add_months(today, -months), time.min, tzinfo=UTC)
    rows = session.exec(_agreement_query(working, Agreement.agreed_at)
                        .where(Agreement.state == rules.AGREED, Agreement.agreed_at < cutoff)
                        .order_by(Agreement.agreed_at, Agreement.id)).all()
    return _entries(session, working, rows, today)


def lapsed_signatures(session: Session, *, working: str, today: date,
                      validity_months: int) -> list[AgreementEntry]:
    """Agreed agreements whose current mediator signature came from someone whose SGBV
    training has lapsed since (or was never recorded), by language then concept key.

    The current signatures of an agreed agreement are those bound to the same wording as
    its latest signature: a signature can only be added to the wording as it stands, and
    wording fingerprints never return to an earlier value, so the latest signature of an
    agreement that is still agreed is bound to the current wording."""
    people = {p.id: p for p in session.exec(select(Person))}
    lapsed = {pid for pid, p in people.items()
              if not rules.training_current(p.training_date, today, validity_months)}
    if not lapsed:
        return []
    candidates = select(Signature.agreement_id).where(Signature.person_id.in_(lapsed),
                                                      Signature.role == "mediator")
    signatures = session.exec(
        select(Signature.agreement_id, Signature.person_id, Signature.role,
               Signature.fingerprint)
        .join(Agreement, Agreement.id == Signature.agreement_id)
        .where(Agreement.state == rules.AGREED, Agreement.source_language == working,
               Signature.agreement_id.in_(candidates))
        .order_by(Signature.agreement_id, Signature.id)
    ).all()
    by_agreement: dict[int, list] = defaultdict(list)
    for row in signatures:
        by_agreement[row[0]].append(row)
    at_risk: dict[int, int] = {}
    for agreement_id, rows in by_agreement.items():
        latest = rows[-1][3]
        for _aid, person_id, role, fp in rows:
            if role == "mediator" and fp == latest and person_id in lapsed:
                at_risk[agreement_id] = person_id
    if not at_risk:
        return []
    rows = session.exec(_agreement_query(working, Agreement.agreed_at)
                        .where(Agreement.id.in_(list(at_risk)))).all()
    entries = _entries(session, working, rows, today)
    for entry in entries:
        person = people[at_risk[entry.agreement_id]]
        entry.person_name = person.name
        entry.training_date = person.training_date
        entry.training_expiry = rules.training_expiry(person.training_date, validity_months)
    return sorted(entries, key=lambda e: (e.language, e.concept_key))


def needs_review(session: Session, *, working: str, today: date) -> list[AgreementEntry]:
    """Agreements whose wording was edited since signing (state needs review, reason
    ``wording``), and agreed ones whose concept (definition, note ...) was edited after
    the agreement was reached (reason ``concept``), longest waiting first."""
    rows = session.exec(
        _agreement_query(working, Agreement.updated_at, Concept.updated_at)
        .where(or_(Agreement.state == rules.NEEDS_REVIEW,
                   and_(Agreement.state == rules.AGREED,
                        Concept.updated_at > Agreement.agreed_at)))
    ).all()
    entries = _entries(session, working,
                       [(*row[:6], row[6] if row[3] == rules.NEEDS_REVIEW else row[7])
                        for row in rows], today)
    for entry in entries:
        entry.reason = "wording" if entry.state == rules.NEEDS_REVIEW else "concept"
    return sorted(entries, key=lambda e: (-e.age_days, e.language, e.concept_key))


def open_disputes(session: Session, *, working: str, today: date) -> list[AgreementEntry]:
    """Unresolved disputes with who raised them, their comment and age, oldest first."""
    rows = session.exec(
        _agreement_query(working, Dispute.created_at, Dispute.comment, Person.name)
        .join(Dispute, Dispute.agreement_id == Agreement.id)
        .join(Person, Person.id == Dispute.person_id)
        .where(Dispute.resolved_at.is_(None))
        .order_by(Dispute.created_at, Dispute.id)
    ).all()
    entries = _entries(session, working, rows, today)
    for entry, (*_rest, comment, name) in zip(entries, rows, strict=True):
        entry.reason, entry.person_name = comment, name
    return entries


def _silent(session: Session, *, working: str, today: date,
            key: str) -> list[AgreementEntry]:
    """Agreed pairs with a rendering in use (not "avoid") whose ``key`` recording
    (``wording`` or ``explanation``) is missing, by language then concept. Only a
    rendering with an explanation can lack the explanation's recording."""
    rows = session.exec(_agreement_query(working, Agreement.agreed_at)
                        .where(Agreement.state == rules.AGREED)).all()
    concept_ids = {row[1] for row in rows} or {0}
    silent = set()
    for concept_id, language, audio, status, explanation in session.exec(
            select(Term.concept_id, Term.language, Term.audio, Term.status, Term.explanation)
            .where(col(Term.concept_id).in_(concept_ids), Term.language != working)):
        spoken = explanation if key == "explanation" else True
        if status != "deprecated" and spoken and not (audio or {}).get(key):
            silent.add((concept_id, language))
    entries = _entries(session, working, [r for r in rows if (r[1], r[2]) in silent], today)
    return sorted(entries, key=lambda e: (e.language, e.concept_key))


def unrecorded(session: Session, *, working: str, today: date) -> list[AgreementEntry]:
    """Agreed pairs with a rendering in use that has no recording of its wording yet:
    what a mediator still has to speak for the session kit."""
    return _silent(session, working=working, today=today, key="wording")


def unexplained(session: Session, *, working: str, today: date) -> list[AgreementEntry]:
    """Agreed pairs with a rendering in use whose explanation for participants has no
    recording yet."""
    return _silent(session, working=working, today=today, key="explanation")


@dataclass
class GapLists:
    """Every list of the trainers' view, as of one day."""

    stale: list[AgreementEntry]
    lapsed: list[AgreementEntry]
    review: list[AgreementEntry]
    disputes: list[AgreementEntry]
    training: list[TrainingEntry]
    unrecorded: list[AgreementEntry] = field(default_factory=list)
    unexplained: list[AgreementEntry] = field(default_factory=list)


def gap_lists(session: Session, *, working: str, today: date, validity_months: int,
              stale_months: int = DEFAULT_STALE_MONTHS,
              due_days: int = DEFAULT_DUE_DAYS) -> GapLists:
    """Stale, lapsed-signature, needs-review, dispute and training lists together."""
    return GapLists(
        stale=stale_agreements(session, working=working, today=today, months=stale_months),
        lapsed=lapsed_signatures(session, working=working, today=today,
                                 validity_months=validity_months),
        review=needs_review(session, working=working, today=today),
        disputes=open_disputes(session, working=working, today=today),
        training=training(session, today=today, validity_months=validity_months,
                          due_days=due_days),
        unrecorded=unrecorded(session, working=working, today=today),
        unexplained=unexplained(session, working=working, today=today),
    )
