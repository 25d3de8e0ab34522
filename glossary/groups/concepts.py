"""The concepts a group needs: added one by one or a whole domain at a time, and taken
off again. Readiness and packs are computed over this list; a pack keeps the concepts it
was made with.
"""

from __future__ import annotations

from sqlmodel import Session, select

from ..audit import record
from ..errors import InputError, NotFound
from ..i18n import _l
from ..models import Concept, Domain, Person
from ..models.groups import Group, GroupConcept
from ..transaction import transactional
from . import _check_organiser


def group_concept_ids(session: Session, group: Group) -> list[int]:
    """Ids of the concepts the group needs."""
    return list(session.exec(select(GroupConcept.concept_id)
                             .where(GroupConcept.group_id == group.id)))


@transactional
def add_concepts(session: Session, *, group: Group, concept_ids: list[int],
                 person: Person | None) -> int:
    """Add concepts to the group (those it has already are skipped); return how many
    were added. Unknown ids raise :class:`InputError`."""
    _check_organiser(person)
    wanted = list(dict.fromkeys(concept_ids))
    known = set(session.exec(select(Concept.id).where(Concept.id.in_(wanted + [0]))))
    if len(known) != len(wanted):
        raise InputError(_l("Choose concepts from the list."), field="concept_id")
    have = set(group_concept_ids(session, group))
    added = [cid for cid in wanted if cid not in have]
    for concept_id in added:
        session.add(GroupConcept(group_id=group.id, concept_id=concept_id))
    if added:
        record(session, person=person, action="add_concepts", entity="group",
               entity_id=group.id, after={"concept_ids": added})
    return len(added)


def add_domain(session: Session, *, group: Group, domain_id: int, person: Person | None) -> int:
    """Add every active concept of a domain to the group; return how many were added."""
    if session.get(Domain, domain_id) is None:
        raise InputError(_l("Choose a domain."), field="domain_id")
    ids = list(session.exec(select(Concept.id).where(Concept.domain_id == domain_id,
                                                     Concept.status == "active")))
    return add_concepts(session, group=group, concept_ids=ids, person=person)


@transactional
def remove_concept(session: Session, *, group: Group, concept_id: int,
                   person: Person | None) -> None:
    """Take one concept off the group's list (its packs keep it)."""
    _check_organiser(person)
    row = session.exec(select(GroupConcept).where(GroupConcept.group_id == group.id,
                                                  GroupConcept.concept_id == concept_id)).first()
    if row is None:
        raise NotFound(_l("The group does not use this concept."))
    session.delete(row)
    record(session, person=person, action="remove_concept", entity="group",
           entity_id=group.id, before={"concept_id": concept_id})
