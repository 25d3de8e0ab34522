"""Sign-in sessions on the server: start, find, keep alive, end and prune them.

A session is a row of :class:`~glossary.models.sessions.WebSession`; the browser holds
only a random token whose SHA-256 hash names the row (tokens are 256 random bits, so an
unsalted hash is enough to make a copy of the table useless for signing in). Ending a
session deletes its row: a cookie kept from before opens nothing.

Two lifetimes apply, both checked here on the server: *idle* (no request for that long)
and *absolute* (since sign-in, however active). The last-seen time is written at most
once per :data:`TOUCH_EVERY`, not on every request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, update
from sqlmodel import Session, select

from .audit import record
from .models import Person, utcnow
from .models.sessions import WebSession
from .transaction import transactional

TOUCH_EVERY = timedelta(minutes=1)
# A signed-out session holds only the sign-in form's CSRF token. Anyone can open one per
# request without a cookie, so they are kept for an hour of idleness, not the signed-in
# lifetime: the table stays bounded by an hour of such requests.
SIGNED_OUT_IDLE = timedelta(hours=1)
TOKEN_MAX_LENGTH = 100  # a cookie longer than any token we issue is not looked up


@dataclass(frozen=True)
class Lifetimes:
    """How long a session lasts without a request (``idle``) and at most (``absolute``)."""

    idle: timedelta
    absolute: timedelta

    @classmethod
    def from_app(cls, app) -> Lifetimes:
        """The lifetimes set in the app's configuration (GLOSSARY_SESSION_IDLE_HOURS,
        GLOSSARY_SESSION_MAX_HOURS)."""
        return cls(idle=app.permanent_session_lifetime,
                   absolute=timedelta(seconds=app.config["SESSION_MAX_SECONDS"]))


def hash_token(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every time stored here is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def is_expired(row: WebSession, *, lifetimes: Lifetimes, now: datetime | None = None) -> bool:
    """True when the session has been idle too long or has reached its absolute age."""
    now = now or utcnow()
    idle = lifetimes.idle if row.person_id is not None else min(lifetimes.idle,
                                                                SIGNED_OUT_IDLE)
    return (now - _aware(row.last_seen_at) > idle
            or now - _aware(row.created_at) > lifetimes.absolute)


def needs_touch(row_last_seen: datetime, *, now: datetime | None = None) -> bool:
    """True when the last-seen time is old enough to be written again."""
    return (now or utcnow()) - _aware(row_last_seen) >= TOUCH_EVERY


def find(session: Session, *, token: str) -> WebSession | None:
    """The session a cookie's token names, expired or not; None for an unknown token."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return session.exec(select(WebSession)
                        .where(WebSession.token_hash == hash_token(token))).first()


def device_summary(user_agent: str) -> str:
    """A short name for a browser, e.g. "Firefox on Linux", from its User-Agent header:
    enough for a person to tell their sessions apart, nothing more is kept."""
    agent = user_agent or ""
    browsers = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"), ("Safari/", "Safari"))
    systems = (("Android", "Android"), (r"iPhone|iPad", "iOS"), ("Windows", "Windows"),
               ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))
    browser = next((name for mark, name in browsers if mark in agent), "")
    system = next((name for mark, name in systems if re.search(mark, agent)), "")
    if browser and system:
        return f"{browser} / {system}"
    return browser or system or agent[:60]


@transactional
def start(session: Session, *, data: str, person_id: int | None, user_agent: str,
          lifetimes: Lifetimes, now: datetime | None = None) -> tuple[WebSession, str]:
    """Open a new session and return ``(row, token)``; the token goes into the cookie
    and is not stored. Expired sessions of everyone are removed on the way."""
    now = now or utcnow()
    prune(session, lifetimes=lifetimes, now=now)
    token = secrets.token_urlsafe(32)
    row = WebSession(token_hash=hash_token(token), person_id=person_id, data=data,
                     created_at=now, last_seen_at=now, user_agent=device_summary(user_agent))
    session.add(row)
    session.flush()
    return row, token


@transactional
def save(session: Session, *, row_id: int, data: str | None = None,
         now: datetime | None = None) -> None:
    """Write a session's changed data (when given) and its last-seen time. A session
    ended meanwhile stays ended: nothing is written for a missing row."""
    values = {"last_seen_at": now or utcnow()}
    if data is not None:
        values["data"] = data
    session.exec(update(WebSession).where(WebSession.id == row_id).values(**values))


def prune(session: Session, *, lifetimes: Lifetimes, now: datetime | None = None) -> None:
    """Remove every expired session (the caller commits)."""
    now = now or utcnow()
    signed_out_idle = min(lifetimes.idle, SIGNED_OUT_IDLE)
    session.exec(delete(WebSession).where(or_(
        WebSession.last_seen_at < now - lifetimes.idle,
        WebSession.created_at < now - lifetimes.absolute,
        and_(WebSession.person_id.is_(None),  # type: ignore[union-attr]
             WebSession.last_seen_at < now - signed_out_idle))))


@transactional
def end(session: Session, *, token: str) -> None:
    """End the session a token names (signing out); nothing happens for an unknown one."""
    session.exec(delete(WebSession).where(WebSession.token_hash == hash_token(token)))


def end_all(session: Session, *, person_id: int, keep_token: str | None = None) -> int:
    """End every session of a person, except the one ``keep_token`` names; return how
    many ended. Part of the caller's change (a password change, a deactivation): the
    caller commits."""
    statement = delete(WebSession).where(WebSession.person_id == person_id)
    if keep_token:
        statement = statement.where(WebSession.token_hash != hash_token(keep_token))
    return session.exec(statement).rowcount


@transactional
def end_everyone(session: Session) -> int:
    """End every session there is (after a key rotation when session cookies may have
    been copied): everyone must sign in again. Return how many ended."""
    return session.exec(delete(WebSession)).rowcount


@transactional
def sign_out_everywhere(session: Session, *, person: Person, by: Person,
                        keep_token: str | None = None) -> int:
    """End a person's sessions (all, or all but the caller's own when ``keep_token`` is
    given) and record who did it; return how many ended."""
    ended = end_all(session, person_id=person.id, keep_token=keep_token)
    record(session, person=by, action="sign_out_everywhere", entity="person",
           entity_id=person.id, after={"sessions_ended": ended})
    return ended


def active_sessions(session: Session, *, person_id: int, lifetimes: Lifetimes,
                    now: datetime | None = None) -> list[WebSession]:
    """A person's sessions that have not expired, most recently seen first."""
    rows = session.exec(select(WebSession).where(WebSession.person_id == person_id)
                        .order_by(WebSession.last_seen_at.desc(), WebSession.id.desc())).all()
    return [row for row in rows if not is_expired(row, lifetimes=lifetimes, now=now)]
