"""The glossary's change log for search: one row per write to a concept or a term, so
that every worker process can tell with one cheap query (the highest id) whether its
search index and check automata are still current.

The rows are written by session hooks, in the same transaction as the change itself:
a rolled-back change leaves no row, and a committed one is seen by every process.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, insert
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel

from . import Concept, Term, utcnow

WATCHED = (Concept, Term)


# One write to the searchable glossary (a concept or a term was added, changed or
# removed). Only the highest id matters; nothing else reads these rows.
class SearchChange(SQLModel, table=True):
    __tablename__ = "search_change"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)


@event.listens_for(Session, "before_flush")
def _log_flushed_change(session, _flush_context, _instances) -> None:
    """Add a change row to a flush that writes a concept or a term."""
    changed = any(isinstance(obj, WATCHED) for obj in session.new) or any(
        isinstance(obj, WATCHED) for obj in session.deleted
    ) or any(isinstance(obj, WATCHED) and session.is_modified(obj) for obj in session.dirty)
    if changed:
        session.add(SearchChange())


@event.listens_for(Session, "do_orm_execute")
def _log_statement_change(state) -> None:
    """Add a change row before an ``insert``/``update``/``delete`` statement on concepts
    or terms (edits use such statements for optimistic locking)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ in WATCHED:
        state.session.execute(insert(SearchChange).values(at=utcnow()))
