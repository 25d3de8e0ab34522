"""The table of per-person API tokens; issuing, revoking and checking them is
:mod:`glossary.api_tokens`."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from . import utcnow


# A token that lets one person's app read the glossary through the API.
class ApiToken(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    label: str = Field(default="", max_length=120)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    prefix: str = Field(max_length=12)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    revoked_at: datetime | None = None
