"""Tables of spoken wording: audio stored once per content (hash -> bytes), the
recordings made of it, each tied to a slot (a rendering's wording, and later its
explanation, a handout or flyer paragraph), and the kit links that let a phone that
does not sign in open a group's session kit. Nothing here records anything about
participants: a kit link names a group and a language, never who holds it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from . import utcnow


# Converted audio, stored once per content: the key is the SHA-256 of the Ogg/Opus bytes,
# which is the hash a signed wording carries. The same sound in an MPEG-4/AAC container
# sits beside it for phones that cannot play Opus (iOS before 18.4).
class AudioBlob(SQLModel, table=True):
    __tablename__ = "audio_blob"
    sha256: str = Field(primary_key=True, max_length=64)
    duration_ms: int
    ogg: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    m4a: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)


# One recording saved into a slot: who spoke it into which slot, when. The slot's owner
# (a term for the slots "wording" and "explanation") carries the current hash in its
# signed wording; these rows are the history.
class Recording(SQLModel, table=True):
    __tablename__ = "recording"
    __table_args__ = (Index("ix_recording_slot_owner", "slot", "owner_id", "part"),)
    id: int | None = Field(default=None, primary_key=True)
    slot: str = Field(max_length=24)
    owner_id: int
    part: int = 0  # a paragraph's number in its text; 0 for a rendering's slots
    language: str = Field(max_length=35)
    audio_sha256: str = Field(foreign_key="audio_blob.sha256", max_length=64)
    duration_ms: int
    person_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    # A paragraph recording: the SHA-256 of the text it was recorded for (None for a
    # rendering's, whose versions tell it, and for recordings saved before 0016).
    spoken: str | None = Field(default=None, max_length=64)


# A link to a group's session kit for one language, for a phone that does not sign in.
# Only the SHA-256 of its token is kept: the link is shown once, when it is made.
class KitLink(SQLModel, table=True):
    __tablename__ = "kit_link"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    group_id: int = Field(foreign_key="programme_group.id", index=True)
    language: str = Field(max_length=35)
    label: str = Field(default="", max_length=120)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_by_id: int | None = Field(default=None, foreign_key="person.id")
