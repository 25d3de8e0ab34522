"""What happens to a flyer after it is written: per language, who can translate it and
where its translation stands, so that outreach staff see the next step.

The languages listed are those a translation was started in and those of the active
mediators (a mediator translates into their own languages,
:func:`glossary.flyers.may_translate`). A mediator whose SGBV training lapsed may still
translate but cannot sign; they are listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from . import agreement as rules
from .flyers import translations_of
from .models import Person
from .models.flyers import Flyer


@dataclass
class LanguageStep:
    """One language of a flyer: its translation's state (None before it is started),
    the mediators who can translate it and those whose training lapsed (names)."""

    language: str
    state: str | None = None
    mediators: list[str] = field(default_factory=list)
    lapsed: list[str] = field(default_factory=list)


def next_steps(session: Session, flyer: Flyer, *, today: date,
               validity_months: int) -> list[LanguageStep]:
    """The flyer's languages, started translations first, then by tag."""
    steps = {t.target_language: LanguageStep(t.target_language, t.state)
             for t in translations_of(session, flyer)}
    mediators = session.exec(select(Person).where(Person.active == True)  # noqa: E712
                             .order_by(Person.name))
    for person in mediators:
        if not person.has_role(rules.MEDIATOR):
            continue
        current = rules.training_current(person.training_date, today, validity_months)
        for tag in person.language_list:
            if tag == flyer.source_language:
                continue
            step = steps.setdefault(tag, LanguageStep(tag))
            (step.mediators if current else step.lapsed).append(person.name)
    return sorted(steps.values(), key=lambda s: (s.state is None, s.language))
