"""Error answers in the interface language. A page request gets a full page with the
menu (403 names the role needed and the admins to ask); an htmx request gets a small
fragment with the same status, which static/js/app.js shows beside the form that sent it,
so nothing the person typed is lost. When the session has ended, both offer to sign in
again and come back to the page the person was on."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import g, render_template, request, session
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlmodel import select
from werkzeug.exceptions import Forbidden, HTTPException

from .. import db, htmx, logs
from ..agreement import ROLE_LABELS
from ..errors import UserError
from ..models import Person

log = logging.getLogger(__name__)
# Forms anyone may send without being signed in: a refusal there is not a lost session.
OPEN_FORMS = {"auth.login", "auth.interface_language"}


class RoleRequired(Forbidden):
    """A 403 that knows which roles would have opened the page."""

    def __init__(self, roles: tuple[str, ...]):
        super().__init__()
        self.roles = roles


def forbid(*roles: str):
    """Refuse the page to the signed-in person: one of ``roles`` is needed."""
    raise RoleRequired(tuple(roles))


def _same_site_path(url: str | None) -> str | None:
    """The path and query of a same-site URL (the page to come back to), else None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//"):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def return_path() -> str | None:
    """Where the person was: the page that sent an htmx request, else the referring page
    (for a form post), else this page (for a GET)."""
    if htmx:
        return _same_site_path(request.headers.get("HX-Current-URL"))
    if request.method == "GET":
        return request.full_path.rstrip("?")
    return _same_site_path(request.referrer)


def signed_out() -> bool:
    """True when no one is signed in on this browser (the session ended or expired)."""
    return session.get("person_id") is None


def answer(message: str, status: int, *, sign_in: bool = False, roles=(), admins=()):
    """The error as a page, or as a fragment for htmx (same status)."""
    back = return_path()
    context = {"message": message, "status": status, "back": back,
               "sign_in_next": (back or "/") if sign_in else None,
               "roles": [ROLE_LABELS.get(r, r) for r in roles], "admins": admins}
    template = "partials/_error.html" if htmx else "error.html"
    return render_template(template, **context), status


def _admin_names() -> list[str]:
    """Names of the active admins, to say whom to ask for a role."""
    rows = db.get_session().exec(select(Person).where(Person.active.is_(True))
                                 .order_by(Person.name))
    return [p.name for p in rows if p.has_role("admin")]


def _signed_out_message() -> str:
    return _("You were signed out, so this was not saved. Sign in again: you will come "
             "back to this page, and what you typed is still here.")


def _server_trouble_message() -> str:
    return _("Something went wrong on the server. Nothing you saw was changed by this "
             "error; please try again in a moment.")


def user_error(error: UserError):
    """An error the person can fix: the message, nothing changed."""
    db.get_session().rollback()
    return answer(str(error), error.status_code)


def csrf_error(error: CSRFError):
    """A form refused: usually the session ended while the page stood open."""
    log_refused_form(error)
    if "person" not in g:  # refused before the person was loaded: load for the menu
        from .helpers import load_person

        load_person()
    from .helpers import upload_interrupted

    if upload_interrupted():
        # The token could not be read because the upload carrying it was cut off.
        from .recordings import INTERRUPTED

        return answer(str(INTERRUPTED), 400)
    if signed_out() and request.endpoint not in OPEN_FORMS:
        return answer(_signed_out_message(), 400, sign_in=True)
    return answer(_("Your form expired or was sent from elsewhere. Reload the page and "
                    "try again."), 400)


def not_signed_in():
    """An htmx request after the session ended (a page request is redirected instead)."""
    return answer(_signed_out_message(), 401, sign_in=True)


def forbidden(error: Forbidden):
    """The role needed and the admins who can give it."""
    roles = getattr(error, "roles", ())
    if roles:
        message = _("This page is for people with one of these roles:")
    else:
        message = _("Your roles do not allow this.")
    return answer(message, 403, roles=roles, admins=_admin_names())


def http_error(error: HTTPException):
    """404, 405, 413 and the other HTTP errors, in the interface language."""
    from flask import current_app

    code = error.code or 500
    if code == 404:
        message = _("Page not found.")
    elif code == 405:
        message = _("This address cannot be used that way.")
    elif code == 413:
        limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        message = _("The upload is too large: at most %(mb)d MB.", mb=limit)
    elif code < 500:
        message = _("The request could not be understood.")
    else:
        message = _server_trouble_message()
    return answer(message, code)


def server_error(error):
    """An unexpected failure: logged by Flask; the person sees a page, not a trace."""
    try:
        db.get_session().rollback()
    except Exception:  # the session may be the thing that failed
        log.debug("rollback after a server error failed", exc_info=True)
    if "person" not in g:
        g.person = None
    try:
        return answer(_server_trouble_message(), 500)
    except Exception:
        log.exception("error page could not be rendered")
        return "Internal server error.", 500, {"Content-Type": "text/plain; charset=utf-8"}


def log_refused_form(error: CSRFError) -> None:
    """Log a refused form as a security event. A foreign Referer usually means the proxy
    does not pass the public host with its port: the line names both hosts and says so."""
    fields = {"reason": error.description, "path": request.path, "host": request.host,
              "referrer_host": urlsplit(request.referrer or "").netloc or None}
    if request.referrer and "referrer does not match" in (error.description or ""):
        fields["hint"] = ("the Referer names another host than this request; behind a "
                          "proxy, pass the public host with its port (nginx: proxy_set_header "
                          "Host $http_host, X-Forwarded-Host $http_host)")
    logs.security_event("form refused", **fields)


def init_app(app) -> None:
    """Register the handlers."""
    app.register_error_handler(UserError, user_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(Forbidden, forbidden)
    for code in (400, 404, 405, 413):
        app.register_error_handler(code, http_error)
    app.register_error_handler(500, server_error)
