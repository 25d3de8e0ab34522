"""Signing in and out, and each person's interface language."""

from __future__ import annotations

import math
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import select
from werkzeug.security import check_password_hash

from .. import ratelimit
from ..db import get_session
from ..logs import security_event
from ..models import Person
from .helpers import UI_LOCALE_NAMES, login_required

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
        person = get_session().exec(select(Person).where(Person.email == email)).first()
        if person is None or not person.active or not check_password_hash(
            person.password_hash, password
        ):
            error = _("E-mail or password is not right.")
            security_event("sign-in failed", account=email)
        else:
            ratelimit.succeeded(get_session(), account=email,
                                secret=current_app.config["SECRET_KEY"])
            session.clear()
            session.permanent = True
            session["person_id"] = person.id
            session["signed_in_at"] = int(time.time())
            return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", error=error), (401 if error else 200)


@bp.post("/logout")
def logout():
    """Sign out."""
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
def profile():
    """The signed-in person's own details."""
    return render_template("profile.html")
