"""A mediator's own view of their SGBV training: whether it lapsed (or was never
recorded), since when, and who can record a refresher.

A mediator signs only while their training is current (:func:`glossary.agreement.
check_can_sign`); this module tells them before they try: on signing in, on the pages
where they would sign, and on their profile. Refreshers are recorded on the person's
page, which administrators edit; trainers see who is due and arrange them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from . import agreement as rules
from .models import Person


@dataclass(frozen=True)
class TrainingNotice:
    """A mediator whose training is not current: ``lapsed_on`` is the first day it no
    longer counted (None when no training was ever recorded); ``admins`` record a
    refresher, ``trainers`` arrange one (names)."""

    lapsed_on: date | None
    admins: list[str] = field(default_factory=list)
    trainers: list[str] = field(default_factory=list)


def _names(session: Session, role: str, exclude: int | None) -> list[str]:
    rows = session.exec(select(Person).where(Person.active == True,  # noqa: E712
                                             col(Person.roles).contains(role))
                        .order_by(Person.name))
    return [p.name for p in rows if p.has_role(role) and p.id != exclude]


def training_notice(session: Session, person: Person | None, *, today: date,
                    validity_months: int) -> TrainingNotice | None:
    """The notice for ``person``, or None when they are no mediator or their training
    is current."""
    if person is None or not person.has_role(rules.MEDIATOR):
        return None
    if rules.training_current(person.training_date, today, validity_months):
        return None
    expiry = rules.training_expiry(person.training_date, validity_months)
    return TrainingNotice(
        lapsed_on=expiry + timedelta(days=1) if expiry else None,
        admins=_names(session, "admin", person.id),
        trainers=_names(session, "trainer", person.id),
    )
