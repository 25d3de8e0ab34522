"""The glossary's change log for search: one row per concept written (a concept or one
of its terms added, changed or removed), so that every worker process can tell with one
cheap query (the highest id) whether its search index and check matchers are still
current, and read which concepts to re-index (:mod:`glossary.versioned_cache`).

The rows are written by session hooks, in the same transaction as the change itself:
a rolled-back change leaves no row, and a committed one is seen by every process. A row
without a concept means "unknown": a statement whose concepts the hook cannot tell (a
bulk insert, an update by anything but an id); readers then rebuild from scratch.
"""

from __future__ import annotations

import operator
from datetime import datetime

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter
from sqlmodel import Field, SQLModel

from . import Concept, Term, utcnow

WATCHED = (Concept, Term)


# One write to the searchable glossary: a concept, or a term of it, was added, changed
# or removed (concept_id None: not known which, so everything may have changed).
class SearchChange(SQLModel, table=True):
    __tablename__ = "search_change"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    concept_id: int | None = None


def _flushed_concepts(session) -> set[int]:
    """The concepts of the concepts and terms a flush wrote (their ids are set by now)."""
    concepts: set[int] = set()
    for obj in (*session.new, *session.deleted, *session.dirty):
        if isinstance(obj, Concept):
            if obj in session.dirty and not session.is_modified(obj):
                continue
            concepts.add(obj.id)
        elif isinstance(obj, Term):
            if obj in session.dirty and not session.is_modified(obj):
                continue
            history = inspect(obj).attrs.concept_id.history
            concepts.update(history.added or (obj.concept_id,))
            concepts.update(history.deleted or ())
    return concepts


@event.listens_for(Session, "after_flush")
def _log_flushed_change(session, _flush_context) -> None:
    """Log one change row per concept a flush wrote: after the flush, so that a new
    concept has its id; on the flush's connection, in its transaction."""
    concepts = _flushed_concepts(session)
    if concepts:
        now = utcnow()
        session.connection().execute(insert(SearchChange), [
            {"at": now, "concept_id": cid} for cid in sorted(concepts, key=str)])


def _ids_in(statement, column) -> list | None:
    """The values ``column`` is compared to (``==`` or ``IN``) in the statement's WHERE
    clause, or None when it is not restricted that way."""
    where = statement.whereclause
    if where is None:
        return None
    for node in visitors.iterate(where):
        # The statement holds annotated copies of the column: compare, not "is".
        if not isinstance(node, BinaryExpression) or not node.left.compare(column):
            continue
        if not isinstance(node.right, BindParameter):
            continue
        value = node.right.effective_value
        if node.operator is operator.eq and value is not None:
            return [value]
        if getattr(node.operator, "__name__", "") == "in_op" and value is not None:
            return list(value)
    return None


def _statement_concepts(session, statement, model) -> list[int] | None:
    """The concepts an ``update``/``delete`` on concepts or terms writes, read from its
    WHERE clause (edits update by id, with a version check); None when unknown."""
    if model is Concept:
        return _ids_in(statement, Concept.__table__.c.id)
    concepts = _ids_in(statement, Term.__table__.c.concept_id)
    if concepts is not None:
        return concepts
    terms = _ids_in(statement, Term.__table__.c.id)
    values = getattr(statement, "_values", None) or {}
    if terms is None or "concept_id" in {getattr(c, "key", c) for c in values}:
        return None  # a term moved to another concept: both would be needed
    return list(session.connection().execute(
        select(Term.concept_id).where(Term.id.in_(terms))).scalars())


@event.listens_for(Session, "do_orm_execute")
def _log_statement_change(state) -> None:
    """Log the concepts an ``insert``/``update``/``delete`` statement on concepts or
    terms writes, before it runs (edits use such statements for optimistic locking)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ not in WATCHED:
        return
    concepts = None
    if not state.is_insert:  # an insert statement is a bulk write: unknown
        concepts = _statement_concepts(state.session, state.statement, mapper.class_)
        if concepts == []:  # it writes no row
            return
    now = utcnow()
    state.session.connection().execute(insert(SearchChange), [
        {"at": now, "concept_id": cid} for cid in sorted(set(concepts or [None]), key=str)])
