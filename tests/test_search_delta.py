"""The search index and the check's matchers follow edits in place: after a series of
edits in Latin, Arabic and Cyrillic script the patched index answers every query as a
freshly built one does, without a full rebuild; unknown or large changes, a restore and
a gap in the change ids that stays open fall back to a rebuild. Time is an injected
clock."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, insert, update
from sqlmodel import select

from glossary.concepts import (
    create_concept,
    edit_term,
    parse_concept,
    parse_term,
    propose_term,
    update_concept,
)
from glossary.models import Concept, Domain, SearchChange, Term, TermVersion
from glossary.normalise import match_form
from glossary.qa import TermMatcher, matcher
from glossary.search import SearchIndex, get_index
from glossary.versioned_cache import entries_of


@pytest.fixture
def clock(monkeypatch):
    """The cache's clock, moved by hand."""
    import glossary.versioned_cache as module

    now = [1000.0]
    monkeypatch.setattr(module, "clock", lambda: now[0])
    return now


@pytest.fixture
def glossary(make_concept):
    return {
        "consent": make_concept(
            "consent (sexual)", key="consent", ar="الموافقة",
            fa_AF={"text": "رضایت", "back_translation": "satisfaction, consent"},
            uk="згода"),
        "violence": make_concept("sexual violence", ar="العنف الجنسي",
                                 uk="сексуальне насильство"),
        "order": make_concept("restraining order", domain="legal", ar="أمر تقييد",
                              de="Kontaktverbot", uk="заборонний припис"),
        "harassment": make_concept("sexual harassment", uk="сексуальні домагання",
                                   ar="التحرش الجنسي"),
        "shelter": make_concept("safe shelter", ar="مأوى آمن", uk="безпечний притулок"),
    }


def entry(db, name):
    """The search-index cache entry of the working language."""
    return entries_of(db.get_bind())[name]


def queries_for(index: SearchIndex) -> list[str]:
    """Queries drawn from every text of ``index``: whole texts, words, prefixes of two
    to four letters, and typos (a letter dropped, two swapped, one changed)."""
    found = set()
    for text in index.e_text:
        if not text:
            continue
        form = match_form(text)
        found.add(form)
        for word in form.split(" "):
            found.update({word, word[:2], word[:3], word[:4]})
            if len(word) >= 4:
                found.add(word[1:])
                found.add(word[:-1])
                found.add(word[:2] + word[3] + word[2] + word[4:])
                found.add(word[:-2] + "x" + word[-1])
    return sorted(q for q in found if q)


def answers(index: SearchIndex, queries: list[str]) -> list:
    """What ``index`` answers to each query, with filters and limits, and the "did you
    mean" lookups."""
    out = []
    for query in queries:
        out.append(index.search(query, limit=20))
        out.append(index.search(query, limit=3))
        for language in ("ar", "uk", "en"):
            out.append(index.search(query, language=language, limit=5))
            out.append(index.near_duplicates(query, language=language))
    return out


def assert_same_as_a_fresh_build(db, patched: SearchIndex) -> None:
    fresh = SearchIndex.load(db, working="en")
    assert patched.sorted_keys == fresh.sorted_keys
    assert patched.groups == fresh.groups
    assert patched.concepts == fresh.concepts
    assert patched.source_text == fresh.source_text
    assert patched.languages == fresh.languages
    assert len(patched) == len(fresh)
    queries = sorted(set(queries_for(fresh)) | set(queries_for(patched)))
    assert len(queries) > 100
    assert answers(patched, queries) == answers(fresh, queries)


def term_of(db, text):
    return db.exec(select(Term).where(Term.text == text)).one()


def remove_term(db, term):
    """Take a rendering out (the app keeps them; a clean-up or an admin may not)."""
    db.exec(delete(TermVersion).where(TermVersion.term_id == term.id))
    db.delete(term)
    db.commit()


def test_edits_patch_the_index_and_answers_stay_those_of_a_fresh_build(
        db, glossary, make_person, make_concept):
    index = get_index(db, working="en")
    anna = make_person("anna", "facilitator")
    legal = db.exec(select(Domain.id).where(Domain.key == "legal")).one()

    def check():
        assert get_index(db, working="en") is index
        assert_same_as_a_fresh_build(db, index)

    # Add renderings in three scripts.
    propose_term(db, concept=glossary["order"], language="de",
                 data=parse_term({"text": "Annäherungsverbot"}), person=None, working="en")
    propose_term(db, concept=glossary["shelter"], language="fa-AF",
                 data=parse_term({"text": "پناهگاه امن", "back_translation": "safe refuge"}),
                 person=None, working="en")
    check()
    assert index.search("annaherungsverbot")[0].text == "Annäherungsverbot"
    # Change renderings: text, paraphrase, back-translation.
    term = term_of(db, "згода")
    edit_term(db, term=term, data=parse_term({"text": "поінформована згода"}),
              seen_version=term.version, person=anna, working="en")
    term = term_of(db, "الموافقة")
    edit_term(db, term=term, data=parse_term({"text": "الرضا", "no_equivalent": True,
                                              "paraphrase": "قبول بدون إكراه"}),
              seen_version=term.version, person=anna, working="en")
    term = term_of(db, "رضایت")
    edit_term(db, term=term, data=parse_term({"text": "رضایت", "back_translation": "assent"}),
              seen_version=term.version, person=anna, working="en")
    check()
    assert not index.search("satisfaction") or all(
        h.text != "satisfaction, consent" for h in index.search("satisfaction"))
    assert index.search("поінформована")[0].concept_key == "consent"
    # Change and clear definitions, rename a key, retire a concept, add a concept.
    concept = glossary["violence"]
    data = parse_concept({"key": "violence-sexual", "domain_id": legal,
                          "definition": "Any sexual act by force or coercion."}, session=db)
    update_concept(db, concept=concept, data=data, seen_version=concept.version, person=anna)
    concept = glossary["shelter"]
    data = parse_concept({"key": "safe-shelter", "domain_id": concept.domain_id,
                          "definition": "", "status": "retired"}, session=db)
    update_concept(db, concept=concept, data=data, seen_version=concept.version, person=anna)
    make_concept("informed consent", uk="інформована згода", ar="الموافقة المستنيرة")
    check()
    assert index.search("coercion")[0].concept_key == "violence-sexual"
    # Remove renderings: by the ORM and by a statement; the last Cyrillic one of a
    # concept, and the only German one.
    remove_term(db, term_of(db, "Kontaktverbot"))
    term = term_of(db, "сексуальні домагання")
    db.exec(delete(TermVersion).where(TermVersion.term_id == term.id))
    db.exec(delete(Term).where(Term.id == term.id))
    db.commit()
    check()
    assert all(h.text != "Kontaktverbot" for h in index.search("kontaktverbot"))
    entry_now = entry(db, ("search", "en"))
    assert entry_now.builds == 1 and entry_now.patches >= 4


def test_a_word_shared_with_other_concepts_keeps_them(db, glossary, make_person):
    """Editing one of several renderings with the same word leaves the others found."""
    index = get_index(db, working="en")
    anna = make_person("anna", "facilitator")
    term = term_of(db, "العنف الجنسي")
    edit_term(db, term=term, data=parse_term({"text": "العنف القائم على النوع"}),
              seen_version=term.version, person=anna, working="en")
    assert get_index(db, working="en") is index
    assert [h.concept_key for h in index.search("الجنسي")] == ["sexual-harassment"]
    assert_same_as_a_fresh_build(db, index)


def test_another_worker_patches_its_own_index(app, db, glossary, make_person):
    """Two engines stand for two worker processes, each with its own cached index."""
    from sqlmodel import Session

    from glossary.db import make_engine

    other = make_engine(app.config["DATABASE_URL"])
    try:
        with Session(other) as worker:
            theirs = get_index(worker, working="en")
        term = term_of(db, "Kontaktverbot")
        edit_term(db, term=term, data=parse_term({"text": "Näherungsverbot"}),
                  seen_version=term.version, person=make_person("anna", "facilitator"),
                  working="en")
        with Session(other) as worker:
            assert get_index(worker, working="en") is theirs
            assert theirs.search("Näherungsverbot")[0].match == "exact"
            assert entries_of(other)[("search", "en")].builds == 1
    finally:
        other.dispose()


def test_a_bulk_insert_without_change_rows_is_read_by_id(db, glossary):
    """Imports insert concepts and terms in bulk, past the session's hooks: new ids are
    read as changed concepts."""
    index = get_index(db, working="en")
    domain = glossary["order"].domain_id
    connection = db.connection()
    connection.execute(insert(Concept.__table__).values(
        key="protection-order", domain_id=domain, definition="An order of a court.",
        sensitivity="low", facilitator_note="", status="active", version=1, is_demo=False))
    cid = connection.execute(select(Concept.id).where(Concept.key == "protection-order")
                             ).scalar_one()
    connection.execute(insert(Term.__table__), [
        {"concept_id": cid, "language": "en", "text": "protection order", "status":
         "preferred", "usage_register": "neutral", "back_translation": "", "usage_note": "",
         "no_equivalent": False, "paraphrase": "", "version": 1, "is_demo": False},
        {"concept_id": cid, "language": "uk", "text": "захисний припис", "status":
         "preferred", "usage_register": "neutral", "back_translation": "", "usage_note": "",
         "no_equivalent": False, "paraphrase": "", "version": 1, "is_demo": False}])
    db.commit()
    assert get_index(db, working="en") is index
    assert index.search("захисний")[0].concept_key == "protection-order"
    assert_same_as_a_fresh_build(db, index)


def test_unknown_and_large_changes_rebuild(db, glossary, monkeypatch):
    import glossary.versioned_cache as module

    index = get_index(db, working="en")
    # An update by something other than an id names no concept: rebuild.
    db.exec(update(Term).where(Term.language == "de").values(text="Schutzanordnung"))
    db.commit()
    assert db.exec(select(SearchChange.concept_id).order_by(SearchChange.id.desc())
                   ).first() is None
    rebuilt = get_index(db, working="en")
    assert rebuilt is not index and entry(db, ("search", "en")).builds == 2
    assert rebuilt.search("Schutzanordnung")[0].concept_key == "restraining-order"
    # More concepts than MAX_DELTA at once: rebuild.
    monkeypatch.setattr(module, "MAX_DELTA", 1)
    for key in ("consent", "violence"):
        concept = glossary[key]
        db.exec(update(Concept).where(Concept.id == concept.id).values(definition="changed"))
    db.commit()
    assert get_index(db, working="en") is not rebuilt
    assert entry(db, ("search", "en")).builds == 3


def test_a_restore_rebuilds(db, glossary):
    """The change row last read is gone or another (a restore reuses ids): rebuild."""
    index = get_index(db, working="en")
    newest = db.exec(select(SearchChange).order_by(SearchChange.id.desc())).first()
    db.exec(delete(SearchChange).where(SearchChange.id == newest.id))
    db.exec(insert(SearchChange).values(id=newest.id, concept_id=newest.concept_id,
                                        at=newest.at.replace(year=2020)))
    db.exec(insert(SearchChange).values(concept_id=glossary["order"].id))
    db.commit()
    assert get_index(db, working="en") is not index


def test_a_gap_in_the_change_ids_waits_then_rebuilds(db, glossary, clock):
    """A change id taken by a transaction that has not committed yet (PostgreSQL hands
    out ids before commit) is looked up again until it appears; one that never appears
    (rolled back) rebuilds the index after HOLE_PATIENCE seconds."""
    import glossary.versioned_cache as module

    index = get_index(db, working="en")
    newest = db.exec(select(SearchChange.id).order_by(SearchChange.id.desc())).first()
    consent, order = glossary["consent"], glossary["order"]

    def write(text, new_text, change_id, concept):
        """A write and its change row by hand (past the hooks), with a chosen id."""
        term = term_of(db, text)
        connection = db.connection()
        connection.execute(update(Term.__table__).where(Term.__table__.c.id == term.id)
                           .values(text=new_text))
        connection.execute(insert(SearchChange.__table__).values(
            id=change_id, concept_id=concept.id, at=datetime.now(UTC)))
        db.commit()

    # Change id newest + 2 commits first; newest + 1 is "still in flight".
    write("Kontaktverbot", "Kontaktsperre", newest + 2, order)
    assert get_index(db, working="en") is index
    assert index.search("Kontaktsperre")[0].concept_key == "restraining-order"
    assert entry(db, ("search", "en")).seen.holes == ((newest + 1, clock[0]),)
    # The late transaction commits: its concept is patched, the gap closes.
    clock[0] += 5
    write("згода", "дозвіл", newest + 1, consent)
    assert get_index(db, working="en") is index
    assert index.search("дозвіл")[0].concept_key == "consent"
    assert entry(db, ("search", "en")).seen.holes == ()
    # A gap that stays open past the patience: rebuild.
    write("дозвіл", "згода", newest + 4, consent)
    assert get_index(db, working="en") is index
    clock[0] += module.HOLE_PATIENCE - 1
    assert get_index(db, working="en") is index
    clock[0] += 2
    assert get_index(db, working="en") is not index
    assert entry(db, ("search", "en")).builds == 2
    assert_same_as_a_fresh_build(db, get_index(db, working="en"))


def test_a_jump_in_the_change_ids_rebuilds_at_once(db, glossary, monkeypatch, clock):
    """More missing ids than MAX_DELTA are not waited for."""
    import glossary.versioned_cache as module

    monkeypatch.setattr(module, "MAX_DELTA", 5)
    index = get_index(db, working="en")
    newest = db.exec(select(SearchChange.id).order_by(SearchChange.id.desc())).first()
    db.exec(insert(SearchChange).values(id=newest + 100, concept_id=glossary["order"].id))
    db.commit()
    assert get_index(db, working="en") is not index


def test_change_rows_name_the_concepts_written(db, glossary, make_person):
    def logged():
        return set(db.exec(select(SearchChange.concept_id).where(SearchChange.id > last))
                   .all())

    last = db.exec(select(SearchChange.id).order_by(SearchChange.id.desc())).first()
    anna = make_person("anna", "facilitator")
    term = term_of(db, "згода")
    edit_term(db, term=term, data=parse_term({"text": "дозвіл"}), seen_version=term.version,
              person=anna, working="en")
    assert logged() == {glossary["consent"].id}
    last = db.exec(select(SearchChange.id).order_by(SearchChange.id.desc())).first()
    domain = db.exec(select(Domain.id).where(Domain.key == "legal")).one()
    data = parse_concept({"key": "custody", "domain_id": domain, "definition": "Care."},
                         session=db)
    concept = create_concept(db, data=data, source_text="custody", working="en", person=None)
    assert logged() == {concept.id}


def assert_matcher_as_fresh(db, patched: TermMatcher, text: str) -> None:
    fresh = TermMatcher.load(db, patched.language)
    assert [(m.start, m.end, m.term_ids) for m in patched.find(text)] == [
        (m.start, m.end, m.term_ids) for m in fresh.find(text)]
    for name in ("forms", "attached", "keys", "word_uses", "bare_uses", "by_concept",
                 "term_forms", "rows_of", "size"):
        assert getattr(patched, name) == getattr(fresh, name), name


def test_matchers_are_patched_in_place_as_a_fresh_build(db, glossary, make_person,
                                                       make_concept):
    english, arabic = matcher(db, "en"), matcher(db, "ar")
    anna = make_person("anna", "facilitator")
    text = ("بالمضايقة الجنسية وقرار حماية والتحرش الجنسي والعنف الجنسي وللموافقة "
            "والمأوى الآمن")
    before = len(arabic.find(text))
    term = term_of(db, "التحرش الجنسي")
    edit_term(db, term=term, data=parse_term({"text": "المضايقة الجنسية"}),
              seen_version=term.version, person=anna, working="en")
    propose_term(db, concept=glossary["order"], language="ar",
                 data=parse_term({"text": "قرار حماية"}), person=None, working="en")
    assert matcher(db, "ar") is arabic
    assert len(arabic.find(text)) == before + 1
    assert_matcher_as_fresh(db, arabic, text)
    # A word's last term goes (its written forms go with it), a retired concept's
    # terms go, a new concept's come.
    remove_term(db, term_of(db, "مأوى آمن"))
    concept = glossary["violence"]
    data = parse_concept({"key": concept.key, "domain_id": concept.domain_id,
                          "definition": "", "status": "retired"}, session=db)
    update_concept(db, concept=concept, data=data, seen_version=concept.version, person=anna)
    make_concept("informed consent", ar="الموافقة المستنيرة")
    assert matcher(db, "ar") is arabic
    assert_matcher_as_fresh(db, arabic, text)
    assert_matcher_as_fresh(db, matcher(db, "en"), "Informed consents and sexual violence.")
    assert matcher(db, "en") is english
    assert entry(db, ("matcher", "ar")).builds == 1
    assert entry(db, ("matcher", "en")).builds == 1
