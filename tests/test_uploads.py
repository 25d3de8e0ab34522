"""Uploads: DOCX and XLSX packages are checked before anything parses them (unpacked
size, parts, compression ratio, part names, DTDs), broken XML inside them is a clear 400,
a CSV over the row limit is refused while it streams, and pending imports live in the
database with a per-person quota and an expiry, so that any app server can confirm them."""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from datetime import timedelta

import pytest
from docx import Document
from openpyxl import Workbook
from sqlmodel import Session, select

from glossary import create_app
from glossary.errors import InputError
from glossary.importers.plan import Source, build_plan
from glossary.importers.table import read_csv
from glossary.models import Term, utcnow
from glossary.models.uploads import PendingUpload
from glossary.qa import read_text_file
from glossary.uploads import UploadLimits, prune_uploads

DOCUMENT = "word/document.xml"
SHEET = "xl/worksheets/sheet1.xml"
BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        b'<x xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&b;</x>')


def docx_bytes(text: str = "Consent is free.") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows=(("key", "term", "term:ar"), ("anger", "anger", "الغضب"))) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, *, replace: dict | None = None, add: dict | None = None) -> bytes:
    """The package ``data`` with some parts replaced and others added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename,
                                                       source.read(info.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def claim_size(data: bytes, name: str, size: int) -> bytes:
    """``data`` with the central directory claiming that part ``name`` unpacks to
    ``size`` bytes (what a bomb's header says; nothing that large is in the file)."""
    encoded = name.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack("<H", data[at + 28: at + 30])[0]
        if data[at + 46: at + 46 + length] == encoded:
            return data[:at + 24] + struct.pack("<I", size) + data[at + 28:]
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in the package")


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if a DOCX or XLSX parser is reached."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the package was parsed")

    monkeypatch.setattr("docx.Document", refuse)
    monkeypatch.setattr("openpyxl.load_workbook", refuse)


# -- packages, before parsing ---------------------------------------------------------

def hostile_packages(make) -> dict[str, tuple[bytes, str]]:
    """Each kind of refused package, built from a real one, with the message's words."""
    good = make()
    first = zipfile.ZipFile(io.BytesIO(good)).namelist()[0]
    return {
        "claims 3 GB": (claim_size(good, first, 3_000_000_000), "unpacks to more than 50 MB"),
        "zeros": (rezip(good, add={"extra/zeros.xml": b"\0" * (8 * 1024 * 1024)}),
                  "compressed more than 100 to 1"),
        "parts": (rezip(good, add={f"extra/part{n}.xml": b"<a/>" for n in range(1001)}),
                  "more than 1000 parts"),
        "traversal": (rezip(good, add={"../../etc/cron.d/x.xml": b"<a/>"}), "unsafe name"),
        "absolute": (rezip(good, add={"/tmp/x.xml": b"<a/>"}), "unsafe name"),
    }


@pytest.mark.parametrize("kind", ["claims 3 GB", "zeros", "parts", "traversal", "absolute"])
def test_a_hostile_docx_is_refused_before_parsing(kind, no_parsing):
    data, message = hostile_packages(docx_bytes)[kind]
    with pytest.raises(InputError, match=message):
        read_text_file("handout.docx", data)


@pytest.mark.parametrize("kind", ["claims 3 GB", "zeros", "parts", "traversal"])
def test_a_hostile_xlsx_is_refused_before_parsing(kind, tmp_path, db, no_parsing):
    data, message = hostile_packages(xlsx_bytes)[kind]
    path = tmp_path / "glossary.xlsx"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        build_plan(db, entries=Source(path, working="en"), source=path.name, working="en")


def test_the_limits_are_settings():
    limits = UploadLimits(unpacked_mb=1)
    noise = os.urandom(600_000).hex().encode()  # 1.2 MB that does not compress
    data = rezip(docx_bytes(), add={"extra/big.xml": b"<a>" + noise + b"</a>"})
    with pytest.raises(InputError, match="unpacks to more than 1 MB"):
        read_text_file("a.docx", data, limits=limits)
    assert read_text_file("a.docx", data).startswith("Consent")


@pytest.mark.parametrize("content, message", [
    (BOMB, "declares a DTD"),
    (b'<?xml version="1.0"?><!-- a comment first --><!DOCTYPE x SYSTEM '
     b'"http://example.org/x.dtd"><x/>', "declares a DTD"),
    (b"<w:document><unclosed>", "not a readable .docx"),
])
def test_dtds_and_broken_xml_in_a_docx_are_clear_errors(content, message):
    with pytest.raises(InputError, match=message):
        read_text_file("handout.docx", rezip(docx_bytes(), replace={DOCUMENT: content}))


@pytest.mark.parametrize("content, message", [
    (BOMB, "declares a DTD"),
    (b"<worksheet><sheetData><row><c>", "not an XLSX workbook"),
])
def test_dtds_and_broken_xml_in_an_xlsx_are_clear_errors(content, message, tmp_path, db):
    path = tmp_path / "glossary.xlsx"
    path.write_bytes(rezip(xlsx_bytes(), replace={SHEET: content}))
    with pytest.raises(InputError, match=message):
        build_plan(db, entries=Source(path, working="en"), source=path.name, working="en")


def test_the_check_page_answers_a_docx_bomb_with_a_translated_400(client, auth, db, make_person,
                                                                  make_concept):
    make_concept("consent", ar="الموافقة")
    anna = make_person("anna", "facilitator")
    anna.ui_locale = "de"
    db.add(anna)
    db.commit()
    auth.login("anna@example.org")
    bomb = claim_size(docx_bytes(), DOCUMENT, 3_000_000_000)
    pages = []
    for data in (bomb, rezip(docx_bytes(), replace={DOCUMENT: BOMB}),
                 rezip(docx_bytes(), replace={DOCUMENT: b"<w:document><x>"})):
        response = client.post("/check", data={
            "target_language": "ar", "source_text": "consent",
            "target_file": (io.BytesIO(data), "flyer.docx")}, content_type="multipart/form-data")
        assert response.status_code == 400
        pages.append(response.get_data(as_text=True))
    assert "50 MB" in pages[0] and "DTD" in pages[1]
    assert all("Die Datei" in page for page in pages)  # in the person's language


# -- CSV rows ---------------------------------------------------------------------------

def csv_bytes(rows: int) -> bytes:
    return b"key,term\n" + b"".join(b"k%d,term %d\n" % (n, n) for n in range(rows))


def test_a_csv_over_the_row_limit_is_refused_while_streaming():
    stream = io.BytesIO(csv_bytes(1000))
    entries = read_csv(stream, working="en", limits=UploadLimits(rows=100))
    with pytest.raises(InputError, match="more than 100 rows"):
        for _entry in entries:
            pass
    assert stream.tell() < len(csv_bytes(1000))  # it stopped reading at the limit
    assert len(list(read_csv(io.BytesIO(csv_bytes(100)), working="en",
                             limits=UploadLimits(rows=100)))) == 100


# -- pending uploads --------------------------------------------------------------------

def upload(client, name: str, data: bytes):
    return client.post("/imports", data={"file": (io.BytesIO(data), name), "format": ""},
                       content_type="multipart/form-data")


def pending(db) -> list[PendingUpload]:
    db.expire_all()
    return list(db.exec(select(PendingUpload).order_by(PendingUpload.id)))


@pytest.fixture
def anna(app, make_person, auth):
    person = make_person("anna", "facilitator")
    auth.login("anna@example.org")
    return person


def test_refused_uploads_store_nothing(app, client, db, anna, no_parsing):
    app.config["IMPORT_MAX_ROWS"] = 100
    response = upload(client, "big.csv", csv_bytes(101))
    assert response.status_code == 400
    assert "more than 100 rows" in response.get_data(as_text=True)
    response = upload(client, "bomb.xlsx", claim_size(xlsx_bytes(), SHEET, 3_000_000_000))
    assert response.status_code == 400
    assert "unpacks to more than 50 MB" in response.get_data(as_text=True)
    assert pending(db) == []


def test_a_preview_on_one_server_is_confirmed_on_another(app, client, db, anna, tmp_path):
    response = upload(client, "anger.xlsx", xlsx_bytes())
    assert response.status_code == 302
    [row] = pending(db)
    assert row.person_id == anna.id and row.name == "anger.xlsx" and row.size > 0
    # A second app server: its own instance folder, the same database.
    other = create_app({**app.config, "TESTING": True})
    other.instance_path = str(tmp_path / "other-instance")
    second = other.test_client()
    second.post("/login", data={"email": "anna@example.org", "password": "correct horse"})
    page = second.get(response.location).get_data(as_text=True)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    assert second.post(response.location + "/confirm", data={"digest": digest}).status_code == 302
    assert db.exec(select(Term).where(Term.language == "ar")).first().text == "الغضب"
    assert pending(db) == []
    other.extensions["glossary_engine"].dispose()


def test_another_person_cannot_see_or_cancel_an_upload(app, client, db, anna, make_person):
    location = upload(client, "anger.xlsx", xlsx_bytes()).location
    make_person("bruno", "facilitator")
    other = app.test_client()
    other.post("/login", data={"email": "bruno@example.org", "password": "correct horse"})
    assert other.get(location).status_code == 404
    assert other.post(location + "/cancel").status_code == 404
    assert len(pending(db)) == 1
    assert client.post(location + "/cancel").status_code == 302
    assert pending(db) == []


def test_the_quota_names_its_limit(app, client, db, anna):
    for n in range(3):
        assert upload(client, f"g{n}.csv", csv_bytes(5)).status_code == 302
    response = upload(client, "g3.csv", csv_bytes(5))
    assert response.status_code == 400
    assert "3 imports waiting" in response.get_data(as_text=True)
    assert len(pending(db)) == 3
    page = client.get("/imports").get_data(as_text=True)
    assert page.count("/cancel") >= 3  # the waiting imports are listed, to confirm or cancel
    for row in pending(db):
        assert client.post(f"/imports/{row.token}/cancel").status_code == 302
    app.config.update(PENDING_UPLOADS=10, PENDING_UPLOADS_MB=1)
    big = csv_bytes(22_000)  # 0.4 MB (small enough for the test client to keep in memory)
    assert upload(client, "a.csv", big).status_code == 302
    assert upload(client, "b.csv", big).status_code == 302
    response = upload(client, "c.csv", big)
    assert response.status_code == 400
    assert "more than 1 MB" in response.get_data(as_text=True)
    assert [r.name for r in pending(db)] == ["a.csv", "b.csv"]


def test_uploads_expire(app, client, db, anna, engine):
    upload(client, "old.csv", csv_bytes(5))
    with Session(engine) as session:
        assert prune_uploads(session, now=utcnow() + timedelta(hours=23)) == 0
        assert prune_uploads(session, now=utcnow() + timedelta(hours=25)) == 1
    assert pending(db) == []
    upload(client, "a.csv", csv_bytes(5))
    [row] = pending(db)
    row.created_at = utcnow() - timedelta(hours=25)
    db.add(row)
    db.commit()
    assert client.get(f"/imports/{row.token}").status_code == 404  # expired: gone
    assert row.token not in client.get("/imports").get_data(as_text=True)
    upload(client, "b.csv", csv_bytes(5))  # a new upload prunes the expired one
    assert [r.name for r in pending(db)] == ["b.csv"]
