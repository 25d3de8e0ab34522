"""Disputes and their resolution over HTTP, as the concept page sends them (htmx and
plain form posts), with every refusal: who may not dispute, a second dispute, resolving
when nothing is disputed, an empty comment. A refusal says why and changes nothing."""

from __future__ import annotations

import pytest
from conftest import agree
from sqlmodel import select

from glossary.models import Agreement, Dispute

HTMX = {"HX-Request": "true"}


@pytest.fixture
def pair(db, make_person, make_concept):
    """An agreed English-Arabic pair and the people around it."""
    people = {
        "anna": make_person("anna", "facilitator"),
        "samir": make_person("samir", "mediator", "ar"),
        "olena": make_person("olena", "mediator", "uk"),
        "oskar": make_person("oskar", "outreach"),
        "tina": make_person("tina", "trainer"),
    }
    concept = make_concept("consent", ar="الموافقة", uk="згода")
    agree(db, concept, "ar", people["anna"], people["samir"])
    db.commit()
    return concept, people


def state(db, concept) -> str:
    db.expire_all()
    return db.exec(select(Agreement).where(Agreement.concept_id == concept.id,
                                           Agreement.target_language == "ar")).one().state


def disputes(db, concept) -> list[Dispute]:
    db.expire_all()
    agreement = db.exec(select(Agreement).where(Agreement.concept_id == concept.id,
                                                Agreement.target_language == "ar")).one()
    return list(db.exec(select(Dispute).where(Dispute.agreement_id == agreement.id)))


def post(client, concept, action: str, **form):
    return client.post(f"/concepts/{concept.id}/languages/ar/{action}", data=form,
                       headers=HTMX)


def test_a_mediator_disputes_and_a_facilitator_resolves(client, auth, db, pair):
    concept, _people = pair
    auth.login("samir@example.org")
    response = post(client, concept, "dispute", comment="Means resignation too.")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Dispute recorded" in html
    assert "Means resignation too." in html
    assert state(db, concept) == "disputed"

    auth.login("anna@example.org")
    response = post(client, concept, "resolve", resolution="Say «الحرة» with it.")
    assert "Dispute resolved." in response.get_data(as_text=True)
    [dispute] = disputes(db, concept)
    assert dispute.resolution == "Say «الحرة» with it." and dispute.resolved_at is not None
    assert state(db, concept) != "disputed"


def test_a_plain_form_post_redirects_to_the_panel_with_the_message(client, auth, db, pair):
    concept, _people = pair
    auth.login("anna@example.org")
    response = client.post(f"/concepts/{concept.id}/languages/ar/dispute",
                           data={"comment": "Too formal."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/concepts/{concept.id}#lang-ar")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dispute recorded" in page and state(db, concept) == "disputed"


@pytest.mark.parametrize("email", ["oskar@example.org", "tina@example.org",
                                   "olena@example.org"])
def test_who_may_not_dispute_is_refused_and_nothing_changes(client, auth, db, pair, email):
    concept, _people = pair
    auth.login(email)
    response = post(client, concept, "dispute", comment="I object.")
    assert "Only a facilitator or a mediator of this language can dispute." in \
        response.get_data(as_text=True)
    assert disputes(db, concept) == [] and state(db, concept) == "agreed"


def test_a_second_dispute_is_refused(client, auth, db, pair):
    concept, _people = pair
    auth.login("samir@example.org")
    post(client, concept, "dispute", comment="First.")
    auth.login("anna@example.org")
    html = post(client, concept, "dispute", comment="Second.").get_data(as_text=True)
    assert "This agreement is already disputed." in html
    assert [d.comment for d in disputes(db, concept)] == ["First."]


def test_resolving_when_nothing_is_disputed_is_refused(client, auth, db, pair):
    concept, _people = pair
    auth.login("anna@example.org")
    html = post(client, concept, "resolve", resolution="Done.").get_data(as_text=True)
    assert "There is no open dispute." in html
    assert disputes(db, concept) == [] and state(db, concept) == "agreed"


@pytest.mark.parametrize("email", ["oskar@example.org", "olena@example.org"])
def test_who_may_not_resolve_is_refused(client, auth, db, pair, email):
    concept, _people = pair
    auth.login("samir@example.org")
    post(client, concept, "dispute", comment="Wrong word.")
    auth.login(email)
    html = post(client, concept, "resolve", resolution="Fine now.").get_data(as_text=True)
    assert "Only a facilitator or a mediator of this language can resolve." in html
    [dispute] = disputes(db, concept)
    assert dispute.resolved_at is None and state(db, concept) == "disputed"


@pytest.mark.parametrize("action, field", [("dispute", "comment"), ("resolve", "resolution")])
def test_an_empty_comment_is_refused(client, auth, db, pair, action, field):
    concept, _people = pair
    if action == "resolve":
        auth.login("samir@example.org")
        post(client, concept, "dispute", comment="Wrong word.")
    auth.login("anna@example.org")
    html = post(client, concept, action, **{field: "   "}).get_data(as_text=True)
    assert "must not be empty" in html
    assert len(disputes(db, concept)) == (1 if action == "resolve" else 0)


def test_signed_out_posts_change_nothing(client, db, pair):
    concept, _people = pair
    response = post(client, concept, "dispute", comment="Anonymous.")
    assert response.status_code in (302, 401, 403)
    assert disputes(db, concept) == []
