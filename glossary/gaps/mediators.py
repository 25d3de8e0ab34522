"""Mediators' SGBV training: who may sign, whose refresher is due soon, whose has lapsed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, select

from .. import agreement as rules
from ..i18n import _l
from ..models import Person
from .common import DEFAULT_DUE_DAYS

TRAINING_STATUSES = ("missing", "overdue", "due", "current")
TRAINING_LABELS = {
    "missing": _l("No training recorded: cannot sign"),
    "overdue": _l("Overdue: cannot sign"),
    "due": _l("Refresher due soon"),
    "current": _l("Current"),
}


@dataclass
class TrainingEntry:
    """A mediator with the date of their last SGBV training or refresher."""

    person_id: int
    name: str
    languages: list[str]
    training_date: date | None
    expiry: date | None
    status: str
    days_left: int | None = None
    can_sign: bool = field(init=False)

    def __post_init__(self):
        self.can_sign = self.status in ("due", "current")


def training(session: Session, *, today: date, validity_months: int,
             due_days: int = DEFAULT_DUE_DAYS) -> list[TrainingEntry]:
    """Active mediators and their training status: ``missing`` or ``overdue`` (they cannot
    sign), ``due`` (training lapses within ``due_days``), or ``current``. Those who cannot
    sign come first, then by the day their training lapses."""
    entries = []
    for person in session.exec(select(Person).where(Person.active).order_by(Person.name)):
        if not person.has_role("mediator"):
            continue
        expiry = rules.training_expiry(person.training_date, validity_months)
        if expiry is None:
            status = "missing"
        elif not rules.training_current(person.training_date, today, validity_months):
            status = "overdue"
        elif expiry <= today + timedelta(days=due_days):
            status = "due"
        else:
            status = "current"
        entries.append(TrainingEntry(person.id, person.name, person.language_list,
                                     person.training_date, expiry, status,
                                     (expiry - today).days if expiry else None))
    order = {s: n for n, s in enumerate(TRAINING_STATUSES)}
    return sorted(entries, key=lambda e: (order[e.status], e.expiry or date.min, e.name))
