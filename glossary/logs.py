"""Operational logs: one line per request and per security event, to stderr, with a UTC
timestamp, as ``key=value`` text or (``GLOSSARY_LOG_FORMAT=json``) as JSON lines.

Everything goes through Python's ``logging`` under the ``glossary`` logger, so a test
(``caplog``) or a host that configures logging itself sees the same records. Each record
made here carries its fields in ``record.fields``; the formatters below print them.
A database outage is logged when it starts and when it ends, once per worker process,
not once per request.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from datetime import UTC, datetime

from flask import Flask, g, request

requests_log = logging.getLogger("glossary.request")
security_log = logging.getLogger("glossary.security")
database_log = logging.getLogger("glossary.database")
HANDLER_NAME = "glossary-stderr"


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def _value(value) -> str:
    text = "-" if value is None or value == "" else str(value)
    # Quoted when it holds a space, a quote or an equals sign: one line stays one line.
    if any(c in text for c in ' "=\n\r\t'):
        return json.dumps(text, ensure_ascii=False)
    return text


class TextFormatter(logging.Formatter):
    """``2026-06-01T10:00:00.000+00:00 INFO glossary.request request method=GET ...``."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of text (a traceback, if any, on the lines after)."""
        fields = getattr(record, "fields", {})
        parts = [_timestamp(record), record.levelname, record.name, record.getMessage()]
        parts += [f"{key}={_value(value)}" for key, value in fields.items()]
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, then the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line (a traceback, if any, in ``"exception"``)."""
        entry = {"time": _timestamp(record), "level": record.levelname,
                 "logger": record.name, "event": record.getMessage()}
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(app: Flask) -> None:
    """Send the ``glossary`` loggers to stderr in the configured format, unless the
    process has configured logging itself (a root handler: tests, a host's dictConfig)."""
    from flask.logging import default_handler

    logger = logging.getLogger("glossary")  # also Flask's app.logger (the app's name)
    logger.removeHandler(default_handler)  # ours prints the same records, timestamped
    if logging.getLogger().handlers or any(h.name == HANDLER_NAME for h in logger.handlers):
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.name = HANDLER_NAME
    json_lines = app.config.get("LOG_FORMAT", "text") == "json"
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    logger.addHandler(handler)
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))


def security_event(event: str, /, *, level: int = logging.WARNING, **fields) -> None:
    """Log a security event (failed or limited sign-in, role change, token use, refused
    form) with the client's address when there is a request. Routine events (a valid
    token used) pass ``level=logging.INFO``, so ``GLOSSARY_LOG_LEVEL=WARNING`` keeps
    only what deserves a look."""
    if request:
        fields.setdefault("address", request.remote_addr)
    security_log.log(level, event, extra={"fields": fields})


def _started() -> None:
    g.request_started = time.perf_counter()


# A kit link's token is a password for the kit: it never goes into a log line.
KIT_TOKEN = re.compile(r"^/kit/t/[^/]+")


def _finished(response):
    started = g.get("request_started")
    person = g.get("person") or g.get("api_person")
    fields = {
        "method": request.method,
        "path": KIT_TOKEN.sub("/kit/t/<token>", request.path),
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "person": getattr(person, "id", None),
        "address": request.remote_addr,
    }
    requests_log.info("request", extra={"fields": fields})
    if response.status_code < 500 and "db_session" in g:  # the database answered
        database_available()
    return response


def init_app(app: Flask) -> None:
    """Configure the handler and log every request when it is answered."""
    configure(app)
    # First in line, so the duration covers the other before-request work.
    app.before_request_funcs.setdefault(None, []).insert(0, _started)
    app.after_request(_finished)


# -- database outages: one line when it goes, one when it is back --------------------------

_outage = threading.Lock()
_database_down = False


def database_unavailable(error: BaseException) -> None:
    """Record that the database cannot be reached: an error line the first time (the
    kind of error and its first line, no traceback), nothing more until it is back."""
    global _database_down
    with _outage:
        first = not _database_down
        _database_down = True
    if first:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        database_log.error("database unavailable", extra={"fields": {
            "error": error.__class__.__name__, "reason": reason[0] if reason else ""}})
    else:
        database_log.debug("database still unavailable")


def database_available() -> None:
    """Record that a request was answered: logs once that the database is back."""
    global _database_down
    if not _database_down:
        return
    with _outage:
        back = _database_down
        _database_down = False
    if back:
        database_log.warning("database available again")
