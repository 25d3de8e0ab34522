"""The participant glossary (glossary/exports/participant_glossary.py): printed from a
session pack in the participants' language first, with the explanations; nothing for
staff only (words to avoid, registers, back-translations, notes) and never a concept key;
a draft marks unagreed places "not agreed yet" and says DRAFT in both languages. The PDF
is read back with pdftotext, the DOCX as XML."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata

import pytest
from conftest import TODAY, agree
from docx import Document

from glossary import groups
from glossary.concepts import parse_term, propose_term
from glossary.exports import handouts
from glossary.exports.handout_phrases import phrases_for
from glossary.exports.participant_glossary import (
    build_docx,
    build_pdf,
    participant_data,
    participant_entries,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TARGET_SCRIPT = {"ar": re.compile(r"[\u0600-\u06ff]"), "fa-AF": re.compile(r"[\u0600-\u06ff]"),
                 "ur": re.compile(r"[\u0600-\u06ff]"), "ti": re.compile(r"[\u1200-\u137f]"),
                 "uk": re.compile(r"[\u0400-\u04ff]")}
EXPLAINED = {"ar": "أن تقول نعم بحرية ودون خوف", "fa-AF": "بله گفتن آزادانه و بدون ترس",
             "ur": "آزادی سے اور بغیر ڈر کے ہاں کہنا", "ti": "ብነጻ ብዘይ ፍርሒ እወ ምባል",
             "uk": "вільно сказати так, без страху"}
WORDS = {"ar": "الموافقة", "fa-AF": "رضایت", "ur": "رضامندی", "ti": "ፍቓድ", "uk": "згода"}
KEYS = ("k-consent", "k-shame", "k-coercion", "k-rape")


@pytest.fixture
def staff(make_person):
    return {"anna": make_person("anna", "facilitator"),
            "samir": make_person("samir", "mediator", "ar"),
            "mariam": make_person("mariam", "mediator", "fa-AF,ur"),
            "yonas": make_person("yonas", "mediator", "ti"),
            "olena": make_person("olena", "mediator", "uk")}


@pytest.fixture
def group(db, staff, make_concept):
    """Consent agreed in five languages with an explanation; in Arabic also shame (with
    an "avoid" rendering and a clinical register) and coercive control (no direct
    equivalent); rape only proposed in Arabic. Keys differ from every wording."""
    consent = make_concept("consent", key="k-consent", **{
        tag.replace("-", "_"): {"text": WORDS[tag], "explanation": EXPLAINED[tag],
                                "back_translation": "agreement", "usage_note": "STAFF NOTE"}
        for tag in WORDS})
    shame = make_concept("shame", key="k-shame", domain="emotions", ar={
        "text": "الخجل", "register": "clinical", "explanation": "شعور مؤلم"})
    propose_term(db, concept=shame, language="ar", person=None, working="en",
                 data=parse_term({"text": "العار", "status": "deprecated",
                                  "explanation": "كلمة لا نقولها"}))
    coercion = make_concept("coercive control", key="k-coercion", ar={
        "no_equivalent": "on", "paraphrase": "السيطرة الدائمة على حياة الشريك"})
    rape = make_concept("rape", key="k-rape", ar="الاغتصاب المقترح")
    anna, mediators = staff["anna"], {"ar": "samir", "fa-AF": "mariam", "ur": "mariam",
                                      "ti": "yonas", "uk": "olena"}
    for tag, name in mediators.items():
        agree(db, consent, tag, anna, staff[name])
    agree(db, shame, "ar", anna, staff["samir"])
    agree(db, coercion, "ar", anna, staff["samir"])
    data = groups.GroupInput(name="Tuesday group", working_language="en", start_date=TODAY,
                             languages=list(WORDS), facilitator_ids=[anna.id],
                             mediator_ids=[staff[n].id for n in ("samir", "mariam", "yonas",
                                                                 "olena")])
    found = groups.create_group(db, data=data, person=anna)
    groups.add_concepts(db, group=found, person=anna,
                        concept_ids=[c.id for c in (consent, shame, coercion, rape)])
    return found


def handout_of(db, group, staff, tag):
    pack = groups.create_pack(db, group=group, language=tag, person=staff["anna"], draft=True)
    return handouts.handout_for(pack, group_name=group.name, start_date=group.start_date,
                                describe=handouts.language_describer(db, "en"))


def plain(text: str) -> str:
    """NFC without direction marks and controls, nor ZWNJ (which pdftotext may place one
    letter off in Persian): the text compared."""
    return unicodedata.normalize("NFC", re.sub("[\u200c\u200e\u200f\u202a-\u202e"
                                               "\u2066-\u2069]", "", text))


def pdf_text(pdf: bytes) -> str:
    return plain(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                check=True).stdout.decode())


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# Nastaliq's glyphs are placed on slanted baselines: pdftotext reads them out in pieces,
# so the Urdu wording is checked in the data the PDF is laid out from (and on the page
# images the README tells how to look at), everything else in the PDF's text.
@pytest.mark.parametrize("tag", ["ar", "fa-AF", "ti", "uk"])
def test_pdf_puts_the_participants_language_first_with_explanations(app, db, group, staff,
                                                                     tag, tmp_path):
    with app.test_request_context():
        pdf = build_pdf(handout_of(db, group, staff, tag))
    (tmp_path / f"participant-{tag}.pdf").write_bytes(pdf)
    text = pdf_text(pdf)
    script, phrases = TARGET_SCRIPT[tag], phrases_for(tag)
    banner, title, subtitle = lines(text)[:3]
    assert script.search(banner) and "DRAFT" in banner  # DRAFT in both languages
    assert plain(phrases.draft) in banner
    # The title in the target language comes first, the working language's below it.
    assert script.search(title) and not re.search("[A-Za-z]", title), title
    assert subtitle.startswith("Words for participants"), subtitle
    assert text.index(WORDS[tag]) < text.index("consent")  # the word, then English
    squeezed = " ".join(text.split())
    for word in EXPLAINED[tag].split():
        assert word in squeezed
    for staff_only in ("STAFF NOTE", "agreement", "clinical", "literally"):
        assert staff_only not in text
    for key in KEYS:
        assert key not in text
    assert "not agreed yet" in text and plain(phrases.not_agreed) in text


def test_urdu_pdf_is_set_in_nastaliq_with_the_urdu_wording_first(app, db, group, staff,
                                                                 tmp_path):
    from pypdf import PdfReader

    with app.test_request_context():
        h = handout_of(db, group, staff, "ur")
        data = participant_data(h)
        pdf = build_pdf(h)
    (tmp_path / "participant-ur.pdf").write_bytes(pdf)  # to look at
    fonts = {str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
             for page in PdfReader(io.BytesIO(pdf)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any(name.startswith("NotoNastaliqUrdu") for name in fonts), fonts
    title = "".join(r["t"] for r in data["title"][0]["runs"])
    assert title == phrases_for("ur").title and data["title"][0]["f"] == "urdu"
    consent = next(e for e in data["entries"] if "رضامندی" in e[0]["runs"][0]["t"])
    assert [p["f"] for p in consent] == ["urdu", "urdu", "latin"]
    assert EXPLAINED["ur"] in consent[1]["runs"][0]["t"] and consent[2]["side"]
    text = pdf_text(pdf)
    assert "Words for participants" in text and "not agreed yet" in text
    assert "DRAFT" in text and not any(key in text for key in KEYS)
    assert "STAFF NOTE" not in text and "agreement" not in text


def test_arabic_pdf_leaves_out_avoid_words_and_marks_what_is_not_agreed(app, db, group,
                                                                        staff):
    with app.test_request_context():
        text = pdf_text(build_pdf(handout_of(db, group, staff, "ar")))
    squeezed = " ".join(text.split())
    assert "الخجل" in text and "شعور مؤلم" in squeezed
    assert "العار" not in text and "كلمة لا نقولها" not in squeezed  # "avoid"
    assert "السيطرة" in text  # the paraphrase of "no direct equivalent"
    assert "الاغتصاب المقترح" not in text  # proposed only: no target wording
    assert "rape" in text and "not agreed yet" in text
    assert "لم نتفق عليها بعد" in text


def test_entries_never_carry_keys_or_unagreed_wording(app, db, group, staff):
    with app.test_request_context():
        h = handout_of(db, group, staff, "ar")
    entries = participant_entries(h.pack.content)
    assert [e.source for e in entries if not e.agreed] == ["rape"]
    assert all(not e.words and not e.explanations for e in entries if not e.agreed)
    shame = next(e for e in entries if e.source == "shame")
    assert shame.words == ["الخجل"] and shame.explanations == ["شعور مؤلم"]


@pytest.mark.parametrize("tag,rtl", [("ar", True), ("ur", True), ("ti", False)])
def test_docx_sets_direction_and_prints_no_staff_fields(app, db, group, staff, tag, rtl,
                                                        tmp_path):
    buffer = io.BytesIO()
    with app.test_request_context():
        build_docx(handout_of(db, group, staff, tag), buffer)
    (tmp_path / f"participant-{tag}.docx").write_bytes(buffer.getvalue())
    document = Document(io.BytesIO(buffer.getvalue()))
    body = document.element.body
    paragraphs = list(body.iter(f"{W}p"))
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in paragraphs]
    word = next(p for p, t in zip(paragraphs, texts, strict=True) if WORDS[tag] in t)
    explanation = next(p for p, t in zip(paragraphs, texts, strict=True)
                       if EXPLAINED[tag] in t)
    for p in (word, explanation):
        assert (p.find(f"{W}pPr/{W}bidi") is not None) is rtl
        runs = [r for r in p.iter(f"{W}r") if (r.findtext(f"{W}t") or "").strip()]
        assert all((r.find(f"{W}rPr/{W}rtl") is not None) is rtl for r in runs)
    assert (body.find(f"{W}sectPr/{W}bidi") is not None) is rtl
    english = next(p for p, t in zip(paragraphs, texts, strict=True) if t == "consent")
    assert english.find(f"{W}pPr/{W}bidi") is None
    if rtl:  # the working-language line sits under its word, on the right
        assert english.find(f"{W}pPr/{W}jc").get(f"{W}val") == "right"
    everything = "\n".join(texts)
    for staff_only in ("STAFF NOTE", "agreement", *KEYS):
        assert staff_only not in everything
    header = "".join(t.text or "" for t in document.sections[0].header._element.iter(f"{W}t"))
    assert "DRAFT" in header and phrases_for(tag).draft in header


def test_easy_read_sets_every_line_at_14_points_or_more(app, db, group, staff):
    buffer = io.BytesIO()
    with app.test_request_context():
        h = handout_of(db, group, staff, "ar")
        build_docx(h, buffer, easy_read=True)
        small = build_pdf(h)
        large = build_pdf(h, easy_read=True)
        easy, plain_sizes = participant_data(h, easy_read=True), participant_data(h)
    body = Document(io.BytesIO(buffer.getvalue())).element.body
    sizes = {int(node.get(f"{W}val")) for node in body.iter(f"{W}sz")}
    assert sizes and min(sizes) >= 28  # half-points
    lines_of = [p for part in ("title", "entries") for p in (
        easy[part] if part == "title" else [p for e in easy[part] for p in e])]
    assert min(p["size"] for p in lines_of) >= 14
    assert min(p["size"] for e in plain_sizes["entries"] for p in e) < 14
    assert small.startswith(b"%PDF") and large.startswith(b"%PDF") and large != small


def test_phrases_are_marked_as_demo_examples_for_every_demo_language(app):
    with app.test_request_context():
        for tag in ("ar", "fa-AF", "ps", "ur", "ckb", "ti", "uk", "ru", "so"):
            phrases = phrases_for(tag)
            assert phrases.draft and phrases.not_agreed and phrases.title, tag
            assert phrases.confirmed is False, tag
        assert phrases_for("fa-AF").tag == "fa-af" and phrases_for("ar-EG").tag == "ar"
        german = phrases_for("de")  # no table entry: the interface's translation
        assert (german.draft, german.not_agreed) == ("ENTWURF", "noch nicht vereinbart")
        assert phrases_for("xx").draft is None and phrases_for("fa").draft is None
