"""The hostile payloads (tests/hostile.py) in every file the app writes: they travel as
the text they are, never as markup, in TBX, CSV, XLSX, DOCX, PDF and JSON."""

from __future__ import annotations

import io
import subprocess
import zipfile

import hostile
import pytest
from conftest import PASSWORD, TODAY
from docx import Document
from lxml import etree
from openpyxl import load_workbook
from sqlmodel import select

from glossary import groups
from glossary.demo import load_demo
from glossary.models import Group, Person

MARKUP = {"script", "img", "span", "a", "svg", "b", "i"}


@pytest.fixture
def seeded(app, db, client, tmp_path):
    load_demo(db, today=TODAY)
    seeded = hostile.seed(db, today=TODAY, tmp=tmp_path)
    people = {p.email: p for p in db.exec(select(Person))}
    group = db.get(Group, seeded["group_id"])
    groups.create_pack(db, group=group, language="ar", person=people["anna@example.org"],
                       draft=True)
    db.commit()
    client.post("/login", data={"email": "anna@example.org", "password": "demo-password"})
    assert client.get("/profile").status_code == 200, "signed in"
    return seeded


def test_tbx_carries_payloads_as_text(client, seeded):
    response = client.get("/imports/export?format=tbx")
    assert response.status_code == 200
    root = etree.fromstring(response.data)
    names = {etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str)}
    assert not names & MARKUP
    text = "".join(root.itertext())
    for label in ("definition", "back-translation", "explanation", "imported rendering"):
        assert f"{label} {hostile.FULL if label != 'imported rendering' else hostile.SHORT}" \
            in text


def test_spreadsheets_carry_payloads_as_text(client, seeded):
    csv_text = client.get("/imports/export?format=csv").data.decode("utf-8-sig")
    assert hostile.PAYLOADS[0] in csv_text and hostile.SHORT.replace('"', '""') in csv_text
    assert f"explanation {hostile.PAYLOADS[0]}" in csv_text
    book = load_workbook(io.BytesIO(client.get("/imports/export?format=xlsx").data))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value]
    assert any(c.startswith("definition <script>") for c in cells)
    assert any(c.startswith("explanation <script>") for c in cells)
    # Nothing became a formula or a link.
    assert not any(c.startswith("=") for c in cells)


def test_flyer_documents_print_payloads_as_text(client, seeded, tmp_path):
    base = f"/flyers/{seeded['flyer_id']}/translations/ar/flyer"
    pdf = client.get(f"{base}.pdf?draft=1")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    (tmp_path / "f.pdf").write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(tmp_path / "f.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "<script>pwned()</script>" in text.replace("\n", "")
    docx = Document(io.BytesIO(client.get(f"{base}.docx?draft=1").data))
    body = "\n".join(p.text for p in docx.paragraphs) + "".join(
        c.text for t in docx.tables for r in t.rows for c in r.cells)
    assert "<img src=x onerror=pwned() data-pwn>" in body
    txt = client.get(f"{base}.txt?draft=1").get_data(as_text=True)
    assert "<svg onload=pwned() data-pwn></svg>" in txt


def test_handouts_print_payloads_as_text(client, db, seeded, tmp_path):
    group = db.get(Group, seeded["group_id"])
    pack = groups.latest_pack(db, group, "ar")
    for fmt in ("pdf", "docx"):
        response = client.get(f"/groups/{group.id}/packs/{pack.id}/glossary.{fmt}")
        assert response.status_code == 200, fmt
        path = tmp_path / f"h.{fmt}"
        path.write_bytes(response.data)
        if fmt == "pdf":
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                  text=True, check=True).stdout.replace("\n", "")
        else:
            with zipfile.ZipFile(path) as archive:
                xml = archive.read("word/document.xml")
            text = "".join(etree.fromstring(xml).itertext())
        assert "data-pwn" in text and "<img src=x onerror=pwned() data-pwn>" in text, fmt


def test_the_api_returns_payloads_as_json_strings(client, db, seeded):
    from glossary.api_tokens import issue_token

    admin = db.exec(select(Person).where(Person.email == "admin@example.org")).one()
    _row, token = issue_token(db, person=admin, label="sweep", by=admin)
    db.commit()
    response = client.get("/api/v1/concepts/pwn-concept",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    data = response.get_json()
    assert data["definition"] == f"definition {hostile.FULL}"


def test_the_password_used_by_the_suite_is_still_accepted():
    """The suite's shared password must pass the password rules (it is 13 characters)."""
    assert len(PASSWORD) >= 12
