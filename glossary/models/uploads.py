"""Imports waiting for confirmation: the uploaded file itself, kept in the database so
that any app server can preview or confirm it (see :mod:`glossary.uploads`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

from . import utcnow


# An uploaded glossary file between its preview and its confirmation (or cancellation).
class PendingUpload(SQLModel, table=True):
    # Short-lived and possibly large: left out of backups (glossary.backup) and ignored
    # when a restore checks that the database is empty.
    __table_args__ = {"info": {"backup": False}}
    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True, index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    name: str = Field(max_length=200)
    fmt: str = Field(max_length=10)
    domain: str | None = Field(default=None, max_length=60)
    size: int
    created_at: datetime = Field(default_factory=utcnow, index=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
