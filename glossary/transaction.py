"""One decorator for data-changing functions: commit on success, roll back on any error,
so a refused or failed change leaves the database exactly as it was."""

from __future__ import annotations

import functools


def transactional(fn):
    """Wrap ``fn(session, ...)``: commit when it returns, roll back and re-raise when it
    raises."""

    @functools.wraps(fn)
    def wrapper(session, *args, **kwargs):
        try:
            result = fn(session, *args, **kwargs)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        return result

    return wrapper


def save_version(session, row, *, seen_version: int, conflict, **values) -> None:
    """Write ``values`` to ``row`` and bump its ``version``, only if it is still at
    ``seen_version`` (one UPDATE ... WHERE version = seen): otherwise someone saved in
    between, and :class:`glossary.errors.Conflict` is raised with ``conflict`` as its
    message, nothing written. ``row``'s table has ``id``, ``version`` and
    ``updated_at``; the row is reloaded after the write."""
    from sqlalchemy import update

    from .errors import Conflict
    from .models import utcnow

    table = type(row)
    result = session.execute(update(table).where(table.id == row.id,
                                                 table.version == seen_version)
                             .values(**values, version=table.version + 1,
                                     updated_at=utcnow()))
    if result.rowcount != 1:
        raise Conflict(conflict)
    session.refresh(row)
