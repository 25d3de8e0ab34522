"""Hardening: sign-in limits per account and per address that hold across workers,
sessions that expire, a clear 413 page, security headers, no external references, no
production start with a weak secret, and a clear 503 page (no trace) while the database
is unreachable, recovering when it is back."""

from __future__ import annotations

import os
import sys
import threading
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import PASSWORD
from sqlalchemy import func, select, update

from glossary import create_app
from glossary.config import DEFAULT_SECRET
from glossary.db import make_engine
from glossary.models import LoginAttempt
from glossary.ratelimit import attempt_key

ROOT = Path(__file__).resolve().parent.parent
WRONG = "not the password"


def sign_in(client, email, password=PASSWORD, address="127.0.0.1"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def attempts(engine, **where) -> int:
    query = select(func.count()).select_from(LoginAttempt)
    for column, value in where.items():
        query = query.where(getattr(LoginAttempt, column) == value)
    with engine.connect() as connection:
        return connection.execute(query).scalar()


# -- sign-in limits -----------------------------------------------------------------------

def test_an_account_is_limited_after_five_failures(app, client, engine, make_person):
    make_person("anna", "facilitator")
    make_person("ben", "facilitator")
    for _ in range(5):
        assert sign_in(client, "anna@example.org", WRONG).status_code == 401
    limited = sign_in(client, "anna@example.org")  # even the right password waits now
    page = limited.get_data(as_text=True)
    assert limited.status_code == 429
    assert "Too many sign-in attempts. Please wait 15 minutes and try again." in page
    assert 800 < int(limited.headers["Retry-After"]) <= 900
    assert "person_id" not in (client.get_cookie("session").value if client.get_cookie(
        "session") else "")
    # Another account from the same address is not affected.
    assert sign_in(client, "ben@example.org").status_code == 302
    # A refused attempt leaves no row: the lock lifts when the window has passed.
    anna_key = attempt_key("anna@example.org", secret=app.config["SECRET_KEY"])
    assert attempts(engine, account_key=anna_key) == 5
    with engine.begin() as connection:
        connection.execute(update(LoginAttempt).values(at=LoginAttempt.at - timedelta(minutes=16)))
    assert sign_in(client, "anna@example.org").status_code == 302
    assert attempts(engine, account_key=anna_key) == 0  # success forgets the failures


def test_an_address_is_limited_across_accounts(app, client, make_person):
    app.config["LOGIN_MAX_PER_ADDRESS"] = 6
    make_person("samir", "mediator", "ar")
    for index in range(6):
        assert sign_in(client, f"guess{index}@example.org", WRONG, "10.0.0.7").status_code == 401
    assert sign_in(client, "samir@example.org", address="10.0.0.7").status_code == 429
    assert sign_in(client, "samir@example.org", address="10.0.0.8").status_code == 302


def test_the_table_keeps_no_readable_account_or_address(app, client, engine):
    sign_in(client, "someone@example.org", WRONG, "192.0.2.44")
    with engine.connect() as connection:
        row = connection.execute(select(LoginAttempt)).one()
    assert "someone" not in row.account_key and "192.0.2" not in row.address_key
    assert len(row.account_key) == len(row.address_key) == 64


def test_the_limit_holds_across_workers_and_simultaneous_attempts(app, database_url,
                                                                  make_person):
    """Two apps stand for two gunicorn workers; twelve attempts arrive at once."""
    make_person("mariam", "mediator", "fa-AF")
    other_worker = create_app({"TESTING": True, "DATABASE_URL": database_url,
                               "WTF_CSRF_ENABLED": False, "SECRET_KEY": app.config["SECRET_KEY"],
                               "EXPORTS_DIR": app.config["EXPORTS_DIR"]})
    workers = [app, other_worker]
    barrier = threading.Barrier(12)
    statuses = []

    def attempt(index):
        client = workers[index % 2].test_client()
        barrier.wait()
        statuses.append(sign_in(client, "mariam@example.org", WRONG).status_code)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # A simultaneous burst may be refused more than needed, never less; attempts one
    # after the other, alternating workers, then fill the allowance exactly.
    assert len(statuses) == 12 and set(statuses) <= {401, 429}
    assert statuses.count(401) <= 5
    for index in range(6):
        statuses.append(sign_in(workers[index % 2].test_client(), "mariam@example.org",
                                WRONG).status_code)
    assert statuses.count(401) == 5
    assert sign_in(other_worker.test_client(), "mariam@example.org").status_code == 429
    other_worker.extensions["glossary_engine"].dispose()


def test_the_limit_message_is_shown_in_the_interface_language(client, make_person):
    for _ in range(6):
        response = client.post("/login", data={"email": "x@example.org", "password": WRONG},
                               headers={"Accept-Language": "ar"})
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert '<html lang="ar" dir="rtl">' in page
    assert 'role="alert"' in page


# -- sessions: see test_sessions.py (kept on the server, issue 13.4) ---------------------

# -- uploads, headers, external references ------------------------------------------------

@pytest.mark.parametrize("csrf", [False, True])
def test_a_too_large_request_gets_a_clear_413_page(database_url, tmp_path, csrf):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": csrf,
                      "EXPORTS_DIR": str(tmp_path), "MAX_CONTENT_LENGTH": 1024 * 1024})
    response = app.test_client().post("/login", data={"email": "a@example.org",
                                                      "password": "x" * (2 * 1024 * 1024)})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The upload is too large: at most 1 MB." in page and "Nothing was changed." in page
    assert "Traceback" not in page
    app.extensions["glossary_engine"].dispose()


def check_security_headers(response) -> None:
    csp = response.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer",
                                                   "strict-origin-when-cross-origin")


def test_every_kind_of_response_carries_the_security_headers(app, client, make_person,
                                                             make_concept):
    make_person("anna", "facilitator")
    concept = make_concept("consent", ar="الموافقة")
    check_security_headers(client.get("/login"))
    check_security_headers(client.get("/health"))
    sign_in(client, "anna@example.org")
    for path in ("/concepts", f"/concepts/{concept.id}", "/no-such-page",
                 "/static/css/app.css"):
        with client.get(path) as response:
            check_security_headers(response)
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_https_deployments_ask_browsers_to_stay_on_https(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/login").headers["Strict-Transport-Security"].startswith("max-age=")


class References(HTMLParser):
    """Every URL a page would make the browser fetch or follow."""

    ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data",
                  "hx-get", "hx-post", "hx-put", "hx-delete", "hx-patch", "manifest",
                  "background", "cite", "ping"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.urls.extend(v.strip().split()[0] for v in value.split(",") if v.strip())
            if name == "content" and value and "url=" in value.lower():
                self.urls.append(value.lower().split("url=", 1)[1])


def external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) and parts.hostname not in ("localhost", None)


def test_no_page_references_an_external_host(app, client, make_person, make_concept):
    """Crawl every page an admin can reach (and the login page) and every stylesheet:
    no CDN, font, script, image or form target on another host."""
    make_person("alex", "admin,facilitator,trainer")
    make_person("samir", "mediator", "ar")
    make_concept("consent", ar="الموافقة", fa_AF="رضایت", ti="ፍቓድ", uk="згода")
    make_concept("custody", domain="legal", ar="الحضانة", ckb="سەرپەرشتی")
    login = client.get("/login")
    found = References()
    found.feed(login.get_data(as_text=True))
    sign_in(client, "alex@example.org")
    queue, seen, offending = ["/concepts"], set(), []
    offending += [u for u in found.urls if external(u)]
    while queue and len(seen) < 120:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        with client.get(path) as response:
            kind = response.headers.get("Content-Type", "")
            body = response.get_data(as_text=True) if kind.startswith("text/") else ""
        if kind.startswith("text/css"):
            offending += [line for line in body.splitlines()
                          if ("url(" in line or "@import" in line) and "//" in line]
            continue
        if not kind.startswith("text/html"):
            continue
        parser = References()
        parser.feed(body)
        for url in parser.urls:
            if external(url):
                offending.append(f"{path}: {url}")
                continue
            target = urlsplit(urljoin(path, url))
            if url.startswith(("#", "mailto:", "data:")) or "logout" in target.path:
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    assert len(seen) > 10
    assert any(p.startswith("/static/") for p in seen)
    assert offending == []


# -- production and the database going away ----------------------------------------------

def test_production_mode_refuses_a_default_or_short_secret(database_url, tmp_path):
    base = {"DATABASE_URL": database_url, "EXPORTS_DIR": str(tmp_path), "PRODUCTION": True}
    with pytest.raises(RuntimeError, match="published default secret"):
        create_app(base | {"SECRET_KEY": DEFAULT_SECRET})
    with pytest.raises(RuntimeError, match="shorter than 32"):
        create_app(base | {"SECRET_KEY": "short-secret"})
    app = create_app(base | {"SECRET_KEY": "k" * 48})
    assert app.config["PRODUCTION"]
    app.extensions["glossary_engine"].dispose()


def unreachable_url(tmp_path) -> str:
    """A database URL of the suite's kind where no database answers."""
    if os.environ.get("GLOSSARY_DATABASE_URL", "").startswith("postgresql"):
        return "postgresql://postgres@127.0.0.1:9/nothing?connect_timeout=2"
    return f"sqlite:///{tmp_path}"  # a folder: SQLite cannot open it


def check_unavailable(response) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Temporarily unavailable" in page and "cannot reach its database" in page
    assert response.headers["Retry-After"] == "30"
    for leak in ("Traceback", "OperationalError", "sqlite", "psycopg", "File \""):
        assert leak not in page
    check_security_headers(response)


def test_an_unreachable_database_gives_a_clear_503_and_the_app_recovers(
        app, client, make_person, make_concept, tmp_path):
    make_person("anna", "facilitator")
    concept = make_concept("consent", ar="الموافقة")
    sign_in(client, "anna@example.org")
    assert client.get(f"/concepts/{concept.id}").status_code == 200
    working = app.extensions["glossary_engine"]
    app.extensions["glossary_engine"] = make_engine(unreachable_url(tmp_path))
    try:
        check_unavailable(client.get(f"/concepts/{concept.id}"))
        check_unavailable(client.post(f"/concepts/{concept.id}/languages/ar/sign",
                                      data={"role": "facilitator", "fingerprint": "x"}))
        check_unavailable(client.post("/login", data={"email": "anna@example.org",
                                                      "password": PASSWORD}))
        health = client.get("/health")
        assert health.status_code == 503
        assert health.get_json() == {"status": "unavailable", "database": "unreachable"}
    finally:
        app.extensions["glossary_engine"].dispose()
        app.extensions["glossary_engine"] = working
    sign_in(client, "anna@example.org")
    assert client.get(f"/concepts/{concept.id}").status_code == 200
    assert client.get("/health").get_json()["database"] == "ok"


@pytest.mark.skipif(not os.environ.get("GLOSSARY_DATABASE_URL", "").startswith("postgresql"),
                    reason="needs PostgreSQL: the server is cut off through a TCP proxy")
def test_a_postgresql_server_that_goes_away_and_comes_back(database_url, tmp_path,
                                                           make_person):
    """The connections in the pool break mid-way; pages say 503 until the server is
    reachable again, then work without a restart."""
    sys.path.insert(0, str(ROOT / "bench"))
    from tcpproxy import TcpProxy

    make_person("anna", "facilitator")
    parts = urlsplit(database_url)
    proxy = TcpProxy((parts.hostname, parts.port or 5432)).start()
    proxied = database_url.replace(parts.netloc, f"{parts.username}@127.0.0.1:{proxy.port}")
    app = create_app({"TESTING": True, "DATABASE_URL": proxied, "WTF_CSRF_ENABLED": False,
                      "EXPORTS_DIR": str(tmp_path)})
    client = app.test_client()
    try:
        sign_in(client, "anna@example.org")
        assert client.get("/concepts").status_code == 200
        proxy.cut()
        check_unavailable(client.get("/concepts"))
        assert client.get("/health").status_code == 503
        proxy.restore()
        assert client.get("/concepts").status_code == 200
        assert client.get("/health").get_json()["database"] == "ok"
    finally:
        proxy.stop()
        app.extensions["glossary_engine"].dispose()
