"""Search: typos, prefixes, scripts, fields and filters; the index follows the glossary;
"did you mean" before saving; the pages and the command."""

import json
import threading

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from glossary import cli
from glossary.concepts import create_concept, edit_term, parse_concept, parse_term, propose_term
from glossary.db import make_engine
from glossary.errors import Conflict
from glossary.models import Domain, SearchChange, Term
from glossary.search import get_index, near_duplicates, search
from glossary.versioned_cache import entries_of, glossary_version


@pytest.fixture
def glossary(make_concept):
    return {
        "consent": make_concept(
            "consent (sexual)", key="consent", ar="الموافقة",
            fa_AF={"text": "رضایت", "back_translation": "satisfaction, consent"},
            uk="згода", ti="ፍቓድ"),
        "violence": make_concept("sexual violence", ar="العنف الجنسي",
                                 uk="сексуальне насильство", ti="ጾታዊ ዓመጽ"),
        "order": make_concept("restraining order", domain="legal", ar="أمر تقييد",
                              de="Kontaktverbot"),
        "harassment": make_concept("sexual harassment", uk="сексуальні домагання"),
    }


def keys(hits):
    return [h.concept_key for h in hits]


@pytest.mark.parametrize("query, key", [
    ("consnet", "consent"),                 # transposition
    ("consant", "consent"),                 # substitution
    ("restrainig ordr", "restraining-order"),  # two deletions in a phrase
    ("violense", "sexual-violence"),        # inside a longer term
    ("sexaul harasment", "sexual-harassment"),
    ("сексуальне насилство", "sexual-violence"),  # Cyrillic, one letter missing
    ("Kontaktverbod", "restraining-order"),
])
def test_typos_find_their_target_first(db, glossary, query, key):
    hits = search(db, query, working="en")
    assert hits and hits[0].concept_key == key
    assert hits[0].match == "fuzzy"


def test_look_alike_letters_of_another_script_are_folded(db, glossary):
    # Latin c and x at the start of Cyrillic words (missed by every fuzzy anchor before)
    hits = search(db, "c" + "ексуальне насильство", working="en")  # Latin c
    assert hits[0].concept_key == "sexual-violence" and hits[0].match == "exact"
    assert hits[0].text == "сексуальне насильство"
    hits = search(db, "c\u0435\u043ac\u0443\u0430\u043b\u044c\u043d" + "i", working="en",
                  language="uk")  # Latin c, c, i
    assert hits[0].concept_key == "sexual-harassment" and hits[0].match == "prefix"
    # Cyrillic о and Greek ο inside Latin words
    for query in ("cоnsent", "c\u03bfnsent"):
        hits = search(db, query, working="en")
        assert hits[0].concept_key == "consent" and hits[0].match != "fuzzy", query


def test_a_short_word_that_lost_two_letters_is_found(db, glossary, make_concept):
    make_concept("witness", ti="ሴፉዘኑጥ")
    make_concept("shelter", ar="ضاحوض")
    # two of five letters gone: three letters left, found among five-letter keys
    hits = search(db, "ፉኑጥ", working="en")
    assert hits[0].concept_key == "witness" and hits[0].match == "fuzzy"
    # one letter gone and one changed
    hits = search(db, "ساحو", working="en")
    assert hits[0].concept_key == "shelter" and hits[0].match == "fuzzy"
    # but a four-letter word does not take two typos: "consent" is not "cons" typed "cxnx"
    assert search(db, "cxnx", working="en") == []


def test_two_characters_work_as_a_prefix(db, glossary):
    hits = search(db, "co", working="en")
    assert hits[0].concept_key == "consent" and hits[0].match == "prefix"
    hits = search(db, "зг", working="en")
    assert hits[0].concept_key == "consent" and hits[0].language == "uk"
    assert hits[0].text == "згода"


def test_exact_hits_come_before_prefix_and_fuzzy_hits(db, glossary, make_concept):
    make_concept("consent form", domain="programme-rules")
    make_concept("consenting adults", domain="programme-rules")
    hits = search(db, "consent", working="en")
    assert keys(hits)[:3] == ["consent", "consent-form", "consenting-adults"]
    assert [h.match for h in hits[:3]] == ["exact", "prefix", "prefix"]
    assert hits[0].score == 100


def test_persian_keyboard_finds_the_arabic_keyboard_spelling_and_shows_the_original(
        db, glossary):
    hits = search(db, "رضايت", working="en")  # typed with Arabic yeh
    assert hits[0].concept_key == "consent"
    assert hits[0].language == "fa-AF" and hits[0].text == "رضایت"  # Persian yeh shown
    hits = search(db, "امر تقييد", working="en")  # no hamza typed
    assert hits[0].concept_key == "restraining-order" and hits[0].text == "أمر تقييد"


def test_attached_prefixes_and_suffixes_are_taken_off_the_query(db, glossary):
    for query in ("بالموافقة", "والموافقة", "موافقة", "consents"):
        hit = search(db, query, working="en")[0]
        assert hit.concept_key == "consent" and hit.match == "exact", query
        assert hit.score < 100
    hit = search(db, "رضایت‌ها", working="en")[0]  # Dari plural, written with ZWNJ
    assert (hit.concept_key, hit.text, hit.match) == ("consent", "رضایت", "exact")


def test_ethiopic_and_arabic_article(db, glossary):
    assert search(db, "ፍቓድ", working="en")[0].language == "ti"
    assert search(db, "ጾታዊ", working="en")[0].concept_key == "sexual-violence"
    assert search(db, "الجنسي", working="en")[0].concept_key == "sexual-violence"


def test_back_translations_and_definitions_are_searched(db, glossary):
    hit = search(db, "satisfaction", working="en")[0]
    assert hit.concept_key == "consent" and hit.field == "back_translation"
    assert hit.term_language == "fa-AF" and hit.language == "en"
    domain_id = db.exec(select(Domain.id).where(Domain.key == "legal")).one()
    data = parse_concept({"key": "custody", "domain_id": domain_id,
                          "definition": "The legal right to care for children after "
                                        "separation."}, session=db)
    create_concept(db, data=data, source_text="custody of children", working="en",
                   person=None)
    hit = search(db, "separaton", working="en")[0]
    assert hit.concept_key == "custody" and hit.field == "definition"


def test_language_and_domain_filters(db, glossary):
    assert keys(search(db, "згода", working="en", language="uk")) == ["consent"]
    assert search(db, "згода", working="en", language="ar") == []
    # back-translations count for the language of their rendering
    assert keys(search(db, "satisfaction", working="en", language="fa-AF")) == ["consent"]
    legal = db.exec(select(Domain.id).where(Domain.key == "legal")).one()
    assert keys(search(db, "order", working="en", domain_id=legal)) == ["restraining-order"]
    assert "restraining-order" not in keys(
        search(db, "order", working="en", domain_id=legal + 1))


def test_the_index_is_reused_and_patched_when_the_glossary_changes(db, glossary):
    first = get_index(db, working="en")
    assert get_index(db, working="en") is first
    version = glossary_version(db)
    propose_term(db, concept=glossary["order"], language="de",
                 data=parse_term({"text": "Annäherungsverbot"}), person=None, working="en")
    assert glossary_version(db) != version
    assert get_index(db, working="en") is first  # patched in place, not rebuilt
    assert search(db, "annaherungsverbot", working="en")[0].text == "Annäherungsverbot"
    assert entries_of(db.get_bind())[("search", "en")].builds == 1


def unknown_change(db) -> None:
    """A change the log cannot name concepts for (an update by language): the index
    must be rebuilt."""
    db.exec(update(Term).where(Term.language == "ti").values(usage_note="checked"))
    db.commit()


def finish_rebuilds() -> None:
    """Wait for the background rebuilds under way (joined, not polled)."""
    for thread in threading.enumerate():
        if thread.name.startswith("glossary-rebuild-"):
            thread.join(timeout=60)


@pytest.fixture
def clock(monkeypatch):
    """The cache's clock, moved by hand; a resting rebuild's wait moves it and is
    recorded instead of slept."""
    import glossary.versioned_cache as module

    now = {"time": 1000.0, "rests": []}

    def sleep(seconds):
        now["rests"].append(seconds)
        now["time"] += seconds

    monkeypatch.setattr(module, "clock", lambda: now["time"])
    monkeypatch.setattr(module, "sleep", sleep)
    return now


def test_a_slow_index_is_rebuilt_in_the_background(db, glossary, monkeypatch, clock):
    """Past BACKGROUND_AFTER seconds of build, searches keep the previous index until
    the new one is ready, instead of waiting for it."""
    import glossary.versioned_cache as module

    monkeypatch.setattr(module, "BACKGROUND_AFTER", 0.0)
    first = get_index(db, working="en")
    propose_term(db, concept=glossary["order"], language="de",
                 data=parse_term({"text": "Annäherungsverbot"}), person=None, working="en")
    unknown_change(db)
    assert get_index(db, working="en") is first  # served while the new one is built
    finish_rebuilds()
    assert get_index(db, working="en") is not first
    assert search(db, "Annäherungsverbot", working="en")[0].match == "exact"
    assert entries_of(db.get_bind())[("search", "en")].builds == 2


def test_a_glossary_that_keeps_changing_is_rebuilt_after_a_rest(db, glossary, monkeypatch,
                                                                clock):
    """A rebuild redone right after the previous one waits a rest (REST_FACTOR times its
    duration) in the background; searches keep the previous index meanwhile, then see
    the change. The first build does not count, however slow: the first change after it
    that needs a rebuild is searched at once."""
    import glossary.versioned_cache as module

    monkeypatch.setattr(module, "REST_AFTER", 0.0)  # every build counts as slow
    first = get_index(db, working="en")
    propose_term(db, concept=glossary["order"], language="de",
                 data=parse_term({"text": "Annäherungsverbot"}), person=None, working="en")
    unknown_change(db)
    second = get_index(db, working="en")
    assert second is not first  # a first build is not a reason to rest
    assert search(db, "Annäherungsverbot", working="en")[0].match == "exact"
    took = entries_of(db.get_bind())[("search", "en")].seconds
    propose_term(db, concept=glossary["order"], language="de",
                 data=parse_term({"text": "Kontaktsperre"}), person=None, working="en")
    unknown_change(db)
    assert get_index(db, working="en") is second  # resting: the previous index answers
    finish_rebuilds()
    assert clock["rests"] == [pytest.approx(module.REST_FACTOR * took)]
    assert get_index(db, working="en") is not second
    assert search(db, "Kontaktsperre", working="en")[0].match == "exact"


def test_an_edit_is_noticed_by_another_worker(app, db, glossary, make_person):
    """Two engines stand for two worker processes, each with its own cached index."""
    other = make_engine(app.config["DATABASE_URL"])
    try:
        with Session(other) as worker:
            assert search(worker, "Kontaktverbot", working="en")[0].match == "exact"
            changes = worker.exec(select(SearchChange)).all()
        term = db.exec(select(Term).where(Term.text == "Kontaktverbot")).one()
        anna = make_person("anna", "facilitator")
        edit_term(db, term=term, data=parse_term({"text": "Näherungsverbot"}),
                  seen_version=term.version, person=anna, working="en")
        with Session(other) as worker:
            assert len(worker.exec(select(SearchChange)).all()) > len(changes)
            hits = search(worker, "Näherungsverbot", working="en")
            assert hits[0].match == "exact" and hits[0].text == "Näherungsverbot"
            assert all(h.text != "Kontaktverbot" for h in search(worker, "Kontaktverbot",
                                                                 working="en"))
    finally:
        other.dispose()


def test_a_failed_change_leaves_no_change_row(db, glossary, make_person):
    term = db.exec(select(Term).where(Term.text == "Kontaktverbot")).one()
    before = len(db.exec(select(SearchChange)).all())
    anna = make_person("anna", "facilitator")
    with pytest.raises(Conflict):
        edit_term(db, term=term, data=parse_term({"text": "x"}), seen_version=99,
                  person=anna, working="en")
    assert len(db.exec(select(SearchChange)).all()) == before
    assert db.get(Term, term.id).text == "Kontaktverbot"


def test_near_duplicates_in_the_same_language(db, glossary):
    hits = near_duplicates(db, "Consent", working="en", language="en")
    assert keys(hits) == ["consent"] and hits[0].text == "consent (sexual)"
    assert keys(near_duplicates(db, "sexual violense", working="en", language="en")) == [
        "sexual-violence"]
    # an existing term inside the new wording
    assert "sexual-violence" in keys(near_duplicates(db, "sexual violence in marriage",
                                                     working="en", language="en"))
    assert near_duplicates(db, "згода", working="en", language="ar") == []
    term = db.exec(select(Term).where(Term.text == "الموافقة")).one()
    assert keys(near_duplicates(db, "الموافقه", working="en", language="ar")) == ["consent"]
    assert near_duplicates(db, "الموافقه", working="en", language="ar",
                           exclude_term_id=term.id) == []
    # a look-alike letter of another script is the letter of the word's own script
    assert keys(near_duplicates(db, "c\u043ensent (sexual)", working="en", language="en")) == [
        "consent"]
    assert keys(near_duplicates(db, "c\u0435\u043a\u0441\u0443\u0430\u043b\u044c\u043d\u0456 "
                                "\u0434\u043e\u043c\u0430\u0433\u0430\u043d\u043d\u044f",
                                working="en", language="uk")) == ["sexual-harassment"]
    # a mere two letters in common with a word is not "the same"
    assert near_duplicates(db, "se", working="en", language="en") == []


# -- pages ------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, auth, make_person):
    make_person("anna", "facilitator")
    auth.login("anna@example.org")
    return client


def test_search_page_lists_hits_with_language_and_original_text(signed_in, glossary):
    page = signed_in.get("/search?q=رضايت").get_data(as_text=True)
    assert "<html" in page and 'lang="fa-AF" dir="rtl"' in page and "رضایت" in page
    assert "Dari" in page or "Persian" in page
    assert f'href="/concepts/{glossary["consent"].id}#lang-fa-AF"' in page


def test_search_page_returns_only_the_results_to_htmx(signed_in, glossary):
    response = signed_in.get("/search?q=consnet", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert "consent (sexual)" in fragment and "similar spelling" in fragment
    live = signed_in.get("/search?q=co&live=1", headers={"HX-Request": "true"})
    assert "All results and filters" in live.get_data(as_text=True)


def test_search_page_filters(signed_in, glossary):
    page = signed_in.get("/search?q=згода&language=ar").get_data(as_text=True)
    assert "Nothing found" in page
    page = signed_in.get("/search?q=згода&language=uk").get_data(as_text=True)
    assert "згода" in page and 'option value="uk" selected' in page


def test_search_refuses_a_bidi_override_in_the_query(signed_in, glossary):
    page = signed_in.get("/search?q=con\u202esent").get_data(as_text=True)
    assert "U+202E" in page


def test_the_query_is_shown_escaped(signed_in, glossary):
    page = signed_in.get("/search?q=<script>x</script>").get_data(as_text=True)
    assert "<script>x" not in page and "&lt;script&gt;x" in page


def test_search_needs_sign_in(client):
    response = client.get("/search?q=consent")
    assert response.status_code == 302 and "/login" in response.location


def test_every_page_has_the_search_box(signed_in, glossary):
    page = signed_in.get("/concepts").get_data(as_text=True)
    assert 'action="/search"' in page and 'name="q"' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert 'id="search-live"' in page and 'aria-live="polite"' in page


def test_did_you_mean_before_saving_a_concept(signed_in, glossary):
    form = signed_in.get("/concepts/new").get_data(as_text=True)
    assert 'hx-get="/search/similar"' in form and 'id="source-duplicates"' in form
    response = signed_in.get("/search/similar?source_text=Consent&language=en",
                             headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "Similar wording already exists" in fragment and "consent (sexual)" in fragment
    assert "<html" not in fragment
    # nothing close: nothing shown
    empty = signed_in.get("/search/similar?source_text=referral&language=en",
                          headers={"HX-Request": "true"})
    assert empty.get_data(as_text=True).strip() == ""


def test_did_you_mean_for_a_rendering_leaves_out_the_one_edited(signed_in, db, glossary):
    term = db.exec(select(Term).where(Term.text == "الموافقة")).one()
    form = signed_in.get(f"/terms/{term.id}/edit").get_data(as_text=True)
    assert f'"exclude_term": "{term.id}"' in form and 'id="text-duplicates"' in form
    url = f"/search/similar?text=الموافقة&language=ar&exclude_term={term.id}"
    assert "الموافقة" not in signed_in.get(url, headers={"HX-Request": "true"}).get_data(
        as_text=True)
    new = signed_in.get(f"/search/similar?text=الموافقة&language=ar&concept="
                        f"{glossary['violence'].id}", headers={"HX-Request": "true"})
    assert "الموافقة" in new.get_data(as_text=True)


def test_similar_page_works_without_javascript(signed_in, glossary):
    page = signed_in.get("/search/similar?text=згодa&language=uk").get_data(as_text=True)
    assert "<html" in page and "згода" in page


# -- command line -----------------------------------------------------------------------


@pytest.fixture
def runner(app):
    """The command line on the test database (schema already made), each command with
    an app of its own, as in a separate process (a command disposes of its engine)."""
    return app.test_cli_runner()  # commands run against this app


def test_search_command_json(runner, glossary):
    result = runner.invoke(cli.main, ["search", "consnet", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert hits[0]["concept_key"] == "consent" and hits[0]["language"] == "en"
    assert hits[0]["text"] == "consent (sexual)" and 0 < hits[0]["score"] < 100
    result = runner.invoke(cli.main, ["search", "зг", "--language", "uk", "--limit", "1",
                                      "--json"])
    assert [(h["concept_key"], h["text"]) for h in json.loads(result.output)] == [
        ("consent", "згода")]


def test_search_command_table_and_errors(runner, glossary):
    result = runner.invoke(cli.main, ["search", "Kontaktverbot"])
    assert result.exit_code == 0 and "restraining-order" in result.output
    assert "Kontaktverbot" in result.output and "exact" in result.output
    assert runner.invoke(cli.main, ["search", "x", "--domain", "nope"]).exit_code != 0
    assert runner.invoke(cli.main, ["search", "x", "--language", "not a tag"]).exit_code != 0
