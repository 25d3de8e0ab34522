"""Readiness of a group per language pair: agreed / needed over the group's concepts,
with each blocking concept and the reason it blocks; for one group (:func:`readiness`) or
for a list of groups at once (:func:`readiness_of_groups`, the groups page: the same
queries for sixty groups as for one)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, select

from .. import agreement as rules
from ..handouts import in_kind_order
from ..handouts.frozen import handout_blockers
from ..i18n import _l
from ..models import LIST_ORDER, Agreement, Concept, Dispute, Domain, Signature, Term
from ..models.groups import Group, GroupConcept, GroupLanguage
from ..models.handouts import HandoutText


@dataclass
class Blocker:
    """A concept that keeps a language pair from being ready, and why."""

    concept_id: int
    key: str
    wording: str
    domain: str
    state: str
    reason: str


@dataclass
class PairReadiness:
    """Agreed / needed for one language pair of a group, with what blocks it."""

    language: str
    needed: int
    agreed: int
    blockers: list[Blocker] = field(default_factory=list)
    # Handout texts not translated into the language or not signed off
    # (glossary.handouts.frozen.HandoutBlocker).
    handouts: list = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """True when the group needs concepts, every one is agreed, and every handout
        text of the group is translated and signed off."""
        return self.needed > 0 and self.agreed == self.needed and not self.handouts

    @property
    def percent(self) -> int:
        """Agreed as a whole percentage of needed (0 when nothing is needed)."""
        return round(100 * self.agreed / self.needed) if self.needed else 0


def _blocking_reason(state: str, target_terms: list[Term], current_roles: set[str],
                     dispute: Dispute | None):
    if state == rules.DISPUTED:
        return _l("Disputed: %(comment)s", comment=dispute.comment if dispute else "")
    if state == rules.NEEDS_REVIEW:
        return _l("The wording changed after it was signed; both sides sign again.")
    if state == rules.PROPOSED:
        if "facilitator" in current_roles:
            return _l("Proposed; signed by a facilitator, a mediator's signature is missing.")
        if "mediator" in current_roles:
            return _l("Proposed; signed by a mediator, a facilitator's signature is missing.")
        return _l("Proposed; nobody has signed it yet.")
    if target_terms:
        return _l("Only renderings marked “avoid”; a rendering to use is missing.")
    return _l("No rendering yet.")


def _pair_data(session: Session, source: str, concept_ids: list[int], targets: list[str]):
    """Terms, agreements, signatures and open disputes of the concepts for the pairs
    ``source`` -> each of ``targets``, in a fixed number of queries."""
    ids = concept_ids or [0]
    terms: dict[tuple[int, str], list[Term]] = defaultdict(list)
    for term in session.exec(select(Term).where(Term.concept_id.in_(ids),
                                                Term.language.in_([source, *targets]))
                             .order_by(Term.id)):
        terms[(term.concept_id, term.language)].append(term)
    agreements = {(a.concept_id, a.target_language): a for a in session.exec(
        select(Agreement).where(Agreement.concept_id.in_(ids),
                                Agreement.source_language == source,
                                Agreement.target_language.in_(targets or [""])))}
    agreement_ids = [a.id for a in agreements.values()] or [0]
    signatures: dict[int, list[Signature]] = defaultdict(list)
    for s in session.exec(select(Signature).where(Signature.agreement_id.in_(agreement_ids))):
        signatures[s.agreement_id].append(s)
    disputes = {d.agreement_id: d for d in session.exec(select(Dispute).where(
        Dispute.agreement_id.in_(agreement_ids), Dispute.resolved_at.is_(None)))}
    return terms, agreements, signatures, disputes


def _group_concepts(session: Session, group: Group) -> list[tuple[Concept, Domain]]:
    return list(session.exec(
        select(Concept, Domain).join(GroupConcept, GroupConcept.concept_id == Concept.id)
        .join(Domain, Domain.id == Concept.domain_id)
        .where(GroupConcept.group_id == group.id).order_by(*LIST_ORDER)))


def readiness(session: Session, group: Group,
              targets: list[str] | None = None) -> list[PairReadiness]:
    """Agreed / needed for each target language of the group (or ``targets``), listing
    every blocking concept with its state and the reason."""
    return readiness_of_groups(session, [group], targets)[group.id]


def readiness_of_groups(session: Session, groups: list[Group],
                        targets: list[str] | None = None) -> dict[int, list[PairReadiness]]:
    """:func:`readiness` of each of ``groups`` (for its own target languages, or
    ``targets``), by group id, reading the languages, concepts and handout texts of all of
    them at once and the terms and agreements once per working language."""
    ids = [g.id for g in groups] or [0]
    languages: dict[int, list[str]] = defaultdict(list)
    if targets is None:
        for group_id, tag in session.exec(
                select(GroupLanguage.group_id, GroupLanguage.language)
                .where(GroupLanguage.group_id.in_(ids))
                .order_by(GroupLanguage.group_id, GroupLanguage.position, GroupLanguage.id)):
            languages[group_id].append(tag)
    else:
        languages.update({g.id: list(targets) for g in groups})
    rows: dict[int, list[tuple[Concept, Domain]]] = defaultdict(list)
    for group_id, concept, domain in session.exec(
            select(GroupConcept.group_id, Concept, Domain)
            .join(Concept, GroupConcept.concept_id == Concept.id)
            .join(Domain, Domain.id == Concept.domain_id)
            .where(GroupConcept.group_id.in_(ids)).order_by(*LIST_ORDER)):
        rows[group_id].append((concept, domain))
    texts: dict[int, list[HandoutText]] = defaultdict(list)
    for text in session.exec(select(HandoutText).where(HandoutText.group_id.in_(ids))):
        texts[text.group_id].append(text)
    by_source: dict[str, list[Group]] = defaultdict(list)
    for group in groups:
        by_source[group.working_language].append(group)
    found = {}
    for source, members in by_source.items():
        data = _pair_data(session, source,
                          sorted({c.id for g in members for c, _d in rows[g.id]}),
                          sorted({t for g in members for t in languages[g.id]}))
        for group in members:
            found[group.id] = _pairs(session, group, languages[group.id], rows[group.id],
                                     data, in_kind_order(texts[group.id]))
    return found


def _pairs(session: Session, group: Group, targets: list[str],
           rows: list[tuple[Concept, Domain]], data, texts: list[HandoutText]
           ) -> list[PairReadiness]:
    terms, agreements, signatures, disputes = data
    source = group.working_language
    result = []
    for tag in targets:
        pair = PairReadiness(language=tag, needed=len(rows), agreed=0)
        for concept, domain in rows:
            agreement = agreements.get((concept.id, tag))
            state = agreement.state if agreement else rules.OPEN
            if state == rules.AGREED:
                pair.agreed += 1
                continue
            target_terms = terms[(concept.id, tag)]
            roles: set[str] = set()
            if agreement is not None:
                fp = rules.fingerprint(terms[(concept.id, source)], target_terms)
                roles = {s.role for s in rules.current_signatures(signatures[agreement.id], fp)}
            reason = _blocking_reason(state, target_terms, roles,
                                      disputes.get(agreement.id) if agreement else None)
            wording = ", ".join(t.text for t in terms[(concept.id, source)]) or concept.key
            pair.blockers.append(Blocker(concept.id, concept.key, wording, domain.name,
                                         state, reason))
        pair.handouts = handout_blockers(session, tag, texts)
        result.append(pair)
    return result
