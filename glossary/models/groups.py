"""Tables of programme groups: their languages, staff and concepts, the confirmations of
the pre-session checklist, and the frozen session packs their handouts come from.

Nothing here records anything about participants, nor anyone's ethnicity or community:
the matching caution of the guidelines is a confirmation with an optional note.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from . import utcnow


# Fields of a group that a facilitator enters.
class GroupBase(SQLModel):
    name: str = Field(unique=True, max_length=120)
    working_language: str = Field(max_length=35)
    start_date: date | None = None
    # What the handouts say about the group (no participant data): who it is for, when
    # and where it meets, whom to contact.
    audience: str = Field(default="", max_length=300)
    meeting_day: str = Field(default="", max_length=120)
    meeting_time: str = Field(default="", max_length=120)
    place: str = Field(default="", max_length=300)
    contact: str = Field(default="", max_length=300)


# A programme group: who runs it, in which languages, from when. ("group" is an SQL
# keyword, hence the table name.)
class Group(GroupBase, table=True):
    __tablename__ = "programme_group"
    id: int | None = Field(default=None, primary_key=True)
    version: int = 1
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


# One target language of a group (the working language is the source of every pair).
class GroupLanguage(SQLModel, table=True):
    __tablename__ = "group_language"
    __table_args__ = (UniqueConstraint("group_id", "language"),)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="programme_group.id", index=True)
    language: str = Field(max_length=35)
    position: int = 0


# A facilitator or mediator working with a group.
class GroupMember(SQLModel, table=True):
    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("group_id", "person_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="programme_group.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    role: str = Field(max_length=12)


# A concept the group's sessions will use.
class GroupConcept(SQLModel, table=True):
    __tablename__ = "group_concept"
    __table_args__ = (UniqueConstraint("group_id", "concept_id"),)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="programme_group.id", index=True)
    concept_id: int = Field(foreign_key="concept.id")
    added_at: datetime = Field(default_factory=utcnow)


# One tick (or withdrawal) of a manual checklist item; the newest row per group,
# language and item is the current answer, older rows are the history.
class ChecklistConfirmation(SQLModel, table=True):
    __tablename__ = "checklist_confirmation"
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="programme_group.id", index=True)
    language: str = Field(max_length=35)
    item: str = Field(max_length=40)
    confirmed: bool = True
    note: str = Field(default="", max_length=1000)
    person_id: int = Field(foreign_key="person.id")
    at: datetime = Field(default_factory=utcnow)


# A frozen snapshot of a group's agreed wording for one language pair. Never changed
# after it is written: handouts printed from it can always be traced back to it.
class SessionPack(SQLModel, table=True):
    __tablename__ = "session_pack"
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="programme_group.id", index=True)
    source_language: str = Field(max_length=35)
    target_language: str = Field(max_length=35)
    draft: bool = False
    content_hash: str = Field(max_length=64)
    content: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    concept_count: int = 0
    agreed_count: int = 0
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class ImmutablePackError(RuntimeError):
    """Raised when code tries to change or delete a session pack (a bug, not a user
    error: no page or command offers it)."""


@event.listens_for(SessionPack, "before_update")
def _refuse_update(_mapper, _connection, target: SessionPack) -> None:
    raise ImmutablePackError(f"Session pack {target.id} is frozen and cannot be changed.")


@event.listens_for(SessionPack, "before_delete")
def _refuse_delete(_mapper, _connection, target: SessionPack) -> None:
    raise ImmutablePackError(f"Session pack {target.id} is frozen and cannot be deleted.")
