"""Imports waiting for confirmation: the uploaded file itself, kept in the database so
that any app server can preview or confirm it (see :mod:`glossary.uploads`), with the
column mapping and merge choices made on its preview; and column mappings saved under a
name for the next file (:mod:`glossary.importers.saved_mappings`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, LargeBinary
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
    # The column mapping chosen on the preview (TableMapping.to_json), None: guessed.
    mapping: dict | None = Field(default=None, sa_column=Column(JSON))
    # Possible duplicates the person chose to merge: {folded wording: concept key}.
    merges: dict | None = Field(default=None, sa_column=Column(JSON))


# A column mapping saved under a name, offered again for files with the same header.
class ImportMapping(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    # TableMapping.signature(): sheet names and headers, case-folded.
    signature: str = Field(max_length=64, index=True)
    mapping: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
