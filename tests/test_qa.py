"""The terminology check: whole words, phrases across hyphens, attached forms, planted
avoid-terms and missing agreed renderings; files, the page and the command."""

import json
from io import BytesIO
from pathlib import Path

import pytest
from conftest import TODAY
from docx import Document
from sqlmodel import select

from glossary import cli, signoff
from glossary.errors import InputError
from glossary.models import Agreement
from glossary.qa import check_pair, matcher, read_text_file, summarise

DATA = Path(__file__).parent / "data"
SOURCE = (DATA / "check_source_en.txt").read_text(encoding="utf-8")
TARGET = (DATA / "check_target_ar.txt").read_text(encoding="utf-8")


def agree(db, concept, people, language="ar"):
    agreement = db.exec(select(Agreement).where(Agreement.concept_id == concept.id,
                                                Agreement.target_language == language)).one()
    for person, role in zip(people, ("facilitator", "mediator"), strict=True):
        signoff.sign(db, agreement=agreement, person=person, role=role,
                     seen_fingerprint=signoff.current_fingerprint(db, agreement),
                     today=TODAY, validity_months=24)
    db.refresh(agreement)
    assert agreement.state == "agreed"


@pytest.fixture
def glossary(db, make_concept, make_person):
    people = (make_person("anna", "facilitator"), make_person("samir", "mediator", "ar"))
    concepts = {
        "consent": make_concept("consent (sexual)", key="consent", ar="الموافقة"),
        "sexual-violence": make_concept("sexual violence", ar="العنف الجنسي"),
        "violence": make_concept("violence", ar="العنف"),
        "rape": make_concept("rape", ar="الاغتصاب"),
        "anger": make_concept("anger", domain="emotions", ar="الغضب"),
        "restraining-order": make_concept("restraining order", domain="legal", ar="أمر حماية"),
        "marriage": make_concept("marriage", domain="gender-relationships", ar="الزواج"),
    }
    from glossary.concepts import parse_term, propose_term

    propose_term(db, concept=concepts["restraining-order"], language="ar",
                 data=parse_term({"text": "أمر إبعاد", "status": "deprecated"}), person=None,
                 working="en")
    for key in ("consent", "sexual-violence", "violence", "restraining-order"):
        agree(db, concepts[key], people)
    return concepts


def by_key(findings):
    return {f.concept_key: f for f in findings}


def run(db, source=SOURCE, target=TARGET):
    return check_pair(db, source_text=source, target_text=target, source_language="en",
                      target_language="ar")


def test_finds_concepts_in_order_as_written(db, glossary):
    findings = run(db)
    assert [f.concept_key for f in findings] == ["sexual-violence", "marriage", "consent",
                                                 "restraining-order"]
    found = by_key(findings)
    # a phrase spanning a hyphen, shown as written
    assert found["sexual-violence"].found_in_source == ("Sexual-violence",)
    # an inflected form, and the term without its bracketed qualifier
    assert found["consent"].found_in_source == ("consents", "consent")
    assert found["consent"].occurrences == 2


def test_a_term_inside_a_longer_word_is_not_found(db, glossary):
    keys = by_key(run(db))
    assert "rape" not in keys  # "grapes"
    assert "anger" not in keys  # "danger"
    # "violence" inside the longer match "sexual violence" is not listed on its own
    assert "violence" not in keys
    assert by_key(run(db, source="Violence is never an answer."))["violence"].occurrences == 1


def test_agreed_renderings_are_found_with_attached_arabic_particles(db, glossary):
    found = by_key(run(db))
    assert found["sexual-violence"].agreed_rendering_found
    assert found["sexual-violence"].renderings[0].found_as == ("والعنف الجنسي",)
    assert found["consent"].renderings[0].found_as == ("الموافقة", "بالموافقة")
    assert found["consent"].problems == ()


def test_flags_a_planted_avoid_term_and_the_missing_agreed_rendering(db, glossary):
    order = by_key(run(db))["restraining-order"]
    assert order.agreed and not order.rendering_found
    assert [r.text for r in order.avoid] == ["أمر إبعاد"]
    assert order.avoid[0].found_as == ("أمر الإبعاد",)
    assert order.problems == ("missing_rendering", "avoid_used")


def test_says_when_a_concept_is_not_agreed_for_the_pair(db, glossary):
    marriage = by_key(run(db))["marriage"]
    assert marriage.state == "proposed" and marriage.not_agreed
    assert marriage.rendering_found and marriage.problems == ("not_agreed",)


def test_summary_counts(db, glossary):
    assert summarise(run(db)) == {
        "concepts": 4, "agreed": 3, "agreed_rendering_found": 2, "not_agreed": 1,
        "missing_rendering": 1, "avoid_used": 1, "vulgar_used": 0}


def test_vulgar_and_avoid_renderings_are_flagged_even_without_the_concept_in_the_source(
        db, glossary, make_concept):
    make_concept("penis", domain="body-sexual-health",
                 ar={"text": "زبر", "register": "vulgar"})
    findings = by_key(run(db, source="Ground rules.", target="قواعد: زبر و أمر إبعاد"))
    assert findings["penis"].problems == ("not_agreed", "vulgar_used")
    assert not findings["penis"].in_source
    assert findings["restraining-order"].problems == ("avoid_used",)


def test_case_diacritics_and_letter_variants_do_not_matter(db, glossary):
    found = by_key(run(db, source="SEXUAL VIOLENCE and Cônsent",
                       target="العُنف الجنسى والموافقـــة"))
    assert found["sexual-violence"].agreed_rendering_found
    assert found["consent"].agreed_rendering_found


def test_affixes_go_around_the_whole_term(db, glossary):
    found = by_key(run(db, source="x", target="للعنف الجنسي، عنف جنسي، العنف الجنسيين"))
    assert found == {}  # no source concept and nothing to flag
    text = "للعنف الجنسي و عنف جنسي و العنف والجنسي"
    surfaces = [text[m.start:m.end] for m in matcher(db, "ar").find(text)]
    # a particle inside the phrase does not count: only "العنف" (violence) is left there
    assert surfaces == ["للعنف الجنسي", "عنف جنسي", "العنف"]
    en = matcher(db, "en")
    assert len(en.find("restraining orders")) == 1
    assert en.find("restrainings order") == []  # a suffix inside the phrase does not count


def test_a_text_of_remembered_and_new_words_is_read_when_memory_starts_again(
        db, glossary, monkeypatch):
    from glossary import qa

    ar = matcher(db, "ar")
    ar.forget_words()
    assert len(ar.find("الموافقة و شيء")) == 1
    monkeypatch.setattr(qa, "WORD_MEMORY", 4)
    text = "الموافقة كلمة جديدة"  # one remembered word, two new ones: past the bound
    assert [text[m.start:m.end] for m in ar.find(text)] == ["الموافقة"]
    assert set(ar._memory[0]) == {"الموافقة", "كلمة", "جديدة"}


def test_an_ascii_text_is_read_as_a_text_with_other_letters_is(db, glossary):
    # An ASCII text is read in lower case, without the word memory; one letter outside
    # ASCII sends every word through normalisation and the memory instead.
    en = matcher(db, "en")
    text = "Sexual-violence, CONSENTS and Restraining Orders; grapes, restrainings order."
    found = [(m.start, m.end, m.term_ids) for m in en.find(text)]
    assert [text[start:end] for start, end, _ids in found] == [
        "Sexual-violence", "CONSENTS", "Restraining Orders"]
    assert [(m.start, m.end, m.term_ids) for m in en.find(text + " été")] == found


def test_a_ligature_of_several_words_is_read_as_them(db, glossary, make_concept):
    make_concept("glory", ar="جل جلاله")
    text = "الله ﷻ و جل جلاله"  # U+FDFB is "جل جلاله" in one character
    assert [text[m.start:m.end] for m in matcher(db, "ar").find(text)] == ["ﷻ", "جل جلاله"]


def test_remembered_words_give_the_same_matches_when_memory_starts_again(db, glossary,
                                                                          monkeypatch):
    from glossary import qa

    text = "للعنف الجنسي و عنف جنسي و العنف والجنسي"
    ar = matcher(db, "ar")
    first = [(m.start, m.end) for m in ar.find(text)]
    assert [(m.start, m.end) for m in ar.find(text)] == first  # read from memory
    monkeypatch.setattr(qa, "WORD_MEMORY", 3)  # every new text overflows it
    other = "بالموافقة"
    assert [other[m.start:m.end] for m in ar.find(other)] == [other]
    assert len(ar._memory[0]) <= 3
    assert [(m.start, m.end) for m in ar.find(text)] == first


def test_agreement_states_are_those_of_the_found_concepts(db, glossary):
    from glossary.qa.check import _STATES, _states

    ids = [c.id for c in glossary.values()] + [10**6]  # and a concept that does not exist
    states = _states(db, "en", "ar", ids)
    assert states == dict(db.connection().execute(_STATES, {
        "source": "en", "target": "ar", "ids": ids}).all())
    assert states[glossary["consent"].id] == "agreed"
    assert states[glossary["marriage"].id] == "proposed"
    assert 10**6 not in states
    assert _states(db, "en", "ar", []) == {}


def test_the_same_language_twice_is_refused(db, glossary):
    with pytest.raises(InputError):
        check_pair(db, source_text="x", target_text="y", source_language="en",
                   target_language="en")


def test_the_automaton_is_built_once_and_patched_for_changes(db, glossary, make_concept):
    first = matcher(db, "en")
    assert matcher(db, "en") is first
    make_concept("referral", domain="services-referral")
    assert matcher(db, "en") is first  # patched in place (tests/test_search_delta.py)
    assert by_key(run(db, source="A referral.", target="")).get("referral") is not None


def test_read_text_files(tmp_path):
    document = Document()
    document.add_paragraph("Consent is free.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "sexual-violence"
    table.cell(0, 1).text = "restraining order"
    document.add_paragraph("After the table.")
    buffer = BytesIO()
    document.save(buffer)
    text = read_text_file("handout.DOCX", buffer.getvalue())
    assert text.split("\n") == ["Consent is free.", "sexual-violence", "restraining order",
                                "After the table."]
    assert read_text_file("a.txt", "الرضا".encode("utf-8-sig")) == "الرضا"
    assert read_text_file("a.txt", "ፍቓድ".encode("utf-16")) == "ፍቓድ"
    with pytest.raises(InputError, match="UTF-8"):
        read_text_file("a.txt", b"\xff\x00\xfe")
    with pytest.raises(InputError, match="readable"):
        read_text_file("a.docx", b"not a zip")
    with pytest.raises(InputError, match=".docx or .txt"):
        read_text_file("a.pdf", b"%PDF")


# -- the page ---------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, auth, glossary):
    auth.login("anna@example.org")
    return client


def test_check_page_with_pasted_texts(signed_in):
    page = signed_in.get("/check").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="source_file"' in page
    response = signed_in.post("/check", data={"target_language": "ar", "source_text": SOURCE,
                                              "target_text": TARGET})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "4 concepts found in the source text" in page
    assert "Agreed rendering not used: 1" in page and "“Avoid” rendering used: 1" in page
    assert '<bdi lang="ar" dir="rtl">أمر الإبعاد</bdi>' in page
    assert "Sexual-violence" in page


def test_check_page_with_uploaded_files(signed_in):
    document = Document()
    document.add_paragraph("Nobody consents by staying silent.")
    buffer = BytesIO()
    document.save(buffer)
    response = signed_in.post("/check", data={
        "target_language": "ar",
        "source_file": (BytesIO(buffer.getvalue()), "source.docx"),
        "target_file": (BytesIO("بالموافقة".encode()), "target.txt"),
    }, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 concept found in the source text" in page
    assert "✔ used" in page and "بالموافقة" in page


def test_check_page_refuses_bad_input(signed_in):
    response = signed_in.post("/check", data={
        "target_language": "ar", "source_text": "consent",
        "target_file": (BytesIO(b"%PDF-1.4"), "flyer.pdf"),
    }, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Upload a .docx or .txt file" in response.get_data(as_text=True)
    response = signed_in.post("/check", data={"target_language": "xx", "source_text": "a",
                                              "target_text": "b"})
    assert response.status_code == 400
    response = signed_in.post("/check", data={"target_language": "ar",
                                              "source_text": "con\u202esent",
                                              "target_text": "b"})
    assert response.status_code == 400 and "U+202E" in response.get_data(as_text=True)


def test_check_page_respects_the_upload_limit(app, signed_in):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = signed_in.post("/check", data={
        "target_language": "ar", "source_text": "consent",
        "target_file": (BytesIO(b"x" * 4096), "big.txt"),
    }, content_type="multipart/form-data")
    assert response.status_code == 413


# -- the command ------------------------------------------------------------------------


@pytest.fixture
def runner(app):
    """The command line on the test database (schema already made), each command with
    an app of its own, as in a separate process (a command disposes of its engine)."""
    return app.test_cli_runner()  # commands run against this app


def test_check_command_json(runner, glossary):
    result = runner.invoke(cli.main, ["check", "--pair", "en:ar", "--source",
                                      str(DATA / "check_source_en.txt"), "--target",
                                      str(DATA / "check_target_ar.txt"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["pair"] == "en:ar" and report["summary"]["avoid_used"] == 1
    order = next(f for f in report["findings"] if f["concept_key"] == "restraining-order")
    assert order["problems"] == ["missing_rendering", "avoid_used"]
    assert order["avoid_found"][0]["found_as"] == ["أمر الإبعاد"]
    consent = next(f for f in report["findings"] if f["concept_key"] == "consent")
    assert consent["agreed_rendering_found"] is True


def test_check_command_text_and_errors(runner, glossary, tmp_path):
    args = ["--source", str(DATA / "check_source_en.txt"), "--target",
            str(DATA / "check_target_ar.txt")]
    result = runner.invoke(cli.main, ["check", "--pair", "en:ar", *args])
    assert result.exit_code == 0, result.output
    assert "restraining-order" in result.output and "avoid_used" in result.output
    assert "4 concepts found" in result.output
    refused = runner.invoke(cli.main, ["check", "--pair", "ar:en", *args])
    assert refused.exit_code != 0 and "working language" in refused.output
    bad = tmp_path / "flyer.pdf"
    bad.write_bytes(b"%PDF")
    result = runner.invoke(cli.main, ["check", "--pair", "en:ar", "--source", str(bad),
                                      "--target", str(bad)])
    assert result.exit_code != 0 and ".docx or .txt" in result.output
