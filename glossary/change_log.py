"""Pruning the search change log (:class:`glossary.models.search.SearchChange`).

Every write to a concept or a term adds a row, and what reads the log is
:func:`glossary.versioned_cache.glossary_version`: the highest id. Rows a day old are
therefore of no use, except the newest one: it holds the highest id, and on SQLite
(ids without AUTOINCREMENT) deleting it would let the next change reuse an id, so a
glossary version seen before could come back and a worker keep an outdated index.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from .models import SearchChange, utcnow
from .transaction import transactional

# Rows younger than this are kept, for whatever reads recent changes.
KEEP = timedelta(days=1)


@transactional
def prune_changes(session: Session, *, now: datetime | None = None) -> int:
    """Delete the change-log rows older than :data:`KEEP` before ``now`` (default: the
    current time), always keeping the newest row; commit and return how many went."""
    newest = session.exec(select(func.max(SearchChange.id))).one()
    if newest is None:
        return 0
    cutoff = (now or utcnow()) - KEEP
    result = session.exec(delete(SearchChange).where(
        col(SearchChange.id) < newest, col(SearchChange.at) < cutoff))
    return result.rowcount or 0
