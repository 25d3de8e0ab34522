"""Per-person API tokens for the read-only JSON API (interpreters' apps, CAT tools).

Only a SHA-256 hash of each token is stored: the token itself is shown once, when an
admin creates it. Tokens are random (256 bits), so an unsalted hash is enough to make a
stolen database useless for calling the API. A revoked token stays listed, with the date.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlmodel import Session, select

from .audit import record
from .errors import Refused
from .i18n import _l
from .models import ApiToken, Person, utcnow
from .text import clean_text

TOKEN_PREFIX = "gl_"


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, *, person: Person, label: str, by: Person | None):
    """Create a token for ``person`` and commit; return ``(row, token)``. The token is
    not stored and cannot be shown again."""
    if not person.active:
        raise Refused(_l("This account is not active."))
    label = clean_text(label, label=_l("Label"), field="label", max_length=120,
                       required=False)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(person_id=person.id, label=label, token_hash=hash_token(token),
                   prefix=token[:10], created_by_id=by.id if by else None)
    try:
        session.add(row)
        session.flush()
        record(session, person=by, action="create", entity="api_token", entity_id=row.id,
               after={"person_id": person.id, "label": label, "prefix": row.prefix})
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return row, token


def revoke_token(session: Session, *, token: ApiToken, by: Person | None) -> ApiToken:
    """Revoke a token (idempotent) and commit."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        record(session, person=by, action="revoke", entity="api_token", entity_id=token.id,
               after={"person_id": token.person_id, "prefix": token.prefix})
        session.commit()
    return token


def authenticate(session: Session, token: str) -> Person | None:
    """The active person a valid, unrevoked token belongs to, else None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    person = session.get(Person, row.person_id)
    return person if person is not None and person.active else None
