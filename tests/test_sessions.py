"""Sessions on the server (issue 13.4): the cookie holds only a random token; logout, a
password change, deactivation and an admin's "sign out everywhere" end sessions at once;
idle and absolute lifetimes are enforced on the server; a person sees their sessions."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from conftest import PASSWORD
from sqlalchemy import func, select, update

from glossary.models import utcnow
from glossary.models.sessions import WebSession

NEW_PASSWORD = "a river of quiet stones"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def sign_in(client, email, password=PASSWORD, agent=FIREFOX):
    return client.post("/login", data={"email": email, "password": password},
                       headers={"User-Agent": agent})


def cookie(client) -> str:
    found = client.get_cookie("session")
    return found.value if found else ""


def rows(engine, **where):
    query = select(WebSession)
    for column, value in where.items():
        query = query.where(getattr(WebSession, column) == value)
    with engine.connect() as connection:
        return connection.execute(query).all()


def signed_out(client) -> bool:
    response = client.get("/profile")
    return response.status_code == 302 and "/login" in response.location


def test_the_cookie_holds_only_a_random_token_whose_hash_is_stored(client, engine,
                                                                   make_person):
    anna = make_person("anna", "facilitator")
    sign_in(client, "anna@example.org")
    token = cookie(client)
    assert len(token) >= 40 and "." not in token  # no signed payload, just the id
    [row] = rows(engine, person_id=anna.id)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.data and token not in row.token_hash
    assert row.user_agent == "Firefox / Linux"


def test_a_cookie_replayed_after_logout_opens_nothing(client, engine, make_person):
    make_person("anna", "facilitator")
    sign_in(client, "anna@example.org")
    captured = cookie(client)
    assert client.get("/profile").status_code == 200
    client.post("/logout")
    assert rows(engine) == []
    client.set_cookie("session", captured)
    assert signed_out(client)


def test_signing_in_starts_a_new_token(app, client, make_person):
    make_person("anna", "facilitator")
    client.post("/interface-language", data={"ui_locale": "de"})
    before = cookie(client)
    assert before
    sign_in(client, "anna@example.org")
    assert cookie(client) not in ("", before)
    assert "Abmelden" in client.get("/profile").get_data(as_text=True)  # language kept


def test_a_password_change_ends_the_other_sessions_only(app, client, make_person):
    make_person("anna", "facilitator")
    laptop, phone = client, app.test_client()
    sign_in(laptop, "anna@example.org")
    sign_in(phone, "anna@example.org")
    response = laptop.post("/profile/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_out(phone)
    assert laptop.get("/profile").status_code == 200
    assert sign_in(phone, "anna@example.org", NEW_PASSWORD).status_code == 302


def test_a_wrong_current_password_changes_nothing(app, client, make_person):
    make_person("anna", "facilitator")
    other = app.test_client()
    sign_in(client, "anna@example.org")
    sign_in(other, "anna@example.org")
    response = client.post("/profile/password", data={
        "current_password": "not the password", "new_password": NEW_PASSWORD})
    assert response.status_code == 400
    assert "Your current password is not right." in response.get_data(as_text=True)
    assert other.get("/profile").status_code == 200
    assert sign_in(app.test_client(), "anna@example.org").status_code == 302


def test_deactivation_and_an_admin_password_change_end_sessions(app, client, make_person):
    anna = make_person("anna", "facilitator")
    make_person("ada", "admin")
    admin = app.test_client()
    sign_in(admin, "ada@example.org")
    form = {"name": "Anna", "email": "anna@example.org", "roles": "facilitator",
            "languages": "", "active": "on", "password": NEW_PASSWORD}
    sign_in(client, "anna@example.org")
    assert admin.post(f"/admin/people/{anna.id}", data=form).status_code == 302
    assert signed_out(client)
    sign_in(client, "anna@example.org", NEW_PASSWORD)
    assert client.get("/profile").status_code == 200
    del form["active"], form["password"]
    assert admin.post(f"/admin/people/{anna.id}", data=form).status_code == 302
    assert signed_out(client)


def test_an_admin_signs_a_person_out_everywhere(app, client, engine, make_person):
    anna = make_person("anna", "facilitator")
    make_person("ada", "admin")
    admin = app.test_client()
    sign_in(admin, "ada@example.org")
    sign_in(client, "anna@example.org")
    sign_in(app.test_client(), "anna@example.org")
    assert "Sign out everywhere" in admin.get(f"/admin/people/{anna.id}").get_data(as_text=True)
    response = admin.post(f"/admin/people/{anna.id}/sign-out")
    assert response.status_code == 302
    assert signed_out(client)
    assert rows(engine, person_id=anna.id) == []
    assert admin.get("/admin/people").status_code == 200  # the admin's own is kept
    audit = admin.get("/admin/audit").get_data(as_text=True)
    assert "Ada signed Anna out everywhere." in audit  # a sentence, not the code


def test_a_person_sees_their_sessions_and_ends_the_others(app, client, engine, make_person):
    anna = make_person("anna", "facilitator")
    make_person("ben", "facilitator")
    phone = app.test_client()
    sign_in(client, "anna@example.org")
    sign_in(phone, "anna@example.org",
            agent="Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile")
    sign_in(app.test_client(), "ben@example.org")
    page = client.get("/profile").get_data(as_text=True)
    assert "Firefox / Linux" in page and "Chrome / Android" in page
    assert "This session" in page
    assert page.count('class="session-row"') == 2  # not Ben's
    assert client.post("/profile/sessions/end-others").status_code == 302
    assert signed_out(phone)
    assert client.get("/profile").status_code == 200
    assert len(rows(engine, person_id=anna.id)) == 1


def age(engine, **changes):
    with engine.begin() as connection:
        connection.execute(update(WebSession).values(**changes))


def test_idle_sessions_expire_on_the_server(app, client, engine, make_person):
    make_person("anna", "facilitator")
    assert "Expires=" in sign_in(client, "anna@example.org").headers["Set-Cookie"]
    idle = app.permanent_session_lifetime
    age(engine, last_seen_at=utcnow() - idle + timedelta(minutes=5))
    assert client.get("/concepts").status_code == 200
    age(engine, last_seen_at=utcnow() - idle - timedelta(minutes=1))
    response = client.get("/concepts")
    assert response.status_code == 302 and "/login" in response.location


def test_a_session_expires_at_its_absolute_age_however_active(app, client, engine,
                                                              make_person):
    make_person("anna", "facilitator")
    sign_in(client, "anna@example.org")
    age(engine, created_at=utcnow() - timedelta(seconds=app.config["SESSION_MAX_SECONDS"] + 1))
    response = client.get("/concepts")
    assert response.status_code == 302 and "/login" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "Your session has expired. Please sign in again." in page


def test_last_seen_is_written_at_most_once_a_minute(client, engine, make_person):
    make_person("anna", "facilitator")
    sign_in(client, "anna@example.org")
    client.get("/concepts")  # the first page adds the CSRF token: a change, written
    recent = utcnow() - timedelta(seconds=30)
    age(engine, last_seen_at=recent)
    client.get("/concepts")
    [row] = rows(engine)
    assert abs(row.last_seen_at.replace(tzinfo=None) - recent.replace(tzinfo=None)) < timedelta(
        seconds=1)
    age(engine, last_seen_at=utcnow() - timedelta(minutes=2))
    client.get("/concepts")
    [row] = rows(engine)
    assert utcnow().replace(tzinfo=None) - row.last_seen_at.replace(tzinfo=None) < timedelta(
        seconds=30)


def test_expired_sessions_are_pruned(app, client, engine, make_person):
    make_person("anna", "facilitator")
    make_person("ben", "facilitator")
    sign_in(client, "anna@example.org")
    age(engine, last_seen_at=utcnow() - app.permanent_session_lifetime - timedelta(hours=1))
    sign_in(app.test_client(), "ben@example.org")
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(WebSession)).scalar() == 1


def test_signed_out_sessions_are_kept_an_hour_not_the_signed_in_lifetime(app, engine,
                                                                       make_person):
    """Anyone can open a signed-out session (the sign-in form's CSRF token) per request
    without a cookie: those rows go after an hour idle, so the table stays bounded."""
    app.config["WTF_CSRF_ENABLED"] = True
    make_person("anna", "facilitator")
    for _ in range(3):
        assert app.test_client().get("/login").status_code == 200
    assert len(rows(engine, person_id=None)) == 3
    age(engine, last_seen_at=utcnow() - timedelta(minutes=61))
    visitor = app.test_client()
    visitor.get("/login")
    assert len(rows(engine, person_id=None)) == 1  # only the visitor's own, just opened
    # A signed-in session idle as long is kept.
    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(visitor, "anna@example.org")
    age(engine, last_seen_at=utcnow() - timedelta(minutes=61))
    app.test_client().get("/login")
    assert len(rows(engine, person_id=None)) == 1
    assert client_is_signed_in(visitor)


def client_is_signed_in(client) -> bool:
    return client.get("/profile").status_code == 200


def test_forms_keep_their_csrf_protection(app, client, make_person):
    app.config["WTF_CSRF_ENABLED"] = True
    make_person("anna", "facilitator")
    refused = client.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    assert refused.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": "anna@example.org", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200


def test_the_command_ends_every_session_and_asks_for_all(app, client, cli, engine,
                                                         make_person):
    """After a key rotation for copied cookies (README, Secrets): everyone signs in again."""
    make_person("anna", "facilitator")
    make_person("omar", "mediator")
    other = app.test_client()
    sign_in(client, "anna@example.org")
    sign_in(other, "omar@example.org")
    assert not signed_out(client) and not signed_out(other)

    refused = cli("sessions", "end")
    assert refused.exit_code == 2 and "--all" in refused.output
    assert not signed_out(client) and not signed_out(other)

    result = cli("sessions", "end", "--all")
    assert result.exit_code == 0, result.output
    assert "Ended 2 sessions" in result.output
    assert rows(engine) == []
    assert signed_out(client) and signed_out(other)
    assert sign_in(client, "anna@example.org").status_code == 302
    assert not signed_out(client)
