"""The glossary as apps and CAT tools read it (the JSON API): the agreed glossary of a
language pair (every concept agreed for working language -> target, in list order, with
its wording on both sides and one content hash over the whole, so that a client can tell
whether anything changed), and one concept with every rendering and agreement state."""

from __future__ import annotations

from sqlmodel import Session, col, select

from . import agreement as rules
from .canonical import content_hash, term_record
from .models import LIST_ORDER, Agreement, Concept, Domain, Term


def agreed_glossary(session: Session, *, working: str, target: str) -> dict:
    """The concepts agreed for ``working`` -> ``target`` (both canonical tags), each with
    its key, domain, definition, when it was agreed and its terms on both sides
    (:func:`glossary.canonical.term_record`), in three queries whatever their number.

    ``content_hash`` is the full canonical content hash of the concept list: the same
    wording gives the same hash, any change of wording or agreement another."""
    rows = session.exec(select(Agreement, Concept, Domain)
                        .join(Concept, col(Concept.id) == col(Agreement.concept_id))
                        .join(Domain, col(Domain.id) == col(Concept.domain_id))
                        .where(Agreement.source_language == working,
                               Agreement.target_language == target,
                               Agreement.state == rules.AGREED)
                        .order_by(*LIST_ORDER)).all()
    ids = [c.id for _a, c, _d in rows] or [0]
    terms: dict[tuple, list] = {}
    for term in session.exec(select(Term).where(col(Term.concept_id).in_(ids),
                                                col(Term.language).in_([working, target]))
                             .order_by(col(Term.id))):
        terms.setdefault((term.concept_id, term.language), []).append(term_record(term))
    entries = [{"key": c.key, "domain": d.key, "definition": c.definition,
                "agreed_at": a.agreed_at.isoformat() if a.agreed_at else None,
                "source": terms.get((c.id, working), []),
                "target": terms.get((c.id, target), [])} for a, c, d in rows]
    return {"source": working, "target": target, "count": len(entries),
            "content_hash": content_hash(entries), "pack": None, "concepts": entries}


def concept_record(session: Session, *, key: str, working: str) -> dict | None:
    """The concept with ``key`` (None when there is none): its domain, definition,
    sensitivity and status, its terms by language and each pair's agreement state."""
    concept = session.exec(select(Concept).where(Concept.key == key)).first()
    if concept is None:
        return None
    domain = session.get(Domain, concept.domain_id)
    languages: dict[str, list] = {}
    for term in session.exec(select(Term).where(Term.concept_id == concept.id)
                             .order_by(col(Term.id))):
        languages.setdefault(term.language, []).append(term_record(term))
    agreements = {a.target_language: {"state": a.state, "agreed_at": a.agreed_at.isoformat()
                                      if a.agreed_at else None}
                  for a in session.exec(select(Agreement).where(
                      Agreement.concept_id == concept.id))}
    return {"key": concept.key, "domain": domain.key if domain else None,
            "definition": concept.definition, "sensitivity": concept.sensitivity,
            "status": concept.status, "working_language": working, "terms": languages,
            "agreements": agreements}
