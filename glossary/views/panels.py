"""The per-language panel of a concept page: renderings, agreement state, signatures and
what the viewer may do. Built in one place for the full page and its htmx fragment."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlmodel import Session, select

from .. import agreement as rules
from ..concepts import may_edit_language
from ..errors import Refused
from ..models import Agreement, Concept, Dispute, Person, Signature, Term
from ..signoff import may_discuss, open_dispute_of, signatures_of
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
    """Assemble the panel for ``tag``; sign buttons appear only for roles the viewer may
    sign in now, and refusals (e.g. lapsed training) are listed so the viewer knows why."""
    terms = list(session.exec(select(Term).where(Term.concept_id == concept.id,
                                                 Term.language == tag).order_by(Term.id)))
    agreement = session.exec(select(Agreement).where(
        Agreement.concept_id == concept.id, Agreement.source_language == working,
        Agreement.target_language == tag)).first()
    source_terms = list(session.exec(select(Term).where(
        Term.concept_id == concept.id, Term.language == working).order_by(Term.id)))
    fp = rules.fingerprint(source_terms, terms)
    panel = LanguagePanel(concept=concept, tag=tag, terms=terms, agreement=agreement,
                          fingerprint=fp)
    if person is not None:
        panel.can_edit = may_edit_language(person, tag, working)
    if agreement is None:
        return panel
    signatures = signatures_of(session, agreement.id)
    people = {p.id: p for p in session.exec(select(Person).where(
        Person.id.in_({s.person_id for s in signatures} | {0})))}
    for s in reversed(signatures):
        (panel.current if s.fingerprint == fp else panel.earlier).append((s, people[s.person_id]))
    panel.dispute = open_dispute_of(session, agreement.id)
    if panel.dispute:
        panel.dispute_by = session.get(Person, panel.dispute.person_id)
    if person is None:
        return panel
    panel.can_discuss = may_discuss(person, agreement)
    if agreement.state in (rules.PROPOSED, rules.NEEDS_REVIEW):
        signed_now = {s.person_id: s.role for s, _p in panel.current}
        for role in ("facilitator", "mediator"):
            if role not in person.role_list:
                continue
            if role == "mediator" and tag not in person.language_list:
                continue  # not their language: no button, and no refusal to read either
            if person.id in signed_now or any(s.role == role for s, _p in panel.current):
                continue
            try:
                rules.check_can_sign(person, role, target_language=tag, today=today(),
                                     validity_months=current_app.config["TRAINING_VALIDITY_MONTHS"])
            except Refused as refusal:
                panel.sign_refusals.append(str(refusal))
            else:
                panel.sign_roles.append(role)
    return panel


def panel_languages(session: Session, concept: Concept, working: str) -> list[str]:
    """The target languages of a concept: those with renderings or an agreement."""
    tags = set(session.exec(select(Term.language).where(Term.concept_id == concept.id)))
    tags |= set(session.exec(select(Agreement.target_language).where(
        Agreement.concept_id == concept.id)))
    tags.discard(working)
    return sorted(tags)
