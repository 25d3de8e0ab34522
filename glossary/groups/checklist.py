"""The pre-session checklist of the practice guidelines (2.1.2) per group and language:
confirmations by people, and items computed from the glossary and the staff's dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import ngettext
from sqlmodel import Session, select

from .. import agreement as rules
from ..audit import record
from ..dates import ShownDate
from ..errors import NotFound, Refused
from ..i18n import _l
from ..models import Person
from ..models.groups import (
    ChecklistConfirmation,
    Group,
)
from ..text import clean_text
from ..transaction import transactional
from . import (
    group_languages,
    mediators_for,
)
from .readiness import PairReadiness, readiness


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
                                          date=ShownDate(expiry))))
                else:
                    details.append(str(_l("%(name)s: lapsed on %(date)s, refresher needed",
                                          name=p.name, date=ShownDate(expiry))))
            rows.append(ChecklistRow(item, ok, details or no_mediator))
        elif item.key == "vocabulary_agreed":
            rows.append(ChecklistRow(item, pair.ready, [ngettext(
                "%(agreed)d of %(num)d concept agreed", "%(agreed)d of %(num)d concepts agreed",
                pair.needed, agreed=pair.agreed)]))
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
