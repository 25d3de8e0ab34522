"""Warm a new worker process before it serves anyone.

A fresh gunicorn worker (at start, and each time ``max_requests`` replaces one) would
otherwise compile its page templates and build its search index and the working
language's check matcher inside the first requests it is given: those took 1 to 1.5 s
under load while the others took 20 ms (bench/RESULTS.md, issue 9). gunicorn calls
:func:`warm` from ``post_worker_init`` (gunicorn.conf.py), before the worker accepts
connections.

Warming is an optimisation only: when the database cannot be reached yet, the worker
starts anyway and builds what it needs on first use.
"""

from __future__ import annotations

import gc
import logging
import time

from flask import Flask
from sqlmodel import Session

log = logging.getLogger(__name__)


def warm(app: Flask) -> float:
    """Compile every page template, refresh SQLite's planner statistics (the glossary
    has grown since the last start), prune the search change log
    (:func:`glossary.change_log.prune_changes`), build the search index and the working language's
    matcher, prepare the fonts DOCX files embed, then move what the process holds so far
    out of the garbage collector's way (:func:`gc.freeze`). Returns the seconds it took."""
    from . import db
    from .change_log import prune_changes
    from .exports import docx_fonts
    from .qa import matcher
    from .search import get_index

    started = time.perf_counter()
    with app.app_context():
        # templates/exports/ belongs to the document engine's own environment.
        for name in app.jinja_env.list_templates(extensions=("html",)):
            if not name.startswith("exports/"):
                app.jinja_env.get_template(name)
        try:
            db.refresh_statistics(db.get_engine())
            with Session(db.get_engine(), expire_on_commit=False) as session:
                # Workers are replaced now and then (max_requests): the search change
                # log is kept short without a job of its own.
                prune_changes(session)
                working = app.config["WORKING_LANGUAGE"]
                get_index(session, working=working)
                matcher(session, working)
        except Exception:  # noqa: BLE001 - a cold worker still works
            log.warning("warm-up: the database is not reachable; caches are built on first "
                        "use", exc_info=True)
    # The fonts a DOCX embeds (Noto Sans is cut to Latin, Greek and Cyrillic once).
    docx_fonts.warm()
    # Modules, templates and the index live as long as the process: collections need
    # not walk them again and again (new objects are still collected as usual).
    gc.collect()
    gc.freeze()
    return time.perf_counter() - started
