"""The per-language panel of a concept page: renderings, agreement state, signatures and
what the viewer may do. Built in one place for the full page and its htmx fragment."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlmodel import Session, select

from .. import agreement as rules
from ..audio.earlier import earlier_wording
from ..concepts import may_edit_language
from ..models import Agreement, Concept, Dispute, Person, Signature, Term
from ..signoff import may_discuss
from .helpers import language_info, today


@dataclass
class LanguagePanel:
    """Everything the template shows for one language of one concept."""

    concept: Concept
    tag: str
    terms: list[Term]
    agreement: Agreement | None
    fingerprint: str
    current: list[tuple[Signature, Person]] = field(default_factory=list)
    earlier: list[tuple[Signature, Person]] = field(default_factory=list)
    dispute: Dispute | None = None
    dispute_by: Person | None = None
    sign_roles: list[str] = field(default_factory=list)
    sign_refusals: list[str] = field(default_factory=list)
    can_edit: bool = False
    can_discuss: bool = False
    message: str | None = None
    message_kind: str = "info"
    # Recordings made for an earlier text, by term id: {"wording"}, {"explanation"}.
    earlier_recordings: dict[int, set[str]] = field(default_factory=dict)

    @property
    def info(self):
        """Name and direction of the panel's language."""
        return language_info(self.tag)

    @property
    def state(self) -> str:
        """The agreement state, ``open`` when no agreement exists yet."""
        return self.agreement.state if self.agreement else rules.OPEN


def build_panel(session: Session, concept: Concept, tag: str, person: Person | None,
                working: str) -> LanguagePanel:
    """The panel for one language (the htmx fragment after a sign-off or a dispute)."""
    return build_panels(session, concept, person, working, tags=[tag])[0]


def concept_terms(session: Session, concept: Concept) -> list[Term]:
    """Every term of a concept, in every language, oldest first."""
    return list(session.exec(select(Term).where(Term.concept_id == concept.id)
                             .order_by(Term.id)))


def build_panels(session: Session, concept: Concept, person: Person | None, working: str,
                 *, tags: list[str] | None = None,
                 terms: list[Term] | None = None) -> list[LanguagePanel]:
    """The panels for ``tags`` (by default every target language of the concept: see
    :func:`panel_languages`), read in five or six queries whatever their number: the concept's
    terms (unless the caller has read them: ``terms``), its agreements, their
    signatures, their open disputes, the people named; and the versions of terms
    with recordings, to tell a recording made for an earlier text.
    Sign buttons appear only for roles the viewer may sign in now, and refusals (e.g.
    lapsed training) are listed so the viewer knows why."""
    if terms is None:
        terms = concept_terms(session, concept)
    agreements = {a.target_language: a for a in session.exec(select(Agreement).where(
        Agreement.concept_id == concept.id, Agreement.source_language == working))}
    if tags is None:
        tags = _target_languages({t.language for t in terms}, agreements, working)
    by_language: dict[str, list[Term]] = {}
    for term in terms:
        by_language.setdefault(term.language, []).append(term)
    source_terms = by_language.get(working, [])
    shown = [agreements[tag].id for tag in tags if tag in agreements]
    signatures: dict[int, list[Signature]] = {}
    disputes: dict[int, Dispute] = {}
    people: dict[int, Person] = {}
    if shown:
        for signature in session.exec(select(Signature).where(
                Signature.agreement_id.in_(shown)).order_by(Signature.id)):
            signatures.setdefault(signature.agreement_id, []).append(signature)
        for dispute in session.exec(select(Dispute).where(
                Dispute.agreement_id.in_(shown), Dispute.resolved_at.is_(None))
                .order_by(Dispute.id)):
            disputes.setdefault(dispute.agreement_id, dispute)
        wanted = ({s.person_id for rows in signatures.values() for s in rows}
                  | {d.person_id for d in disputes.values()})
        if wanted:
            people = {p.id: p for p in session.exec(select(Person).where(Person.id.in_(wanted)))}
    panels = [_panel(concept, tag, by_language.get(tag, []), source_terms, agreements.get(tag),
                     signatures, disputes, people, person, working) for tag in tags]
    stale = earlier_wording(session, [t for panel in panels for t in panel.terms])
    for panel in panels:
        panel.earlier_recordings = {t.id: stale[t.id] for t in panel.terms if t.id in stale}
    return panels


def _panel(concept: Concept, tag: str, terms: list[Term], source_terms: list[Term],
           agreement: Agreement | None, signatures: dict[int, list[Signature]],
           disputes: dict[int, Dispute], people: dict[int, Person], person: Person | None,
           working: str) -> LanguagePanel:
    fp = rules.fingerprint(source_terms, terms)
    panel = LanguagePanel(concept=concept, tag=tag, terms=terms, agreement=agreement,
                          fingerprint=fp)
    if person is not None:
        panel.can_edit = may_edit_language(person, tag, working)
    if agreement is None:
        return panel
    for s in reversed(signatures.get(agreement.id, [])):
        (panel.current if s.fingerprint == fp else panel.earlier).append((s, people[s.person_id]))
    panel.dispute = disputes.get(agreement.id)
    if panel.dispute:
        panel.dispute_by = people[panel.dispute.person_id]
    if person is None:
        return panel
    panel.can_discuss = may_discuss(person, agreement)
    roles, refusals = rules.sign_options(
        person, target_language=tag, state=agreement.state,
        signatures=[s for s, _p in panel.current], current_fingerprint=fp, today=today(),
        validity_months=current_app.config["TRAINING_VALIDITY_MONTHS"])
    panel.sign_roles = roles
    panel.sign_refusals = [str(refusal) for refusal in refusals]
    return panel


def _target_languages(term_languages, agreement_languages, working: str) -> list[str]:
    """A concept's target languages: those with renderings or an agreement."""
    return sorted((set(term_languages) | set(agreement_languages)) - {working})


def panel_languages(session: Session, concept: Concept, working: str) -> list[str]:
    """The target languages of a concept: those with renderings or an agreement."""
    return _target_languages(
        session.exec(select(Term.language).where(Term.concept_id == concept.id)),
        session.exec(select(Agreement.target_language).where(
            Agreement.concept_id == concept.id)),
        working)
