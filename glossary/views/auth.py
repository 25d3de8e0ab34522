"""Signing in and out, one's own password and sessions, and each person's interface
language."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import people, ratelimit, sessions
from ..db import get_session
from ..errors import InputError
from ..logs import security_event
from .helpers import UI_LOCALE_NAMES, login_required
from .notices import training_notice_now

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in."""
    same_site = urlsplit(target or "").netloc == "" and not (target or "").startswith("//")
    if target and same_site and target.startswith("/"):
        return target
    return url_for("concepts.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with e-mail and password."""
    error = None
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        password = request.form.get("password", "")
        # Counted in the database before the password is checked: holds across workers.
        attempt = ratelimit.begin_attempt(
            get_session(), account=email, address=request.remote_addr or "",
            secret=current_app.config["SECRET_KEY"],
            limits=ratelimit.Limits.from_config(current_app.config))
        if not attempt.allowed:
            seconds = math.ceil(attempt.retry_after.total_seconds())
            security_event("sign-in rate-limited", account=email, retry_after=seconds)
            error = ngettext("Too many sign-in attempts. Please wait %(num)d minute and try "
                             "again.", "Too many sign-in attempts. Please wait %(num)d minutes "
                             "and try again.", math.ceil(seconds / 60))
            return (render_template("login.html", error=error), 429,
                    {"Retry-After": str(seconds)})
        person = people.authenticate(get_session(), email=email, password=password)
        if person is None:
            error = _("E-mail or password is not right.")
            security_event("sign-in failed", account=email)
        else:
            ratelimit.succeeded(get_session(), account=email,
                                secret=current_app.config["SECRET_KEY"])
            # A new server-side session (glossary.sessions), under a new token; the
            # interface language chosen before signing in is kept.
            locale = session.get("ui_locale")
            session.clear()
            if locale:
                session["ui_locale"] = locale
            session.permanent = True
            session["person_id"] = person.id
            notice = training_notice_now(person)
            if notice is not None:
                flash(_("Your SGBV training is not current: you cannot sign renderings "
                        "until a refresher is recorded. Your profile says who records it."),
                      "warning")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", error=error), (401 if error else 200)


@bp.post("/logout")
def logout():
    """Sign out: the session's row is removed, so a copy of the cookie opens nothing."""
    if getattr(session, "token", None):
        sessions.end(get_session(), token=session.token)
    session.clear()
    return redirect(url_for("auth.login"))


@bp.post("/interface-language")
def interface_language():
    """Choose the interface language; stored on the profile when signed in."""
    choice = request.form.get("ui_locale", "")
    if choice in UI_LOCALE_NAMES:
        session["ui_locale"] = choice
        if g.person is not None:
            db = get_session()
            g.person.ui_locale = choice
            db.add(g.person)
            db.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/profile")
@login_required
def profile(error: InputError | None = None):
    """The signed-in person's own details, a form to change the password and the
    sessions signed in as them."""
    rows = sessions.active_sessions(get_session(), person_id=g.person.id,
                                    lifetimes=sessions.Lifetimes.from_app(current_app))
    return render_template("profile.html", sessions=rows, error=error,
                           training=training_notice_now(g.person),
                           current_session=getattr(session, "row_id", None)), (
        400 if error else 200)


@bp.post("/profile/password")
@login_required
def change_password():
    """Set a new password (the current one is asked for); other sessions end."""
    try:
        people.change_password(get_session(), person=g.person,
                               current=request.form.get("current_password", ""),
                               new=request.form.get("new_password", ""),
                               keep_token=g.session_token)
    except InputError as exc:
        return profile(error=exc)
    flash(_("Your password was changed; your other sessions were signed out."), "info")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/sessions/end-others")
@login_required
def end_other_sessions():
    """Sign out every other session of the signed-in person (another browser, a lost
    phone), this one going on."""
    ended = sessions.sign_out_everywhere(get_session(), person=g.person, by=g.person,
                                         keep_token=g.session_token)
    flash(ngettext("%(num)d other session was signed out.",
                   "%(num)d other sessions were signed out.", ended), "info")
    return redirect(url_for("auth.profile"))
