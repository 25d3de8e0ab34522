"""CSV and XLSX glossaries: reading Excel's files, formula cells, round trips, the starter
lists, the command line and the import pages."""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select
from test_tbx import agree, counts, dump

from glossary import cli
from glossary.errors import InputError
from glossary.exports.glossary_table import write_csv, write_xlsx
from glossary.importers.plan import Source, apply_import, build_plan
from glossary.importers.table import read_csv
from glossary.models import Agreement, Concept, Domain, Term
from glossary.uploads import UploadLimits

DATA = Path(__file__).parent / "data"
STARTER = Path(__file__).resolve().parent.parent / "data" / "terms"


def import_file(db, path, **kwargs):
    source = Source(path, working="en", domain_keys=db.exec(select(Domain.key)).all())
    return apply_import(db, entries=source, source=Path(path).name, working="en",
                        domain_names=source.domain_names, **kwargs)


def test_excel_semicolon_csv_with_bom(app, db):
    with (DATA / "excel_semicolon_bom.csv").open("rb") as handle:
        consent, coercive, order = list(read_csv(handle, working="en"))
    assert consent.ref == "consent" and consent.domain == "sexual-violence"
    assert consent.definition == "A free, informed and revocable yes; never silence"
    ar = consent.terms[1]
    assert (ar.language, ar.text) == ("ar", "الموافقة")
    assert ar.fields == {"status": "preferred", "back_translation": "agreement; approval",
                         "usage_note": "Add 'free' when speaking of sex."}
    fa = coercive.terms[2]
    assert fa.language == "fa-AF" and fa.fields["no_equivalent"] is True
    assert order.terms[1].fields["status"] == "deprecated"  # "avoid"
    plan = import_file(db, DATA / "excel_semicolon_bom.csv")
    assert plan.counts["new_concept"] == 3 and plan.counts["skipped"] == 0
    fa_term = db.exec(select(Term).where(Term.language == "fa-AF")).one()
    assert fa_term.no_equivalent and fa_term.text == fa_term.paraphrase
    key = db.exec(select(Concept.key).where(Concept.key.like("restraining%"))).one()
    assert key == "restraining-order"  # no key given: made from the English wording
    coercive_row = db.exec(select(Concept).where(Concept.key == "coercive-control")).one()
    assert db.get(Domain, coercive_row.domain_id).key == "gender-relationships"  # by name


def test_formula_cells_are_text_on_import_and_neutralised_on_export(app, db, tmp_path):
    import_file(db, DATA / "formula_cells.csv")
    terms = {t.text: t for t in db.exec(select(Term))}
    assert terms["правила групи"].usage_note == '=HYPERLINK("http://attacker.invalid","click")'
    assert terms["правила групи"].back_translation == "@SUM(A1)"  # our apostrophe undone
    assert terms["відвідування"].back_translation == "-minus"
    concept = db.exec(select(Concept).where(Concept.key == "formula-test")).one()
    assert concept.definition == "=1+1 is how a formula starts"
    out = tmp_path / "out.csv"
    write_csv(db, out, working="en")
    raw = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in raw and "'=1+1 is how" in raw and "'@SUM(A1)" in raw
    assert "'+380" in raw and "'-2 stays text" in raw
    for row in csv.reader(io.StringIO(raw)):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    workbook = tmp_path / "out.xlsx"
    write_xlsx(db, workbook, working="en")
    sheet = load_workbook(workbook).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    # typed as text: no visible apostrophe, and no formula either
    hyperlink = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert hyperlink.value == '=HYPERLINK("http://attacker.invalid","click")'
    assert hyperlink.data_type == "s"
    assert not any(str(c.value).startswith("'") for c in cells)
    from zipfile import ZipFile

    with ZipFile(workbook) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_spreadsheet_round_trip_without_loss(app, db, engine, make_concept, make_person,
                                             tmp_path, kind):
    anna, samir = make_person("anna", "facilitator"), make_person("samir", "mediator", "ar")
    consent = make_concept("consent", key="consent", ar={"text": "الموافقة",
                                                         "usage_note": "line 1\nline 2"})
    make_concept("coercive control", key="coercive-control", domain="gender-relationships",
                 fa_AF={"no_equivalent": "on", "paraphrase": "کنترول همیشگی با ترس"},
                 ar={"text": "السيطرة القسرية", "register": "euphemism"},
                 ti={"text": "ሕርቃን", "status": "deprecated", "back_translation": "-anger"})
    second = db.exec(select(Concept).where(Concept.key == "coercive-control")).one()
    from glossary.concepts import parse_term, propose_term

    propose_term(db, concept=second, language="ar", data=parse_term(
        {"text": "التحكم القسري", "status": "admitted"}), person=None, working="en")
    agree(db, consent, "ar", anna, samir)
    path = tmp_path / f"out.{kind}"
    (write_csv if kind == "csv" else write_xlsx)(db, path, working="en")
    original = dump(db)
    if kind == "csv":
        header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert header[:7] == ["key", "domain", "definition", "sensitivity",
                              "facilitator_note", "concept_status", "term:en"]
        assert "term:ar:2" in header and "state:ar" in header
    from conftest import empty_database

    from glossary.importers.starter import load_domains

    db.rollback()  # release this session's locks before emptying (PostgreSQL)
    empty_database(engine)
    load_domains(db)
    plan = import_file(db, path)
    assert plan.counts["skipped"] == 0
    assert dump(db) == original
    assert "agreed" not in {a.state for a in db.exec(select(Agreement))}
    assert import_file(db, path).changes == 0


def test_empty_cells_never_clear_a_field(app, db, make_concept, tmp_path):
    make_concept("anger", key="anger", domain="emotions",
                 uk={"text": "гнів", "back_translation": "anger, wrath"})
    path = tmp_path / "sparse.csv"
    path.write_text("key,term:en,term:uk,back:uk,note:uk\nanger,anger,гнів,,\n",
                    encoding="utf-8")
    assert import_file(db, path).changes == 0
    assert db.exec(select(Term).where(Term.text == "гнів")).one().back_translation == \
        "anger, wrath"


def test_non_utf8_csv_is_refused_with_advice(app, db, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("key,term:en,term:de\nx,fear,Ängste\n".encode("latin-1"))
    with pytest.raises(InputError, match="CSV UTF-8"):
        build_plan(db, entries=Source(path, working="en"), source="latin1.csv", working="en")


def test_a_csv_without_term_column_is_refused(app, db, tmp_path):
    """Nothing in the header says which column is which: the person is asked for the
    columns' languages (the mapping step), nothing is guessed."""
    path = tmp_path / "x.csv"
    path.write_text("name,value\na,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="language of these columns.*“#1”, “#2”"):
        build_plan(db, entries=Source(path, working="en"), source="x.csv", working="en")


def test_starter_lists_import_and_reimport(app, db):
    plan = import_file(db, STARTER)
    rows = sum(len(p.read_text(encoding="utf-8-sig").strip().splitlines()) - 1
               for p in STARTER.glob("*.csv") if p.name != "domains.csv")
    assert plan.counts["new_concept"] == rows and plan.counts["skipped"] == 0
    legal = db.exec(select(Domain).where(Domain.key == "legal")).one()
    custody = db.exec(select(Concept).where(Concept.key == "custody")).one()
    assert custody.domain_id == legal.id and custody.definition
    assert db.exec(select(Term).where(Term.language != "en")).first() is None  # no renderings
    assert import_file(db, STARTER).changes == 0
    assert import_file(db, STARTER / "legal.csv").changes == 0


def test_starter_file_with_new_domain_from_the_catalog(app, db, tmp_path):
    (tmp_path / "domains.csv").write_text("key,name,position\nhousing,Housing,9\n",
                                          encoding="utf-8")
    (tmp_path / "housing.csv").write_text(
        "key,term,definition,sensitivity,facilitator_note\n"
        "eviction,eviction,Being made to leave one's home.,medium,\n", encoding="utf-8")
    plan = import_file(db, tmp_path)
    assert [c.text for c in plan.items["new_domain"]] == ["Housing"]
    housing = db.exec(select(Domain).where(Domain.key == "housing")).one()
    assert housing.position == 9


# -- command line ---------------------------------------------------------------------

@pytest.fixture
def runner(app):
    return app.test_cli_runner()  # commands run against this app


def test_cli_import_dry_run_then_import(runner, db):
    before = counts(db)
    result = runner.invoke(cli.main, ["import", str(DATA / "ar_fa_ti.tbx"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "new concept      2" in result.output and "Dry run" in result.output
    assert counts(db) == before
    result = runner.invoke(cli.main, ["import", str(DATA / "ar_fa_ti.tbx")])
    assert result.exit_code == 0 and "Imported" in result.output
    assert db.exec(select(Term).where(Term.language == "ti")).first() is not None


def test_cli_import_refuses_an_attack_with_a_non_zero_exit(runner, db):
    result = runner.invoke(cli.main, ["import", str(DATA / "entity_bomb.tbx")])
    assert result.exit_code != 0 and "declares XML entities" in result.output


@pytest.mark.parametrize("kind", ["tbx", "csv", "xlsx"])
def test_cli_export(runner, db, make_concept, tmp_path, kind):
    make_concept("anger", key="anger", domain="emotions", ar="الغضب", uk="гнів")
    out = tmp_path / f"glossary.{kind}"
    result = runner.invoke(cli.main, ["export", kind, "--languages", "ar", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 concepts" in result.output
    if kind != "xlsx":
        text = out.read_text(encoding="utf-8-sig")
        assert "الغضب" in text and "гнів" not in text


# -- pages ---------------------------------------------------------------------------

@pytest.fixture
def anna(app, make_person):
    return make_person("anna", "facilitator")


def upload(client, name, data=None):
    payload = data if data is not None else (DATA / name).read_bytes()
    return client.post("/imports", data={"file": (io.BytesIO(payload), name), "format": ""},
                       content_type="multipart/form-data")


def test_upload_preview_confirm(client, auth, db, anna):
    auth.login("anna@example.org")
    response = upload(client, "ar_fa_ti.tbx")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "New concepts" in page and "Nothing has been written yet." in page
    assert '<bdi lang="ar" dir="rtl">السرية</bdi>' in page
    assert '<bdi lang="fa-AF" dir="rtl">' in page and '<bdi lang="ti" dir="ltr">' in page
    assert db.exec(select(Term).where(Term.language == "ti")).first() is None
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    response = client.post(response.location + "/confirm", data={"digest": digest})
    assert response.status_code == 302
    assert "Imported ar_fa_ti.tbx" in client.get("/imports").get_data(as_text=True)
    assert db.exec(select(Term).where(Term.language == "ti")).first() is not None


def test_confirm_with_a_stale_preview_changes_nothing(client, auth, db, anna):
    auth.login("anna@example.org")
    location = upload(client, "tbx3_dct.tbx").location
    before = counts(db)
    response = client.post(location + "/confirm", data={"digest": "0" * 64},
                           follow_redirects=True)
    assert "changed since the preview" in response.get_data(as_text=True)
    assert counts(db) == before


def test_cancel_and_other_people_cannot_confirm(client, auth, app, db, anna, make_person):
    auth.login("anna@example.org")
    location = upload(client, "tbx3_dct.tbx").location
    make_person("bruno", "facilitator")
    other = app.test_client()
    other.post("/login", data={"email": "bruno@example.org", "password": "correct horse"})
    assert other.get(location).status_code == 404  # the upload belongs to its uploader
    assert client.post(location + "/cancel").status_code == 302
    assert client.get(location).status_code == 404


@pytest.mark.parametrize("name, message", [
    ("xxe.tbx", "declares XML entities"), ("malformed.tbx", "line 13")])
def test_bad_uploads_are_refused_with_the_reason(client, auth, db, anna, name, message):
    auth.login("anna@example.org")
    response = client.get(upload(client, name).location)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_upload_size_limit(client, auth, app, anna):
    auth.login("anna@example.org")
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = upload(client, "big.csv", b"key,term\n" + b"x,y\n" * 1000)
    assert response.status_code == 413


def test_import_is_for_facilitators_and_admins(client, auth, make_person, anna):
    make_person("samir", "mediator", "ar")
    auth.login("samir@example.org")
    assert client.get("/imports").status_code == 403
    assert 'href="/imports"' not in client.get("/concepts").get_data(as_text=True)
    auth.login("anna@example.org")
    assert 'href="/imports"' in client.get("/concepts").get_data(as_text=True)


def test_export_download(client, auth, db, make_concept, anna):
    make_concept("anger", key="anger", domain="emotions", ar="الغضب")
    auth.login("anna@example.org")
    response = client.get("/imports/export?format=csv&languages=ar")
    assert response.status_code == 200
    assert "glossary-ar.csv" in response.headers["Content-Disposition"]
    assert "الغضب" in response.data.decode("utf-8-sig")
    assert client.get("/imports/export?format=exe").status_code == 400


def test_xlsx_bombs_and_non_workbooks_are_refused(app, db, make_concept, tmp_path):
    make_concept("anger", key="anger", domain="emotions", uk="гнів")
    workbook = tmp_path / "out.xlsx"
    write_xlsx(db, workbook, working="en")
    with pytest.raises(InputError, match="unpacks to more than"):
        build_plan(db, entries=Source(workbook, working="en",
                                      limits=UploadLimits(unpacked_mb=0)),
                   source="out.xlsx", working="en")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip at all")
    with pytest.raises(InputError, match="not an XLSX workbook"):
        build_plan(db, entries=Source(fake, working="en"), source="fake.xlsx",
                   working="en")
