"""Handout texts of a group (ground rules, programme information ...): paragraphs in the
working language adapted from a starter, their translations per language, and the
signatures that bind a translation's exact text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from . import utcnow


# One handout of a group in the working language: a title and paragraphs, each
# {"id": "p3", "text": "...", "picture": "talk" or ""}; placeholders cite concepts and
# group fields.
class HandoutText(SQLModel, table=True):
    __tablename__ = "handout_text"
    __table_args__ = (UniqueConstraint("group_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="programme_group.id", index=True)
    kind: str = Field(max_length=20)
    title: str = Field(default="", max_length=300)
    paragraphs: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    next_id: int = 1
    version: int = 1
    is_demo: bool = False
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


# The handout in one target language, paragraph by paragraph ({"title": ..., "p3": ...});
# signed off like an agreement.
class HandoutTranslation(SQLModel, table=True):
    __tablename__ = "handout_translation"
    __table_args__ = (UniqueConstraint("text_id", "target_language"),)
    id: int | None = Field(default=None, primary_key=True)
    text_id: int = Field(foreign_key="handout_text.id", index=True)
    target_language: str = Field(max_length=35)
    paragraphs: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int = 1
    is_demo: bool = False
    # Cached result of agreement.derive_state, refreshed on every change.
    state: str = Field(default="open", max_length=14)
    lock_version: int = 0
    agreed_at: datetime | None = None
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = Field(default_factory=utcnow)
    # Recordings of the paragraphs by part id (SHA-256 of the audio): part of the signed
    # text. None while there are none.
    audio: dict | None = Field(default=None, sa_column=Column(JSON))


# A signature on a handout translation, bound to the exact text the signer saw.
class HandoutSignature(SQLModel, table=True):
    __tablename__ = "handout_signature"
    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(foreign_key="handout_translation.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    role: str = Field(max_length=12)
    fingerprint: str = Field(max_length=4000)
    wording: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
