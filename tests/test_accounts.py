"""Accounts and API (issue 13.8): passwords as NIST SP 800-63B asks, sign-in that takes
the same work whether or not the account exists, the last active admin kept, API tokens
not revived by reactivation, the API rate-limited, out-of-range numbers in URLs a 404,
and the rule on disputes raised by a mediator whose training lapsed."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from conftest import PASSWORD, TODAY
from sqlalchemy import func, update
from sqlmodel import select
from werkzeug.routing import IntegerConverter

import glossary.passwords as passwords
from glossary import create_app
from glossary.agreement import check_can_dispute
from glossary.api_tokens import issue_token
from glossary.demo import DEMO_PASSWORD
from glossary.errors import InputError, Refused
from glossary.models import LoginAttempt, Person, utcnow
from glossary.people import create_person
from glossary.ratelimit import attempt_key
from glossary.signoff import get_or_create_agreement, raise_dispute

FIELDS = {"name": "Annabelle Montgomery", "email": "annabelle.m@example.org",
          "roles": "facilitator", "languages": "", "qualified": False, "training_date": None}


# -- passwords --------------------------------------------------------------------------

@pytest.mark.parametrize("password, reason", [
    ("password", "at least 12 characters"),
    ("12345678", "at least 12 characters"),
    (" " * 8, "at least 12 characters"),
    (" " * 12, "one character repeated"),
    ("x" * 40, "one character repeated"),
    ("cafe\u0301" * 2 + "abc", "at least 12 characters"),  # 13 code points, 11 after NFC
    ("ab cd " * 50, "at most 256 characters"),
    ("password1234", "common passwords"),
    ("Qwerty123456", "common passwords"),
    ("iloveyou2024", "common passwords"),
    ("1q2w3e4r5t6y", "common passwords"),
    ("passwordpassword", "common passwords"),
    ("annabelle.m@example.org", "e-mail address or your name"),
    ("Annabelle Montgomery", "e-mail address or your name"),
    ("annabellemontgomery", "e-mail address or your name"),
])
def test_weak_passwords_are_refused_with_the_reason(db, password, reason):
    with pytest.raises(InputError, match=reason):
        create_person(db, fields=dict(FIELDS), password=password, by=None)
    assert db.exec(select(func.count()).select_from(Person)).one() == 0


@pytest.mark.parametrize("password", [DEMO_PASSWORD, PASSWORD, "Tr0ub4dor&3 horse",
                                      "ثلاث كلمات سرية", "cafe\u0301 au lait froid"])
def test_long_passwords_without_rules_are_accepted(db, password):
    person = create_person(db, fields=dict(FIELDS), password=password, by=None)
    assert passwords.verify(person.password_hash, password)
    # The same characters, composed the other way, are the same password.
    assert passwords.verify(person.password_hash, passwords.normalise(password))


def test_the_bundled_list_is_large_and_lower_case():
    common = passwords.common_passwords()
    assert len(common) > 10000
    assert {"password", "123456789012", "qwertyuiop"} <= common
    assert DEMO_PASSWORD not in common and PASSWORD not in common


def test_every_place_a_password_is_set_applies_the_rules(app, client, auth, db, make_person,
                                                         cli):
    alex = make_person("alex", "admin")
    auth.login("alex@example.org")
    form = {"name": "Hawre", "email": "hawre@example.org", "roles": ["mediator"],
            "languages": "ckb", "password": "password1234"}
    response = client.post("/admin/people/new", data=form,
                           headers={"Accept-Language": "de"})
    assert response.status_code == 400
    assert "Liste häufiger Passwörter" in response.get_data(as_text=True)
    assert db.exec(select(Person).where(Person.email == "hawre@example.org")).first() is None
    # An admin setting someone's password.
    response = client.post(f"/admin/people/{alex.id}", data={
        "name": "Alex", "email": "alex@example.org", "roles": ["admin"], "active": "on",
        "password": "qwertyuiop12"})
    assert response.status_code == 400 and "common passwords" in response.get_data(as_text=True)
    # One's own password on the profile.
    response = client.post("/profile/password", data={"current_password": PASSWORD,
                                                      "new_password": "short"})
    assert response.status_code == 400
    assert "at least 12 characters" in response.get_data(as_text=True)
    assert auth.login("alex@example.org").status_code == 302  # unchanged
    # The command line.
    result = cli(
        "user", "add", "--name", "Hawre", "--email", "hawre@example.org", "--roles",
        "mediator", "--languages", "ckb", "--password", "letmein12345")
    assert result.exit_code != 0 and "common passwords" in result.output
    assert db.exec(select(Person).where(Person.email == "hawre@example.org")).first() is None


# -- sign-in takes the same work whether or not the account exists ----------------------

@pytest.fixture
def hash_checks(monkeypatch):
    calls = []
    real = passwords.check_password_hash

    def spy(stored, password):
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(passwords, "check_password_hash", spy)
    return calls


def test_every_sign_in_checks_exactly_one_hash(client, db, make_person, hash_checks):
    anna = make_person("anna", "facilitator")
    gone = make_person("gone", "facilitator")
    db.exec(update(Person).where(Person.id == gone.id).values(active=False))
    db.commit()
    attempts = [("nobody@example.org", PASSWORD, 401), ("gone@example.org", PASSWORD, 401),
                ("anna@example.org", "not the password", 401), ("anna@example.org", PASSWORD,
                                                                302)]
    for email, password, status in attempts:
        hash_checks.clear()
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == status
        assert len(hash_checks) == 1, email
        client.post("/logout")
    # Unknown and inactive accounts are checked against a hash of the same kind.
    method = anna.password_hash.split("$", 1)[0]
    assert passwords._dummy_hash().split("$", 1)[0] == method


# -- the last active admin --------------------------------------------------------------

def test_the_last_active_admin_keeps_the_role_and_stays_active(client, auth, db, make_person):
    alex = make_person("alex", "admin")
    auth.login("alex@example.org")
    form = {"name": "Alex", "email": "alex@example.org", "roles": ["facilitator"],
            "active": "on"}
    for change in (form, {**form, "roles": ["admin"], "active": ""}):
        response = client.post(f"/admin/people/{alex.id}", data=change,
                               headers={"Accept-Language": "fr"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert re.search(r"dernier administrateur|dernière personne", page), page[-800:]
    db.refresh(alex)
    assert alex.active and alex.roles == "admin"
    # With a second admin, the first may step down.
    make_person("ada", "admin")
    assert client.post(f"/admin/people/{alex.id}", data=form).status_code == 302
    db.refresh(alex)
    assert alex.roles == "facilitator"


# -- API tokens and reactivation --------------------------------------------------------

def test_reactivation_does_not_revive_old_api_tokens(client, auth, db, make_person):
    samir = make_person("samir", "mediator", "ar")
    alex = make_person("alex", "admin")
    _row, token = issue_token(db, person=samir, label="phone", by=alex)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/search?q=x", headers=headers).status_code == 200
    auth.login("alex@example.org")
    form = {"name": "Samir", "email": "samir@example.org", "roles": ["mediator"],
            "languages": "ar"}
    assert client.post(f"/admin/people/{samir.id}", data=form).status_code == 302
    assert client.post(f"/admin/people/{samir.id}",
                       data={**form, "active": "on"}).status_code == 302
    assert client.get("/api/v1/search?q=x", headers=headers).status_code == 401
    _row, fresh = issue_token(db, person=db.get(Person, samir.id), label="new", by=alex)
    assert client.get("/api/v1/search?q=x",
                      headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


# -- API rate limits --------------------------------------------------------------------

def api(client, token=None, address="127.0.0.1"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/api/v1/search?q=x", headers=headers,
                      environ_base={"REMOTE_ADDR": address})


def test_the_api_is_limited_per_token_and_per_address(app, client, db, make_person):
    app.config.update(API_MAX_PER_MINUTE=3, API_MAX_PER_ADDRESS_PER_MINUTE=5)
    samir = make_person("samir", "mediator", "ar")
    _row, first = issue_token(db, person=samir, label="phone", by=None)
    _row, second = issue_token(db, person=samir, label="laptop", by=None)
    assert [api(client, first).status_code for _ in range(3)] == [200] * 3
    limited = api(client, first)
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert "error" in limited.get_json()
    assert api(client, first, "10.0.0.9").status_code == 429  # per token, wherever from
    assert [api(client, second).status_code for _ in range(3)] == [200, 200, 429]  # address
    assert api(client, second, "10.0.0.8").status_code == 200
    assert api(client, None, "10.0.0.7").status_code == 401
    assert [api(client, None, "10.0.0.7").status_code for _ in range(5)][-1] == 429


def test_api_calls_do_not_shorten_the_sign_in_window(app, client, engine, db, make_person):
    samir = make_person("samir", "mediator", "ar")
    _row, token = issue_token(db, person=samir, label="phone", by=None)
    client.post("/login", data={"email": "samir@example.org", "password": "wrong one"})
    with engine.begin() as connection:
        connection.execute(update(LoginAttempt).values(at=utcnow() - timedelta(minutes=5)))
    assert api(client, token).status_code == 200
    key = attempt_key("samir@example.org", secret=app.config["SECRET_KEY"])
    with engine.connect() as connection:
        kept = connection.execute(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.account_key == key)).scalar()
    assert kept == 1  # the failed sign-in still counts for its 15 minutes


# -- numbers out of range in URLs -------------------------------------------------------

def int_routes():
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                      "DATABASE_URL": "sqlite://", "EXPORTS_DIR": "/tmp"})
    routes = []
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            routes.append((rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})[0]))
    app.extensions["glossary_engine"].dispose()
    return sorted(routes)


ROUTES = int_routes()


def test_the_sweep_finds_the_routes_with_ids():
    paths = [path for path, _method in ROUTES]
    assert "/concepts/<int:concept_id>" in paths and len(paths) > 10


@pytest.mark.parametrize("path, method", ROUTES, ids=[p for p, _m in ROUTES])
def test_a_huge_number_in_a_url_is_404(client, auth, make_person, path, method):
    make_person("alex", "admin,facilitator")
    auth.login("alex@example.org")
    url = re.sub(r"<int:[^>]+>", "1" + "0" * 22, path)
    url = re.sub(r"<(?:[a-z]+:)?[^>]+>", "ar", url)
    response = client.open(url, method=method)
    assert response.status_code == 404


# -- disputes by a mediator whose training lapsed ---------------------------------------

def test_a_mediator_whose_training_lapsed_may_still_raise_a_dispute(db, make_person,
                                                                      make_concept):
    lapsed = make_person("samir", "mediator", "ar", trained_days_ago=3 * 365)
    other = make_person("hawre", "mediator", "ckb")
    concept = make_concept("consent", ar="الموافقة")
    agreement = get_or_create_agreement(db, concept_id=concept.id, source="en", target="ar")
    db.commit()
    check_can_dispute(lapsed, target_language="ar")  # no error: a concern is always heard
    with pytest.raises(Refused):
        check_can_dispute(other, target_language="ar")
    assert lapsed.training_date < date(TODAY.year - 2, TODAY.month, TODAY.day)
    dispute = raise_dispute(db, agreement=agreement, person=lapsed, comment="Means approval.")
    db.refresh(agreement)
    assert dispute.id and agreement.state == "disputed"
