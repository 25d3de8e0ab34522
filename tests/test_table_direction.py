"""Tables in printed handouts run from the right exactly when the page reads right to
left, in the PDF and the DOCX alike: the glossary sheet when the working language is
right to left, the ground-rules handout when its own language is (the README says so)."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from document_pages import CORPUS, describe, pack_for, rules_template

from glossary import groups
from glossary.exports import handouts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ARABIC_SOURCE = {"consent": "الموافقة", "confidentiality": "السرية"}


def glossary_handout(source: str, target: str):
    """The glossary sheet of a pack from ``source`` (the working language) to
    ``target``."""
    pack = pack_for(target)
    if source == "ar":
        pack.source_language = pack.content["source_language"] = "ar"
        for concept in pack.content["concepts"]:
            concept["source"] = [ARABIC_SOURCE[concept["key"]]]
        pack.content_hash = groups.content_hash(pack.content)
    return handouts.handout_for(pack, group_name="Tuesday group",
                                start_date=date(2026, 6, 1), describe=describe)


def words(pdf: bytes) -> list[tuple[float, str]]:
    """(left edge, word) of every word on page one; right-to-left words as pdftotext
    gives them (in the order of their glyphs) and in reading order."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    found = re.findall(r'xMin="([\d.]+)"[^>]*>([^<]+)</word>', html)
    return [(float(x), w) for x, w in found] + [(float(x), w[::-1]) for x, w in found]


def left_of(pdf: bytes, word: str) -> float:
    """The left edge of ``word``'s first occurrence (in the table: see the callers)."""
    return min(x for x, w in words(pdf) if w == word)


def mirrored_docx(data: bytes) -> bool:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    return "<w:bidiVisual/>" in xml


def term(tag: str) -> str:
    """The first agreed word of the pack in ``tag`` (or the working language's term)."""
    return "consent" if tag == "en" else ARABIC_SOURCE["consent"] if tag == "ar-source" \
        else CORPUS[tag]["words"][0]


@pytest.mark.parametrize("source,target,mirrored", [("en", "ar", False), ("en", "ti", False),
                                                    ("ar", "uk", True), ("ar", "ti", True)])
def test_glossary_tables_run_from_the_right_when_the_working_language_does(source, target,
                                                                          mirrored):
    h = glossary_handout(source, target)
    docx = handouts.render_handout(h, kind="glossary", fmt="docx", describe=describe)
    pdf = handouts.render_handout(h, kind="glossary", fmt="pdf", describe=describe)
    assert mirrored_docx(docx) is mirrored
    section = ET.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    assert (section.find(f".//{W}sectPr/{W}bidi") is not None) is mirrored
    # The working-language term (first column) against its agreed rendering.
    working = term("en" if source == "en" else "ar-source")
    assert (left_of(pdf, working) > left_of(pdf, term(target))) is mirrored


@pytest.mark.parametrize("tag,mirrored", [("ar", True), ("ur", True), ("ti", False),
                                          ("uk", False)])
def test_rules_table_runs_from_the_right_in_a_right_to_left_handout(tag, mirrored):
    """The table of cited words (two equal columns) starts with the handout's own
    language: on the right in a right-to-left handout, so the working language's
    column is the left half of the A4 page (595 pt wide), and the right half otherwise.
    (Position of the English word: extracted Nastaliq words do not match reliably.)"""
    with tempfile.TemporaryDirectory() as folder:
        rules_template(tag, Path(folder))
        out = {fmt: handouts.render_handout(
            glossary_handout("en", tag), kind="rules", fmt=fmt, describe=describe,
            template_dir=Path(folder)) for fmt in ("docx", "pdf")}
    assert mirrored_docx(out["docx"]) is mirrored
    assert (left_of(out["pdf"], "consent") < 595 / 2) is mirrored
