"""Gap exports: CSV and XLSX reopened and read cell by cell (formula injection
neutralised, header frozen, state colours), the downloads and the command line."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from conftest import TODAY
from openpyxl import load_workbook

from glossary.cli import main
from glossary.concepts import custom_languages
from glossary.exports import gap_report_files, gap_reports
from glossary.languages import describe
from glossary.models import Language
from glossary.people import create_person
from glossary.signoff import current_fingerprint, get_or_create_agreement, raise_dispute, sign

FORMULA = '=HYPERLINK("http://x.example","click")'


@pytest.fixture
def hostile(db, make_person, make_concept):
    """Text that spreadsheet programs would run as formulas, in every kind of cell: a
    concept's wording, a language's name, a person's name and a dispute comment."""
    anna = make_person("anna", "facilitator")
    make_person("tamar", "trainer")
    mediator = create_person(db, fields={"name": "@Mediator", "email": "m@example.org",
                                         "roles": "mediator", "languages": "ar,tlh",
                                         "qualified": True, "training_date": date(2026, 1, 5)},
                             password="correct horse", by=None)
    db.add(Language(tag="tlh", name="=Klingon", direction="ltr"))
    db.commit()
    agreed = make_concept(FORMULA, key="formula", ar="الموافقة", tlh="-1+2")
    make_concept("consent", ar="+رضا")
    agreement = get_or_create_agreement(db, concept_id=agreed.id, source="en", target="ar")
    for person, role in ((anna, "facilitator"), (mediator, "mediator")):
        sign(db, agreement=agreement, person=person, role=role,
             seen_fingerprint=current_fingerprint(db, agreement), today=TODAY,
             validity_months=24)
    disputed = get_or_create_agreement(db, concept_id=agreed.id, source="en", target="tlh")
    dispute = raise_dispute(db, agreement=disputed, person=anna, comment="@SUM(1+1)*cmd")
    dispute.created_at = datetime(2026, 5, 22, 9, tzinfo=UTC)
    db.add(dispute)
    db.commit()
    return agreed


def tables(db, **options):
    custom = custom_languages(db)
    return gap_reports.build_tables(db, working="en", today=TODAY, validity_months=24,
                                    name_of=lambda tag: describe(tag, "en", custom).name,
                                    sort_key=lambda tag: describe(tag, "en", custom).name,
                                    **options)


def test_csv_neutralises_formulas_and_our_reader_restores_them(db, hostile):
    matrix = tables(db, sheet="matrix")[0]
    raw = gap_report_files.csv_bytes(matrix)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Domain", "Key", "Concept (English)", "'=Klingon (tlh)",
                           "Arabic (ar)"]
    formula_row = next(r for r in rows if r[1] == "formula")
    assert formula_row[2] == "'" + FORMULA
    assert formula_row[3:5] == ["Disputed", "Agreed"]
    assert formula_row[5:] == ["1", "0", "0", "0", "1", "0"]
    assert rows[-1][:5] == ["Total", "", "No agreement", "1", "0"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    restored = gap_report_files.read_csv(io.StringIO(raw.decode("utf-8")))
    assert restored[0][3] == "=Klingon (tlh)"
    assert next(r for r in restored if r[1] == "formula")[2] == FORMULA

    disputes = next(t for t in tables(db) if t.name == "disputes")
    text = gap_report_files.csv_bytes(disputes).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[2] == "'" + FORMULA and row[3] == "'=Klingon"
    assert row[4] == "Anna" and row[5] == "'@SUM(1+1)*cmd"
    assert row[6:] == ["2026-05-22", "10"]
    training = next(t for t in tables(db) if t.name == "training")
    row = list(csv.reader(io.StringIO(gap_report_files.csv_bytes(training).decode("utf-8-sig"))))[1]
    # "=Klingon" inside the cell is no formula: left as it is.
    assert row[:5] == ["'@Mediator", "Arabic, =Klingon", "2026-01-05", "2028-01-05", "Current"]


def test_xlsx_cells_stay_text_with_frozen_header_widths_and_colours(db, hostile, tmp_path):
    path = tmp_path / "gaps.xlsx"
    gap_report_files.write_xlsx(tables(db), path)
    book = load_workbook(path)
    assert book.sheetnames == ["Gap matrix", "Stale agreements", "Signed, training lapsed",
                               "Needs review", "Open disputes", "Training"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes in ("A2", "D2")
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    matrix = book["Gap matrix"]
    assert matrix.freeze_panes == "D2"
    assert [c.value for c in matrix[1]][:5] == ["Domain", "Key", "Concept (English)",
                                               "'=Klingon (tlh)", "Arabic (ar)"]
    assert matrix[1][0].font.bold
    formula_row = next(r for r in matrix.iter_rows(min_row=2) if r[1].value == "formula")
    assert formula_row[2].value == "'" + FORMULA and formula_row[2].data_type == "s"
    assert [c.value for c in formula_row[3:5]] == ["Disputed", "Agreed"]
    assert formula_row[3].fill.fgColor.rgb.endswith(gap_report_files.STATE_FILLS["disputed"])
    assert formula_row[4].fill.fgColor.rgb.endswith(gap_report_files.STATE_FILLS["agreed"])
    assert formula_row[5].value == 1 and formula_row[5].data_type == "n"
    assert matrix.column_dimensions["C"].width >= len(FORMULA)
    assert matrix.column_dimensions["A"].width >= len("Sexual violence")

    disputes = book["Open disputes"]
    values = [c.value for c in disputes[2]]
    assert values[2] == "'" + FORMULA and values[3] == "'=Klingon"
    assert values[5] == "'@SUM(1+1)*cmd"
    assert values[6] == datetime(2026, 5, 22) and values[7] == 10
    assert disputes["G2"].number_format == "yyyy-mm-dd"
    training = book["Training"]
    assert training["A2"].value == "'@Mediator"
    assert training["D2"].value == datetime(2028, 1, 5)


def test_downloads_for_trainers(client, auth, db, hostile):
    auth.login("tamar@example.org")
    response = client.get("/trainers/export/matrix.csv?language=ar")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="gaps-matrix-{TODAY.isoformat()}.csv"')
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:4] == ["Domain", "Key", "Concept (English)", "Arabic (ar)"]
    assert len(rows[0]) == 4 + 6
    assert client.get("/trainers/export/nothing.csv").status_code == 404
    response = client.get("/trainers/export/gaps.xlsx")
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book["Gap matrix"]["C1"].value == "Concept (English)"
    assert len(book.sheetnames) == 6


@pytest.fixture
def runner(app):
    """The command line bound to the test app (schema made by the fixtures)."""
    return app.test_cli_runner()  # commands run against this app


def test_gaps_command_prints_a_table_and_json(runner, hostile):
    result = runner.invoke(main, ["gaps"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["concept", "tlh", "ar", "agreed", "none"]
    assert next(line for line in lines if line.startswith("formula")).split() == [
        "formula", "D", "A", "1", "0"]
    assert "tlh = =Klingon" in result.output

    result = runner.invoke(main, ["gaps", "--language", "ar", "--domain", "sexual-violence",
                                  "--json"])
    data = json.loads(result.output)
    assert [lang["tag"] for lang in data["languages"]] == ["ar"]
    cells = {c["key"]: c["cells"]["ar"] for c in data["concepts"]}
    assert cells == {"consent": "proposed", "formula": "agreed"}
    assert data["totals"]["ar"]["agreed"] == 1

    result = runner.invoke(main, ["gaps", "--domain", "nope"])
    assert result.exit_code != 0 and "Unknown domain" in result.output


def test_export_gaps_command_writes_csv_and_xlsx(runner, hostile, tmp_path):
    result = runner.invoke(main, ["export", "gaps", "--format", "csv", "-o",
                                  str(tmp_path / "m.csv")])
    assert result.exit_code == 0, result.output
    rows = gap_report_files.read_csv(io.StringIO((tmp_path / "m.csv").read_text("utf-8")))
    assert next(r for r in rows if r[1] == "formula")[2] == FORMULA
    result = runner.invoke(main, ["export", "gaps", "--format", "csv", "--sheet", "training",
                                  "-o", str(tmp_path / "t.csv")])
    assert "training" in result.output
    assert (tmp_path / "t.csv").read_text("utf-8-sig").startswith("Mediator,")
    result = runner.invoke(main, ["export", "gaps", "--format", "xlsx", "-o",
                                  str(tmp_path / "g.xlsx")])
    assert result.exit_code == 0, result.output
    assert len(load_workbook(tmp_path / "g.xlsx").sheetnames) == 6
    result = runner.invoke(main, ["export", "gaps", "--format", "pdf", "-o", "x"])
    assert result.exit_code != 0
