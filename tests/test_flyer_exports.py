"""Flyer files (PDF, DOCX, text), the terminology check before sign-off, pages and CLI."""

import io
import re
import zipfile
from datetime import date

import pytest
from click.testing import CliRunner
from conftest import TODAY
from pypdf import PdfReader
from sqlmodel import select

from glossary import flyer_templates, flyers, signoff
from glossary.cli import main
from glossary.exports.flyers import flyer_txt, write_flyer
from glossary.models import Agreement
from glossary.qa.fields import problem_messages

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIELDS_AR = {"title": "أمسية إعلامية", "what": "نتحدث عن [[consent]]. لا نكتب أسماء.",
             "where_when": "الخميس 19:00", "confidentiality": "لا نكتب شيئًا.",
             "contact": "أسئلة: +49 30 1234567"}
FIELDS_TI = {"title": "ምሸት ሓበሬታ", "what": "ብዛዕባ [[consent]] ንዛረብ።",
             "where_when": "ሓሙስ 19:00", "confidentiality": "ዝኾነ ነገር ኣይንጽሕፍን።",
             "contact": "ሕቶታት: +49 30 1234567"}


@pytest.fixture
def team(make_person):
    return {"anna": make_person("anna", "facilitator"),
            "samir": make_person("samir", "mediator", "ar"),
            "yonas": make_person("yonas", "mediator", "ti"),
            "oskar": make_person("oskar", "outreach")}


def agree_all(db, team):
    for agreement in db.exec(select(Agreement).where(Agreement.state != "agreed")).all():
        mediator = team["samir"] if agreement.target_language == "ar" else team["yonas"]
        for person, role in ((team["anna"], "facilitator"), (mediator, "mediator")):
            signoff.sign(db, agreement=agreement, person=person, role=role,
                         seen_fingerprint=signoff.current_fingerprint(db, agreement),
                         today=TODAY, validity_months=24)


@pytest.fixture
def evening(db, team, make_concept):
    make_concept("consent (sexual)", key="consent", ar="الموافقة", ti="ፍቓድ")
    agree_all(db, team)
    template = flyer_templates.get_template("info-evening")
    fields = {s.key: s.default for s in template.fields}
    fields["what"] = "We talk about [[consent]]. Nobody writes down names."
    flyer = flyers.create_flyer(db, name="Evening", template_key="info-evening", layout="a4",
                                fields=fields, person=team["oskar"], working="en")
    for tag, text, who in (("ar", FIELDS_AR, "samir"), ("ti", FIELDS_TI, "yonas")):
        flyers.save_translation(db, flyer=flyer, language=tag, fields=text, seen_version=None,
                                person=team[who], working="en")
    return flyer


def sign_off(db, flyer, tag, team, mediator):
    translation = flyers.get_translation(db, flyer, tag)
    for person, role in ((team["anna"], "facilitator"), (team[mediator], "mediator")):
        flyers.sign_translation(
            db, translation=translation, person=person, role=role,
            seen_fingerprint=flyers.translation_wording(db, translation).fingerprint,
            today=TODAY, validity_months=24,
            blocking=problem_messages(flyers.check_translation(db, translation)))
    return translation


def docx_body(data: bytes):
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        header = b"".join(archive.read(n) for n in archive.namelist() if "header" in n)
        footer = b"".join(archive.read(n) for n in archive.namelist() if "footer" in n)
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
    return body, header.decode(), footer.decode(), media


def test_signed_arabic_flyer_docx_is_right_to_left_with_isolated_phone(app, db, team,
                                                                        evening):
    sign_off(db, evening, "ar", team, "samir")
    buffer = io.BytesIO()
    with app.test_request_context():
        text = write_flyer(db, flyer=evening, language="ar", fmt="docx", draft=False,
                           target=buffer)
    body, header, footer, media = docx_body(buffer.getvalue())
    paragraphs = body.findall(f".//{W}p")
    title = paragraphs[0]
    ppr = [c.tag.replace(W, "") for c in title.find(f"{W}pPr")]
    assert "bidi" in ppr and ppr.index("bidi") < ppr.index("spacing")
    runs = title.findall(f".//{W}r")
    assert all(r.find(f"{W}rPr/{W}rtl") is not None for r in runs)
    texts = ["".join(t.text for t in p.iter(f"{W}t")) for p in paragraphs]
    assert "نتحدث عن الموافقة. لا نكتب أسماء." in texts
    phone = [r for p in paragraphs for r in p.findall(f"{W}r")
             if "1234567" in "".join(t.text or "" for t in r.iter(f"{W}t"))]
    assert phone and phone[0].find(f"{W}rPr/{W}rtl") is None
    phone_text = "".join(t.text for t in phone[0].iter(f"{W}t")).replace("\xa0", " ")
    assert phone_text == "\u200e+49 30 1234567\u200e"
    assert media, "the contact QR code is embedded"
    assert "DRAFT" not in header and text.fingerprint[-16:] in footer


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t")).replace("\u200e", "")


def _half_points(paragraph) -> set[str]:
    return {sz.get(f"{W}val") for sz in paragraph.iter(f"{W}sz")}


@pytest.mark.parametrize("tag,mediator,rtl", [("ar", "samir", True), ("ti", "yonas", False)])
def test_flyer_docx_has_the_pdf_layout(app, db, team, evening, tag, mediator, rtl):
    """Title 28 pt, fields 14 pt, the confidentiality statement framed in amber on a light
    background at 15 pt, where/when with a blue bar on the side lines start from, the
    contact beside its QR code (columns from the right for Arabic), footer with the
    fingerprint."""
    sign_off(db, evening, tag, team, mediator)
    fields = FIELDS_AR if rtl else FIELDS_TI
    buffer = io.BytesIO()
    with app.test_request_context():
        text = write_flyer(db, flyer=evening, language=tag, fmt="docx", draft=False,
                           target=buffer)
    body, _header, footer, _media = docx_body(buffer.getvalue())
    top = list(body.find(f"{W}body"))
    paragraphs = {_text(p): p for p in top if p.tag == f"{W}p"}
    assert _half_points(paragraphs[fields["title"]]) == {"56"}
    where = paragraphs[fields["where_when"]]
    bar = where.find(f"{W}pPr/{W}pBdr/{W}{'right' if rtl else 'left'}")
    assert bar is not None and bar.get(f"{W}color") == "0B5CAD"
    assert where.find(f"{W}pPr/{W}pBdr/{W}{'left' if rtl else 'right'}") is None
    assert _half_points(where) == {"28"}
    tables = [t for t in top if t.tag == f"{W}tbl"]
    box = next(t for t in tables if fields["confidentiality"] in _text(t))
    cell = box.find(f".//{W}tc/{W}tcPr")
    assert cell.find(f"{W}shd").get(f"{W}fill") == "FFF4D6"
    assert {b.get(f"{W}color") for b in cell.find(f"{W}tcBorders")} == {"8A5A00"}
    assert _half_points(box) == {"30"}
    contact = next(t for t in tables if "1234567" in _text(t))
    text_cell, qr_cell = contact.findall(f"{W}tr/{W}tc")
    assert "1234567" in _text(text_cell) and not _text(qr_cell)
    assert qr_cell.find(f".//{W}drawing") is not None
    assert (contact.find(f"{W}tblPr/{W}bidiVisual") is not None) is rtl
    assert text.fingerprint[-16:] in footer and 'w:top w:val="single"' in footer


def test_unsigned_flyer_is_refused_without_draft_and_marked_with_it(app, db, team, evening):
    with app.test_request_context(), pytest.raises(flyers.Refused, match="not signed off"):
        write_flyer(db, flyer=evening, language="ar", fmt="pdf", draft=False,
                    target=io.BytesIO())
    buffer = io.BytesIO()
    with app.test_request_context():
        write_flyer(db, flyer=evening, language="ar", fmt="docx", draft=True, target=buffer)
    _body, header, footer, _media = docx_body(buffer.getvalue())
    assert "DRAFT" in header and "DRAFT" in footer
    pdf = io.BytesIO()
    with app.test_request_context():
        write_flyer(db, flyer=evening, language="ar", fmt="pdf", draft=True, target=pdf)
    reader = PdfReader(io.BytesIO(pdf.getvalue()))
    assert all("DRAFT" in page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("tag,mediator,font", [("ar", "samir", "Naskh"),
                                                ("ti", "yonas", "Ethiopic")])
def test_pdf_embeds_the_script_font(app, db, team, evening, tag, mediator, font):
    sign_off(db, evening, tag, team, mediator)
    pdf = io.BytesIO()
    with app.test_request_context():
        write_flyer(db, flyer=evening, language=tag, fmt="pdf", draft=False, target=pdf)
    reader = PdfReader(io.BytesIO(pdf.getvalue()))
    fonts = set()
    for page in reader.pages:
        for resource in page["/Resources"]["/Font"].values():
            fonts.add(str(resource.get_object()["/BaseFont"]))
    assert any(font in name for name in fonts), fonts
    assert len(reader.pages) == 1


def test_text_for_messaging_keeps_numbers_in_order(app, db, team, evening):
    sign_off(db, evening, "ar", team, "samir")
    with app.test_request_context():
        text = flyer_txt(flyers_text(db, evening, "ar"))
    lines = [line for line in text.split("\n") if line]
    assert all(line.startswith("\u200f") for line in lines)
    assert "\u200e+49 30 1234567\u200e" in text.replace("\xa0", " ") and "DRAFT" not in text


def flyers_text(db, flyer, tag):
    from glossary.exports.flyers import flyer_text

    return flyer_text(db, flyer=flyer, language=tag, draft=False)


def test_check_flags_a_planted_avoid_term_and_a_missing_rendering(db, team, make_concept,
                                                                  evening):
    shame = make_concept("shame", key="shame", ar="الخجل")
    from glossary.concepts import parse_term, propose_term

    propose_term(db, concept=shame, language="ar", person=None, working="en",
                 data=parse_term({"text": "العار", "status": "deprecated"}))
    agree_all(db, team)
    translation = flyers.get_translation(db, evening, "ar")
    fields = dict(translation.fields, confidentiality="لا يوجد العار هنا.")
    flyers.update_flyer(db, flyer=evening, fields=evening.fields | {
        "confidentiality": "There is no shame here. We ask for consent."},
        layout="a4", seen_version=evening.version, person=team["oskar"])
    flyers.save_translation(db, flyer=evening, language="ar", fields=fields,
                            seen_version=translation.version, person=team["samir"],
                            working="en")
    problems = problem_messages(flyers.check_translation(db, translation))
    assert any("shame" in p and "avoid" in p and "العار" in p for p in problems)
    assert any("consent" in p and "missing" in p for p in problems)
    with pytest.raises(flyers.Refused, match="terminology check"):
        sign_off(db, evening, "ar", team, "samir")
    # The corrected translation passes.
    flyers.save_translation(db, flyer=evening, language="ar", fields=dict(
        fields, confidentiality="لا مكان للخجل هنا. نطلب [[consent]]."),
        seen_version=translation.version, person=team["samir"], working="en")
    assert problem_messages(flyers.check_translation(db, translation)) == []
    assert sign_off(db, evening, "ar", team, "samir").state == "agreed"


def test_outreach_creates_mediator_translates_both_sign_in_the_browser_flow(
        client, auth, db, team, make_concept):
    make_concept("consent (sexual)", key="consent", ar="الموافقة")
    agree_all(db, team)
    auth.login("oskar@example.org")
    form = {"template": "info-evening", "name": "Open evening", "layout": "a5-bilingual"}
    form |= {s.key: s.default for s in flyer_templates.get_template("info-evening").fields}
    response = client.post("/flyers/new", data=form)
    assert response.status_code == 302
    flyer_url = response.location.split("#")[0]  # the page opens at its next steps
    auth.login("samir@example.org")
    response = client.post(f"{flyer_url}/translations/ar", data=FIELDS_AR)
    assert response.status_code == 302
    page = client.get(f"{flyer_url}/translations/ar").get_data(as_text=True)
    assert "Every glossary concept in the text uses its agreed rendering." in page
    assert 'lang="ar" dir="rtl"' in page
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page).group(1)
    assert client.post(f"{flyer_url}/translations/ar/sign",
                       data={"role": "mediator", "fingerprint": fingerprint}).status_code == 302
    refused = client.get(f"{flyer_url}/translations/ar/flyer.pdf")
    assert refused.status_code == 403
    auth.login("anna@example.org")
    client.post(f"{flyer_url}/translations/ar/sign",
                data={"role": "facilitator", "fingerprint": fingerprint})
    response = client.get(f"{flyer_url}/translations/ar/flyer.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = client.get(f"{flyer_url}/translations/ar/flyer.txt").get_data(as_text=True)
    assert "الموافقة" in text and "DRAFT" not in text


def test_cli_export_refuses_unsigned_and_writes_draft(app, db, team, evening, tmp_path,
                                                      monkeypatch, database_url):
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", database_url)
    monkeypatch.setenv("GLOSSARY_EXPORTS_DIR", str(tmp_path))
    monkeypatch.setattr("glossary.config.Config.DATABASE_URL", database_url)
    runner = CliRunner()
    out = tmp_path / "ar.pdf"
    result = runner.invoke(main, ["export", "flyer", "--flyer", "Evening", "--language", "ar",
                                  "--format", "pdf", "-o", str(out)])
    assert result.exit_code != 0 and "not signed off" in result.output and not out.exists()
    result = runner.invoke(main, ["export", "flyer", "--flyer", str(evening.id), "--language",
                                  "ar", "--format", "txt", "--draft", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("DRAFT")
    assert date.today()  # the CLI ran against the same database as the fixtures
