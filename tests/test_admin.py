"""Admin pages: people with roles, languages and training dates; custom languages."""

from sqlmodel import select

from glossary.models import Language, Person, Term


def test_admin_adds_a_mediator_and_bad_input_changes_nothing(client, auth, db, make_person):
    make_person("alex", "admin")
    auth.login("alex@example.org")
    form = {"name": "Hawre", "email": "hawre@example.org", "roles": ["mediator"],
            "languages": "ckb, fa-af", "training_date": "2026-31-01", "password": "long enough now"}
    response = client.post("/admin/people/new", data=form)
    assert response.status_code == 400
    assert "must be a date like 2026-03-31" in response.get_data(as_text=True)
    assert db.exec(select(Person).where(Person.email == "hawre@example.org")).first() is None

    form["training_date"] = "2026-01-31"
    assert client.post("/admin/people/new", data=form).status_code == 302
    hawre = db.exec(select(Person).where(Person.email == "hawre@example.org")).one()
    assert hawre.languages == "ckb,fa-AF" and hawre.roles == "mediator"
    people_page = client.get("/admin/people").get_data(as_text=True)
    assert "Hawre" in people_page and "Central Kurdish" in people_page


def test_unknown_language_for_a_person_is_refused(client, auth, db, make_person):
    make_person("alex", "admin")
    auth.login("alex@example.org")
    response = client.post("/admin/people/new", data={
        "name": "X", "email": "x@example.org", "roles": ["mediator"], "languages": "zz",
        "password": "long enough now"})
    assert response.status_code == 400
    assert "Unknown language “zz”" in response.get_data(as_text=True)


def test_custom_language_gets_its_name_and_direction(client, auth, db, make_person,
                                                     make_concept):
    make_person("alex", "admin")
    make_person("anna", "facilitator")
    concept = make_concept("consent")
    auth.login("alex@example.org")
    response = client.post("/admin/languages", data={"tag": "prs", "name": "Dari (Kabul)",
                                                     "endonym": "دری", "direction": "rtl"})
    assert response.status_code == 302
    assert db.get(Language, "prs").direction == "rtl"
    auth.login("anna@example.org")
    response = client.post(f"/concepts/{concept.id}/terms/new",
                           data={"language": "prs", "text": "رضایت"})
    assert response.status_code == 302
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "Dari (Kabul)" in page and '<span class="term-text" lang="prs" dir="rtl">' in page
    assert db.exec(select(Term).where(Term.language == "prs")).one().text == "رضایت"
