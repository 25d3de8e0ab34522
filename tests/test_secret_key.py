"""No forgeable default secret: without SECRET_KEY a random key is made on first run and
kept in the instance folder (mode 0600, the same for every worker); the published
development string is refused everywhere; production mode wants an explicit key."""

from __future__ import annotations

import os
import stat
import threading

import pytest
from flask.sessions import SecureCookieSessionInterface

from glossary import create_app
from glossary.config import DEFAULT_SECRET, instance_secret


def make_app(database_url, tmp_path, **config):
    base = {"DATABASE_URL": database_url, "EXPORTS_DIR": str(tmp_path / "exports"),
            "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": None}
    return create_app(base | config)


def test_without_a_key_one_is_made_once_and_kept_private(database_url, tmp_path):
    first = make_app(database_url, tmp_path)
    key = first.config["SECRET_KEY"]
    assert key and key != DEFAULT_SECRET and len(key) >= 32
    path = tmp_path / "instance" / "secret_key"
    assert path.read_text().strip() == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    second = make_app(database_url, tmp_path)
    assert second.config["SECRET_KEY"] == key  # a restart or a second worker: same key
    for app in (first, second):
        app.extensions["glossary_engine"].dispose()


def test_workers_starting_together_agree_on_one_key(tmp_path):
    keys = []
    barrier = threading.Barrier(8)

    def start():
        barrier.wait()
        keys.append(instance_secret(tmp_path / "instance"))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(keys) == 8 and len(set(keys)) == 1
    assert sorted(p.name for p in (tmp_path / "instance").iterdir()) == ["secret_key"]


def test_a_cookie_signed_with_the_published_string_opens_nothing(database_url, tmp_path,
                                                                  make_person, client):
    admin = make_person("ada", "admin")
    app = make_app(database_url, tmp_path, TESTING=True)
    forger = app.__class__("forger")
    forger.secret_key = DEFAULT_SECRET
    signer = SecureCookieSessionInterface().get_signing_serializer(forger)
    forged = signer.dumps({"person_id": admin.id, "signed_in_at": 4102444800})
    visitor = app.test_client()
    visitor.set_cookie("session", forged)
    response = visitor.get("/admin/people")
    assert response.status_code == 302 and "/login" in response.location
    app.extensions["glossary_engine"].dispose()


def test_the_published_string_is_refused_even_outside_production(database_url, tmp_path):
    with pytest.raises(RuntimeError, match="published"):
        make_app(database_url, tmp_path, SECRET_KEY=DEFAULT_SECRET)


def test_production_mode_wants_an_explicit_key(database_url, tmp_path):
    with pytest.raises(RuntimeError, match="without a SECRET_KEY"):
        make_app(database_url, tmp_path, PRODUCTION=True)
    assert not (tmp_path / "instance" / "secret_key").exists()
