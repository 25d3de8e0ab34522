"""Sign-in attempts limited per account and per address, across every worker.

Each attempt is written and committed *before* the password is checked, then the
attempts in the window are counted, its own included. Two workers handling attempts at
the same moment therefore each see the other's row, so no more than the limit ever get
through, whatever the number of processes. A refused attempt removes its own row (the
lock lifts when the window has passed, however long someone keeps trying); a successful
sign-in removes the account's failed attempts.

Accounts and addresses are stored as keyed hashes (HMAC with the app's secret): the
table counts attempts without recording who tried from where.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, select

from .models import LoginAttempt, utcnow
from .transaction import transactional


@dataclass(frozen=True)
class Limits:
    """How many sign-in attempts one account, and one address, may make in ``window``."""

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)

    @classmethod
    def from_config(cls, config) -> Limits:
        """The limits set in the app's configuration."""
        return cls(per_account=config["LOGIN_MAX_PER_ACCOUNT"],
                   per_address=config["LOGIN_MAX_PER_ADDRESS"],
                   window=timedelta(seconds=config["LOGIN_WINDOW_SECONDS"]))

    @classmethod
    def for_api(cls, config) -> Limits:
        """The API's limits: calls per token (the "account") and per address, a minute."""
        return cls(per_account=config["API_MAX_PER_MINUTE"],
                   per_address=config["API_MAX_PER_ADDRESS_PER_MINUTE"],
                   window=timedelta(minutes=1))


def api_account(token: str) -> str:
    """The name an API token is counted under (a hash: the token itself never reaches
    the table, and calls without a token share one name)."""
    return "api:" + (hashlib.sha256(token.encode()).hexdigest() if token else "-")


def attempt_key(value: str, *, secret: str) -> str:
    """A keyed hash of an account name or an address (hex, 64 characters)."""
    return hmac.new(secret.encode(), value.strip().lower().encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Attempt:
    """The outcome of :func:`begin_attempt`: the recorded row, or how long to wait."""

    attempt_id: int | None
    retry_after: timedelta | None

    @property
    def allowed(self) -> bool:
        """True when the password may be checked."""
        return self.retry_after is None


def _wait(session: Session, column, key: str, since: datetime, limit: int,
          window: timedelta, now: datetime) -> timedelta | None:
    """None when ``key`` is within its limit, else the time until it is again."""
    count = session.exec(select(func.count()).select_from(LoginAttempt)
                         .where(column == key, LoginAttempt.at > since)).one()
    if count <= limit:
        return None
    # Newest first, this attempt at offset 0: one more is allowed once the attempt at
    # offset ``limit`` has left the window.
    times = session.exec(select(LoginAttempt.at).where(column == key, LoginAttempt.at > since)
                         .order_by(LoginAttempt.at.desc()).offset(limit).limit(1)).all()
    oldest = times[0] if times else now
    return max(oldest + window - now, timedelta(seconds=1))


@transactional
def _record(session: Session, *, account_key: str, address_key: str, now: datetime,
            window: timedelta) -> int:
    session.exec(delete(LoginAttempt).where(LoginAttempt.at < now - window))
    attempt = LoginAttempt(at=now, account_key=account_key, address_key=address_key)
    session.add(attempt)
    session.flush()
    return attempt.id


@transactional
def _forget(session: Session, *, attempt_id: int | None = None,
            account_key: str | None = None) -> None:
    if attempt_id is not None:
        session.exec(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
    if account_key is not None:
        session.exec(delete(LoginAttempt).where(LoginAttempt.account_key == account_key))


def begin_attempt(session: Session, *, account: str, address: str, secret: str,
                  limits: Limits, now: datetime | None = None,
                  keep: timedelta | None = None) -> Attempt:
    """Record a sign-in attempt for ``account`` from ``address`` and say whether it may
    go on (its password checked) or, when either limit is reached, how long to wait.
    A refused attempt leaves no row behind. Rows older than ``keep`` (default: this
    window) are removed on the way; the API, counting in a shorter window than sign-in,
    passes the longer one so as not to remove sign-in attempts still counting."""
    now = now or utcnow()
    account_key = attempt_key(account, secret=secret)
    address_key = attempt_key(address or "-", secret=secret)
    attempt_id = _record(session, account_key=account_key, address_key=address_key, now=now,
                         window=max(limits.window, keep or limits.window))
    since = now - limits.window
    waits = [w for w in (
        _wait(session, LoginAttempt.account_key, account_key, since, limits.per_account,
              limits.window, now),
        _wait(session, LoginAttempt.address_key, address_key, since, limits.per_address,
              limits.window, now),
    ) if w is not None]
    session.rollback()
    if waits:
        _forget(session, attempt_id=attempt_id)
        return Attempt(attempt_id=None, retry_after=max(waits))
    return Attempt(attempt_id=attempt_id, retry_after=None)


def succeeded(session: Session, *, account: str, secret: str) -> None:
    """The account signed in: its failed attempts (this one included) are forgotten."""
    _forget(session, account_key=attempt_key(account, secret=secret))
