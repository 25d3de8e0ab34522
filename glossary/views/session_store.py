"""Flask's session, kept on the server: the cookie carries only a random token naming a
row of the ``websession`` table (see :mod:`glossary.sessions` for the rules).

Anonymous visitors get a row only once their session holds something (a CSRF token, a
chosen interface language). Signing in, or out, always starts a new token, so a token
seen before sign-in is worth nothing after it. The store reads and writes through its
own database session, never committing what a view left uncommitted.
"""

from __future__ import annotations

import logging

from flask import g, request
from flask.sessions import SessionInterface, SessionMixin, session_json_serializer
from sqlmodel import Session
from werkzeug.datastructures import CallbackDict

from .. import sessions as store
from ..logs import database_unavailable
from ..models import utcnow
from .ops import UNAVAILABLE

log = logging.getLogger(__name__)


class ServerSession(CallbackDict, SessionMixin):
    """The session's data, with what the store needs to save it again."""

    def __init__(self, initial=None, *, token: str | None = None, row_id: int | None = None,
                 person_id: int | None = None, last_seen=None):
        def changed(self_):
            self_.modified = True

        super().__init__(initial, changed)
        self.token = token
        self.row_id = row_id
        self.loaded_person_id = person_id
        self.last_seen = last_seen
        self.modified = False
        self.expired = False  # a signed-in session found expired on this request
        self.error: Exception | None = None  # the database could not be reached


def _engine(app):
    return app.extensions["glossary_engine"]


class ServerSessionInterface(SessionInterface):
    """Load the session a cookie names, save it back when it changed."""

    def open_session(self, app, request) -> ServerSession:
        """The cookie's session, or an empty one (no cookie, unknown or ended token)."""
        token = request.cookies.get(self.get_cookie_name(app))
        if not token:
            return ServerSession()
        try:
            with Session(_engine(app)) as db:
                row = store.find(db, token=token)
                if row is None:
                    return ServerSession()
                data = session_json_serializer.loads(row.data)
                if store.is_expired(row, lifetimes=store.Lifetimes.from_app(app)):
                    store.end(db, token=token)
                    # Keep the chosen interface language; say why the person is signed out.
                    fresh = ServerSession({k: v for k, v in data.items() if k == "ui_locale"})
                    fresh.modified = bool(fresh)
                    fresh.expired = row.person_id is not None
                    return fresh
        except UNAVAILABLE as error:
            # Raised again before the view (ops.expire_session), where the 503 page is.
            broken = ServerSession()
            broken.error = error
            return broken
        if row.person_id is not None:
            data["person_id"] = row.person_id
        return ServerSession(data, token=token, row_id=row.id, person_id=row.person_id,
                             last_seen=row.last_seen_at)

    def save_session(self, app, session: ServerSession, response) -> None:
        """Write what changed: a new token on sign-in or out, the data when modified, the
        last-seen time at most once a minute; remove the row of an emptied session."""
        if session.error is not None:
            return
        if response.status_code >= 500 and "db_session" in g:
            g.db_session.rollback()  # teardown would; release any lock before writing
        name = self.get_cookie_name(app)
        domain, path = self.get_cookie_domain(app), self.get_cookie_path(app)
        if session.token or session:
            response.vary.add("Cookie")
        try:
            with Session(_engine(app)) as db:
                self._save(app, db, session, response, name, domain, path)
        except UNAVAILABLE as error:
            # One line per outage, not a traceback per request (glossary.logs).
            database_unavailable(error)

    def _save(self, app, db, session, response, name, domain, path) -> None:
        now = utcnow()
        person_id = session.get("person_id")
        data = session_json_serializer.dumps({k: v for k, v in session.items()
                                              if k != "person_id"})
        if not session:
            if session.token:
                store.end(db, token=session.token)
                response.delete_cookie(name, domain=domain, path=path,
                                       secure=self.get_cookie_secure(app),
                                       httponly=self.get_cookie_httponly(app),
                                       samesite=self.get_cookie_samesite(app))
            return
        if session.token is None or person_id != session.loaded_person_id:
            if session.token:
                store.end(db, token=session.token)
            _row, token = store.start(db, data=data, person_id=person_id,
                                      user_agent=_user_agent(), now=now,
                                      lifetimes=store.Lifetimes.from_app(app))
        elif session.modified:
            store.save(db, row_id=session.row_id, data=data, now=now)
            token = session.token
        elif store.needs_touch(session.last_seen, now=now):
            store.save(db, row_id=session.row_id, now=now)
            token = session.token
        else:
            return
        response.set_cookie(name, token, expires=self.get_expiration_time(app, session),
                            httponly=self.get_cookie_httponly(app), domain=domain, path=path,
                            secure=self.get_cookie_secure(app),
                            samesite=self.get_cookie_samesite(app))


def _user_agent() -> str:
    return request.headers.get("User-Agent", "")
