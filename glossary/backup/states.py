"""The check a restore makes before it commits: every agreement's and flyer
translation's stored state against the state its signatures, term versions and disputes
give it (the rules of :mod:`glossary.agreement`, through :mod:`glossary.signoff`).

A stored state is a cache of that derivation. An archive is data from outside, so it is
not trusted: a forged or damaged one could otherwise show "Agreed" where nobody signed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from .. import signoff, signoff_subjects
from ..errors import InputError
from ..flyers import translation_subject
from ..i18n import _l
from ..models import Agreement, Concept, Dispute, Signature, Term
from ..models.flyers import Flyer, FlyerTranslation

CHUNK = 500


@dataclass(frozen=True)
class StateMismatch:
    """One subject whose stored state is not the computed one."""

    entity: str  # "agreement" or "flyer_translation"
    id: int
    key: str  # the concept's key, or the flyer's name
    pair: str  # "en → ar"
    stored: str
    computed: str

    def __str__(self) -> str:
        return str(_l("%(key)s (%(pair)s): stored %(stored)s, computed %(computed)s",
                      key=self.key, pair=self.pair, stored=self.stored,
                      computed=self.computed))


class StatesDisagree(InputError):
    """The archive's stored states disagree with what its signatures give; ``report``
    lists them. Nothing was written."""

    def __init__(self, report: list[StateMismatch]):
        lines = "\n".join(str(m) for m in report)
        super().__init__(_l("The backup's stored states disagree with its signatures, "
                            "versions and disputes for %(count)d agreements; nothing was "
                            "changed. Restore it with --repair to store the computed "
                            "states.\n%(report)s", count=len(report), report=lines))
        self.report = report


def _agreement_mismatches(session: Session) -> Iterator[StateMismatch]:
    """Agreements in id order, read a chunk at a time (terms, signatures and disputes of
    the chunk in three queries), with their computed state."""
    last = 0
    while True:
        rows = session.execute(
            sa_select(Agreement.id, Agreement.concept_id, Agreement.source_language,
                      Agreement.target_language, Agreement.state, Concept.key)
            .join(Concept, Concept.id == Agreement.concept_id)
            .where(Agreement.id > last).order_by(Agreement.id).limit(CHUNK)).all()
        if not rows:
            return
        last = rows[-1].id
        ids = [r.id for r in rows]
        terms: dict[tuple[int, str], list] = {}
        for term in session.execute(
                sa_select(Term.id, Term.concept_id, Term.language, Term.version, Term.status,
                          Term.no_equivalent, Term.paraphrase, Term.text)
                .where(Term.concept_id.in_({r.concept_id for r in rows})).order_by(Term.id)):
            terms.setdefault((term.concept_id, term.language), []).append(term)
        signatures: dict[int, list] = {}
        for signature in session.execute(
                sa_select(Signature.agreement_id, Signature.person_id, Signature.role,
                          Signature.fingerprint)
                .where(Signature.agreement_id.in_(ids)).order_by(Signature.id)):
            signatures.setdefault(signature.agreement_id, []).append(signature)
        disputed = set(session.scalars(sa_select(Dispute.agreement_id).where(
            Dispute.agreement_id.in_(ids), Dispute.resolved_at.is_(None))))
        for row in rows:
            computed = signoff.agreement_state(
                source_terms=terms.get((row.concept_id, row.source_language), []),
                target_terms=terms.get((row.concept_id, row.target_language), []),
                signatures=signatures.get(row.id, []), disputed=row.id in disputed)
            if computed != row.state:
                yield StateMismatch("agreement", row.id, row.key,
                                    f"{row.source_language} → {row.target_language}",
                                    row.state, computed)


def _translation_mismatches(session: Session) -> Iterator[StateMismatch]:
    """Flyer translations (few: one per flyer and language) with their computed state."""
    for translation, flyer in session.exec(
            select(FlyerTranslation, Flyer).join(Flyer, Flyer.id == FlyerTranslation.flyer_id)
            .order_by(FlyerTranslation.id)):
        computed = signoff_subjects.subject_state(session, translation_subject(translation))
        if computed != translation.state:
            yield StateMismatch("flyer_translation", translation.id, flyer.name,
                                f"{flyer.source_language} → {translation.target_language}",
                                translation.state, computed)


def check_states(session: Session, *, repair: bool) -> list[StateMismatch]:
    """Every stored state that disagrees with the computed one. Without ``repair`` a
    disagreement raises :class:`StatesDisagree` (the caller rolls back); with it each
    state is stored as computed, with an audit event (by nobody: the restore), and the
    list is returned as the report. Agreements come first: a flyer translation's wording
    cites agreed renderings, so its state is computed on the corrected agreements."""
    agreements = list(_agreement_mismatches(session))
    if repair:
        for mismatch in agreements:
            subject = signoff.agreement_subject(session.get(Agreement, mismatch.id))
            signoff_subjects.refresh_subject(session, subject, person=None)
        session.flush()
    translations = list(_translation_mismatches(session))
    report = agreements + translations
    if report and not repair:
        raise StatesDisagree(report)
    for mismatch in translations:
        subject = translation_subject(session.get(FlyerTranslation, mismatch.id))
        signoff_subjects.refresh_subject(session, subject, person=None)
    session.flush()
    return report
