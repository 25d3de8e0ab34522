"""Kit links: for a phone that does not sign in, a facilitator issues a link to a group's
kit in one language. The link carries a random token; only its SHA-256 is stored, with
the group, the language, an optional label for the staff ("Tuesday room"), when it
expires and whether it was revoked. Nothing about who holds it is recorded."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from ..audit import record
from ..errors import NotFound, Refused
from ..groups import _check_organiser, group_languages
from ..i18n import _l
from ..models import Person, utcnow
from ..models.groups import Group
from ..models.recordings import KitLink
from ..text import clean_text
from ..transaction import transactional


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime) -> datetime:
    # SQLite hands datetimes back without their offset; every stored moment is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@transactional
def issue_link(session: Session, *, group: Group, language: str, person: Person | None,
               days: int, label: str = "", now: datetime | None = None) -> tuple[KitLink, str]:
    """Make a kit link valid for ``days`` days; return it and its token (shown once).
    ``person`` is None on the command line."""
    _check_organiser(person)
    if language not in group_languages(session, group):
        raise NotFound(_l("The group does not use this language."))
    label = clean_text(label, label=_l("Label"), field="label", max_length=120,
                       required=False) if label else ""
    token = secrets.token_urlsafe(24)
    link = KitLink(token_hash=token_hash(token), group_id=group.id,  # type: ignore[arg-type]
                   language=language, label=label,
                   created_by_id=person.id if person else None,
                   expires_at=(now or utcnow()) + timedelta(days=days))
    session.add(link)
    session.flush()
    record(session, person=person, action="issue_kit_link", entity="kit_link",
           entity_id=link.id, after={"group_id": group.id, "language": language,
                                     "expires_at": link.expires_at.isoformat()})
    return link, token


def link_valid(link: KitLink, now: datetime | None = None) -> bool:
    """True while the link is neither revoked nor expired."""
    return link.revoked_at is None and _aware(link.expires_at) > (now or utcnow())


def resolve_link(session: Session, token: str, *, now: datetime | None = None) -> KitLink:
    """The valid link a token names; :class:`NotFound` for an unknown, expired or revoked
    one (they are not told apart, so a token cannot be probed)."""
    link = session.exec(select(KitLink).where(KitLink.token_hash == token_hash(token))).first()
    if link is None or not link_valid(link, now):
        raise NotFound(_l("This kit link is not valid: it has expired or was withdrawn. "
                          "Ask the facilitator for a new one."))
    return link


@transactional
def revoke_link(session: Session, *, link: KitLink, person: Person | None) -> KitLink:
    """Withdraw a link at once: the next time the phone is online its kit is removed."""
    _check_organiser(person)
    if link.revoked_at is not None:
        raise Refused(_l("This kit link was already withdrawn."))
    link.revoked_at = utcnow()
    link.revoked_by_id = person.id if person else None
    session.add(link)
    record(session, person=person, action="revoke_kit_link", entity="kit_link",
           entity_id=link.id, after={"group_id": link.group_id, "language": link.language})
    return link


def links_of(session: Session, group: Group) -> list[KitLink]:
    """Every kit link of a group, newest first."""
    return list(session.exec(select(KitLink).where(KitLink.group_id == group.id)
                             .order_by(col(KitLink.id).desc())))
