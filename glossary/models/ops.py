"""Operations tables: sign-in attempts counted for rate limiting.

The counters live in the database, not in a worker's memory, so that the limit holds
however many gunicorn workers (or machines) serve the app. Accounts and addresses are
kept only as keyed hashes: the table can count attempts but cannot say who tried.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from . import utcnow


# One sign-in attempt that has not (yet) succeeded, kept for the length of the window.
class LoginAttempt(SQLModel, table=True):
    # Short-lived counters: left out of backups (glossary.backup) and ignored when a
    # restore checks that the database is empty.
    __table_args__ = {"info": {"backup": False}}
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    account_key: str = Field(max_length=64, index=True)
    address_key: str = Field(max_length=64, index=True)
