"""Interface foundations through the test client: error answers (pages and htmx
fragments), pagers that never claim "page 9999 of 2", plural counts, one date format,
direction of free-text fields and isolated numbers, and the language picker."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from conftest import PASSWORD, agree
from sqlmodel import select

from glossary.groups import Group
from glossary.models import AuditEvent, Signature

HTMX = {"HX-Request": "true"}
# A date written only with numbers: 12/5/26 reads as 5 December in the US, 12 May in Europe.
NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")


@pytest.fixture
def staff(make_person):
    return {"admin": make_person("alex", "admin"), "anna": make_person("anna", "facilitator"),
            "samir": make_person("samir", "mediator", "ar"),
            "oskar": make_person("oskar", "outreach")}


# --- item 2: errors of htmx requests, said in place ----------------------------------


def test_htmx_request_after_the_session_ended_gets_a_fragment_with_sign_in_again(
        client, staff, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    response = client.post(f"/concepts/{concept.id}/languages/ar/dispute",
                           data={"comment": "typed"},
                           headers=HTMX | {"HX-Current-URL":
                                           f"http://localhost/concepts/{concept.id}"})
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'class="notice error htmx-error"' in html
    assert "You were signed out" in html
    assert f'href="/login?next=/concepts/{concept.id}"' in html


def test_csrf_refusal_after_the_session_ended_offers_sign_in_in_the_page_language(
        make_app, staff, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    app = make_app(TESTING=True)
    client = app.test_client()
    headers = HTMX | {"HX-Current-URL": f"http://localhost/concepts/{concept.id}",
                      "X-UI-Locale": "ar"}
    response = client.post(f"/concepts/{concept.id}/languages/ar/sign",
                           data={"role": "facilitator"}, headers=headers)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "تم تسجيل خروجك" in html and "سجّل الدخول مرة أخرى" in html
    assert f"/login?next=/concepts/{concept.id}" in html
    # A page post (no htmx) gets the full page with the menu and the same way back.
    page = client.post(f"/concepts/{concept.id}/languages/ar/sign", data={"role": "x"},
                       headers={"Referer": f"http://localhost/concepts/{concept.id}"})
    assert page.status_code == 400
    assert 'class="button primary sign-in-again"' in page.get_data(as_text=True)


def test_a_user_error_of_an_htmx_request_keeps_its_status(client, auth, staff):
    auth.login("anna@example.org")
    response = client.get("/groups/999999", headers=HTMX)
    assert response.status_code == 404
    assert 'class="notice error htmx-error"' in response.get_data(as_text=True)


def test_page_carries_its_error_words_for_the_script(client, auth, staff):
    auth.login("anna@example.org")
    client.post("/interface-language", data={"ui_locale": "ar"})
    html = client.get("/concepts").get_data(as_text=True)
    assert '<meta name="msg-network-error" content="انقطع الاتصال' in html
    assert '<meta name="msg-sign-in-again" content="سجّل الدخول مرة أخرى">' in html


# --- item 6: error pages in the layout -----------------------------------------------


def test_403_names_the_role_needed_and_the_admins_in_the_interface_language(
        client, auth, staff):
    auth.login("anna@example.org")
    response = client.get("/admin/people")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert 'aria-label="Main"' in html and "Sign out" in html  # the menu is there
    assert "This page is for people with one of these roles:" in html
    assert "<li>Admin</li>" in html and "<bdi>Alex</bdi>" in html
    assert "Forbidden" not in html
    client.post("/interface-language", data={"ui_locale": "ar"})
    html = client.get("/admin/people").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html and "غير مسموح" in html


def test_outreach_creating_a_concept_is_told_which_roles_may(client, auth, staff):
    auth.login("oskar@example.org")
    html = client.get("/concepts/new").get_data(as_text=True)
    assert "<li>Facilitator</li>" in html and "<li>Admin</li>" in html


@pytest.mark.parametrize("locale,words", [("en", "Page not found."), ("de", "Nicht gefunden")])
def test_404_is_a_page_with_the_menu(client, auth, staff, locale, words):
    auth.login("anna@example.org")
    client.post("/interface-language", data={"ui_locale": locale})
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and words in html
    assert 'class="menu" id="site-menu"' in html and 'href="/groups' in html


def test_500_is_a_page_not_a_trace(make_app, staff):
    app = make_app(TESTING=False, WTF_CSRF_ENABLED=False)

    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/broken", "broken", broken)
    client = app.test_client()
    response = client.get("/broken", headers={"Accept-Language": "fr"})
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "Un problème est survenu" in html
    assert "Traceback" not in html and 'class="top"' in html


# --- item 13: pagers and counts ------------------------------------------------------


def test_a_page_beyond_the_last_goes_to_the_last(client, auth, staff, make_concept):
    make_concept("consent")
    auth.login("anna@example.org")
    response = client.get("/concepts?page=9999&q=consent")
    assert response.status_code == 302
    assert "page=1" in response.location and "q=consent" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "9999" not in page
    auth.login("alex@example.org")
    response = client.get("/admin/audit?page=9999")
    assert response.status_code == 302 and response.location.endswith("page=1")


def test_counts_use_plural_forms(client, auth, db, staff, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    auth.login("anna@example.org")
    client.post("/groups/new", data={"name": "Tuesday", "working_language": "en",
                                     "languages": "ar", "facilitator_ids": [str(staff["anna"].id)]})
    group = db.exec(select(Group)).one()
    response = client.post(f"/groups/{group.id}/concepts/add", data={"concept_id": concept.id},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "1 concept added." in html
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "0 of 1 concept agreed" in page and "1 concepts" not in page


def test_gap_report_text_counts_in_plural_forms(app):
    from collections import Counter

    from glossary.exports.gap_report_text import matrix_text
    from glossary.gaps.grid import Matrix

    matrix = Matrix(working="en", languages=["ar"], rows=[], concept_count=1, page=1,
                    pages=1, column_totals={"ar": Counter()}, domain_totals={},
                    domain_concepts={},
                    domain_names={})
    with app.test_request_context():
        text = matrix_text(matrix, {"ar": "Arabic"})
    assert "1 concept, 1 language: ar = Arabic" in text


# --- item 11: one date format on pages ----------------------------------------------


@pytest.mark.parametrize("locale,shown", [("en", "Jun 1, 2026"), ("de", "1. Juni 2026"),
                                          ("ar", "يونيو 2026")])
def test_dates_on_pages_name_the_month_in_the_interface_language(client, auth, db, staff,
                                                                 make_concept, locale,
                                                                 shown):
    concept = make_concept("consent", ar="الموافقة")
    agree(db, concept, "ar", staff["anna"], staff["samir"])
    moment = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    for signature in db.exec(select(Signature)):
        signature.created_at = moment
        db.add(signature)
    for event in db.exec(select(AuditEvent)):
        event.at = moment
        db.add(event)
    db.commit()
    auth.login("alex@example.org")
    client.post("/interface-language", data={"ui_locale": locale})
    for path in (f"/concepts/{concept.id}", f"/concepts/{concept.id}/history",
                 "/admin/audit", "/admin/people", "/profile"):
        html = client.get(path).get_data(as_text=True)
        assert not NUMERIC_DATE.search(re.sub(r"<[^>]+>", " ", html)), (path, locale)
    html = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert shown in html


def test_training_lapse_message_shows_the_date_in_words(client, auth, db, make_person,
                                                        make_concept):
    make_person("samir", "mediator", "ar", trained_days_ago=900)
    concept = make_concept("consent", ar="الموافقة")
    auth.login("samir@example.org")
    html = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "lapsed on" in html
    assert not re.search(r"lapsed on \d{4}-\d\d-\d\d", html)


# --- item 5: direction of fields, isolated numbers ----------------------------------


def test_free_text_fields_take_their_direction_from_what_is_typed(client, auth, db, staff,
                                                                  make_concept):
    concept = make_concept("consent", ar="الموافقة")
    agree(db, concept, "ar", staff["anna"], staff["samir"])
    auth.login("samir@example.org")
    html = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert re.search(r'<textarea id="comment-ar" dir="auto"', html)
    assert re.search(r'<input id="header-q" dir="auto"', html)
    client.post(f"/concepts/{concept.id}/languages/ar/dispute",
                data={"comment": "الرقم +49 30 1234567 أو help@example.org"})
    html = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert '<bdi dir="ltr">+49 30 1234567</bdi>' in html
    assert '<bdi dir="ltr">help@example.org</bdi>' in html


# --- item 12: the language picker ----------------------------------------------------


def test_group_form_offers_languages_by_name_and_endonym(client, auth, staff):
    auth.login("anna@example.org")
    html = client.get("/groups/new").get_data(as_text=True)
    assert '<datalist id="language-options">' in html
    assert '<option value="fa-AF">Dari · دری</option>' in html
    assert 'list="language-options"' in html
    client.post("/interface-language", data={"ui_locale": "ar"})
    html = client.get("/groups/new").get_data(as_text=True)
    assert re.search(r'<option value="ar">العربية · العربية</option>', html)


def test_a_language_typed_by_name_is_saved_as_its_tag(client, auth, db, staff):
    auth.login("anna@example.org")
    response = client.post("/groups/new", data={
        "name": "Thursday", "working_language": "English", "languages": ["Dari", "ti", ""],
        "facilitator_ids": [str(staff["anna"].id)]})
    assert response.status_code == 302
    group = db.exec(select(Group)).one()
    from glossary.groups import group_languages

    assert group.working_language == "en" and group_languages(db, group) == ["fa-AF", "ti"]
    html = client.get(f"/groups/{group.id}/edit").get_data(as_text=True)
    assert 'value="fa-AF"' in html and "Dari" in html


def test_an_unknown_language_is_refused_with_a_message_and_nothing_saved(client, auth, db,
                                                                         staff):
    auth.login("anna@example.org")
    response = client.post("/groups/new", data={
        "name": "Thursday", "working_language": "en", "languages": ["ar", "Klingonish"],
        "facilitator_ids": [str(staff["anna"].id)]})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Klingonish" in html and "is not a language tag" in html
    assert db.exec(select(Group)).all() == []


def test_person_form_picks_languages_and_keeps_them(client, auth, db, staff):
    auth.login("alex@example.org")
    html = client.get(f"/admin/people/{staff['samir'].id}").get_data(as_text=True)
    assert 'id="languages-1"' in html and 'value="ar"' in html and "Arabic" in html
    response = client.post(f"/admin/people/{staff['samir'].id}", data={
        "name": "Samir", "email": "samir@example.org", "roles": ["mediator"],
        "languages": ["ar", "Pashto", ""], "qualified": "on", "active": "on",
        "password": ""})
    assert response.status_code == 302
    db.refresh(staff["samir"])
    assert staff["samir"].language_list == ["ar", "ps"]
    assert PASSWORD
