"""Groups: their fields, languages and staff (here); the concepts a group needs
(:mod:`.concepts`); readiness per language pair (:mod:`.readiness`); the pre-session
checklist of the practice guidelines, 2.1.2 (:mod:`.checklist`); and session packs, frozen
snapshots of the agreed wording that every handout is printed from (:mod:`.packs`).

Readiness of a pair = agreed / needed over the group's concepts, with each blocking
concept and the reason it blocks. A pack is refused while any concept is unagreed,
unless a draft is asked for explicitly; its content is canonical JSON, and the first
12 hex digits of its SHA-256 are the short hash printed on every page of its handouts.
The group's name is not part of the content: renaming a group changes no agreement.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import func, update
from sqlmodel import Session, select

from .. import languages
from ..audit import record
from ..concepts import custom_languages
from ..errors import Conflict, InputError, NotFound, Refused, found
from ..i18n import _l
from ..models import Person, utcnow
from ..models.groups import (
    Group,
    GroupBase,
    GroupLanguage,
    GroupMember,
    SessionPack,  # noqa: F401 (groups.SessionPack)
)
from ..text import clean_text, iso_date
from ..transaction import transactional

# Fields of a group that its handouts print: (name, label, maximum length).
HANDOUT_FIELDS = (("audience", _l("Who the group is for"), 300),
                  ("meeting_day", _l("Meeting day"), 120),
                  ("meeting_time", _l("Meeting time"), 120),
                  ("place", _l("Place"), 300), ("contact", _l("Contact"), 300))


# Validated input for a group: its fields plus languages and staff.
class GroupInput(GroupBase):
    languages: list[str] = []
    facilitator_ids: list[int] = []
    mediator_ids: list[int] = []


# --- groups ------------------------------------------------------------------------


def _values(form: Mapping, name: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    value = getlist(name) if getlist else form.get(name, [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value if str(v).strip()]


def _ids(form: Mapping, name: str) -> list[int]:
    try:
        return list(dict.fromkeys(int(v) for v in _values(form, name)))
    except ValueError:
        raise InputError(_l("Choose people from the list."), field=name) from None


def parse_start_date(value) -> date | None:
    """An ISO date (YYYY-MM-DD), or None when empty; raise :class:`InputError`."""
    return iso_date(value, field="start_date",
                    message=_l("The start date must be a date like 2026-03-31."))


def parse_group(form: Mapping, *, session: Session, default_working: str) -> GroupInput:
    """Validate a group form (or a dict with lists): name, working language, target
    languages (comma-separated or repeated), start date, facilitator and mediator ids.
    Raise :class:`InputError` naming the field."""
    custom = custom_languages(session)
    working = languages.validate_tag(form.get("working_language") or default_working, custom)
    tags: list[str] = []
    for value in _values(form, "languages"):
        for part in value.replace(";", ",").replace(" ", ",").split(","):
            if part.strip():
                try:
                    tags.append(languages.validate_tag(part, custom))
                except InputError as exc:
                    raise InputError(exc.message, field="languages") from None
    tags = [t for t in dict.fromkeys(tags) if t != working]
    if not tags:
        raise InputError(_l("Give at least one target language, e.g. ar, fa-AF or uk."),
                         field="languages")
    data = GroupInput(
        name=clean_text(form.get("name"), label=_l("Name"), field="name", max_length=120),
        working_language=working,
        start_date=parse_start_date(form.get("start_date")),
        **{name: clean_text(form.get(name), label=label, field=name, max_length=length,
                            required=False) for name, label, length in HANDOUT_FIELDS},
        languages=tags,
        facilitator_ids=_ids(form, "facilitator_ids"),
        mediator_ids=_ids(form, "mediator_ids"),
    )
    people = {p.id: p for p in session.exec(select(Person).where(
        Person.id.in_(data.facilitator_ids + data.mediator_ids + [0])))}
    for role, ids in (("facilitator", data.facilitator_ids), ("mediator", data.mediator_ids)):
        for person_id in ids:
            person = people.get(person_id)
            if person is None or not person.active or not person.has_role(role):
                raise InputError(_l("Choose people registered in that role."),
                                 field=f"{role}_ids")
    return data


def _check_organiser(person: Person | None) -> None:
    if person is not None and not person.has_role("facilitator", "admin"):
        raise Refused(_l("Only facilitators and admins prepare groups."))


def _check_name_free(session: Session, name: str, group_id: int | None) -> None:
    clash = session.exec(select(Group).where(func.lower(Group.name) == name.lower(),
                                             Group.id != (group_id or 0))).first()
    if clash:
        raise InputError(_l("Another group is already called “%(name)s”.", name=name),
                         field="name")


def _handout_values(data: GroupBase) -> dict[str, str]:
    return {name: getattr(data, name) for name, _label, _length in HANDOUT_FIELDS}


def _snapshot(group: Group, data: GroupInput) -> dict:
    return {"name": group.name, "working_language": group.working_language,
            "start_date": group.start_date.isoformat() if group.start_date else None,
            "languages": data.languages, "facilitator_ids": data.facilitator_ids,
            "mediator_ids": data.mediator_ids,
            **{k: v for k, v in _handout_values(group).items() if v}}


def _set_languages_and_members(session: Session, group: Group, data: GroupInput) -> None:
    for row in session.exec(select(GroupLanguage).where(GroupLanguage.group_id == group.id)):
        session.delete(row)
    for row in session.exec(select(GroupMember).where(GroupMember.group_id == group.id)):
        session.delete(row)
    session.flush()
    for position, tag in enumerate(data.languages):
        session.add(GroupLanguage(group_id=group.id, language=tag, position=position))
    for role, ids in (("facilitator", data.facilitator_ids), ("mediator", data.mediator_ids)):
        for person_id in ids:
            session.add(GroupMember(group_id=group.id, person_id=person_id, role=role))


@transactional
def create_group(session: Session, *, data: GroupInput, person: Person | None) -> Group:
    """Create a group with its languages and staff; refuse a name in use."""
    _check_organiser(person)
    _check_name_free(session, data.name, None)
    group = Group(name=data.name, working_language=data.working_language,
                  start_date=data.start_date, created_by_id=person.id if person else None,
                  **_handout_values(data))
    session.add(group)
    session.flush()
    _set_languages_and_members(session, group, data)
    record(session, person=person, action="create", entity="group", entity_id=group.id,
           after=_snapshot(group, data))
    return group


@transactional
def update_group(session: Session, *, group: Group, data: GroupInput, seen_version: int,
                 person: Person) -> Group:
    """Change a group's fields, languages and staff unless someone saved it since
    ``seen_version``. Packs and confirmations of a removed language are kept."""
    _check_organiser(person)
    _check_name_free(session, data.name, group.id)
    members = group_members(session, group)
    before = _snapshot(group, GroupInput(
        name=group.name, working_language=group.working_language,
        languages=group_languages(session, group),
        facilitator_ids=[p.id for p in members["facilitator"]],
        mediator_ids=[p.id for p in members["mediator"]]))
    result = session.execute(
        update(Group).where(Group.id == group.id, Group.version == seen_version)
        .values(name=data.name, working_language=data.working_language,
                start_date=data.start_date, version=Group.version + 1, updated_at=utcnow(),
                **_handout_values(data)))
    if result.rowcount != 1:
        raise Conflict(_l("This group was changed by someone else meanwhile. "
                          "Your changes are shown below; compare and save again."))
    session.refresh(group)
    _set_languages_and_members(session, group, data)
    record(session, person=person, action="update", entity="group", entity_id=group.id,
           before=before, after=_snapshot(group, data))
    return group


def get_group(session: Session, group_id: int) -> Group:
    """The group with this id, or :class:`NotFound`."""
    return found(session.get(Group, group_id), _l("No such group."))


def find_group(session: Session, name_or_id: str) -> Group:
    """A group by id (digits) or by name, ignoring case; :class:`NotFound` otherwise."""
    text = (name_or_id or "").strip()
    group = session.get(Group, int(text)) if text.isdigit() else None
    group = group or session.exec(select(Group).where(
        func.lower(Group.name) == text.lower())).first()
    if group is None:
        raise NotFound(_l("No group is called “%(name)s”.", name=text))
    return group


def group_languages(session: Session, group: Group) -> list[str]:
    """The group's target languages in the order they were given."""
    return list(session.exec(select(GroupLanguage.language)
                             .where(GroupLanguage.group_id == group.id)
                             .order_by(GroupLanguage.position, GroupLanguage.id)))


def group_members(session: Session, group: Group) -> dict[str, list[Person]]:
    """The group's facilitators and mediators, by role, sorted by name."""
    found: dict[str, list[Person]] = {"facilitator": [], "mediator": []}
    rows = session.exec(select(GroupMember, Person).join(Person, Person.id == GroupMember.person_id)
                        .where(GroupMember.group_id == group.id).order_by(Person.name))
    for member, person in rows:
        found.setdefault(member.role, []).append(person)
    return found


def mediators_for(session: Session, group: Group, language: str) -> list[Person]:
    """The group's mediators registered for ``language``."""
    return [p for p in group_members(session, group)["mediator"] if language in p.language_list]


def days_to_start(group: Group, today: date) -> int | None:
    """Days from ``today`` to the first session (negative once started), or None."""
    return (group.start_date - today).days if group.start_date else None


def list_groups(session: Session, *, today: date, include_past: bool = False) -> list[Group]:
    """Groups starting today or later (or with no date yet), soonest first; with
    ``include_past`` the started ones follow, most recent first."""
    groups = list(session.exec(select(Group)))
    upcoming = sorted((g for g in groups if g.start_date is None or g.start_date >= today),
                      key=lambda g: (g.start_date is None, g.start_date or today, g.name))
    if not include_past:
        return upcoming
    past = sorted((g for g in groups if g.start_date and g.start_date < today),
                  key=lambda g: g.start_date, reverse=True)
    return upcoming + past


# The rest of the feature, in modules of their own; imported here so that callers keep
# using ``groups.readiness``, ``groups.create_pack`` and so on.
from .checklist import (  # noqa: E402,F401
    CHECKLIST,
    ChecklistItem,
    ChecklistRow,
    checklist,
    confirm,
    latest_confirmations,
)
from .concepts import add_concepts, add_domain, group_concept_ids, remove_concept  # noqa: E402,F401
from .packs import (  # noqa: E402,F401
    build_pack_content,
    content_hash,
    create_pack,
    differs_from_pack,
    get_pack,
    latest_pack,
    pack_counts,
    pack_intact,
    packs_of,
)
from .readiness import (  # noqa: E402,F401
    Blocker,
    PairReadiness,
    readiness,
    readiness_of_groups,
)
