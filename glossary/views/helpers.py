"""What every view shares: the signed-in person, role checks, labels for templates."""

from __future__ import annotations

import functools
from datetime import date

from flask import current_app, g, redirect, request, session, url_for
from flask_babel import get_locale

from .. import htmx, languages
from ..agreement import ROLE_LABELS, STATE_LABELS
from ..concepts import custom_languages
from ..db import get_session
from ..i18n import _l
from ..models import Person
from .error_pages import forbid

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
            if htmx:  # a panel or a live search: say so in place, with a way back
                from .error_pages import not_signed_in

                return not_signed_in()
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
                forbid(*roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def page_count(total: int, size: int) -> int:
    """How many pages ``total`` rows fill, ``size`` to a page (at least one)."""
    return max((total + size - 1) // size, 1)


def past_the_last_page(page: int, pages: int):
    """A redirect to the last page when ``page`` lies beyond it (``?page=9999`` from an
    old link), else None: a list never claims "page 9999 of 2"."""
    if page <= pages:
        return None
    return redirect(url_for(request.endpoint, **(request.view_args or {}),
                            **dict(request.args, page=pages)))

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


def language_choices() -> list[languages.LanguageInfo]:
    """The languages a picker offers (partials/_language_picker.html), in the interface
    language; read once per request."""
    if "language_choices" not in g:
        g.language_choices = languages.choices(ui_locale(), custom_language_map())
    return g.language_choices


def _tag_for_name(value: str) -> str:
    """The tag of a language typed by its name or endonym ("Dari", "دری"), else
    ``value`` unchanged (a tag, or something the parser will refuse with a message)."""
    if "language_names" not in g:
        names: dict[str, str] = {}
        for info in language_choices():
            for name in (info.name, info.endonym, f"{info.name} · {info.endonym}"):
                names.setdefault(name.casefold(), info.tag)
        g.language_names = names
    return g.language_names.get(value.strip().casefold(), value)


def with_language_tags(form, *fields: str):
    """A copy of ``form`` in which each language of ``fields`` typed by its name
    instead of chosen from the picker's list is replaced by its tag."""
    copy = form.copy()
    for field in fields:
        copy.setlist(field, [_tag_for_name(v) for v in form.getlist(field)])
    return copy


def submitted_languages(field: str = "languages") -> str:
    """The tags a language picker sent (one per slot, or comma-separated), as one string."""
    return ", ".join(_tag_for_name(v) for v in request.form.getlist(field) if v.strip())


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
        "language_choices": language_choices,
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
