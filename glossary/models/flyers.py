"""Outreach flyers: working-language fields from a template, translations per language,
and the signatures that bind a translation's exact text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from . import utcnow


# A flyer in the working language, made from a template in data/flyers/.
class Flyer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=120)
    template: str = Field(max_length=60)
    layout: str = Field(default="a4", max_length=20)
    source_language: str = Field(max_length=35)
    fields: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int = 1
    is_demo: bool = False
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


# The flyer's text in one target language; signed off like an agreement.
class FlyerTranslation(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("flyer_id", "target_language"),)
    id: int | None = Field(default=None, primary_key=True)
    flyer_id: int = Field(foreign_key="flyer.id", index=True)
    target_language: str = Field(max_length=35)
    fields: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int = 1
    # Cached result of agreement.derive_state, refreshed on every change.
    state: str = Field(default="open", max_length=14)
    lock_version: int = 0
    agreed_at: datetime | None = None
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = Field(default_factory=utcnow)
    # Recordings of the paragraphs by field key (SHA-256 of the audio): part of the signed
    # text, and the voice note's parts. None while there are none.
    audio: dict | None = Field(default=None, sa_column=Column(JSON))


# A signature on a flyer translation, bound to the exact text the signer saw.
class FlyerSignature(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(foreign_key="flyertranslation.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    role: str = Field(max_length=12)
    fingerprint: str = Field(max_length=4000)
    wording: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
