"""Documents through Typst: user text prints as the characters it is (never as Typst
code), only bundled fonts, Nastaliq for all Urdu text, flyer images for social media
from the page and the command line, with alt text in the flyer's language."""

from __future__ import annotations

import io
import re
import struct
import subprocess

import document_pages as pages
import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from glossary import flyer_templates, flyers
from glossary.cli import main
from glossary.exports import handouts
from glossary.exports import typst_builders as typst
from glossary.exports.content import Para, Span, TextLanguage
from glossary.exports.flyers import alt_text, flyer_pdf, flyer_png
from glossary.exports.handout_glossary import glossary_pdf

TYPST_LOOKING = ['#sys.exit()', '*bold* $x$ #image("/etc/passwd")',
                 '#read("/etc/hostname")', '] #let x = 1 [', '\\u{41} // not a comment']


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def test_typst_looking_text_prints_literally_in_flyers_and_handouts(request_context):
    text = pages.flyer_text("uk")
    text.target_fields = {key: f"{value} {TYPST_LOOKING[n % len(TYPST_LOOKING)]}"
                          for n, (key, value) in enumerate(text.target_fields.items())}
    printed = pdf_text(flyer_pdf(text)).replace("\n", " ")
    for payload in TYPST_LOOKING:
        assert payload in printed, payload
    h = pages.handout("de")
    concept = h.pack.content["concepts"][0]
    rendering = concept["renderings"][0]
    (concept["source"][0], concept["definition"], rendering["text"],
     rendering["back_translation"], rendering["usage_note"]) = TYPST_LOOKING
    printed = pdf_text(glossary_pdf(h))
    for payload in TYPST_LOOKING:
        assert payload in printed, payload


def test_urdu_notes_names_and_headers_are_set_in_nastaliq(request_context):
    h = pages.handout("ur", draft=True)
    h.group_name = "منگل کا گروپ"
    fonts = set()
    for page in PdfReader(io.BytesIO(glossary_pdf(h))).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert "NotoNastaliqUrdu-Regular" in fonts and "NotoNastaliqUrdu-Bold" in fonts
    assert not any(name.startswith("NotoNaskh") for name in fonts), fonts
    # An Arabic pack's right-to-left note stays in Naskh.
    assert h.free_language("نص").tag == "ur"
    assert pages.handout("ar").free_language("نص").tag == "ar"


def test_runs_leave_out_what_they_share_with_their_paragraph():
    english, arabic = TextLanguage("en"), TextLanguage("ar", True)
    data = typst.paragraph(Para((Span("plain "), Span("bold", bold=True),
                                 Span(" عربي", lang=arabic)), english, "body"))
    assert (data["f"], data["l"]) == ("latin", "en")
    assert data["runs"][:2] == [{"t": "plain "}, {"t": "bold", "b": True}]
    # A run in another language keeps its own font, language and scale, isolated.
    assert data["runs"][2] == {"t": "\u2067 عربي\u2069", "f": "arabic", "l": "ar", "z": 1.1}
    # In right-to-left text a number keeps the Latin font between its marks.
    runs = typst.paragraph(Para((Span("اتصل 030 1234"),), arabic, "body"))["runs"]
    assert runs[0] == {"t": "اتصل ", "z": 1.1}
    assert runs[1]["f"] == "latin" and "030" in runs[1]["t"] and "l" not in runs[1]
    assert "long" not in data


def test_a_long_note_in_a_table_breaks_across_pages_and_prints_whole(request_context):
    # Paragraphs in table cells are kept whole on a page unless they are long: a note of
    # 4000 characters, taller than a page in its column, must still flow onto the next.
    h = pages.handout("de")
    words = [f"w{n:03d}x" for n in range(560)]
    h.pack.content["concepts"][0]["renderings"][0]["usage_note"] = " ".join(words)
    pdf = glossary_pdf(h)
    assert typst.paragraph(Para((Span(" ".join(words)),), TextLanguage("de"), "small"))[
        "long"] is True
    placed = {}
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        height = float(page.mediabox.height)
        html = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number),
                               "-", "-"], input=pdf, capture_output=True, check=True).stdout
        for top, bottom, word in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">'
                                            r"(w\d{3}x)<", html.decode()):
            assert float(bottom) <= height and float(top) >= 0, (word, number)
            placed[word] = number
    assert sorted(placed) == words
    assert len(set(placed.values())) >= 2


@pytest.mark.parametrize("size,dimensions", [("post", (1080, 1080)), ("story", (1080, 1920))])
def test_flyer_images_have_the_social_media_sizes_and_drafts_are_marked(request_context, size,
                                                                        dimensions):
    signed = flyer_png(pages.flyer_text("ar"), size=size)
    draft = flyer_png(pages.flyer_text("ar", draft=True), size=size)
    assert png_size(signed) == png_size(draft) == dimensions
    # The draft's top band is the DRAFT red; the signed image starts with the blue title.
    top = Image.open(io.BytesIO(draft)).convert("RGB").getpixel((5, 5))
    assert top[0] > 150 and top[1] < 40 and top[2] < 60, top
    top = Image.open(io.BytesIO(signed)).convert("RGB").getpixel((5, 5))
    assert top[2] > 150 and top[0] < 40, top
    with pytest.raises(handouts.InputError):
        flyer_png(pages.flyer_text("ar"), size="banner")


def test_alt_text_is_the_title_and_call_to_action_in_the_flyer_language(request_context):
    text = pages.flyer_text("ti")
    assert alt_text(text) == "ጉጅለ ንሰብኡት. ደውሉልና። ለውጢ ይከኣል እዩ።"
    del text.target_fields["call_to_action"]
    assert alt_text(text) == "ጉጅለ ንሰብኡት. ሰሉስ 18:00-20:00፣ ቀንዲ ጎደና 12"


@pytest.fixture
def signed_flyer(db, make_person):
    from conftest import TODAY

    oskar = make_person("oskar", "outreach")
    anna = make_person("anna", "facilitator")
    samir = make_person("samir", "mediator", "ar")
    template = flyer_templates.get_template("info-evening")
    flyer = flyers.create_flyer(db, name="Evening", template_key="info-evening", layout="a4",
                                fields={s.key: s.default for s in template.fields},
                                person=oskar, working="en")
    fields = {"title": "أمسية إعلامية", "what": "نتحدث عن الموافقة.",
              "where_when": "الخميس 19:00", "confidentiality": "لا نكتب شيئًا.",
              "contact": "أسئلة: +49 30 1234567"}
    translation = flyers.save_translation(db, flyer=flyer, language="ar", fields=fields,
                                          seen_version=None, person=samir, working="en")
    for person, role in ((anna, "facilitator"), (samir, "mediator")):
        flyers.sign_translation(
            db, translation=translation, person=person, role=role,
            seen_fingerprint=flyers.translation_wording(db, translation).fingerprint,
            today=TODAY, validity_months=24)
    return flyer


def test_flyer_page_offers_images_with_alt_text(client, auth, signed_flyer):
    auth.login("oskar@example.org")
    base = f"/flyers/{signed_flyer.id}/translations/ar"
    page = client.get(base).get_data(as_text=True)
    assert "flyer.png?size=post" in page and "flyer.png?size=story" in page
    assert 'lang="ar" dir="auto">أمسية إعلامية. الخميس 19:00</textarea>' in page
    response = client.get(f"{base}/flyer.png?size=story")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert png_size(response.data) == (1080, 1920)
    assert "Evening-ar-story.png" in response.headers["Content-Disposition"]
    assert client.get(f"{base}/flyer.png?size=huge").status_code == 404


def test_cli_writes_a_story_image_and_prints_its_alt_text(app, signed_flyer, tmp_path,
                                                         monkeypatch, database_url):
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", database_url)
    monkeypatch.setenv("GLOSSARY_EXPORTS_DIR", str(tmp_path))
    monkeypatch.setattr("glossary.config.Config.DATABASE_URL", database_url)
    out = tmp_path / "story.png"
    result = CliRunner().invoke(main, ["export", "flyer", "--flyer", "Evening", "--language",
                                       "ar", "--format", "png", "--size", "story", "-o",
                                       str(out)])
    assert result.exit_code == 0, result.output
    assert png_size(out.read_bytes()) == (1080, 1920)
    assert "Alt text: أمسية إعلامية. الخميس 19:00" in result.output
