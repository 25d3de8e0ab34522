"""Groups: their languages, staff and concepts; readiness per language pair; the
pre-session checklist of the practice guidelines (2.1.2); and session packs, frozen
snapshots of the agreed wording that every handout is printed from.

Readiness of a pair = agreed / needed over the group's concepts, with each blocking
concept and the reason it blocks. A pack is refused while any concept is unagreed,
unless a draft is asked for explicitly; its content is canonical JSON, and the first
12 hex digits of its SHA-256 are the short hash printed on every page of its handouts.
The group's name is not part of the content: renaming a group changes no agreement.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update
from sqlmodel import Session, select

from . import agreement as rules
from . import languages
from .audit import record
from .concepts import custom_languages
from .errors import Conflict, InputError, NotFound, Refused
from .models import Agreement, Concept, Dispute, Domain, Person, Signature, Term, utcnow
from .models.groups import (
    ChecklistConfirmation,
    Group,
    GroupBase,
    GroupConcept,
    GroupLanguage,
    GroupMember,
    SessionPack,
)
from .text import clean_text
from .transaction import transactional

PACK_FORMAT = 1
HASH_LENGTH = 12


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
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(_l("The start date must be a date like 2026-03-31."),
                         field="start_date") from None


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


def _snapshot(group: Group, data: GroupInput) -> dict:
    return {"name": group.name, "working_language": group.working_language,
            "start_date": group.start_date.isoformat() if group.start_date else None,
            "languages": data.languages, "facilitator_ids": data.facilitator_ids,
            "mediator_ids": data.mediator_ids}


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
                  start_date=data.start_date, created_by_id=person.id if person else None)
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
                start_date=data.start_date, version=Group.version + 1, updated_at=utcnow()))
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
    group = session.get(Group, group_id)
    if group is None:
        raise NotFound(_l("No such group."))
    return group


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


# --- concepts of a group -------------------------------------------------------------


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


# --- readiness -----------------------------------------------------------------------


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

    @property
    def ready(self) -> bool:
        """True when the group needs concepts and every one is agreed."""
        return self.needed > 0 and self.agreed == self.needed

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


def _pair_data(session: Session, group: Group, concept_ids: list[int], targets: list[str]):
    """Terms, agreements, signatures and open disputes of the concepts for the group's
    pairs, in a fixed number of queries."""
    source = group.working_language
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
        .where(GroupConcept.group_id == group.id).order_by(Domain.position, Concept.key)))


def readiness(session: Session, group: Group,
              targets: list[str] | None = None) -> list[PairReadiness]:
    """Agreed / needed for each target language of the group (or ``targets``), listing
    every blocking concept with its state and the reason."""
    targets = group_languages(session, group) if targets is None else targets
    rows = _group_concepts(session, group)
    terms, agreements, signatures, disputes = _pair_data(
        session, group, [c.id for c, _d in rows], targets)
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
        result.append(pair)
    return result


# --- checklist -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    """One item of the pre-session checklist, taken from the guidelines (2.1.2)."""

    key: str
    label: str
    help: str
    computed: bool


CHECKLIST = (
    ChecklistItem("mediator_qualified", _l("Mediator qualified"),
                  _l("Interpreters and cultural mediators are qualified to practise "
                     "(taken from each mediator's profile)."), True),
    ChecklistItem("sgbv_training_current", _l("SGBV training current"),
                  _l("Trained in SGBV and perpetrator work, with refreshers: computed from "
                     "each mediator's training date for the start of the group."), True),
    ChecklistItem("role_boundaries_briefed", _l("Briefed on role boundaries"),
                  _l("No added detail, no altering what facilitators or participants say, "
                     "no unsolicited advice."), False),
    ChecklistItem("confidentiality_impartiality", _l("Confidentiality and impartiality agreed"),
                  _l("Confidentiality and impartiality are respected at all times."), False),
    ChecklistItem("no_children", _l("No children interpreting"),
                  _l("Under no circumstance is a child asked to interpret or mediate."), False),
    ChecklistItem("matching_checked", _l("Matching checked"),
                  _l("The mediator is not from the participants' own community where that "
                     "hinders disclosure, nor from a group in conflict with theirs. Confirm "
                     "only: never write down anyone's ethnicity or community."), False),
    ChecklistItem("vocabulary_agreed", _l("Vocabulary agreed"),
                  _l("Every concept the group needs is agreed for this language pair "
                     "(computed from readiness)."), True),
)
CHECKLIST_KEYS = {item.key: item for item in CHECKLIST}


@dataclass
class ChecklistRow:
    """An item's answer for one group and language: done or not, why, and for a manual
    item who confirmed it and when."""

    item: ChecklistItem
    done: bool
    details: list[str] = field(default_factory=list)
    confirmation: ChecklistConfirmation | None = None
    confirmed_by: Person | None = None


def latest_confirmations(session: Session, group: Group,
                         language: str) -> dict[str, ChecklistConfirmation]:
    """The newest confirmation row of each manual item for a group and language."""
    latest: dict[str, ChecklistConfirmation] = {}
    for row in session.exec(select(ChecklistConfirmation).where(
            ChecklistConfirmation.group_id == group.id,
            ChecklistConfirmation.language == language).order_by(ChecklistConfirmation.id)):
        latest[row.item] = row
    return latest


def checklist(session: Session, group: Group, language: str, *, today: date,
              validity_months: int, pair: PairReadiness | None = None) -> list[ChecklistRow]:
    """The checklist of a group for one target language. Qualification and training are
    computed from the profiles of the group's mediators for that language (training on
    the start date, or today once started); vocabulary from readiness; the other items
    are the newest manual confirmation."""
    mediators = mediators_for(session, group, language)
    on_day = max(today, group.start_date) if group.start_date else today
    pair = pair or readiness(session, group, [language])[0]
    confirmations = latest_confirmations(session, group, language)
    people = {p.id: p for p in session.exec(select(Person).where(Person.id.in_(
        [c.person_id for c in confirmations.values()] + [0])))}
    no_mediator = [str(_l("No mediator for this language is assigned to the group."))]
    rows = []
    for item in CHECKLIST:
        if item.key == "mediator_qualified":
            details = [str(_l("%(name)s: qualified", name=p.name) if p.qualified else
                           _l("%(name)s: not recorded as qualified", name=p.name))
                       for p in mediators]
            rows.append(ChecklistRow(item, bool(mediators) and all(p.qualified for p in mediators),
                                     details or no_mediator))
        elif item.key == "sgbv_training_current":
            details, ok = [], bool(mediators)
            for p in mediators:
                expiry = rules.training_expiry(p.training_date, validity_months)
                current = rules.training_current(p.training_date, on_day, validity_months)
                ok = ok and current
                if expiry is None:
                    details.append(str(_l("%(name)s: no training date recorded", name=p.name)))
                elif current:
                    details.append(str(_l("%(name)s: current until %(date)s", name=p.name,
                                          date=expiry.isoformat())))
                else:
                    details.append(str(_l("%(name)s: lapsed on %(date)s, refresher needed",
                                          name=p.name, date=expiry.isoformat())))
            rows.append(ChecklistRow(item, ok, details or no_mediator))
        elif item.key == "vocabulary_agreed":
            rows.append(ChecklistRow(item, pair.ready, [str(_l(
                "%(agreed)d of %(needed)d concepts agreed", agreed=pair.agreed,
                needed=pair.needed))]))
        else:
            row = confirmations.get(item.key)
            rows.append(ChecklistRow(item, bool(row and row.confirmed), [], row,
                                     people.get(row.person_id) if row else None))
    return rows


@transactional
def confirm(session: Session, *, group: Group, language: str, item: str, person: Person,
            confirmed: bool = True, note: str = "") -> ChecklistConfirmation:
    """Record that ``person`` confirms (or withdraws) a manual checklist item for a
    language of the group, now, with an optional note. Computed items cannot be
    ticked by hand."""
    spec = CHECKLIST_KEYS.get(item)
    if spec is None:
        raise NotFound(_l("No such checklist item."))
    if spec.computed:
        raise Refused(_l("“%(item)s” is computed and cannot be ticked by hand.",
                         item=spec.label))
    if not person.has_role("facilitator", "admin"):
        raise Refused(_l("Only facilitators and admins confirm checklist items."))
    if language not in group_languages(session, group):
        raise NotFound(_l("The group does not use this language."))
    note = clean_text(note, label=_l("Note"), field="note", max_length=1000, required=False,
                      multiline=True)
    row = ChecklistConfirmation(group_id=group.id, language=language, item=item,
                                confirmed=confirmed, note=note, person_id=person.id)
    session.add(row)
    session.flush()
    record(session, person=person, action="confirm" if confirmed else "withdraw",
           entity="group", entity_id=group.id,
           after={"language": language, "item": item, "note": note})
    return row


# --- session packs -------------------------------------------------------------------


def canonical_json(content: dict) -> bytes:
    """The one byte form of a pack's content that its hash is taken over."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def content_hash(content: dict) -> str:
    """The short hash of a pack's content (12 hex digits of SHA-256)."""
    return hashlib.sha256(canonical_json(content)).hexdigest()[:HASH_LENGTH]


def _rendering(term: Term) -> dict:
    return {"text": term.text, "status": term.status, "register": term.usage_register,
            "back_translation": term.back_translation, "usage_note": term.usage_note,
            "no_equivalent": term.no_equivalent, "paraphrase": term.paraphrase}


def build_pack_content(session: Session, group: Group, language: str) -> dict:
    """What a pack of the group for ``language`` would hold now: every concept of the
    group in domain order with its working-language wording and definition, its state,
    and, only when agreed, the fingerprint of the signed wording and its renderings."""
    rows = _group_concepts(session, group)
    terms, agreements, _signatures, _disputes = _pair_data(
        session, group, [c.id for c, _d in rows], [language])
    source = group.working_language
    concepts = []
    for concept, domain in rows:
        agreement = agreements.get((concept.id, language))
        state = agreement.state if agreement else rules.OPEN
        source_terms, target_terms = terms[(concept.id, source)], terms[(concept.id, language)]
        entry = {"key": concept.key, "domain": domain.key, "domain_name": domain.name,
                 "source": [t.text for t in source_terms], "definition": concept.definition,
                 "state": state, "fingerprint": "", "renderings": []}
        if state == rules.AGREED:
            entry["fingerprint"] = rules.fingerprint(source_terms, target_terms)
            entry["renderings"] = [_rendering(t) for t in target_terms]
        concepts.append(entry)
    return {"format": PACK_FORMAT, "source_language": source, "target_language": language,
            "concepts": concepts}


def pack_counts(content: dict) -> tuple[int, int]:
    """(agreed, needed) of a pack's content."""
    concepts = content.get("concepts", [])
    return sum(1 for c in concepts if c["state"] == rules.AGREED), len(concepts)


@transactional
def create_pack(session: Session, *, group: Group, language: str, person: Person | None,
                draft: bool = False) -> SessionPack:
    """Freeze the group's current wording for ``language`` into a pack.

    Raises :class:`Refused` when a concept is not agreed and ``draft`` is false (the
    message names them), when the group has no concepts, or when ``person`` is not a
    facilitator or admin. When the newest pack of the pair holds exactly this content
    with the same draft flag, that pack is returned instead of a copy."""
    _check_organiser(person)
    if language not in group_languages(session, group):
        raise NotFound(_l("The group does not use this language."))
    content = build_pack_content(session, group, language)
    agreed, needed = pack_counts(content)
    if needed == 0:
        raise Refused(_l("The group has no concepts yet; choose the concepts it needs first."))
    if agreed < needed and not draft:
        missing = [c["key"] for c in content["concepts"] if c["state"] != rules.AGREED]
        raise Refused(_l(
            "Not ready: %(missing)d of %(needed)d concepts are not agreed for %(language)s "
            "(%(keys)s). Agree them first, or make a draft pack, which every page marks "
            "as DRAFT.", missing=len(missing), needed=needed, language=language,
            keys=", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")))
    digest = content_hash(content)
    last = latest_pack(session, group, language)
    if last is not None and last.content_hash == digest and last.draft == draft:
        return last
    pack = SessionPack(group_id=group.id, source_language=group.working_language,
                       target_language=language, draft=draft, content_hash=digest,
                       content=content, concept_count=needed, agreed_count=agreed,
                       created_by_id=person.id if person else None)
    session.add(pack)
    session.flush()
    record(session, person=person, action="freeze_pack", entity="session_pack",
           entity_id=pack.id, after={"group_id": group.id, "language": language,
                                     "hash": digest, "draft": draft,
                                     "agreed": agreed, "needed": needed})
    return pack


def latest_pack(session: Session, group: Group, language: str) -> SessionPack | None:
    """The newest pack of the group for a language, draft or not."""
    return session.exec(select(SessionPack).where(
        SessionPack.group_id == group.id, SessionPack.target_language == language)
        .order_by(SessionPack.id.desc())).first()


def packs_of(session: Session, group: Group) -> list[SessionPack]:
    """Every pack of the group, newest first."""
    return list(session.exec(select(SessionPack).where(SessionPack.group_id == group.id)
                             .order_by(SessionPack.id.desc())))


def get_pack(session: Session, group: Group, pack_id: int) -> SessionPack:
    """A pack of this group, or :class:`NotFound`."""
    pack = session.get(SessionPack, pack_id)
    if pack is None or pack.group_id != group.id:
        raise NotFound(_l("No such session pack."))
    return pack


def pack_intact(pack: SessionPack) -> bool:
    """True when the stored content still hashes to the pack's hash."""
    return content_hash(pack.content) == pack.content_hash


def differs_from_pack(session: Session, group: Group, pack: SessionPack) -> bool:
    """True when the group's wording for the pack's language is no longer what the pack
    froze (a rendering, signature state, definition or concept list changed)."""
    return content_hash(build_pack_content(session, group, pack.target_language)) != (
        pack.content_hash)
