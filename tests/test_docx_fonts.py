"""DOCX files carry their fonts: each bundled family a document uses is an obfuscated font
part (ECMA-376 Part 1, 17.8.1) that deobfuscates with its key to a font holding every
character the document prints in that family; LibreOffice, on a computer without the Noto
fonts, lays the document out with them."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from glossary.exports import document as engine
from glossary.exports import docx_fonts
from glossary.exports.content import TextLanguage, para
from glossary.exports.docx_fonts import font_data, font_key, obfuscate

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"

SAMPLES = {
    # A bullet and a slash, which Naskh has no glyphs for, go to the Latin font.
    "ar": (True, "• الموافقة / الرضا على الجلسة 12 في 18:30", "Noto Naskh Arabic"),
    "fa-AF": (True, "رضایت و خشونت خانگی", "Noto Naskh Arabic"),
    "ps": (True, "رضایت او کورنی تاوتریخوالی ږ ځ ښ", "Noto Naskh Arabic"),
    "ckb": (True, "ڕەزامەندی و توندوتیژی ێ ۆ", "Noto Naskh Arabic"),
    "ur": (True, "• رضامندی، تشدد اور غصہ ہے", "Noto Nastaliq Urdu"),
    "ti": (False, "ፍቓድ፣ ሕርቃን ትግርኛ", "Noto Sans Ethiopic"),
    "uk": (False, "Згода, гнів і ґанок", "Noto Sans"),
    "ru": (False, "Согласие и насилие: ёж", "Noto Sans"),
}


def sample_docx(tag: str) -> bytes:
    rtl, text, _family = SAMPLES[tag]
    lang = TextLanguage(tag, rtl)
    document = engine.new_docx(base=lang, rtl=rtl)
    engine.add_paragraph(document, para(text, lang, "heading1"))
    engine.add_paragraph(document, para(text, lang))
    engine.add_paragraph(document, para("Consent: agreement, 2026-06-01", TextLanguage("en")))
    out = io.BytesIO()
    engine.save_docx(document, out)
    return out.getvalue()


def embedded_fonts(data: bytes) -> dict[tuple[str, str], TTFont]:
    """(family, embedRegular|embedBold) -> the deobfuscated font, read as Word would:
    font table entry, its relationship, the part, the key."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    table = etree.fromstring(archive.read("word/fontTable.xml"))
    rels = etree.fromstring(archive.read("word/_rels/fontTable.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{PKG}Relationship")
               if r.get("Type").endswith("/relationships/font")}
    types = etree.fromstring(archive.read("[Content_Types].xml"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT}Override")}
    found = {}
    for entry in table.iter(f"{W}font"):
        for embed in entry:
            if not embed.tag.startswith(f"{W}embed"):
                continue
            target = "word/" + targets[embed.get(f"{R}id")]
            assert overrides["/" + target] == ("application/vnd.openxmlformats-officedocument"
                                               ".obfuscatedFont")
            assert target.endswith(".odttf")
            raw = archive.read(target)
            font = TTFont(io.BytesIO(obfuscate(raw, embed.get(f"{W}fontKey"))))
            found[(entry.get(f"{W}name"), embed.tag.replace(W, ""))] = font
    return found


def test_obfuscation_follows_the_spec_example_and_reverses_itself():
    # ECMA-376 Part 1, 17.8.1: key 001B70DC-AA60-4AD5-90EC-18A0948E1EAE, bytes reversed.
    key = "{001B70DC-AA60-4AD5-90EC-18A0948E1EAE}"
    mask = bytes.fromhex("AE1E8E94A018EC90D54A60AADC701B00")
    assert obfuscate(bytes(40), key) == mask + mask + bytes(8)
    font = (engine.FONT_DIR / "NotoSans-Regular.ttf").read_bytes()
    hidden = obfuscate(font, font_key(font))
    assert hidden[:32] != font[:32] and hidden[32:] == font[32:]
    assert obfuscate(hidden, font_key(font)) == font
    assert font_key(font).startswith("{") and len(font_key(font)) == 38


@pytest.mark.parametrize("tag", sorted(SAMPLES))
def test_docx_embeds_the_fonts_of_its_scripts_holding_every_character(tag):
    rtl, text, family = SAMPLES[tag]
    data = sample_docx(tag)
    fonts = embedded_fonts(data)
    assert (family, "embedRegular") in fonts and (family, "embedBold") in fonts
    assert ("Noto Sans", "embedRegular") in fonts  # the English paragraph
    for (name, _slot), font in fonts.items():
        assert font["name"].getDebugName(1) == name
    for face in ("embedRegular", "embedBold"):
        cmap = fonts[(family, face)].getBestCmap()
        missing = {c for c in text if not c.isspace() and not c.isdigit() and ord(c) not in cmap}
        # what the script's font lacks (a bullet, a slash in Naskh) is in the Latin font
        assert missing <= ({"•", "/"} if rtl else set()), (face, missing)
        if missing:
            latin_face = fonts[("Noto Sans", face)].getBestCmap()
            assert all(ord(c) in latin_face for c in missing), (face, missing)
    latin = fonts[("Noto Sans", "embedRegular")].getBestCmap()
    assert all(ord(c) in latin for c in "Consent: agreement, 2026-06-01")
    archive = zipfile.ZipFile(io.BytesIO(data))
    settings = etree.fromstring(archive.read("word/settings.xml"))
    names = [child.tag.replace(W, "") for child in settings]
    assert names.index("embedTrueTypeFonts") < names.index("defaultTabStop")
    # Only what the document uses: no Ethiopic in an Arabic file, nor Naskh in a
    # Tigrinya or Cyrillic one; Urdu text could fall into Naskh in left-to-right runs.
    families = {name for name, _slot in fonts}
    assert families == {family, "Noto Sans"} | ({"Noto Naskh Arabic"} if tag == "ur"
                                                else set())


def test_every_document_embeds_the_same_font_bytes():
    """LibreOffice keeps the first embedded font of a family for its whole session: the
    Noto Sans of an Arabic file must serve a Ukrainian one as well."""
    def parts(tag):
        archive = zipfile.ZipFile(io.BytesIO(sample_docx(tag)))
        return {archive.read(n) for n in archive.namelist() if n.endswith(".odttf")}

    assert parts("ar") & parts("uk") == parts("uk")  # Noto Sans regular and bold
    latin = TTFont(io.BytesIO(font_data("NotoSans-Regular.ttf"))).getBestCmap()
    assert all(ord(c) in latin for c in "Aé Đ ạ ğ ł Ωλ Жґё ß€–“”…")
    assert len(font_data("NotoSans-Regular.ttf")) < 0.7 * len(
        (engine.FONT_DIR / "NotoSans-Regular.ttf").read_bytes())
    assert font_data("NotoSansEthiopic-Bold.ttf") == (
        engine.FONT_DIR / "NotoSansEthiopic-Bold.ttf").read_bytes()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_lays_the_docx_out_with_the_embedded_fonts(tmp_path):
    """On a machine without Noto (as on the one this was written on; `fc-list | grep
    Noto` empty) the PDF LibreOffice makes can only use the embedded fonts: a missing
    glyph would come from a fallback font such as DejaVu."""
    # One LibreOffice session for all: it keeps the first embedded font of a family.
    tags = ("ti", "ckb", "ar", "uk", "ur")
    for tag in tags:
        (tmp_path / f"{tag}.docx").write_bytes(sample_docx(tag))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    *(str(tmp_path / f"{t}.docx") for t in tags)],
                   check=True, capture_output=True, timeout=240)
    for tag in tags:
        pdf = tmp_path / f"{tag}.pdf"
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]
        fonts = {line.split()[0].split("+")[-1] for line in listing}
        assert fonts and all(f.startswith("Noto") for f in fonts), fonts
        family = SAMPLES[tag][2].replace(" ", "")
        assert any(f.startswith(family) for f in fonts), fonts
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Consent: agreement" in text
        if tag in ("ti", "uk"):
            assert SAMPLES[tag][1].split()[0].rstrip(",፣") in text


def test_ethiopic_letters_in_text_of_another_language_get_the_ethiopic_font():
    """A Tigrinya usage note on an English sheet: Word reads the hAnsi slot for those
    letters, LibreOffice the complex-script slot; both must name the Ethiopic font."""
    english = TextLanguage("en")
    document = engine.new_docx(base=english)
    engine.add_paragraph(document, para("ብህድኣት ተዛረብ: +49 30 1234567", english))
    engine.add_paragraph(document, para("Plain English", english))
    runs = document.element.body.iter(f"{W}r")
    fonts = [r.find(f"{W}rPr/{W}rFonts") for r in runs]
    assert (fonts[0].get(f"{W}hAnsi"), fonts[0].get(f"{W}cs")) == ("Noto Sans Ethiopic",) * 2
    assert fonts[1].get(f"{W}hAnsi") == "Noto Sans"


def test_noto_sans_is_cut_once_and_read_from_the_cache_after(tmp_path, monkeypatch):
    """Cutting Noto Sans takes seconds: the cut is kept in the instance folder, and a
    later process reads it instead of cutting again; an unwritable cache is no error."""
    monkeypatch.setattr(docx_fonts, "INSTANCE", tmp_path)
    docx_fonts.font_data.cache_clear()
    cut = docx_fonts.font_data("NotoSans-Regular.ttf")
    [kept] = (tmp_path / "font-cache").glob("NotoSans-Regular-*.ttf")
    assert kept.read_bytes() == cut
    assert len(cut) < len((docx_fonts.FONT_DIR / "NotoSans-Regular.ttf").read_bytes())

    def no_cutting(*_args):
        raise AssertionError("cut again although the cache holds it")

    monkeypatch.setattr(docx_fonts, "_cut", no_cutting)
    docx_fonts.font_data.cache_clear()
    assert docx_fonts.font_data("NotoSans-Regular.ttf") == cut  # a new process, as it were

    monkeypatch.undo()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(docx_fonts, "INSTANCE", blocked)
    docx_fonts.font_data.cache_clear()
    assert docx_fonts.font_data("NotoSans-Bold.ttf")  # cut, not kept, no error
    docx_fonts.font_data.cache_clear()


def test_signs_the_right_to_left_font_lacks_are_set_in_the_latin_font():
    arabic = TextLanguage("ar", True)
    document = engine.new_docx(base=arabic, rtl=True)
    engine.add_paragraph(document, para("• الموافقة / الرضا", arabic, "heading1"))
    runs = [(r.findtext(f"{W}t"), r.find(f"{W}rPr/{W}rFonts").get(f"{W}cs"))
            for r in document.element.body.iter(f"{W}r")]
    assert runs == [("•", "Noto Sans"), (" الموافقة ", "Noto Naskh Arabic"), ("/", "Noto Sans"),
                    (" الرضا", "Noto Naskh Arabic")]
