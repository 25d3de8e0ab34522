"""Operations: the health check, sessions that expire, and a clear page when the
database cannot be reached."""

from __future__ import annotations

import functools
import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    render_template,
    request,
    session,
)
from flask_babel import gettext as _
from sqlalchemy import exc, text

from ..backup import database_heads, known_revisions
from ..db import get_engine, get_session
from ..logs import database_available
from ..logs import database_unavailable as database_unavailable_once
from ..migrate import head_revisions
from ..version import app_version

bp = Blueprint("ops", __name__)
log = logging.getLogger(__name__)

# Errors that mean "the database is not there right now", not "the code is wrong":
# connection refused or lost, server restarting, pool exhausted, SQLite locked too long.
UNAVAILABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)
RETRY_AFTER_SECONDS = 30


@functools.cache
def _code_heads() -> frozenset[str]:
    return frozenset(head_revisions())


@functools.cache
def _known() -> frozenset[str]:
    return known_revisions()


def schema_state(heads: frozenset[str]) -> str:
    """``current`` when the database is at this code's migration; ``behind`` when it is
    older (or has no schema yet: ``glossary init`` must run); ``ahead`` when a newer
    version of the code has upgraded it (this code does not know its revision)."""
    if heads == _code_heads():
        return "current"
    if heads - _known():
        return "ahead"
    return "behind"


@bp.get("/health")
def health():
    """200 with ``{"status": "ok"}`` when the database answers and its schema is the one
    this code expects; 503 otherwise (for a load balancer or a monitor), with the schema
    ``behind`` (run ``glossary init``) or ``ahead`` (the code is older than the database).
    Also gives the running version."""
    version = app_version()
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
            heads = database_heads(connection)
    except UNAVAILABLE as error:
        database_unavailable_once(error)
        return jsonify(status="unavailable", database="unreachable", version=version), 503
    database_available()
    state = schema_state(heads)
    if state != "current":
        return jsonify(status="unavailable", database="ok", schema=state,
                       version=version), 503
    return jsonify(status="ok", database="ok", schema="current", version=version), 200


_schema_current = False  # once seen current, it stays so for this process's code


@bp.before_app_request
def refuse_writes_while_behind():
    """While the database's schema is older than the code (between ``git pull`` and
    ``glossary init``), pages are read but nothing is written: a clear 503 instead."""
    global _schema_current
    if _schema_current or request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    with get_engine().connect() as connection:
        state = schema_state(database_heads(connection))
    if state != "behind":
        _schema_current = state == "current"
        return None
    g.person = None  # the person's row may not fit the old schema: show a plain page
    message = _("The database has not been upgraded to this version of the app yet, so "
                "nothing can be saved. An administrator must run “glossary init”; pages "
                "can still be read.")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return render_template("error.html", message=message, status=503), 503, headers


@bp.before_app_request
def expire_session() -> None:
    """Say so when the session store signed someone out for age: idle longer than
    PERMANENT_SESSION_LIFETIME, or older than SESSION_MAX_SECONDS since sign-in however
    active (both checked on the server, glossary.sessions). When the store could not
    reach the database, raise its error here, where the 503 page is served."""
    if getattr(session, "error", None) is not None:
        raise session.error
    if getattr(session, "expired", False):
        flash(_("Your session has expired. Please sign in again."), "info")


@bp.after_app_request
def strict_transport(response):
    """Over HTTPS (secure cookies on), tell browsers to keep using HTTPS."""
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


@bp.app_errorhandler(exc.OperationalError)
@bp.app_errorhandler(exc.InterfaceError)
@bp.app_errorhandler(exc.TimeoutError)
def database_unavailable(error):
    """A 503 page that says the service is briefly unavailable: no stack trace, nothing
    saved, try again shortly. The engine's pool reconnects once the database is back."""
    database_unavailable_once(error)  # once per outage, not a traceback per request
    try:
        get_session().rollback()
    except Exception:  # the connection is gone; closing at teardown is enough
        log.debug("rollback after a database error failed", exc_info=True)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.endpoint == "ops.health":  # failed before the view (a signed-in browser)
        return jsonify(status="unavailable", database="unreachable"), 503, headers
    # The page must render without the database: no signed-in person, and language names
    # from CLDR only (the organisation's own language entries live in the database).
    g.person = None
    g.custom_languages = {}
    try:
        body = render_template("unavailable.html", retry_after=RETRY_AFTER_SECONDS)
    except Exception:  # never let the error page itself fail with a trace
        log.exception("unavailable page could not be rendered")
        body = "Temporarily unavailable. Please try again in a minute."
        headers["Content-Type"] = "text/plain; charset=utf-8"
    return body, 503, headers
