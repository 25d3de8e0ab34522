"""Errors a user can cause. Each carries a message in the user's language (translated
lazily, so domain modules stay free of request state) and means nothing was changed."""

from __future__ import annotations


class UserError(Exception):
    """Base of every error a user can cause and fix; views show ``str(error)``."""

    status_code = 400

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class InputError(UserError):
    """A value was empty, too long, of the wrong kind, or carried forbidden characters."""


class Refused(UserError):
    """The action is not allowed for this person or in this state."""

    status_code = 403


class Conflict(UserError):
    """Someone else changed the same thing meanwhile; nothing was overwritten."""

    status_code = 409

    def __init__(self, message, *, field: str | None = None, current=None, attempted=None):
        super().__init__(message, field=field)
        self.current = current
        self.attempted = attempted


class NotFound(UserError):
    """The thing named does not exist."""

    status_code = 404


def found(row, message):
    """``row``, or :class:`NotFound` with ``message`` when there is none (a lookup by
    id: ``found(session.get(Group, group_id), _l("No such group."))``)."""
    if row is None:
        raise NotFound(message)
    return row
