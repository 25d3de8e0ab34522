"""Rendered pages compared with reviewed reference images: every document kind (glossary
sheet, ground rules, A4 and A5 flyer, social-media post) in Latin, Cyrillic, Arabic,
Persian, Urdu (Nastaliq), Sorani and Tigrinya (tests/document_pages.py), page one at low
resolution against tests/data/reference/ with a tolerance; and the order of glyphs on
the page read from their positions (``pdftotext -bbox``), not from extracted text.

After an intended layout change: look at the new pages, then run
``tests/refresh_references.py`` and commit the images.
"""

from __future__ import annotations

import re
import subprocess

import document_pages as pages
import pytest
from PIL import Image, ImageChops

from glossary import create_app

# A pixel counts as changed when its grey level moved by more than this (anti-aliasing
# and poppler versions move edges by less); a page may have this share of them.
CHANGED_LEVEL = 64
CHANGED_SHARE = 0.004
INVISIBLE = re.compile("[\u200e\u200f\u2060\u2066-\u2069]")


@pytest.fixture(scope="module")
def request_context():
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    with app.test_request_context():
        yield


def changed_share(image: Image.Image, reference: Image.Image) -> float:
    """The share of pixels whose grey level differs by more than CHANGED_LEVEL."""
    if image.size != reference.size:
        return 1.0
    histogram = ImageChops.difference(image, reference).histogram()
    return sum(histogram[CHANGED_LEVEL + 1:]) / (image.width * image.height)


@pytest.mark.parametrize("tag", list(pages.CORPUS))
@pytest.mark.parametrize("kind", pages.KINDS)
def test_page_matches_its_reviewed_reference(request_context, kind, tag):
    image = pages.first_page(pages.document(kind, tag))
    reference = Image.open(pages.reference_path(kind, tag)).convert("L")
    share = changed_share(image, reference)
    assert share <= CHANGED_SHARE, (
        f"{kind} in {tag}: {share:.2%} of the page changed; if intended, look at the new "
        "pages and run tests/refresh_references.py")


def test_the_tolerance_tells_documents_apart(request_context):
    # The comparison can fail: another language's page, or the draft of the same flyer,
    # is far outside the tolerance.
    arabic = pages.first_page(pages.document("glossary", "ar"))
    persian = Image.open(pages.reference_path("glossary", "fa")).convert("L")
    assert changed_share(arabic, persian) > CHANGED_SHARE
    draft = pages.first_page(pages.flyer_pdf(pages.flyer_text("ti", draft=True)))
    signed = Image.open(pages.reference_path("flyer-a4", "ti")).convert("L")
    assert changed_share(draft, signed) > CHANGED_SHARE


def words_with_positions(pdf: bytes) -> list[tuple[str, float, float]]:
    """(word, left x, top y) of every word on page one, invisible marks removed."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"],
                          input=pdf, capture_output=True, check=True).stdout.decode()
    return [(INVISIBLE.sub("", word), float(x), float(y)) for x, y, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)]


@pytest.mark.parametrize("tag", ["ar", "fa", "ur", "ckb"])
@pytest.mark.parametrize("kind", ["flyer-a4", "rules"])
def test_phone_number_digits_stay_in_order_on_a_right_to_left_line(request_context, kind,
                                                                   tag):
    words = words_with_positions(pages.document(kind, tag))
    groups = [w for w in words if w[0].strip(".:،۔") in ("+49", "30", "1234567")]
    first = next(i for i, w in enumerate(groups) if w[0].startswith("+49"))
    phone = groups[first:first + 3]
    assert [w[0].strip(".:،۔") for w in phone] == ["+49", "30", "1234567"], words
    # Left to right on the page, on one line.
    assert phone[0][1] < phone[1][1] < phone[2][1]
    assert len({round(w[2]) for w in phone}) == 1


@pytest.mark.parametrize("tag", ["ar", "fa", "ur", "ckb"])
def test_times_and_dates_keep_a_plain_hyphen_in_right_to_left_text(request_context, tag):
    text = subprocess.run(["pdftotext", "-", "-"], input=pages.document("rules", tag),
                          capture_output=True, check=True).stdout.decode()
    assert "\u2011" not in text and "_" not in text
    assert "2026-06-01" in INVISIBLE.sub("", text)
    flyer = subprocess.run(["pdftotext", "-", "-"], input=pages.document("flyer-a4", tag),
                           capture_output=True, check=True).stdout.decode()
    assert "18:00-20:00" in INVISIBLE.sub("", flyer)
