"""The concept page reads its panels in a fixed number of statements, and shows what
every panel holds: current and earlier signatures with their signers, an open dispute
with the person who raised it."""

from __future__ import annotations

import pytest
from conftest import agree
from sqlalchemy import event
from sqlmodel import select

from glossary.concepts import edit_term, parse_term
from glossary.models import Term
from glossary.signoff import get_or_create_agreement, raise_dispute
from glossary.warmup import warm


@pytest.fixture
def people(make_person):
    return {"anna": make_person("anna", "facilitator"),
            "samir": make_person("samir", "mediator", "ar,uk,ti,fa-AF,ps")}




def statements_for(engine, client, path: str) -> int:
    count = 0

    def before(_conn, _cursor, statement, *_args):
        nonlocal count
        # The session store's own reads and writes are the same for every page.
        count += "websession" not in statement

    event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return count


def prepare(db, app, make_concept, people, source: str, languages: dict[str, str]):
    concept = make_concept(source, **languages)
    for language in languages:
        agree(db, concept, language.replace("_", "-"), people["anna"], people["samir"])
    return concept


def test_statements_do_not_grow_with_languages(app, client, auth, db, engine, people,
                                               make_concept):
    auth.login("anna@example.org")
    two = prepare(db, app, make_concept, people, "consent", {"ar": "الموافقة", "uk": "згода"})
    five = prepare(db, app, make_concept, people, "permission",
                   {"ar": "الرضا", "uk": "дозвіл", "ti": "ፍቓድ", "fa_AF": "رضایت", "ps": "رضا"})
    path_two, path_five = f"/concepts/{two.id}", f"/concepts/{five.id}"
    statements_for(engine, client, path_two)  # caches of the glossary version
    count = statements_for(engine, client, path_two)
    assert statements_for(engine, client, path_five) == count
    # the person, the concept and its domain, the glossary version, custom languages,
    # the panels' five (terms read once for the panels and the working wording), and,
    # for a facilitator, the languages of staff and groups offered to propose in
    assert count <= 11, count


def test_panels_show_signers_earlier_signatures_and_dispute(app, client, auth, db, people,
                                                            make_concept):
    concept = prepare(db, app, make_concept, people, "consent",
                      {"ar": "الموافقة", "uk": "згода"})
    # Arabic: a new wording after both signed: the signatures become earlier ones.
    term = db.exec(select(Term).where(Term.concept_id == concept.id,
                                      Term.language == "ar")).one()
    edit_term(db, term=term, data=parse_term({"text": "الرضا"}), seen_version=term.version,
              person=people["anna"], working="en")
    # Ukrainian: Samir disputes the agreed wording.
    agreement = get_or_create_agreement(db, concept_id=concept.id, source="en", target="uk")
    raise_dispute(db, agreement=agreement, person=people["samir"],
                  comment="Sounds like permission, not consent")
    auth.login("anna@example.org")
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    ar_panel = page[page.index('id="lang-ar"'):page.index('id="lang-uk"')]
    uk_panel = page[page.index('id="lang-uk"'):]
    assert "الرضا" in ar_panel
    assert "Nobody has signed this wording yet." in ar_panel
    assert "2 earlier signatures were made on a previous wording." in ar_panel
    # names and dates isolated, so an RTL interface keeps "name, date" in order
    assert "Facilitator: <bdi>Anna" in uk_panel and "Mediator: <bdi>Samir" in uk_panel
    assert "Disputed by Samir" in uk_panel
    assert "Sounds like permission, not consent" in uk_panel


def test_warm_builds_caches_before_the_first_request(app, db, make_concept):
    import gc

    from glossary.versioned_cache import entries_of

    make_concept("consent", ar="الموافقة")
    engine = app.extensions["glossary_engine"]
    try:
        seconds = warm(app)
        assert seconds >= 0
        names = set(entries_of(engine))
        assert ("search", "en") in names and ("matcher", "en") in names
        assert gc.get_freeze_count() > 0
        assert app.jinja_env.cache  # page templates compiled
    finally:
        gc.unfreeze()


def test_warm_does_not_fail_without_a_database(tmp_path):
    from glossary import create_app

    unreachable = create_app({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
                              "EXPORTS_DIR": str(tmp_path / "exports")})
    import gc

    try:
        warm(unreachable)  # logs a warning, raises nothing
    finally:
        gc.unfreeze()
