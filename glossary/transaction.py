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
