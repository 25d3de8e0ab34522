"""Staff accounts: validated input, creation and updates, shared by the admin pages, the
command line and the demo. No field records anyone's ethnicity or community."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sqlmodel import Session, select
from werkzeug.security import generate_password_hash

from . import languages
from .audit import record
from .concepts import custom_languages
from .errors import InputError
from .i18n import _l
from .logs import security_event
from .models import ROLES, Person
from .text import clean_text, iso_date
from .transaction import transactional

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8


def parse_roles(values: Iterable[str] | str) -> str:
    """Roles as a comma-separated string; raise for an unknown role."""
    if isinstance(values, str):
        values = [v.strip() for v in values.split(",")]
    roles = [v for v in values if v]
    for role in roles:
        if role not in ROLES:
            raise InputError(_l("Unknown role “%(role)s”; roles are: %(roles)s.", role=role,
                                roles=", ".join(ROLES)), field="roles")
    return ",".join(dict.fromkeys(roles))


def parse_languages(session: Session, values: Iterable[str] | str) -> str:
    """Language tags as a canonical comma-separated string; raise for an unknown tag."""
    if isinstance(values, str):
        values = re.split(r"[,\s]+", values)
    custom = custom_languages(session)
    tags = [languages.validate_tag(v, custom) for v in values if v.strip()]
    return ",".join(dict.fromkeys(tags))


def person_fields(session: Session, form: Mapping, *, roles, langs) -> dict:
    """Validated fields of a person (without the password)."""
    email = clean_text(form.get("email"), label=_l("E-mail"), field="email",
                       max_length=254).lower()
    if not EMAIL_PATTERN.match(email):
        raise InputError(_l("“%(email)s” is not an e-mail address.", email=email), field="email")
    return {
        "name": clean_text(form.get("name"), label=_l("Name"), field="name", max_length=120),
        "email": email,
        "roles": parse_roles(roles),
        "languages": parse_languages(session, langs),
        "qualified": str(form.get("qualified", "")).lower() in ("1", "on", "true", "yes"),
        "training_date": iso_date(
            form.get("training_date"), field="training_date",
            message=_l("%(field)s must be a date like 2026-03-31.", field=_l("Training date"))),
    }


def check_password(password: str) -> str:
    """Return the password when long enough, else raise."""
    if len(password or "") < MIN_PASSWORD:
        raise InputError(_l("The password needs at least %(n)d characters.", n=MIN_PASSWORD),
                         field="password")
    return password


@transactional
def create_person(session: Session, *, fields: dict, password: str, by: Person | None) -> Person:
    """Add a person; refuse an e-mail address already in use."""
    if session.exec(select(Person).where(Person.email == fields["email"])).first():
        raise InputError(_l("Someone is already registered with %(email)s.",
                            email=fields["email"]), field="email")
    person = Person(**fields, password_hash=generate_password_hash(check_password(password)))
    session.add(person)
    session.flush()
    record(session, person=by, action="create", entity="person", entity_id=person.id,
           after=_snapshot(person))
    security_event("roles changed", person=person.id, before=None, after=person.roles,
                   by=by.id if by else None)
    return person


@transactional
def update_person(session: Session, *, person: Person, fields: dict, password: str | None,
                  active: bool, by: Person) -> Person:
    """Change a person's details (and password when given)."""
    clash = session.exec(select(Person).where(Person.email == fields["email"],
                                              Person.id != person.id)).first()
    if clash:
        raise InputError(_l("Someone is already registered with %(email)s.",
                            email=fields["email"]), field="email")
    before = _snapshot(person)
    for name, value in fields.items():
        setattr(person, name, value)
    person.active = active
    if password:
        person.password_hash = generate_password_hash(check_password(password))
    session.add(person)
    record(session, person=by, action="update", entity="person", entity_id=person.id,
           before=before, after=_snapshot(person))
    if before["roles"] != person.roles:
        security_event("roles changed", person=person.id, before=before["roles"],
                       after=person.roles, by=by.id if by else None)
    return person


def _snapshot(person: Person) -> dict:
    return {
        "name": person.name, "email": person.email, "roles": person.roles,
        "languages": person.languages, "qualified": person.qualified,
        "training_date": person.training_date.isoformat() if person.training_date else None,
        "active": person.active,
    }
