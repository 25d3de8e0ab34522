"""Explanations for participants on renderings (issue 14, item 1): checked like every
other field, part of the signed wording (a change sends the pair to needs review) without
changing any record or hash made before they existed, searchable, carried by TBX (a
definition in the language section, still valid TBX-Basic) and by the spreadsheets, and
shown on the concept page and in its history."""

from __future__ import annotations

import csv

import pytest
from conftest import agree
from lxml import etree
from sqlmodel import select
from test_tbx_interchange import fresh, problems

from glossary import agreement as rules
from glossary.canonical import content_hash, term_record
from glossary.concepts import edit_term, parse_term
from glossary.errors import InputError
from glossary.exports.glossary_table import write_csv
from glossary.exports.tbx import NS, write_tbx
from glossary.importers.plan import Source, apply_import, build_plan
from glossary.models import Agreement, Term
from glossary.search import search

T = {"t": NS, "xml": "http://www.w3.org/XML/1998/namespace"}
ARABIC = "أن يقول الشخص نعم بحرية، بلا خوف ولا ضغط."
DARI = "بله گفتن آزادانه، بدون ترس"


@pytest.fixture
def people(make_person):
    return {"anna": make_person("anna", "facilitator"),
            "samir": make_person("samir", "mediator", "ar")}


@pytest.fixture
def consent(db, make_concept, people):
    concept = make_concept("consent", ar={"text": "الموافقة", "explanation": ARABIC},
                           fa_AF={"text": "رضایت", "explanation": DARI},
                           uk={"text": "згода", "explanation": "Вільне «так»,\nбез тиску."},
                           ti="ፍቓድ")
    agree(db, concept, "ar", people["anna"], people["samir"])
    return concept


def ar_term(db, concept) -> Term:
    return db.exec(select(Term).where(Term.concept_id == concept.id,
                                      Term.language == "ar")).one()


# -- the field ------------------------------------------------------------------------


def test_the_explanation_is_checked_like_the_other_fields():
    data = parse_term({"text": "الموافقة", "explanation": "  سطر أول\r\nسطر ثانٍ  "})
    assert data.explanation == "سطر أول\nسطر ثانٍ"
    assert parse_term({"text": "x"}).explanation == ""
    with pytest.raises(InputError) as caught:
        parse_term({"text": "x", "explanation": "نعم \u202e لا"})
    assert caught.value.field == "explanation"
    with pytest.raises(InputError) as caught:
        parse_term({"text": "x", "explanation": "ا" * 2001})
    assert caught.value.field == "explanation"


def test_a_record_carries_the_explanation_only_when_there_is_one(db, consent):
    term = ar_term(db, consent)
    assert term_record(term)["explanation"] == ARABIC
    term.explanation = ""
    record = term_record(term)
    assert "explanation" not in record
    # The very record (and so hash) a term had before explanations existed.
    assert set(record) == {"text", "status", "register", "back_translation", "usage_note",
                           "no_equivalent", "paraphrase", "version"}
    db.rollback()


def test_a_pinned_record_hash_is_unchanged_by_the_new_field():
    class Old:
        concept_id, language, version, text = 1, "ar", 3, "الموافقة"
        status, usage_register, back_translation = "preferred", "neutral", "agreement"
        usage_note, no_equivalent, paraphrase, explanation = "", False, "", ""

    # Taken before the explanation existed (the same fields, the same values).
    assert content_hash(term_record(Old())) == content_hash({
        "text": "الموافقة", "status": "preferred", "register": "neutral",
        "back_translation": "agreement", "usage_note": "", "no_equivalent": False,
        "paraphrase": "", "version": 3})


def test_changing_the_explanation_sends_the_agreed_pair_to_needs_review(db, consent,
                                                                       people):
    agreement = db.exec(select(Agreement).where(Agreement.concept_id == consent.id,
                                                Agreement.target_language == "ar")).one()
    assert agreement.state == rules.AGREED
    term = ar_term(db, consent)
    edit_term(db, term=term, data=parse_term({"text": "الموافقة",
                                              "explanation": ARABIC + " دائمًا."}),
              seen_version=term.version, person=people["samir"], working="en")
    db.refresh(agreement)
    assert agreement.state == rules.NEEDS_REVIEW


# -- search ---------------------------------------------------------------------------


def test_a_word_of_an_arabic_explanation_finds_its_concept(db, consent):
    hits = search(db, "بحرية", working="en")
    assert [(h.concept_key, h.field, h.language) for h in hits] == [
        ("consent", "explanation", "ar")]
    assert search(db, "ترس", working="en", language="fa-AF")[0].field == "explanation"


def test_an_edited_explanation_is_found_by_its_new_words_only(db, consent, people):
    search(db, "بحرية", working="en")  # the index is built
    term = ar_term(db, consent)
    edit_term(db, term=term, data=parse_term({"text": "الموافقة",
                                              "explanation": "قبول واضح وصريح"}),
              seen_version=term.version, person=people["samir"], working="en")
    assert search(db, "بحرية", working="en") == []
    assert search(db, "صريح", working="en")[0].field == "explanation"


# -- TBX and spreadsheets -------------------------------------------------------------


def test_tbx_basic_carries_explanations_as_language_definitions(app, db, consent, tmp_path):
    path = tmp_path / "out.tbx"
    write_tbx(db, str(path), working="en")
    assert problems(path) == []
    root = etree.parse(str(path)).getroot()
    entry = root.find(".//t:conceptEntry[@id='consent']", T)
    ar = entry.find("t:langSec[@xml:lang='ar']", T)
    assert [d.text for d in ar.findall("t:descrip[@type='definition']", T)] == [ARABIC]
    uk = entry.find("t:langSec[@xml:lang='uk']", T)
    assert [d.text for d in uk.findall("t:descrip", T)] == ["Вільне «так»,", "без тиску."]
    assert entry.find("t:langSec[@xml:lang='ti']/t:descrip", T) is None
    en = entry.find("t:langSec[@xml:lang='en']", T)
    assert [d.text for d in en.findall("t:descrip", T)] == ["Definition of consent."]


@pytest.mark.parametrize("dialect", ["basic", "2008", "core"])
def test_tbx_round_trip_keeps_explanations(app, db, engine, consent, tmp_path, dialect):
    path = tmp_path / f"{dialect}.tbx"
    write_tbx(db, str(path), working="en", dialect=dialect)
    fresh(db, engine)
    plan = apply_import(db, entries=Source(path, working="en"), source=path.name,
                        working="en")
    assert plan.counts["skipped"] == 0
    explanations = {t.language: t.explanation for t in db.exec(select(Term))}
    assert explanations == {"en": "", "ar": ARABIC, "fa-AF": DARI,
                            "uk": "Вільне «так»,\nбез тиску.", "ti": ""}
    assert build_plan(db, entries=Source(path, working="en"), source=path.name,
                      working="en").changes == 0


def test_a_foreign_definition_goes_to_the_first_rendering_not_to_avoid(app, db, tmp_path):
    path = tmp_path / "foreign.tbx"
    path.write_text(f"""<tbx xmlns="{NS}" type="TBX-Basic" style="dca" xml:lang="en">
<tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>
<conceptEntry id="shame"><langSec xml:lang="en"><termSec><term>shame</term></termSec></langSec>
<langSec xml:lang="ar"><descrip type="definition">شعور مؤلم</descrip>
<termSec><term>العار</term>
<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
<termSec><term>الخجل</term></termSec></langSec></conceptEntry>
</body></text></tbx>""", encoding="utf-8")
    apply_import(db, entries=Source(path, working="en"), source="foreign.tbx", working="en")
    terms = {t.text: t.explanation for t in db.exec(select(Term).where(Term.language == "ar"))}
    assert terms == {"العار": "", "الخجل": "شعور مؤلم"}


def test_spreadsheet_columns_carry_explanations_both_ways(app, db, engine, consent,
                                                          tmp_path):
    path = tmp_path / "glossary.csv"
    write_csv(db, path, working="en")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert header.index("explanation:ar") == header.index("paraphrase:ar") + 1
    assert rows[1][header.index("explanation:ar")] == ARABIC
    assert rows[1][header.index("explanation:en")] == ""
    fresh(db, engine)
    apply_import(db, entries=Source(path, working="en"), source="glossary.csv", working="en")
    assert {t.language: t.explanation for t in db.exec(select(Term))}["fa-AF"] == DARI


# -- pages ----------------------------------------------------------------------------


def test_form_saves_it_and_page_and_history_show_it(client, auth, db, consent):
    term = ar_term(db, consent)
    auth.login("samir@example.org")
    form = client.get(f"/terms/{term.id}/edit").get_data(as_text=True)
    assert 'id="explanation"' in form and 'dir="rtl"' in form and ARABIC in form
    response = client.post(f"/terms/{term.id}/edit", data={
        "text": "الموافقة", "status": "preferred", "register": "neutral",
        "version": term.version, "explanation": "قبول <b>حر</b>"})
    assert response.status_code in (302, 303)
    page = client.get(f"/concepts/{consent.id}").get_data(as_text=True)
    assert "Explanation for participants" in page
    assert "قبول &lt;b&gt;حر&lt;/b&gt;" in page
    history = client.get(f"/concepts/{consent.id}/history").get_data(as_text=True)
    assert ARABIC in history and "قبول &lt;b&gt;حر&lt;/b&gt;" in history


def test_form_refuses_a_hidden_control_and_saves_nothing(client, auth, db, consent):
    term = ar_term(db, consent)
    auth.login("samir@example.org")
    response = client.post(f"/terms/{term.id}/edit", data={
        "text": "الموافقة", "version": term.version, "explanation": "نعم\u202eلا"})
    assert response.status_code == 400 or 'class="field-error"' in response.get_data(
        as_text=True)
    db.refresh(term)
    assert term.explanation == ARABIC and term.version == 1


# -- demo -----------------------------------------------------------------------------


def test_the_demo_explains_every_agreed_arabic_rendering_as_a_demo_example(app, db):
    import re

    from conftest import TODAY

    from glossary.demo import load_demo
    from glossary.models import Concept

    load_demo(db, today=TODAY)
    agreed = db.exec(select(Agreement.concept_id).where(Agreement.target_language == "ar",
                                                        Agreement.state == rules.AGREED)).all()
    assert len(agreed) >= 10
    for concept_id in agreed:
        terms = db.exec(select(Term).where(Term.concept_id == concept_id, Term.language == "ar")
                        .order_by(Term.id)).all()
        first = terms[0]
        key = db.get(Concept, concept_id).key
        assert first.is_demo and re.search("[\u0600-\u06ff]{3}", first.explanation), key
        assert not re.search("[A-Za-z]", first.explanation), key  # plain Arabic only
        assert all(not t.explanation for t in terms if t.status == "deprecated")
    assert search(db, "المحكمة", working="en")[0].field == "explanation"
