"""Text notices after a save: every request collects what :func:`glossary.text.clean_text`
changed or found suspect (invisible characters removed, look-alike letters), and a form
post that succeeded (it redirects) flashes them on the next page. Views need no code for
it; a form shown again with an error keeps what was typed, so there is nothing to tell."""

from __future__ import annotations

from flask import current_app, flash, g, request
from flask_babel import gettext as _

from ..db import get_session
from ..text import noticing
from ..training import training_notice
from .helpers import today

SHOWN = 5


def _start() -> None:
    g.text_noticing = noticing()
    g.text_notices = g.text_noticing.__enter__()


def _flash_after_save(response):
    notices = g.get("text_notices")
    if notices and request.method == "POST" and response.status_code in (302, 303):
        for notice in notices[:SHOWN]:
            flash(str(notice), "warning")
        if len(notices) > SHOWN:
            flash(_("… and %(n)d more.", n=len(notices) - SHOWN), "warning")
    return response


def _stop(_error=None) -> None:
    collecting = g.pop("text_noticing", None)
    if collecting is not None:
        collecting.__exit__(None, None, None)


def init_app(app) -> None:
    """Collect text notices during each request and flash them after a successful post."""
    app.before_request(_start)
    app.after_request(_flash_after_save)
    app.teardown_request(_stop)


def training_notice_now(person):
    """The lapsed-training notice of ``person`` today (:mod:`glossary.training`), or None."""
    return training_notice(get_session(), person, today=today(),
                           validity_months=current_app.config["TRAINING_VALIDITY_MONTHS"])
