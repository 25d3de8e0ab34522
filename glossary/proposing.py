"""Which languages a person is offered to start a rendering of a concept in, and which
agreed pairs a change of a rendering would send back to review (the propose and edit
forms).

A concept page lists the languages that already have a rendering; a new language is
started from "Propose a rendering in". The person's own languages and the target
languages of their groups come first (that is where they will be asked for one), then
every other language the instance knows: the languages of renderings, of staff, of
groups and the languages an administrator added. Only languages the person may
propose in are offered (:func:`glossary.concepts.may_edit_language`): a mediator sees
their own languages, even when the concept has no rendering in them yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, case, literal, union_all
from sqlmodel import Session, select

from .agreement import AGREED
from .concepts import may_edit_language
from .models import Agreement, Person, Term
from .models.groups import GroupLanguage, GroupMember
from .signoff import signatures_of


@dataclass(frozen=True)
class Proposable:
    """The languages offered: ``own`` (the person's and their groups'), then ``other``."""

    own: list[str]
    other: list[str]

    def __bool__(self) -> bool:
        return bool(self.own or self.other)


def _staff_and_group_languages(session: Session, person: Person) -> tuple[list[str], set[str]]:
    """In one statement: the target languages of ``person``'s groups (in group and
    list order) and every language of staff and groups."""
    staff = select(Person.languages, literal(0).label("mine"), literal(0).label("group_id"),
                   literal(0).label("position")).where(Person.languages != "")
    grouped = (select(GroupLanguage.language,
                      case((GroupMember.id.is_not(None), 1), else_=0),
                      GroupLanguage.group_id, GroupLanguage.position)
               .outerjoin(GroupMember, and_(GroupMember.group_id == GroupLanguage.group_id,
                                            GroupMember.person_id == person.id)))
    mine: list[tuple[int, int, str]] = []
    every: set[str] = set()
    for tags, own, group_id, position in session.execute(union_all(staff, grouped)):
        every.update(t for t in tags.split(",") if t)
        if own:
            mine.append((group_id, position, tags))
    return list(dict.fromkeys(tag for *_order, tag in sorted(mine))), every


def group_languages_of(session: Session, person: Person) -> list[str]:
    """The target languages of the groups ``person`` belongs to."""
    return _staff_and_group_languages(session, person)[0]


def proposable(session: Session, person: Person, *, working: str, taken: Iterable[str],
               known: Iterable[str], sort_key) -> Proposable:
    """The languages ``person`` may start a rendering in, ``taken`` (languages that
    already have one) and ``working`` left out; ``known`` are the languages of
    renderings and those an administrator added; ``sort_key`` orders a list of tags
    (by name in the interface language)."""
    skip = set(taken) | {working}
    if not person.has_role("facilitator", "admin"):
        # A mediator proposes in their own languages only: nothing to look up.
        own = [t for t in person.language_list
               if t not in skip and may_edit_language(person, t, working)]
        return Proposable(own=own, other=[])
    groups, every = _staff_and_group_languages(session, person)
    own = [t for t in dict.fromkeys([*person.language_list, *groups]) if t not in skip]
    other = (every | set(known)) - skip - set(own)
    return Proposable(own=own, other=sorted(other, key=sort_key))


@dataclass(frozen=True)
class AgreedPair:
    """An agreed pair a change of a rendering sends back to review, with the names of
    the people whose signatures it holds (the latest of each role)."""

    language: str
    signers: list[str]


def agreed_pairs_touched(session: Session, term: Term, *, working: str) -> list[AgreedPair]:
    """The agreed pairs that saving a change of ``term`` would send back to "needs
    review": its own pair, or every pair of the concept for a working-language term."""
    query = select(Agreement).where(Agreement.concept_id == term.concept_id,
                                    Agreement.source_language == working,
                                    Agreement.state == AGREED)
    if term.language != working:
        query = query.where(Agreement.target_language == term.language)
    found = []
    for agreement in session.exec(query.order_by(Agreement.target_language)):
        latest: dict[str, int] = {}
        for signature in signatures_of(session, agreement.id):
            latest[signature.role] = signature.person_id
        names = [person.name for pid in latest.values()
                 if (person := session.get(Person, pid)) is not None]
        found.append(AgreedPair(agreement.target_language, names))
    return found
