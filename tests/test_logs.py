"""Operational logs (issue 20.7): a line per request and per security event, timestamped,
as text or JSON lines, and a database outage logged when it starts and when it ends."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from test_hardening import unreachable_url

from glossary import create_app, logs
from glossary.api_tokens import issue_token
from glossary.people import update_person


@pytest.fixture
def records(caplog):
    """The records of the glossary loggers, from INFO up."""
    caplog.set_level(logging.INFO, logger="glossary")
    return lambda message=None: [r for r in caplog.records if r.name.startswith("glossary")
                                 and (message is None or r.getMessage() == message)]


@pytest.fixture(autouse=True)
def database_up(monkeypatch):
    """Each test starts with the database known to be up."""
    monkeypatch.setattr(logs, "_database_down", False)


def test_one_line_per_request_with_its_person(client, auth, make_person, records):
    anna = make_person("anna", "facilitator")
    client.get("/login", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    [line] = records("request")
    assert line.fields["method"] == "GET" and line.fields["path"] == "/login"
    assert line.fields["status"] == 200 and line.fields["person"] is None
    assert line.fields["address"] == "198.51.100.7"
    assert isinstance(line.fields["ms"], float) and line.fields["ms"] >= 0
    auth.login("anna@example.org")
    client.get("/concepts")
    assert records("request")[-1].fields["person"] == anna.id


def test_failed_and_rate_limited_sign_ins_are_security_events(app, client, auth,
                                                              make_person, records):
    make_person("anna", "facilitator")
    app.config["LOGIN_MAX_PER_ACCOUNT"] = 2
    for _ in range(2):
        assert auth.login("anna@example.org", "wrong password").status_code == 401
    assert auth.login("anna@example.org", "wrong password").status_code == 429
    failed = records("sign-in failed")
    assert len(failed) == 2 and failed[0].levelno == logging.WARNING
    assert failed[0].fields["account"] == "anna@example.org"
    assert failed[0].fields["address"] == "127.0.0.1"
    [limited] = records("sign-in rate-limited")
    assert limited.fields["retry_after"] > 0
    assert all(r.name == "glossary.security" for r in failed + [limited])


def test_role_changes_and_token_use_are_security_events(client, db, make_person, records):
    admin = make_person("root", "admin")
    anna = make_person("anna", "facilitator")
    fields = {"name": anna.name, "email": anna.email, "roles": "facilitator,admin",
              "languages": "", "qualified": True, "training_date": anna.training_date}
    update_person(db, person=anna, fields=fields, password=None, active=True, by=admin)
    changed = records("roles changed")[-1]
    assert changed.fields == {"person": anna.id, "before": "facilitator",
                              "after": "facilitator,admin", "by": admin.id}
    _row, token = issue_token(db, person=anna, label="phone", by=admin)
    assert client.get("/api/v1/glossary",
                      headers={"Authorization": f"Bearer {token}"}).status_code != 401
    [used] = records("api token used")
    assert used.fields["person"] == anna.id and used.fields["path"] == "/api/v1/glossary"
    assert used.levelno == logging.INFO  # routine: kept out of GLOSSARY_LOG_LEVEL=WARNING
    client.get("/api/v1/glossary", headers={"Authorization": "Bearer nope"})
    assert records("api token refused")[0].fields["supplied"] is True


def test_a_database_outage_is_logged_once_then_once_when_it_is_back(tmp_path, client,
                                                                     records):
    down = create_app({"TESTING": True, "DATABASE_URL": unreachable_url(tmp_path),
                       "WTF_CSRF_ENABLED": False, "EXPORTS_DIR": str(tmp_path / "x")})
    outage = down.test_client()
    sign_in = {"email": "anna@example.org", "password": "whatever"}
    for _ in range(2):
        assert outage.post("/login", data=sign_in).status_code == 503
        assert outage.get("/health").status_code == 503
    [line] = records("database unavailable")
    assert line.levelno == logging.ERROR and line.exc_info is None
    assert line.fields["error"] == "OperationalError"
    assert not any(r.exc_info for r in records())  # no traceback at all
    down.extensions["glossary_engine"].dispose()
    # The same process reaches its database again: one line says so, then nothing more.
    client.get("/login")
    client.get("/concepts")
    assert len(records("database available again")) == 1
    assert len(records("database unavailable")) == 1


def _record(**fields) -> logging.LogRecord:
    record = logging.LogRecord("glossary.request", logging.INFO, __file__, 1, "request",
                               None, None)
    record.fields = fields
    return record


def test_text_lines_carry_a_timestamp_and_key_value_fields():
    line = logs.TextFormatter().format(_record(method="GET", path="/a b", person=None))
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 INFO glossary.request "
                    r"request method=GET path=\"/a b\" person=-$", line)


def test_json_lines_when_configured(app, monkeypatch):
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as under gunicorn
    logger = logging.getLogger("glossary")
    app.config["LOG_FORMAT"] = "json"
    logs.configure(app)
    [handler] = [h for h in logger.handlers if h.name == logs.HANDLER_NAME]
    try:
        stream = io.StringIO()
        handler.setStream(stream)
        logs.requests_log.info("request", extra={"fields": {"method": "POST", "status": 302}})
        entry = json.loads(stream.getvalue())
        assert entry["event"] == "request" and entry["level"] == "INFO"
        assert entry["method"] == "POST" and entry["status"] == 302
        assert entry["time"].endswith("+00:00")
    finally:
        logger.removeHandler(handler)
