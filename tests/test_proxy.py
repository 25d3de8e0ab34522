"""Sign-in behind a reverse proxy whose public address has a port (issue 20.1): the
form check compares the browser's Referer with the host the app sees, so the proxy's
host and port must reach the app, and a refusal must say why in the log."""

from __future__ import annotations

import logging
import re

import pytest
from conftest import PASSWORD

from glossary import create_app

PUBLIC = "glossary.example.org"


@pytest.fixture
def proxied(database_url, tmp_path, make_person):
    """An app behind one proxy, with the form check on, and a person to sign in."""
    make_person("anna", "facilitator")
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "PROXY_HOPS": 1,
                      "WTF_CSRF_ENABLED": True, "SESSION_COOKIE_SECURE": True,
                      "EXPORTS_DIR": str(tmp_path / "exports")})
    yield app
    app.extensions["glossary_engine"].dispose()


def _sign_in(app, headers: dict, referer: str, client=None):
    client = client or app.test_client()
    page = client.get("/login", headers=headers).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/login", headers={**headers, "Referer": referer},
                       data={"email": "anna@example.org", "password": PASSWORD,
                             "csrf_token": token})


@pytest.mark.parametrize("headers", [
    # The README's nginx block: the public host with its port in Host and X-Forwarded-Host.
    {"Host": f"{PUBLIC}:8443", "X-Forwarded-Host": f"{PUBLIC}:8443"},
    # An older block: host without its port, the port in X-Forwarded-Port.
    {"Host": PUBLIC, "X-Forwarded-Host": PUBLIC, "X-Forwarded-Port": "8443"},
], ids=["host-with-port", "forwarded-port"])
def test_a_proxied_sign_in_on_a_public_port_succeeds(proxied, headers):
    headers = {**headers, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    client = proxied.test_client()
    response = _sign_in(proxied, headers, f"https://{PUBLIC}:8443/login", client)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get("/profile", headers=headers).status_code == 200


def test_a_refused_form_names_both_hosts_in_the_log(proxied, caplog):
    headers = {"Host": PUBLIC, "X-Forwarded-Host": PUBLIC, "X-Forwarded-Proto": "https",
               "X-Forwarded-For": "203.0.113.9"}
    with caplog.at_level(logging.INFO, logger="glossary"):
        response = _sign_in(proxied, headers, f"https://{PUBLIC}:8443/login")
    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.getMessage() == "form refused"]
    assert record.levelno == logging.WARNING
    assert record.fields["host"] == PUBLIC
    assert record.fields["referrer_host"] == f"{PUBLIC}:8443"
    assert record.fields["address"] == "203.0.113.9"
    assert "$http_host" in record.fields["hint"]
