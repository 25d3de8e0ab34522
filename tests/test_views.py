"""Pages and actions through HTTP: roles, htmx fragments, plain posts, security."""

import re

import pytest
from conftest import PASSWORD
from sqlmodel import select

from glossary import create_app
from glossary.models import Agreement, Domain, Signature, Term


@pytest.fixture
def people(make_person):
    return {
        "anna": make_person("anna", "facilitator"),
        "samir": make_person("samir", "mediator", "ar"),
        "oskar": make_person("oskar", "outreach"),
        "tamar": make_person("tamar", "trainer"),
        "alex": make_person("alex", "admin"),
    }


def fingerprint_in(html: str) -> str:
    return re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)


def test_pages_need_sign_in(client):
    response = client.get("/concepts")
    assert response.status_code == 302 and "/login" in response.location


def test_wrong_password_is_refused(client, people):
    response = client.post("/login", data={"email": "anna@example.org", "password": "nope"})
    assert response.status_code == 401
    assert "E-mail or password is not right." in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/concepts", "/concepts/{id}", "/concepts/{id}/history",
                                  "/profile", "/concepts?language=ar&state=proposed"])
def test_pages_render_for_every_role(client, auth, people, make_concept, path):
    concept = make_concept("consent", ar="الموافقة")
    for name in people:
        auth.login(f"{name}@example.org")
        response = client.get(path.format(id=concept.id))
        assert response.status_code == 200, (name, path)


def test_admin_pages_are_for_admins_only(client, auth, people):
    for path in ("/admin/people", "/admin/audit", "/admin/languages"):
        auth.login("anna@example.org")
        assert client.get(path).status_code == 403
        auth.login("alex@example.org")
        assert client.get(path).status_code == 200


def test_sign_off_in_the_browser_flow_with_htmx(client, auth, db, people, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    auth.login("anna@example.org")
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in page and "الموافقة" in page
    assert "Sign as Facilitator" in page and "Sign as Mediator" not in page
    response = client.post(f"/concepts/{concept.id}/languages/ar/sign",
                           data={"role": "facilitator", "fingerprint": fingerprint_in(page)},
                           headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<section class="language-panel')
    assert "<html" not in fragment and "Signed." in fragment and "Anna" in fragment

    auth.login("samir@example.org")
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "Sign as Mediator" in page and "Sign as Facilitator" not in page
    response = client.post(f"/concepts/{concept.id}/languages/ar/sign",
                           data={"role": "mediator", "fingerprint": fingerprint_in(page)},
                           headers={"HX-Request": "true"})
    assert "state-agreed" in response.get_data(as_text=True)
    assert db.exec(select(Agreement)).one().state == "agreed"


def test_sign_works_as_a_plain_form_post(client, auth, db, people, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    auth.login("samir@example.org")
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    response = client.post(f"/concepts/{concept.id}/languages/ar/sign",
                           data={"role": "mediator", "fingerprint": fingerprint_in(page)})
    assert response.status_code == 302 and response.location.endswith("#lang-ar")
    assert "Signed." in client.get(response.location).get_data(as_text=True)
    assert len(db.exec(select(Signature)).all()) == 1


@pytest.mark.parametrize("who,role", [("samir", "facilitator"), ("oskar", "facilitator"),
                                      ("tamar", "mediator"), ("anna", "mediator")])
def test_roles_are_enforced_on_signing(client, auth, db, people, make_concept, who, role):
    concept = make_concept("consent", ar="الموافقة")
    auth.login(f"{who}@example.org")
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert f"Sign as {role.title()}" not in page
    fp = db.exec(select(Agreement)).one()
    from glossary.signoff import current_fingerprint

    response = client.post(f"/concepts/{concept.id}/languages/ar/sign",
                           data={"role": role, "fingerprint": current_fingerprint(db, fp)},
                           headers={"HX-Request": "true"})
    assert "not registered as" in response.get_data(as_text=True)
    assert db.exec(select(Signature)).all() == []


def test_edit_sends_agreement_to_needs_review_and_history_shows_both(client, auth, db, people,
                                                                     make_concept):
    concept = make_concept("consent", ar="الموافقة")
    for who, role in (("anna", "facilitator"), ("samir", "mediator")):
        auth.login(f"{who}@example.org")
        page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
        client.post(f"/concepts/{concept.id}/languages/ar/sign",
                    data={"role": role, "fingerprint": fingerprint_in(page)})
    term = db.exec(select(Term).where(Term.language == "ar")).one()
    response = client.post(f"/terms/{term.id}/edit",
                           data={"text": "الرضا", "version": "1", "status": "preferred",
                                 "register": "neutral"})
    assert response.status_code == 302
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "Needs review" in page and "earlier signatures" in page
    history = client.get(f"/concepts/{concept.id}/history").get_data(as_text=True)
    assert history.count('class="signature"') == 2 and "الموافقة" in history
    assert "الرضا" in history


def test_stale_edit_form_is_refused_with_both_texts(client, auth, db, people, make_concept):
    make_concept("consent", ar="الموافقة")
    term = db.exec(select(Term).where(Term.language == "ar")).one()
    auth.login("anna@example.org")
    form = {"text": "الرضا", "version": "1", "status": "preferred", "register": "neutral"}
    assert client.post(f"/terms/{term.id}/edit", data=form).status_code == 302
    form["text"] = "القبول"
    response = client.post(f"/terms/{term.id}/edit", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed by Anna meanwhile" in html and "الرضا" in html and "القبول" in html


def test_bidi_control_in_a_form_is_refused_and_nothing_saved(client, auth, db, people,
                                                             make_concept):
    concept = make_concept("consent")
    auth.login("samir@example.org")
    response = client.post(f"/concepts/{concept.id}/terms/new",
                           data={"language": "ar", "text": "الموافقة\u202e"})
    assert response.status_code == 400
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in response.get_data(as_text=True)
    assert db.exec(select(Term).where(Term.language == "ar")).all() == []


def test_mediator_cannot_propose_for_another_language(client, auth, db, people, make_concept):
    concept = make_concept("consent")
    auth.login("samir@example.org")
    response = client.post(f"/concepts/{concept.id}/terms/new",
                           data={"language": "uk", "text": "згода"})
    assert response.status_code == 403
    assert db.exec(select(Term).where(Term.language == "uk")).all() == []


def test_html_in_user_text_is_escaped(client, auth, people, make_concept):
    concept = make_concept("consent", ar="<script>alert(1)</script>")
    auth.login("anna@example.org")
    html = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_state_changing_routes_refuse_get(client, auth, people, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    auth.login("anna@example.org")
    for action in ("sign", "dispute", "resolve"):
        assert client.get(f"/concepts/{concept.id}/languages/ar/{action}").status_code == 405
    assert client.get("/logout").status_code == 405


def test_csrf_token_is_required(database_url, tmp_path, people):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "EXPORTS_DIR": str(tmp_path)})
    client = app.test_client()
    response = client.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": "anna@example.org", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    app.extensions["glossary_engine"].dispose()


def test_security_headers_and_cookie_flags(client, auth, people):
    response = auth.login("anna@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    csp = client.get("/concepts").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_no_inline_scripts_or_external_hosts(client, auth, people, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    auth.login("alex@example.org")
    for path in ("/concepts", f"/concepts/{concept.id}", "/admin/people", "/login"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"(src|href)=\"(https?:)?//", html), path
        assert " onclick=" not in html and "style=" not in html


def test_concept_list_filters_by_state_and_pages(client, auth, db, people, make_concept):
    for n in range(30):
        make_concept(f"term {n:02d}", ar=f"مصطلح {n}" if n % 2 else None) if n % 2 else \
            make_concept(f"term {n:02d}")
    auth.login("anna@example.org")
    html = client.get("/concepts?language=ar&state=proposed").get_data(as_text=True)
    assert "15 concepts" in html
    html = client.get("/concepts?language=ar&state=open").get_data(as_text=True)
    assert "15 concepts" in html
    html = client.get("/concepts").get_data(as_text=True)
    assert "30 concepts" in html and "Page 1 of 2" in html
    assert "term 29" in client.get("/concepts?page=2").get_data(as_text=True)


def test_concept_list_goes_domain_by_domain_then_by_key(client, auth, db, people,
                                                        make_concept):
    legal = db.exec(select(Domain).where(Domain.key == "legal")).one()
    violence = db.exec(select(Domain).where(Domain.key == "sexual-violence")).one()
    legal.position, violence.position = 1, 2
    db.add_all([legal, violence])
    db.commit()
    make_concept("zebra consent", key="b-violence")
    make_concept("alpha order", key="b-legal", domain="legal")
    make_concept("a violence", key="a-violence")
    auth.login("anna@example.org")
    html = client.get("/concepts").get_data(as_text=True)
    places = [html.index(text) for text in ("alpha order", "a violence", "zebra consent")]
    assert places == sorted(places)


