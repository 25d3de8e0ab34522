"""Column mapping for the spreadsheets people really have: guessed roles, the person's
changes (form, --map, --languages), saved mappings, "merge into" for possible
duplicates, and the real CSV/TSV files of tests/data/corpus imported without loss."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import select
from test_tbx import counts

from glossary import cli
from glossary.audit_text import tell
from glossary.errors import InputError
from glossary.importers.mapping import (
    TableMapping,
    apply_overrides,
    guess_sheet,
    parse_overrides,
    parse_role,
)
from glossary.importers.plan import Source, apply_import, build_plan
from glossary.importers.saved_mappings import apply_saved, save_mapping, saved_mappings
from glossary.models import AuditEvent, Concept, Domain, Term
from glossary.models.uploads import ImportMapping
from glossary.text import remove_hidden

CORPUS = Path(__file__).parent / "data" / "corpus"


def roles(header: str, rows=(), working="en") -> list[str]:
    lines = [header.split(","), *[r.split(",") for r in rows]]
    return guess_sheet("", lines, working=working).roles


@pytest.mark.parametrize("header, rows, expected", [
    ("en,fr", ["consent,consentement"], ["term:en", "term:fr"]),
    ("source,target,category,note", ["consent,الموافقة,legal,x"],
     ["term:?", "term:?", "domain", "note"]),
    ("English Term,Persian Term,Description", [], ["term:en", "term:fa", "definition"]),
    ("term_ar,translit,en_canon,definition", ["الموافقة,al-muwafaqa,consent,Yes"],
     ["term:ar", "term:?", "term:en", "definition"]),
    ("English_word,French_word", [], ["term:en", "term:fr"]),
    ("EN,Term (ar),Notes,Domain,ID", [], ["term:en", "term:ar", "note", "domain", "key"]),
    ("English,Arabic,Arabic back translation,Arabic note,Status", [],
     ["term:en", "term:ar", "back:ar", "usage:ar", "status:en"]),
    # right-to-left headers, in Arabic, Persian and Urdu; Tigrinya in Ge'ez script
    ("الإنجليزية,العربية,ملاحظات", [], ["term:en", "term:ar", "note"]),
    ("English,فارسی,اردو,ትግርኛ,پښتو", [], ["term:en", "term:fa", "term:ur", "term:ti",
                                        "term:ps"]),
    # language names in the interface languages, and names CLDR does not use
    ("Anglais,Arabe,Définition", [], ["term:en", "term:ar", "definition"]),
    ("Englisch,Tigrinya,Anmerkung", [], ["term:en", "term:ti", "note"]),
    ("English,Farsi,Dari,Sorani", [], ["term:en", "term:fa", "term:fa-AF", "term:ckb"]),
    # our own export's convention is read exactly as before
    ("key,term:en,term:ar,status:ar,back:ar,note:ar,state:ar,facilitator_note,Extra", [],
     ["key", "term:en", "term:ar", "status:ar", "back:ar", "usage:ar", "ignore", "note",
      "extra"]),
])
def test_headers_people_write_are_understood(header, rows, expected):
    assert roles(header, rows) == expected


def test_a_per_language_column_follows_the_language_chosen_for_its_wording():
    sheet = guess_sheet("", [["source", "target", "back translation", "pos"],
                             ["consent", "الموافقة", "agreement", "noun"]], working="en")
    assert sheet.roles == ["term:?", "term:?", "back:?", "pos:?"]
    sheet.set_language(1, "ar")
    sheet.set_language(0, "en")
    assert sheet.roles == ["term:en", "term:ar", "back:ar", "pos:en"]


def test_a_file_without_header_waits_for_its_languages():
    sheet = guess_sheet("", [["consent", "الموافقة"], ["anger", "الغضب"]], working="en")
    assert not sheet.has_header and sheet.missing() == [0, 1]
    mapping = apply_overrides(TableMapping([sheet]), {}, ["en", "ar"], working="en")
    assert mapping.sheets[0].roles == ["term:en", "term:ar"] and not mapping.missing()


@pytest.mark.parametrize("text, role", [
    ("ar", "term:ar"), ("fa-af", "term:fa-AF"), ("term", "term:en"), ("note", "note"),
    ("facilitator_note", "note"), ("note:ar", "usage:ar"), ("back_translation:ti", "back:ti"),
    ("ignore", "ignore"), ("term:ur:2", "term:ur:2"), ("extra", "extra")])
def test_roles_written_by_people(text, role):
    assert parse_role(text, "en") == role


@pytest.mark.parametrize("bad", ["nonsense words", "term:!!", "colour:ar"])
def test_a_role_that_means_nothing_is_refused_clearly(bad):
    with pytest.raises(InputError, match="is not a"):
        parse_role(bad, "en")


def test_overrides_by_header_or_number_and_unknown_names():
    assert parse_overrides("English Term=term:en, Persian Term=fa") == {
        "English Term": "term:en", "Persian Term": "fa"}
    with pytest.raises(InputError, match="Column=role"):
        parse_overrides("English")
    sheet = guess_sheet("", [["English", "Notes", "Misc"]], working="en")
    mapping = apply_overrides(TableMapping([sheet]), {"notes": "usage:en", "3": "ignore"},
                              [], working="en")
    assert mapping.sheets[0].roles == ["term:en", "usage:en", "ignore"]
    with pytest.raises(InputError, match="No column is called “Arabic”"):
        apply_overrides(mapping, {"Arabic": "ar"}, [], working="en")


# -- the real files ------------------------------------------------------------------

def stored_texts(db) -> set[str]:
    """Every text the glossary holds, NFC, for "nothing lost" checks."""
    texts = set()
    texts |= {d.name for d in db.exec(select(Domain))}
    for concept in db.exec(select(Concept)):
        texts |= {concept.key, concept.definition or ""}
        texts |= set((concept.facilitator_note or "").split("\n"))
    for term in db.exec(select(Term)):
        texts |= {term.text, term.back_translation or "", term.usage_note or ""}
        texts |= set((term.details or {}).values())
    return {remove_hidden(unicodedata.normalize("NFC", t))[0] for t in texts if t}


def assert_nothing_lost(db, path: Path, mapping: TableMapping, delimiter=","):
    """Every non-empty cell is stored (as a wording, key, definition, domain, detail or
    note line "Column: value"), or its column was ignored by the mapping."""
    sheet = mapping.sheets[0]
    if path.suffix == ".xlsx":
        workbook = load_workbook(path, read_only=True)
        rows = [["" if v is None else str(v) for v in row]
                for row in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=delimiter))
    texts = stored_texts(db)
    ignored = {i for i, role in enumerate(sheet.roles) if role == "ignore"}
    missing = []
    for row in rows[1 if sheet.has_header else 0:]:
        for index, value in enumerate(row):
            # compared without invisible characters (the preview lists the texts cleaned)
            value = remove_hidden(unicodedata.normalize("NFC", value.strip()))[0].strip()
            if not value or index in ignored:
                continue
            lines = {f"{sheet.label(index)}: {value}", f"Definition: {value}"}
            if value not in texts and not lines & texts and value.lower() not in texts:
                missing.append((sheet.label(index), value))
    assert missing == []
    return ignored


def import_corpus(db, name, **overrides):
    source = Source(CORPUS / name, working="en", domain_keys=db.exec(select(Domain.key)).all())
    source.mapping = source.guess()
    apply_overrides(source.mapping, overrides.get("columns", {}),
                    overrides.get("languages", []), working="en")
    plan = apply_import(db, entries=source, source=name, working="en")
    return source.mapping, plan


@pytest.mark.parametrize("name, target", [
    ("tico19_google_en_fa.csv", "fa"), ("tico19_google_en_ur.csv", "ur")])
def test_tico19_terminologies_rtl(app, db, name, target):
    mapping, plan = import_corpus(db, name)
    assert mapping.sheets[0].roles == ["key", "ignore", "ignore", "pos:en", "definition",
                                       "term:en", f"term:{target}"]
    assert plan.counts["skipped"] == 0 and plan.counts["new_concept"] > 300
    ignored = assert_nothing_lost(db, CORPUS / name, mapping)
    with (CORPUS / name).open(encoding="utf-8") as handle:
        languages = {(r["sourceLang"], r["targetLang"]) for r in csv.DictReader(handle)}
    assert ignored == {1, 2} and languages == {("en", target)}  # told the languages
    contagious = db.exec(select(Concept).where(Concept.key == "1")).one()
    assert contagious.definition.startswith("In the context of coronavirus")
    english = db.exec(select(Term).where(Term.concept_id == contagious.id,
                                         Term.language == "en")).one()
    assert english.text == "contagious" and english.details == {"partOfSpeech": "adjective"}
    assert db.exec(select(Term).where(Term.concept_id == contagious.id,
                                      Term.language == target)).one().text in ("مسری", "متعدی")
    _mapping, again = import_corpus(db, name)
    assert again.changes == 0


def test_tico19_arabic_source_file_takes_its_languages_from_the_rows(app, db):
    mapping, plan = import_corpus(db, "tico19_google_ar_en.csv")
    assert mapping.sheets[0].roles[5:] == ["term:ar", "term:en"]
    assert plan.counts["skipped"] == 0
    assert_nothing_lost(db, CORPUS / "tico19_google_ar_en.csv", mapping)
    pandemic = db.exec(select(Term).where(Term.text == "جائحة")).one()
    assert db.exec(select(Term.text).where(Term.concept_id == pandemic.concept_id,
                                           Term.language == "en")).one() == "pandemic"


def test_weblate_multi_csv_three_french_renderings_of_one_concept(app, db):
    with pytest.raises(InputError, match="“source”, “target”"):
        import_corpus(db, "weblate_fr_multi.csv")
    assert counts(db)["Term"] == 0  # nothing half-imported
    mapping, plan = import_corpus(db, "weblate_fr_multi.csv", languages=["en", "fr"])
    assert mapping.sheets[0].roles == ["context:en", "term:en", "term:fr"]
    assert plan.counts["new_concept"] == 2 and plan.counts["new_term"] == 7
    infarction = db.exec(select(Term).where(Term.text.like("Myocardial%"))).one()
    french = db.exec(select(Term.text).where(Term.concept_id == infarction.concept_id,
                                             Term.language == "fr")).all()
    assert sorted(french) == ["Infarctus cardiaque", "Infarctus du myocarde",
                              "Infarctus myocardique"]
    assert infarction.details == {"context": "22298006"}
    assert_nothing_lost(db, CORPUS / "weblate_fr_multi.csv", mapping)


def test_twb_terminologies_tsv_asks_for_the_unknown_languages(app, db):
    name = "twb_covid19_terminologies.tsv"
    source = Source(CORPUS / name, working="en")
    mapping = source.guess()
    sheet = mapping.sheets[0]
    assert source.delimiter == "\t"
    assert dict(zip(sheet.header, sheet.roles, strict=True)) == {
        "Wikipedia (EN)": "extra", "English": "term:en", "Vietnamese": "term:vi",
        "Simplified Chinese": "term:zh-Hans", "Tagalog": "term:tl", "Burmese": "term:my",
        "Kurmanji": "term:kmr", "Arabic": "term:ar", "Swahili": "term:sw",
        "Kibaku": "term:?", "Waha": "term:?", "Bura Pabir": "term:?", "Mandara": "term:?"}
    with pytest.raises(InputError, match="“Kibaku”, “Waha”, “Bura Pabir”, “Mandara”"):
        build_plan(db, entries=source, source=name, working="en")
    mapping, plan = import_corpus(db, name, columns={
        "Kibaku": "ignore", "Waha": "ignore", "Bura Pabir": "extra", "Mandara": "ignore"})
    assert plan.counts["new_concept"] > 100
    ignored = assert_nothing_lost(db, CORPUS / name, mapping, delimiter="\t")
    assert [mapping.sheets[0].header[i] for i in sorted(ignored)] == [
        "Kibaku", "Waha", "Mandara"]
    alveoli = db.exec(select(Term).where(Term.text == "alveoli", Term.language == "en")).one()
    concept = db.get(Concept, alveoli.concept_id)
    assert "Wikipedia (EN): https://en.wikipedia.org/wiki/Pulmonary_alveolus" in \
        concept.facilitator_note
    assert "Bura Pabir: lakur mpika akwa huhu" in concept.facilitator_note
    arabic = db.exec(select(Term.text).where(Term.concept_id == concept.id,
                                             Term.language == "ar")).one()
    assert arabic == "حويصلة رؤية"


def test_seven_language_engineering_workbook(app, db):
    """``English_word, English_descr, French_word, French_descr…``: the issue's
    7-language workbook with Japanese and Korean."""
    name = "engineering_glossary_7_languages.xlsx"
    mapping, plan = import_corpus(db, name)
    roles = dict(zip(mapping.sheets[0].header, mapping.sheets[0].roles, strict=True))
    assert roles["Category"] == "domain" and roles["English_descr"] == "definition"
    assert [roles[f"{n}_word"] for n in ("English", "Portuguese", "French", "German",
                                         "Italian", "Spanish", "Japanese", "Korean")] == [
        "term:en", "term:pt", "term:fr", "term:de", "term:it", "term:es", "term:ja", "term:ko"]
    assert roles["French_descr"] == "extra"  # a definition in French: a note line
    assert plan.counts["skipped"] == 0 and plan.counts["new_domain"] >= 1
    assert_nothing_lost(db, CORPUS / name, mapping)
    accretion = db.exec(select(Term).where(Term.text == "Accretion")).one()
    concept = db.get(Concept, accretion.concept_id)
    assert db.get(Domain, concept.domain_id).name == "Coastal Engineering"
    assert "French_descr: Accumulation naturelle" in concept.facilitator_note
    assert db.exec(select(Term.text).where(Term.concept_id == concept.id,
                                           Term.language == "ko")).one() == "증가"
    _mapping, again = import_corpus(db, name)
    assert again.changes == 0


@pytest.mark.parametrize("name, languages", [
    ("tico19_google_en_fa.csv", []), ("weblate_fr_multi.csv", ["en", "fr"])])
def test_corpus_exports_and_reimports_into_a_fresh_database(app, db, engine, tmp_path,
                                                            name, languages):
    from conftest import empty_database
    from test_tbx import dump

    from glossary.exports.glossary_table import write_csv
    from glossary.importers.starter import load_domains

    import_corpus(db, name, languages=languages)
    original = dump(db)
    out = tmp_path / "export.csv"
    write_csv(db, out, working="en")
    db.rollback()
    empty_database(engine)
    load_domains(db)
    source = Source(out, working="en", domain_keys=db.exec(select(Domain.key)).all())
    plan = apply_import(db, entries=source, source="export.csv", working="en")
    assert plan.counts["skipped"] == 0 and dump(db) == original


def test_workbook_with_one_sheet_per_language_pair(app, db, tmp_path):
    """Built from the real TICO-19 rows: a "read me" sheet, then a "Source, Target,
    Notes" sheet per pair, named by the pair."""
    workbook = Workbook()
    workbook.active.title = "Read me"
    workbook.active.append(["Glossary for the COVID-19 groups, two sheets"])
    for sheet_name, file_name in (("EN-FA", "tico19_google_en_fa.csv"),
                                  ("EN-UR", "tico19_google_en_ur.csv")):
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(["Source", "Target", "Notes"])
        with (CORPUS / file_name).open(encoding="utf-8") as handle:
            for row in list(csv.DictReader(handle))[:20]:
                sheet.append([row["sourceString"], row["targetString"], row["description"]])
    path = tmp_path / "pairs.xlsx"
    workbook.save(path)
    source = Source(path, working="en")
    mapping = source.guess()
    assert [(s.name, s.skip, s.roles) for s in mapping.sheets] == [
        ("Read me", True, ["term:?"]),
        ("EN-FA", False, ["term:en", "term:fa", "note"]),
        ("EN-UR", False, ["term:en", "term:ur", "note"])]
    source.mapping = mapping
    plan = apply_import(db, entries=source, source="pairs.xlsx", working="en")
    # 20 rows a sheet, "quarantine" twice (noun and verb): without ids, one concept
    assert plan.counts["new_concept"] == 19, plan.items["skipped"][:3]
    assert plan.counts["skipped"] == 0, plan.items["skipped"][:3]
    quarantine = db.exec(select(Term).where(Term.text == "quarantine")).one()
    notes = db.get(Concept, quarantine.concept_id).facilitator_note.split("\n")
    assert len(notes) == 2 and all(n.startswith("In the context of") for n in notes)
    contagious = db.exec(select(Term).where(Term.text == "contagious")).one()
    renderings = dict(db.exec(select(Term.language, Term.text).where(
        Term.concept_id == contagious.concept_id)).all())
    assert renderings == {"en": "contagious", "fa": "مسری", "ur": "متعدی"}


def test_a_wording_repeated_with_other_fields_keeps_them_and_reimports_unchanged(
        app, db, tmp_path):
    path = tmp_path / "repeat.csv"
    path.write_text("English,Tigrinya,Definition,Category,Notes\n"
                    "setup,ምድላው,Rise of the water level,Coastal,first\n"
                    "setup,ምድላው,Arrangement of a group,Groups,second\n", encoding="utf-8")
    source = Source(path, working="en", domain_keys=db.exec(select(Domain.key)).all())
    plan = apply_import(db, entries=source, source="repeat.csv", working="en")
    assert plan.counts["new_concept"] == 1 and plan.counts["skipped"] == 0
    concept = db.exec(select(Concept)).one()
    assert concept.definition == "Rise of the water level"
    assert concept.facilitator_note.split("\n") == [
        "first", "second", "Definition: Arrangement of a group", "Domain: Groups"]
    again = apply_import(db, entries=Source(path, working="en"), source="r", working="en")
    assert again.changes == 0


# -- saved mappings ------------------------------------------------------------------

def test_a_saved_mapping_is_offered_for_the_same_header(app, db, make_person, tmp_path):
    anna = make_person("anna", "facilitator")
    first = tmp_path / "first.csv"
    first.write_text("Source,Target,Comment\nconsent,ቅቡልነት,x\n", encoding="utf-8")
    mapping = Source(first, working="en").guess()
    apply_overrides(mapping, {"Comment": "usage:ti"}, ["en", "ti"], working="en")
    save_mapping(db, name="Tigrinya list", mapping=mapping, person=anna)
    with pytest.raises(InputError, match="language"):
        save_mapping(db, name="bad", mapping=Source(first, working="en").guess(), person=anna)
    second = tmp_path / "second.csv"
    second.write_text("source,target,comment\nanger,ቁጥዐ,y\n", encoding="utf-8")
    guessed = Source(second, working="en").guess()
    assert guessed.missing()
    offered = saved_mappings(db, signature=guessed.signature())
    assert offered[0].name == "Tigrinya list" and offered[0].signature == guessed.signature()
    applied = apply_saved(offered[0], guessed)
    assert applied.sheets[0].roles == ["term:en", "term:ti", "usage:ti"]
    assert applied.saved_as == "Tigrinya list"


# -- merge into ----------------------------------------------------------------------

WORLD = "key,term:en,term:ar\nworld-2,world,العالم\n"


def test_merge_into_is_chosen_never_silent(app, db, make_concept, tmp_path):
    make_concept("world", key="world")
    path = tmp_path / "world.csv"
    path.write_text(WORLD, encoding="utf-8")
    preview = build_plan(db, entries=Source(path, working="en"), source="w", working="en")
    assert [c.concept for c in preview.items["possible_duplicate"]] == ["world-2"]
    assert preview.counts["new_concept"] == 1
    merged = build_plan(db, entries=Source(path, working="en"), source="w", working="en",
                        merges={"world": "world"})
    assert merged.counts["new_concept"] == 0 and merged.counts["merged"] == 1
    assert "Merged into the existing concept world" in str(merged.items["merged"][0].detail)
    assert merged.digest != preview.digest
    apply_import(db, entries=Source(path, working="en"), source="w", working="en",
                 merges={"world": "world"}, expected_digest=merged.digest)
    assert db.exec(select(Concept).where(Concept.key == "world-2")).first() is None
    world = db.exec(select(Concept).where(Concept.key == "world")).one()
    assert db.exec(select(Term.text).where(Term.concept_id == world.id,
                                           Term.language == "ar")).one() == "العالم"


# -- bad input -----------------------------------------------------------------------

def test_a_broken_row_late_in_the_file_imports_nothing(app, db, tmp_path):
    path = tmp_path / "late.csv"
    good = "".join(f"word {n},كلمة {n}\n" for n in range(3000))
    path.write_bytes(b"English,Arabic\n" + good.encode() + b"bad \xff byte,x\n")
    with pytest.raises(InputError, match=r"not UTF-8 text \(line \d+\)"):
        apply_import(db, entries=Source(path, working="en"), source="late", working="en")
    assert counts(db)["Term"] == 0


# -- command line --------------------------------------------------------------------

@pytest.fixture
def runner(app):
    """Flask's CLI runner: commands run against this test's app and database."""
    return app.test_cli_runner()


def test_cli_map_and_languages(runner, db, tmp_path):
    path = tmp_path / "deepl.tsv"
    path.write_text("consent\tالموافقة\nanger\tالغضب\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["import", str(path)])
    assert result.exit_code != 0 and "Choose the language of these columns" in result.output
    result = runner.invoke(cli.main, ["import", str(path), "--languages", "en,ar"])
    assert result.exit_code == 0, result.output
    assert "(no header row)" in result.output and "#2 = term:ar" in result.output
    assert db.exec(select(Term.text).where(Term.language == "ar")).all() == [
        "الموافقة", "الغضب"]
    path = tmp_path / "named.csv"
    path.write_text("Arabic,English,Notes,Dari\nالسرية,confidentiality,ask first,محرمیت\n",
                    encoding="utf-8")
    result = runner.invoke(cli.main, ["import", str(path), "--map",
                                      "Notes=usage:ar,Dari=fa-AF", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Notes = usage:ar" in result.output and "new term         3" in result.output
    result = runner.invoke(cli.main, ["import", str(path), "--map", "Nope=ar"])
    assert result.exit_code != 0 and "No column is called “Nope”" in result.output


# -- pages ---------------------------------------------------------------------------

def upload(client, name, payload):
    return client.post("/imports", data={"file": (io.BytesIO(payload), name), "format": ""},
                       content_type="multipart/form-data")


def test_preview_asks_then_follows_the_mapping(client, auth, db, make_person):
    make_person("anna", "facilitator")
    auth.login("anna@example.org")
    payload = ("English,Dari,Column X\nconsent,رضایت,ቅቡልነት\n").encode()
    location = upload(client, "list.csv", payload).location
    page = client.get(location).get_data(as_text=True)
    assert "Choose the language of each column marked" in page
    assert 'name="s0-c1-lang"' in page and 'value="fa-AF"' in page
    assert re.search(r'<button type="submit" class="primary"\s+disabled', page)
    form = {"s0-import": "1", "s0-header": "1", "s0-c0-role": "term", "s0-c0-lang": "en",
            "s0-c1-role": "term", "s0-c1-lang": "fa-AF", "s0-c2-role": "term",
            "s0-c2-lang": "ti"}
    response = client.post(location + "/choices", data=form, headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers.get("X-Hx-Nonce")
    assert "<h1>" not in fragment and "New renderings" in fragment
    assert '<bdi lang="ti" dir="ltr">ቅቡልነት</bdi>' in fragment
    assert '<bdi lang="fa-AF" dir="rtl">رضایت</bdi>' in fragment
    bad = dict(form, **{"s0-c2-lang": "xx-notalanguage"})
    page = client.post(location + "/choices", data=bad).get_data(as_text=True)
    assert "Column X: " in page and "Choose the language of each column" in page
    client.post(location + "/choices", data=form)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"',
                       client.get(location).get_data(as_text=True)).group(1)
    client.post(location + "/confirm", data={"digest": digest})
    assert db.exec(select(Term.text).where(Term.language == "ti")).one() == "ቅቡልነት"


def test_preview_merge_into_and_save_mapping(client, auth, db, make_person, make_concept):
    make_person("anna", "facilitator")
    make_concept("world", key="world")
    auth.login("anna@example.org")
    location = upload(client, "world.csv", WORLD.encode()).location
    page = client.get(location).get_data(as_text=True)
    assert "Keep as a separate concept" in page and "Merge into world" in page
    form = {"s0-import": "1", "s0-header": "1", "s0-c0-role": "key", "s0-c1-role": "term",
            "s0-c1-lang": "en", "s0-c2-role": "term", "s0-c2-lang": "ar",
            "merge_text": "world", "merge_into": "world"}
    page = client.post(location + "/choices", data=form,
                       follow_redirects=True).get_data(as_text=True)
    assert "Entries merged into existing concepts" in page
    assert '<option value="world" selected>' in page
    response = client.post(location + "/mapping/save", data={"name": "World list"},
                           follow_redirects=True)
    assert "The mapping was saved as “World list”." in response.get_data(as_text=True)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"',
                       client.get(location).get_data(as_text=True)).group(1)
    client.post(location + "/confirm", data={"digest": digest})
    assert db.exec(select(Concept).where(Concept.key == "world-2")).first() is None
    assert db.exec(select(Term).where(Term.text == "العالم")).one().concept_id == \
        db.exec(select(Concept.id).where(Concept.key == "world")).one()
    second = upload(client, "again.csv", WORLD.encode()).location
    assert "Read with the saved mapping “World list”." in client.get(second).get_data(
        as_text=True)


def test_mapping_step_in_the_arabic_interface(client, auth, db, make_person):
    make_person("anna", "facilitator")
    auth.login("anna@example.org")
    client.post("/interface-language", data={"ui_locale": "ar"})
    payload = "العربية,الإنجليزية,ملاحظات\nالسرية,confidentiality,اسأل أولاً\n".encode()
    page = client.get(upload(client, "قائمة.csv", payload).location).get_data(as_text=True)
    assert 'dir="rtl"' in page and "الأعمدة" in page and "ما يحتويه العمود" in page
    assert 'id="s0-c0-lang" name="s0-c0-lang"' in page and 'value="ar"' in page
    assert '<option value="note" selected>ملاحظة للميسّر</option>' in page
    assert '<bdi lang="ar" dir="rtl">السرية</bdi>' in page


def test_hostile_headers_and_values_are_shown_as_text(client, auth, make_person):
    make_person("anna", "facilitator")
    auth.login("anna@example.org")
    payload = (b'English,"<img src=x onerror=alert(1)>","<b hx-post=/x>"\n'
               b'consent,"<script>alert(2)</script>",x\n')
    page = client.get(upload(client, "<i>list</i>.csv", payload).location).get_data(
        as_text=True)
    assert "<img src=x" not in page and "<script>alert" not in page and "<b hx-post" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "What column &lt;img src=x onerror=alert(1)&gt; holds" in page


WORLD_TBX = ('<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dca" '
             'xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader><fileDesc>'
             '<sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader><text><body>'
             '<conceptEntry id="world-2"><langSec xml:lang="en"><termSec><term>world</term>'
             '</termSec></langSec><langSec xml:lang="ur"><termSec><term>دنیا</term></termSec>'
             '</langSec></conceptEntry></body></text></tbx>\n')


def test_tbx_possible_duplicate_merged_from_the_preview(client, auth, db, make_person,
                                                        make_concept):
    make_person("anna", "facilitator")
    make_concept("world", key="world")
    auth.login("anna@example.org")
    location = upload(client, "world.tbx", WORLD_TBX.encode()).location
    page = client.get(location).get_data(as_text=True)
    assert "Columns" not in page and "Merge into world" in page  # no mapping for TBX
    page = client.post(location + "/choices", data={"merge_text": "world",
                                                    "merge_into": "world"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Merged into the existing concept world, as chosen." in page
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    client.post(location + "/confirm", data={"digest": digest})
    urdu = db.exec(select(Term).where(Term.language == "ur")).one()
    assert urdu.text == "دنیا" and db.get(Concept, urdu.concept_id).key == "world"
    assert db.exec(select(Concept).where(Concept.key == "world-2")).first() is None


def test_a_saved_mapping_is_deleted_from_the_preview(client, auth, db, make_person):
    make_person("anna", "facilitator")
    auth.login("anna@example.org")
    location = upload(client, "world.csv", WORLD.encode()).location
    form = {"s0-import": "1", "s0-header": "1", "s0-c0-role": "key", "s0-c1-role": "term",
            "s0-c1-lang": "en", "s0-c2-role": "term", "s0-c2-lang": "ar"}
    client.post(location + "/choices", data=form)
    client.post(location + "/mapping/save", data={"name": "World <b>list</b>"})
    saved = db.exec(select(ImportMapping)).one()
    page = client.get(location).get_data(as_text=True)
    assert f'formaction="{location}/mapping/delete"' in page
    page = client.post(location + "/mapping/delete", data={"saved_id": saved.id},
                       follow_redirects=True).get_data(as_text=True)
    assert "The saved mapping “World &lt;b&gt;list&lt;/b&gt;” was deleted." in page
    assert db.exec(select(ImportMapping)).all() == []
    assert "Read the file with a saved mapping" not in page
    # Gone already (another tab): said, nothing else changes.
    page = client.post(location + "/mapping/delete", data={"saved_id": saved.id},
                       follow_redirects=True).get_data(as_text=True)
    assert "That saved mapping no longer exists." in page
    # The audit log tells it in a sentence.
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "delete")).one()
    told = tell(event, who="Anna", language_of_event=None, language_name=str)
    assert str(told.sentence) == "Anna deleted the column mapping World <b>list</b>."
    # On the admins' audit page the name is text, not markup.
    make_person("ada", "admin")
    auth.logout()
    auth.login("ada@example.org")
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "deleted the column mapping World &lt;b&gt;list&lt;/b&gt;." in log
    assert "<b>list</b>" not in log
    # Another role may not.
    make_person("oskar", "outreach")
    auth.logout()
    auth.login("oskar@example.org")
    assert client.post(location + "/mapping/delete", data={"saved_id": 1}).status_code in (
        403, 404)
