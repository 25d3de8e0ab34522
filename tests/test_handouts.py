"""Handouts from session packs and the shared document engine: the DOCX is reopened and
its XML checked (direction elements present and in schema order for right-to-left text,
absent for left-to-right; only agreed wording; DRAFT marks; the footer hash), and the
PDF's embedded fonts and pages are checked with pypdf."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import TODAY, agree
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader
from sqlalchemy import text
from sqlmodel import select

from glossary import groups
from glossary.concepts import edit_term, parse_term
from glossary.errors import Refused
from glossary.exports import document as engine
from glossary.exports import handouts
from glossary.exports.typst_builders import available_fonts as typst_fonts
from glossary.models import Term
from glossary.models.groups import SessionPack

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ARABIC = re.compile(r"[\u0600-\u06ff]")
LRM = "\u200e"




@pytest.fixture
def staff(make_person):
    return {"anna": make_person("anna", "facilitator"),
            "samir": make_person("samir", "mediator", "ar"),
            "olena": make_person("olena", "mediator", "uk"),
            "yonas": make_person("yonas", "mediator", "ti"),
            "mariam": make_person("mariam", "mediator", "fa-AF,ur")}


@pytest.fixture
def group(db, staff, make_concept):
    """A group with Arabic, Ukrainian, Tigrinya and Urdu: consent and anger agreed in
    every language; shame agreed in Arabic with an "avoid" rendering; coercive control
    a "no direct equivalent" in Arabic; rape only proposed in Arabic."""
    concepts = {
        "consent": make_concept("consent", ar={"text": "الموافقة",
                                               "back_translation": "agreement",
                                               "usage_note": "Call 0301234567 to ask."},
                                uk="згода", ti="ፍቓድ", ur="رضامندی"),
        "anger": make_concept("anger", domain="emotions", ar="الغضب", uk="гнів", ti="ሕርቃን",
                              ur="غصہ"),
        "shame": make_concept("shame", domain="emotions", ar="الخجل"),
        "coercive-control": make_concept("coercive control", domain="gender-relationships", ar={
            "no_equivalent": "on", "paraphrase": "السيطرة الدائمة على حياة الشريك",
            "back_translation": "permanent control of the partner's life"}),
        "rape": make_concept("rape", ar="الاغتصاب المقترح"),
    }
    from glossary.concepts import propose_term

    propose_term(db, concept=concepts["shame"], language="ar", person=None, working="en",
                 data=parse_term({"text": "العار", "status": "deprecated",
                                  "back_translation": "disgrace",
                                  "usage_note": "Ties shame to family honour."}))
    anna = staff["anna"]
    for key in ("consent", "anger", "shame", "coercive-control"):
        agree(db, concepts[key], "ar", anna, staff["samir"])
    for key in ("consent", "anger"):
        agree(db, concepts[key], "uk", anna, staff["olena"])
        agree(db, concepts[key], "ti", anna, staff["yonas"])
        agree(db, concepts[key], "ur", anna, staff["mariam"])
    data = groups.GroupInput(name="Tuesday group", working_language="en",
                             start_date=TODAY, languages=["ar", "uk", "ti", "ur"],
                             facilitator_ids=[anna.id],
                             mediator_ids=[staff[n].id for n in ("samir", "olena", "yonas")])
    found = groups.create_group(db, data=data, person=anna)
    groups.add_concepts(db, group=found, person=anna,
                        concept_ids=[c.id for c in concepts.values()])
    return found


@pytest.fixture
def ready_group(db, group, staff):
    """Ukrainian only, with just the concepts agreed in Ukrainian: a final pack is
    allowed."""
    anna = staff["anna"]
    data = groups.GroupInput(name="Ready group", working_language="en", languages=["uk"],
                             facilitator_ids=[anna.id], mediator_ids=[staff["olena"].id])
    found = groups.create_group(db, data=data, person=anna)
    from glossary.models import Concept

    ids = [c.id for c in db.exec(select(Concept).where(Concept.key.in_(["consent", "anger"])))]
    groups.add_concepts(db, group=found, concept_ids=ids, person=anna)
    return found


def describe(tag):
    from glossary.languages import describe as names

    return names(tag, "en")


def handout(pack, group):
    return handouts.handout_for(pack, group_name=group.name, start_date=group.start_date,
                                describe=describe)


def docx_of(pack, group, kind="glossary", template_dir=handouts.HANDOUT_DIR):
    data = handouts.render_handout(handout(pack, group), kind=kind, fmt="docx",
                                   describe=describe, template_dir=template_dir)
    return Document(io.BytesIO(data)), data


def pdf_of(pack, group, kind="glossary", template_dir=handouts.HANDOUT_DIR):
    data = handouts.render_handout(handout(pack, group), kind=kind, fmt="pdf",
                                   describe=describe, template_dir=template_dir)
    return PdfReader(io.BytesIO(data))


def pdf_fonts(reader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def all_paragraphs(document):
    body = document.element.body
    return list(body.iter(f"{W}p"))


def paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def child_names(element) -> list[str]:
    return [child.tag.replace(W, "") for child in element]


def assert_in_schema_order(element, order):
    # Header and footer references form one choice group of the section: any order.
    names = [n.replace("footerReference", "headerReference") for n in child_names(element)]
    names = [n for n in names if n in order]
    assert names == sorted(names, key=order.index), names


# --- the engine ------------------------------------------------------------------------


@pytest.mark.parametrize("tag,script", [("ar", "arabic"), ("fa-AF", "arabic"), ("ps", "arabic"),
                                        ("ckb", "arabic"), ("ur", "urdu"), ("ti", "ethiopic"),
                                        ("uk", "latin"), ("en", "latin"), ("ku-Arab", "arabic")])
def test_each_language_gets_its_script_font(tag, script):
    assert engine.script_for(tag).key == script


@pytest.mark.parametrize("source,spans", [
    ("اتصل بالرقم +49 30 1234567 الآن", ["+49 30 1234567"]),
    ("الجلسة 12 في 18:30 يوم 2026-06-01.", ["12", "18:30", "2026-06-01"]),
    ("اكتب إلى help@example.org أو www.example.org/help.", ["help@example.org",
                                                            "www.example.org/help"]),
    ("الرقم ٠١٢ ٣٤٥", ["٠١٢ ٣٤٥"]),
    ("بدون أرقام", []),
])
def test_numbers_and_addresses_are_isolated_in_rtl_text(source, spans):
    assert [part for part, ltr in engine.ltr_segments(source) if ltr] == spans
    isolated = engine.isolate_ltr(source)
    for span in spans:
        assert engine.isolated(span) in isolated
    plain = isolated.replace(LRM, "").replace(engine.NBSP, " ").replace(engine.WJ, "")
    assert plain == source


def test_isolated_numbers_cannot_break_across_lines_but_addresses_stay_copyable():
    assert engine.isolated("+49 30 1234567") == LRM + "+49\u00a030\u00a01234567" + LRM
    # A plain hyphen held by WORD JOINERs, not U+2011, which Naskh draws like "_".
    assert engine.isolated("2026-06-01") == LRM + "2026\u2060-\u206006\u2060-\u206001" + LRM
    assert engine.isolated("help-desk@example.org") == LRM + "help-desk@example.org" + LRM


def test_ordered_insertion_puts_bidi_before_spacing_and_jc():
    from lxml import etree

    ppr = etree.Element(qn("w:pPr"))
    for name in ("pStyle", "spacing", "jc"):
        etree.SubElement(ppr, qn(f"w:{name}"))
    engine.set_child(ppr, "bidi", engine.PPR_ORDER)
    assert child_names(ppr) == ["pStyle", "bidi", "spacing", "jc"]
    engine.set_child(ppr, "bidi", engine.PPR_ORDER)  # idempotent
    assert child_names(ppr).count("bidi") == 1


def test_table_rows_must_match_the_header():
    document = engine.new_docx(base=engine.TextLanguage("en"))
    en = engine.TextLanguage("en")
    with pytest.raises(ValueError, match="row 1"):
        engine.add_table(document, header=[[engine.para("a", en)], [engine.para("b", en)]],
                         rows=[[[engine.para("only one", en)]]], widths=(1, 1))


# --- DOCX ------------------------------------------------------------------------------


def test_arabic_glossary_docx_sets_direction_in_schema_order(db, group, staff):
    pack = groups.create_pack(db, group=group, language="ar", person=staff["anna"], draft=True)
    document, _data = docx_of(pack, group)
    rtl_paragraphs = [p for p in all_paragraphs(document) if ARABIC.search(paragraph_text(p))
                      and p.find(f"{W}pPr/{W}bidi") is not None]
    assert len(rtl_paragraphs) >= 5
    for p in all_paragraphs(document):
        ppr = p.find(f"{W}pPr")
        assert_in_schema_order(ppr, engine.PPR_ORDER)
        for run in p.iter(f"{W}r"):
            assert_in_schema_order(run.find(f"{W}rPr"), engine.RPR_ORDER)
    for p in rtl_paragraphs:
        names = child_names(p.find(f"{W}pPr"))
        assert names.index("bidi") < names.index("spacing")
        for run in p.iter(f"{W}r"):
            rpr = run.find(f"{W}rPr")
            if not ARABIC.search(paragraph_text(run)):
                continue
            assert rpr.find(f"{W}rtl") is not None
            assert rpr.find(f"{W}rFonts").get(f"{W}cs") == "Noto Naskh Arabic"
            assert rpr.find(f"{W}szCs") is not None
            assert rpr.find(f"{W}lang").get(f"{W}bidi") == "ar"
            if rpr.find(f"{W}b") is not None:
                assert rpr.find(f"{W}bCs") is not None
    # The glossary table mixes languages, so its columns keep their order.
    assert document.element.body.find(f".//{W}bidiVisual") is None


def test_english_paragraphs_carry_no_direction_elements(db, group, staff):
    pack = groups.create_pack(db, group=group, language="ar", person=staff["anna"], draft=True)
    document, _data = docx_of(pack, group)
    english = [p for p in all_paragraphs(document) if "Definition of consent" in paragraph_text(p)]
    assert english
    for p in english:
        assert p.find(f"{W}pPr/{W}bidi") is None
        assert list(p.iter(f"{W}rtl")) == []


def test_ukrainian_docx_has_no_rtl_markup_at_all(db, group, staff):
    pack = groups.create_pack(db, group=group, language="uk", person=staff["anna"], draft=True)
    _document, data = docx_of(pack, group)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "згода" in xml and "гнів" in xml
    for element in ("<w:bidi", "<w:rtl", "<w:bidiVisual", "w:bidi="):
        assert element not in xml


def test_only_agreed_renderings_are_printed(db, group, staff):
    pack = groups.create_pack(db, group=group, language="ar", person=staff["anna"], draft=True)
    _document, data = docx_of(pack, group)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "الموافقة" in xml and "الغضب" in xml
    assert "السيطرة الدائمة على حياة الشريك" in xml and "No direct equivalent" in xml
    assert "الاغتصاب المقترح" not in xml  # proposed, not agreed
    assert "Not agreed yet" in xml and "proposed, not signed" in xml
    # The "avoid" rendering appears once, in red, under the words not to use.
    assert xml.count("العار") == 1 and "Words not to use" in xml
    avoid_run = next(r for r in Document(io.BytesIO(data)).element.body.iter(f"{W}r")
                     if paragraph_text(r) == "العار")
    assert avoid_run.find(f"{W}rPr/{W}color").get(f"{W}val") == "B00020"


def test_footer_names_the_group_and_its_hash_equals_the_pack_hash(db, group, staff):
    pack = groups.create_pack(db, group=group, language="uk", person=staff["anna"], draft=True)
    document, _data = docx_of(pack, group)
    footer = document.sections[0].footer
    footer_text = "".join(paragraph_text(p) for p in footer._element.iter(f"{W}p"))
    assert "Tuesday group" in footer_text
    found = re.search(r"hash ([0-9a-f]{12})", footer_text).group(1)
    assert found == pack.content_hash == groups.content_hash(pack.content)
    instructions = [f.get(f"{W}instr") for f in footer._element.iter(f"{W}fldSimple")]
    assert instructions == ["PAGE", "NUMPAGES"]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_draft_pack_marks_every_page_and_final_pack_does_not(db, group, ready_group, staff):
    draft = groups.create_pack(db, group=group, language="ar", person=staff["anna"], draft=True)
    document, _data = docx_of(draft, group)
    for section in document.sections:
        header = "".join(paragraph_text(p) for p in section.header._element.iter(f"{W}p"))
        footer = "".join(paragraph_text(p) for p in section.footer._element.iter(f"{W}p"))
        assert "DRAFT" in header and "DRAFT" in footer
    final = groups.create_pack(db, group=ready_group, language="uk", person=staff["anna"])
    assert not final.draft
    _document, data = docx_of(final, ready_group)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        if name.endswith(".xml"):
            assert "DRAFT" not in archive.read(name).decode(), name


def test_phone_number_in_rtl_text_is_an_isolated_ltr_run(db, group, staff):
    pack = groups.create_pack(db, group=group, language="ar", person=staff["anna"], draft=True)
    document, _data = docx_of(pack, group)
    # The usage note is English with a number: no isolation needed there...
    assert any(paragraph_text(p) == "Call 0301234567 to ask." for p in all_paragraphs(document))
    # ...but inside Arabic text a number gets its own left-to-right run between marks.
    arabic = engine.TextLanguage("ar", True)
    p = engine.add_paragraph(document, engine.para("اتصل بالرقم +49 30 1234567 الآن", arabic))
    runs = list(p.iter(f"{W}r"))
    assert [paragraph_text(r) for r in runs] == ["اتصل بالرقم ", engine.isolated("+49 30 1234567"),
                                                 " الآن"]
    assert [r.find(f"{W}rPr/{W}rtl") is not None for r in runs] == [True, False, True]


ARABIC_TEMPLATE = """<!-- test template in Arabic -->
# قواعد المجموعة

## السرية
ما يقال في المجموعة يبقى فيها: {{concept:consent}}. للاستفسار اتصل بالرقم +49 30 1234567.
- {{concept:anger}} شعور وليس عذرا.
"""


@pytest.fixture
def arabic_templates(tmp_path):
    folder = tmp_path / "handouts"
    folder.mkdir()
    (folder / "rules.ar.md").write_text(ARABIC_TEMPLATE, encoding="utf-8")
    (folder / "rules.en.md").write_text("# Rules\n\nWe respect {{concept:consent}} and "
                                        "{{concept:rape}}.\n", encoding="utf-8")
    return folder


def test_rules_in_arabic_are_a_right_to_left_document(db, group, staff, arabic_templates):
    pack = groups.create_pack(db, group=group, language="ar", person=staff["anna"], draft=True)
    document, data = docx_of(pack, group, "rules", arabic_templates)
    sect_pr = document.sections[0]._sectPr
    assert_in_schema_order(sect_pr, engine.SECTPR_ORDER)
    assert "bidi" in child_names(sect_pr)
    assert child_names(sect_pr).index("bidi") < child_names(sect_pr).index("docGrid")
    # The table of cited words is wholly right to left: bidiVisual, in its place.
    table = document.tables[0]
    tbl_names = child_names(table._tbl.tblPr)
    assert tbl_names.index("tblStyle") < tbl_names.index("bidiVisual") < tbl_names.index("tblW")
    header = [paragraph_text(c._tc) for c in table.rows[0].cells]
    assert header == ["العربية", "English"]
    assert [paragraph_text(c._tc) for c in table.rows[1].cells] == ["الموافقة", "consent"]
    for row in table.rows:
        p = row.cells[0]._tc.find(f"{W}p")
        assert p.find(f"{W}pPr/{W}bidi") is not None
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "{{" not in xml and "الموافقة" in xml and "الغضب" in xml
    phone = [r for r in document.element.body.iter(f"{W}r")
             if paragraph_text(r) == engine.isolated("+49 30 1234567")]
    assert len(phone) == 1 and phone[0].find(f"{W}rPr/{W}rtl") is None


def test_rules_refuse_unagreed_concepts_in_a_final_pack_and_flag_them_in_a_draft(
        db, group, ready_group, staff, arabic_templates):
    final = groups.create_pack(db, group=ready_group, language="uk", person=staff["anna"])
    with pytest.raises(Refused, match="rape"):
        docx_of(final, ready_group, "rules", arabic_templates)
    draft = groups.create_pack(db, group=group, language="uk", person=staff["anna"], draft=True)
    _document, data = docx_of(draft, group, "rules", arabic_templates)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "not agreed: rape" in xml and "згода" in xml


def test_shipped_rules_template_prints_for_the_demo_concepts(db, group, staff):
    pack = groups.create_pack(db, group=group, language="uk", person=staff["anna"], draft=True)
    _document, data = docx_of(pack, group, "rules")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "Ground rules and programme information" in xml and "згода" in xml
    assert "Tuesday group" in xml and TODAY.isoformat() in xml


def test_an_old_pack_keeps_printing_the_wording_it_froze(db, group, staff):
    pack = groups.create_pack(db, group=group, language="uk", person=staff["anna"], draft=True)
    term = db.exec(select(Term).where(Term.text == "згода")).one()
    edit_term(db, term=term, data=parse_term({"text": "дозвіл"}), seen_version=term.version,
              person=staff["anna"], working="en")
    _document, data = docx_of(db.get(SessionPack, pack.id), group)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "згода" in xml and "дозвіл" not in xml


def test_a_pack_whose_content_no_longer_matches_its_hash_is_not_printed(db, group, staff):
    pack = groups.create_pack(db, group=group, language="uk", person=staff["anna"], draft=True)
    db.execute(text("UPDATE session_pack SET content = :c WHERE id = :i"),
               {"c": '{"format": 1, "concepts": []}', "i": pack.id})
    db.commit()
    db.expire_all()
    with pytest.raises(Refused, match="hash"):
        handout(db.get(SessionPack, pack.id), group)


def test_unknown_kind_or_format_is_refused(db, group, staff):
    pack = groups.create_pack(db, group=group, language="uk", person=staff["anna"], draft=True)
    from glossary.errors import InputError

    with pytest.raises(InputError):
        handouts.render_handout(handout(pack, group), kind="poster", fmt="pdf", describe=describe)
    with pytest.raises(InputError):
        handouts.render_handout(handout(pack, group), kind="rules", fmt="odt", describe=describe)


# --- PDF -------------------------------------------------------------------------------


@pytest.mark.parametrize("language,expected,absent", [
    ("ar", {"NotoSans-Regular", "NotoNaskhArabic-Bold"}, {"NotoSansEthiopic", "NotoNastaliq"}),
    ("ti", {"NotoSans-Regular", "NotoSansEthiopic-Bold"}, {"NotoNaskh", "NotoNastaliq"}),
    ("ur", {"NotoSans-Regular", "NotoNastaliqUrdu-Bold"}, {"NotoSansEthiopic", "NotoNaskh"}),
    ("uk", {"NotoSans-Regular", "NotoSans-Bold"}, {"NotoNaskh", "NotoSansEthiopic"}),
])
def test_pdf_embeds_the_bundled_font_of_each_script(db, group, staff, language, expected,
                                                     absent):
    pack = groups.create_pack(db, group=group, language=language, person=staff["anna"],
                              draft=True)
    reader = pdf_of(pack, group)
    fonts = pdf_fonts(reader)
    assert expected <= fonts
    assert not any(name.startswith(tuple(absent)) for name in fonts), fonts
    # Only the bundled fonts: nothing from the system, nothing built into Typst.
    bundled = {path.stem for path in engine.FONT_DIR.glob("*.ttf")}
    assert fonts <= bundled, fonts
    assert len(reader.pages) == 1
    page_text = reader.pages[0].extract_text()
    assert pack.content_hash in page_text and "1 / 1" in page_text and "DRAFT" in page_text


def test_long_pdf_counts_its_pages_and_repeats_footer_and_draft_mark(db, make_concept, staff):
    anna = staff["anna"]
    ids = [make_concept(f"concept number {i}", key=f"c{i:03d}", uk=f"поняття {i}").id
           for i in range(45)]
    data = groups.GroupInput(name="Big group", working_language="en", languages=["uk"])
    big = groups.create_group(db, data=data, person=anna)
    groups.add_concepts(db, group=big, concept_ids=ids, person=anna)
    from glossary.models import Concept

    for concept_id in ids[:40]:
        agree(db, db.get(Concept, concept_id), "uk", anna, staff["olena"])
    pack = groups.create_pack(db, group=big, language="uk", person=anna, draft=True)
    reader = pdf_of(pack, big)
    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, start=1):
        page_text = page.extract_text()
        assert f"{number} / {pages}" in page_text
        assert pack.content_hash in page_text and "Big group" in page_text
        assert "DRAFT" in page_text
    assert (round(float(reader.pages[0].mediabox.width) / 72 * 25.4),
            round(float(reader.pages[0].mediabox.height) / 72 * 25.4)) == (210, 297)


def test_rules_pdf_in_arabic_uses_naskh_and_no_network(db, group, staff, arabic_templates,
                                                       monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a handout tried to open a connection")

    monkeypatch.setattr("socket.create_connection", no_network)
    pack = groups.create_pack(db, group=group, language="ar", person=staff["anna"], draft=True)
    reader = pdf_of(pack, group, "rules", arabic_templates)
    assert {"NotoNaskhArabic-Regular", "NotoNaskhArabic-Bold"} <= pdf_fonts(reader)
    assert len(reader.pages) == 1


def test_typst_sees_only_the_bundled_fonts():
    families = {info.family: info.path for info in typst_fonts()}
    assert set(families) == {s.word_font for s in engine.SCRIPTS.values()}
    assert all(Path(path).parent == engine.FONT_DIR for path in families.values())
