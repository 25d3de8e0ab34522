"""Staff accounts: validated input, creation and updates, shared by the admin pages, the
command line and the demo. No field records anyone's ethnicity or community."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sqlalchemy import update
from sqlmodel import Session, select

from . import languages, passwords, sessions
from .audit import record
from .concepts import custom_languages
from .errors import InputError
from .i18n import _l
from .logs import security_event
from .models import ROLES, Person, utcnow
from .models.api_tokens import ApiToken
from .text import clean_text, iso_date
from .transaction import transactional

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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


def authenticate(session: Session, *, email: str, password: str) -> Person | None:
    """The active person with this e-mail address and password, else None. One password
    hash is checked either way (glossary.passwords.verify), so an unknown or inactive
    account answers in the same time as a wrong password."""
    person = session.exec(select(Person).where(Person.email == email)).first()
    usable = person is not None and person.active
    matched = passwords.verify(person.password_hash if usable else None, password)
    return person if usable and matched else None


@transactional
def create_person(session: Session, *, fields: dict, password: str, by: Person | None) -> Person:
    """Add a person; refuse an e-mail address already in use."""
    if session.exec(select(Person).where(Person.email == fields["email"])).first():
        raise InputError(_l("Someone is already registered with %(email)s.",
                            email=fields["email"]), field="email")
    checked = passwords.check_password(password, email=fields["email"], name=fields["name"])
    person = Person(**fields, password_hash=passwords.hash_password(checked))
    session.add(person)
    session.flush()
    record(session, person=by, action="create", entity="person", entity_id=person.id,
           after=_snapshot(person))
    security_event("roles changed", person=person.id, before=None, after=person.roles,
                   by=by.id if by else None)
    return person


@transactional
def update_person(session: Session, *, person: Person, fields: dict, password: str | None,
                  active: bool, by: Person, keep_token: str | None = None) -> Person:
    """Change a person's details (and password when given). A new password or a
    deactivation ends the person's sessions (but ``keep_token``'s, the caller's own);
    a deactivation also revokes their API tokens, so that reactivating the account
    later does not bring old ones back. The last active admin keeps the role."""
    clash = session.exec(select(Person).where(Person.email == fields["email"],
                                              Person.id != person.id)).first()
    if clash:
        raise InputError(_l("Someone is already registered with %(email)s.",
                            email=fields["email"]), field="email")
    _keep_an_admin(session, person=person, roles=fields["roles"], active=active)
    checked = (passwords.check_password(password, email=fields["email"], name=fields["name"])
               if password else None)
    before = _snapshot(person)
    deactivated = person.active and not active
    for name, value in fields.items():
        setattr(person, name, value)
    person.active = active
    if checked:
        person.password_hash = passwords.hash_password(checked)
    if checked or deactivated:
        sessions.end_all(session, person_id=person.id, keep_token=keep_token)
    if deactivated:
        _revoke_tokens(session, person_id=person.id)
    session.add(person)
    record(session, person=by, action="update", entity="person", entity_id=person.id,
           before=before, after=_snapshot(person))
    if before["roles"] != person.roles:
        security_event("roles changed", person=person.id, before=before["roles"],
                       after=person.roles, by=by.id if by else None)
    return person


@transactional
def change_password(session: Session, *, person: Person, current: str, new: str,
                    keep_token: str | None) -> Person:
    """A person sets a new password, proving the current one; their other sessions end
    (the one ``keep_token`` names goes on)."""
    if not passwords.verify(person.password_hash, current):
        raise InputError(_l("Your current password is not right."), field="current_password")
    checked = passwords.check_password(new, email=person.email, name=person.name)
    person.password_hash = passwords.hash_password(checked)
    session.add(person)
    ended = sessions.end_all(session, person_id=person.id, keep_token=keep_token)
    record(session, person=person, action="change_password", entity="person",
           entity_id=person.id, after={"sessions_ended": ended})
    return person


def _keep_an_admin(session: Session, *, person: Person, roles: str, active: bool) -> None:
    """Raise when the change would leave no active admin (nobody could then manage
    people). The other admins' rows are locked (PostgreSQL), so two admins removing
    each other at the same moment cannot both succeed."""
    was_admin = person.active and person.has_role("admin")
    stays_admin = active and "admin" in roles.split(",")
    if not was_admin or stays_admin:
        return
    others = session.exec(select(Person).where(Person.active, Person.id != person.id)
                          .with_for_update()).all()
    if not any(other.has_role("admin") for other in others):
        raise InputError(_l("This is the last active admin: make someone else an admin "
                            "before removing this role or deactivating the account."),
                         field="roles")


def _revoke_tokens(session: Session, *, person_id: int) -> None:
    session.exec(update(ApiToken).where(ApiToken.person_id == person_id,
                                        ApiToken.revoked_at.is_(None))
                 .values(revoked_at=utcnow()))


def _snapshot(person: Person) -> dict:
    return {
        "name": person.name, "email": person.email, "roles": person.roles,
        "languages": person.languages, "qualified": person.qualified,
        "training_date": person.training_date.isoformat() if person.training_date else None,
        "active": person.active,
    }
