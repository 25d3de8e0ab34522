"""Sign-in sessions kept on the server (issue 13.4).

The browser's cookie holds only a random session id; this table holds a SHA-256 hash of
it, the session's data and its times. Ending a session is deleting its row, so logout,
a password change, deactivation and an admin's "sign out everywhere" take effect on the
next request, whatever copy of the cookie someone kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from . import utcnow


# One browser session: anonymous (a CSRF token, a chosen interface language) or signed in.
class WebSession(SQLModel, table=True):
    # Short-lived and worthless after a restore (their cookies would be stale): left out
    # of backups (glossary.backup) like the sign-in counters.
    __table_args__ = {"info": {"backup": False}}
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    # The rest of the session (flashed messages, CSRF token, interface language) as
    # Flask's tagged JSON.
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow, index=True)
    user_agent: str = Field(default="", max_length=120)
