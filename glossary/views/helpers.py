"""What every view shares: the signed-in person, role checks, labels for templates."""

from __future__ import annotations

import functools
from datetime import date

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_babel import get_locale

from .. import languages
from ..agreement import ROLE_LABELS, STATE_LABELS
from ..concepts import custom_languages
from ..db import get_session
from ..i18n import _l
from ..models import Person

TERM_STATUS_LABELS = {
    "preferred": _l("Preferred"),
    "admitted": _l("Admitted"),
    "deprecated": _l("Avoid"),
}
REGISTER_LABELS = {
    "clinical": _l("Clinical"),
    "neutral": _l("Neutral"),
    "colloquial": _l("Colloquial"),
    "euphemism": _l("Euphemism"),
    "vulgar": _l("Vulgar"),
}
SENSITIVITY_LABELS = {"low": _l("Low"), "medium": _l("Medium"), "high": _l("High")}
UI_LOCALE_NAMES = {"en": "English", "de": "Deutsch", "it": "Italiano", "fr": "Français",
                   "ar": "العربية"}


def load_person() -> None:
    """Put the signed-in, active person (or None) in ``g.person``, and the token of this
    browser's session (or None) in ``g.session_token``: the session a change of one's
    own password or sessions leaves open."""
    g.person = None
    g.session_token = getattr(session, "token", None)
    person_id = session.get("person_id")
    if person_id is not None:
        person = get_session().get(Person, person_id)
        if person is not None and person.active:
            g.person = person
        else:
            session.clear()


def login_required(view):
    """Send anyone not signed in to the sign-in page, then back."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.person is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: str):
    """Allow the view only to people holding one of ``roles`` (403 otherwise)."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not g.person.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def upload_interrupted() -> bool:
    """True when a multipart form arrived cut off: the body was announced but not one
    field could be read from it (a phone that lost its network half-way)."""
    return (request.mimetype == "multipart/form-data" and bool(request.content_length)
            and not request.form and not request.files)


def ui_locale() -> str:
    """The current interface language code."""
    return str(get_locale() or "en")


def custom_language_map() -> dict:
    """The organisation's own language entries by tag, read once per request."""
    if "custom_languages" not in g:
        g.custom_languages = custom_languages(get_session())
    return g.custom_languages


def language_info(tag: str) -> languages.LanguageInfo:
    """Name, endonym and direction of a tag in the current interface language."""
    return languages.describe(tag, ui_locale(), custom_language_map())


def working_language() -> str:
    """The organisation's working language (the source side of every agreement)."""
    return current_app.config["WORKING_LANGUAGE"]


def today() -> date:
    """Today's date (a function, so tests can reason about training validity)."""
    return current_app.config.get("TODAY") or date.today()


def jinja_globals() -> dict:
    """Names every template may use."""
    locale = ui_locale()
    ui_info = languages.describe(locale, locale)
    return {
        "person": g.get("person"),
        "lang": language_info,
        "ui_locale": locale,
        "ui_dir": ui_info.direction,
        "ui_locales": UI_LOCALE_NAMES,
        "state_labels": STATE_LABELS,
        "term_status_labels": TERM_STATUS_LABELS,
        "register_labels": REGISTER_LABELS,
        "role_labels": ROLE_LABELS,
        "sensitivity_labels": SENSITIVITY_LABELS,
        "working_language": working_language(),
        "working_dir": language_info(working_language()).direction,
    }
