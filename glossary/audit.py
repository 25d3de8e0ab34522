"""Audit events: who changed or signed what, when, before and after."""

from __future__ import annotations

from sqlmodel import Session

from .canonical import term_record
from .models import AuditEvent, Person


def record(
    session: Session,
    *,
    person: Person | None,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Add an audit event to the session's transaction (committed with the change)."""
    event = AuditEvent(
        person_id=person.id if person else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    session.add(event)
    return event


def term_snapshot(term) -> dict:
    """The fields of a term that an audit event keeps: its record with its version,
    concept and language (:func:`glossary.canonical.term_record`)."""
    return term_record(term, place=True)


def concept_snapshot(concept) -> dict:
    """The fields of a concept that an audit event keeps."""
    return {
        "key": concept.key,
        "domain_id": concept.domain_id,
        "definition": concept.definition,
        "sensitivity": concept.sensitivity,
        "facilitator_note": concept.facilitator_note,
        "status": concept.status,
        "version": concept.version,
    }
