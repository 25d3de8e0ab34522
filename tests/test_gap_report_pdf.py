"""The trainers' readiness report as a PDF: the printable page's content (summary, totals
per language, training, stale, lapsed, edited and disputed agreements), the bundled fonts
only, trainers and admins only, and a right-to-left page with its tables from the right
when the working language is right to left."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from conftest import TODAY
from pypdf import PdfReader
from test_gaps import every_state, people  # noqa: F401  (fixtures)

from glossary import gaps
from glossary.exports.gap_report_pdf import report_pdf
from glossary.languages import describe

SETTINGS = {"validity_months": 24, "stale_months": 18, "due_days": 60}


def text_of(pdf: bytes) -> str:
    """The text in the order it was laid out (cell by cell), spaces normalised."""
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()
    return " ".join(out.split())


def boxes(pdf: bytes) -> list[tuple[float, float, str]]:
    """(left, top, word) of every word on page one."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', html)
    return [(float(x), float(y), w) for x, y, w in found]


def test_report_pdf_has_what_the_printable_page_has(client, auth, db, every_state):  # noqa: F811
    auth.login("tamar@example.org")
    response = client.get("/trainers/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    pdf = response.get_data()
    text = text_of(pdf)
    for expected in ("Terminology readiness report", "Summary", "Totals per language",
                     "Mediators’ SGBV training", "Open disputes", "Too strong; means rage.",
                     "Edited since signing", "Wording edited since signing", "Leyla",
                     "7 active concepts"):
        assert expected in text, expected
    assert "العربية" in text or "العربية"[::-1] in text
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1]
             for page in PdfReader(io.BytesIO(pdf)).pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts and all(f.startswith("Noto") for f in fonts), fonts
    page = client.get("/trainers/report").get_data(as_text=True)
    assert 'href="/trainers/report.pdf"' in page


def test_report_pdf_is_for_trainers_and_admins(client, auth, people):  # noqa: F811
    auth.login("anna@example.org")
    assert client.get("/trainers/report.pdf").status_code == 403


@pytest.mark.parametrize("reader,rtl", [("en", False), ("de", False), ("ar", True)])
def test_report_reads_in_the_interface_language_tables_from_the_right_for_arabic(
        app, db, every_state, reader, rtl):  # noqa: F811
    matrix = gaps.matrix(db, working="en", page_size=None)
    lists = gaps.gap_lists(db, working="en", today=TODAY, **SETTINGS)
    with app.test_request_context(headers={"Accept-Language": reader}):
        pdf = report_pdf(matrix, lists, working="en", today=TODAY, settings=SETTINGS,
                         describe=lambda t: describe(t, reader))
    text = text_of(pdf)
    # The concept column keeps the working language (English) in every interface.
    assert "shame" in text
    if reader == "de":
        assert "Zusammenfassung" in text
    # The totals table: Dari's row (its endonym, in every interface), the language column
    # against the coverage column (the last, a percentage).
    words = boxes(pdf)
    dari_x, dari_y = next((x, y) for x, y, w in words if w in ("دری", "دری"[::-1]))
    # The percentage nearest in height (the name may wrap onto two lines).
    coverage_x = min(((abs(y - dari_y), x) for x, y, w in words if "%" in w))[1]
    assert (dari_x > coverage_x) is rtl
