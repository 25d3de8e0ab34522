"""Interchange (issue 17): exports valid by the official TBX-Basic schemas, TBX 2008 read
by translate-toolkit, structure kept, no silent merge, idempotent imports, unknown values
left unknown, and a corpus of public files imported, re-imported, exported, validated and
re-imported into a fresh database."""

import json
from pathlib import Path

import pytest
from conftest import agree, empty_database
from lxml import etree, isoschematron
from sqlmodel import select

from glossary.exports.tbx import NS, write_tbx
from glossary.importers.plan import Source, apply_import, build_plan
from glossary.importers.starter import load_domains
from glossary.models import Concept, Domain, Term

DATA = Path(__file__).parent / "data"
SCHEMAS = DATA / "tbx-schemas"
CORPUS = sorted((DATA / "corpus").glob("*.tbx"))
T = {"t": NS}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def _schematron() -> isoschematron.Schematron:
    """The official TBX-Basic DCA Schematron, run by lxml. It is written for XSLT 2
    (``matches()`` and ``./local-name()`` in three tests); lxml runs XSLT 1, so those
    expressions are rewritten to their XSLT 1 equivalents here, and nothing else."""
    text = (SCHEMAS / "TBX-Basic_DCA.sch").read_text(encoding="utf-8-sig")
    adapted = (text.replace('queryBinding="xslt2"', 'queryBinding="xslt1"')
               .replace("matches(@target,'https?://.+')",
                        "(starts-with(@target,'http://') or starts-with(@target,'https://'))")
               .replace("./local-name()", "local-name()"))
    assert adapted.count("local-name()") > 0 and "matches(" not in adapted
    return isoschematron.Schematron(etree.fromstring(adapted.encode()), store_report=True)


RNG = etree.RelaxNG(etree.parse(str(SCHEMAS / "TBXcoreStructV03.rng")))
SCH = _schematron()


def problems(path) -> list[str]:
    """What the official core RNG and the TBX-Basic Schematron find wrong with a file."""
    document = etree.parse(str(path))
    found = [] if RNG.validate(document) else [str(e) for e in RNG.error_log]
    if not SCH.validate(document):
        found += [f"{e.get('location')}: {e.findtext(SVRL + 'text')}"
                  for e in SCH.validation_report.iter(SVRL + "failed-assert")]
    return found


def dump(db) -> dict:
    """Everything an export must carry, by concept key (ids left out)."""
    domains = {d.id: d.key for d in db.exec(select(Domain))}
    result = {}
    for concept in db.exec(select(Concept)):
        terms = sorted((t.language, t.text, t.status or "", t.usage_register or "",
                        t.back_translation, t.usage_note, t.no_equivalent, t.paraphrase,
                        json.dumps(t.details, sort_keys=True))
                       for t in db.exec(select(Term).where(Term.concept_id == concept.id)))
        result[concept.key] = (domains[concept.domain_id], concept.definition,
                               concept.sensitivity, concept.facilitator_note, concept.status,
                               json.dumps(concept.details, sort_keys=True), terms)
    return result


def fresh(db, engine) -> None:
    db.rollback()
    empty_database(engine)
    load_domains(db)


def run(db, path, *, dry=False):
    function = build_plan if dry else apply_import
    return function(db, entries=Source(path, working="en"), source=Path(path).name,
                    working="en")


@pytest.fixture
def glossary(db, make_concept, make_person):
    """Agreed and proposed renderings, no-equivalent, registers, structure and references,
    and values nobody stated."""
    anna = make_person("anna", "facilitator")
    samir = make_person("samir", "mediator", "ar")
    consent = make_concept("consent (sexual)", key="consent", ar={
        "text": "الموافقة", "back_translation": "agreement", "register": "clinical",
        "usage_note": "Add 'free'."})
    make_concept("coercive control", key="coercive-control", domain="gender-relationships",
                 fa_AF={"no_equivalent": "on", "paraphrase": "کنترول همیشگی با ترس"},
                 ti={"text": "ሕርቃን", "register": "euphemism", "status": "admitted"})
    odd = make_concept("18 plus", key="18-plus", domain="legal")
    odd.sensitivity, odd.status = None, "retired"
    odd.details = {"source": "Court handbook", "xrefs": [
        {"type": "xGraphic", "target": "https://example.org/court.png", "text": "court"},
        {"type": "externalCrossReference", "target": "https://example.org/law",
         "text": "the law"},
        {"type": "xGraphic", "target": "scale.png", "text": "scale.png"},
        {"type": "crossReference", "target": "", "text": "adult"}]}
    db.add(odd)
    journalist = make_concept("journalist", key="journalist", domain="legal",
                              fr={"text": "journaliste"})
    for term in db.exec(select(Term).where(Term.concept_id == journalist.id)):
        term.status = term.usage_register = None
        term.details = ({"partOfSpeech": "noun", "grammaticalGender": "masculine, feminine",
                         "termType": "fullForm", "context": "Le journaliste écrit.",
                         "source": "Le Robert"} if term.language == "fr" else
                        {"partOfSpeech": "properNoun"})
        db.add(term)
    db.commit()
    agree(db, consent, "ar", anna, samir)
    return db


# -- the official schemas --------------------------------------------------------------------

def test_the_validator_finds_what_tbx_basic_forbids(app, tmp_path):
    path = tmp_path / "register.tbx"
    path.write_text(f"""<tbx xmlns="{NS}" type="TBX-Basic" style="dca" xml:lang="en">
<tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>
<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>fear</term>
<termNote type="register">neutralRegister</termNote></termSec></langSec></conceptEntry>
<conceptEntry id="c2"><langSec xml:lang="en"><termSec><term>anger</term>
<termNote type="partOfSpeech">properNoun</termNote></termSec></langSec></conceptEntry>
</body></text></tbx>""", encoding="utf-8")
    found = problems(path)
    assert len(found) == 2
    assert "Permitted type value(s): administrativeStatus" in found[0]
    assert "/partOfSpeech/ type may be" in found[1]


def test_basic_export_is_valid_tbx_basic(app, glossary, tmp_path):
    path = tmp_path / "basic.tbx"
    assert write_tbx(glossary, str(path), working="en") == 4
    assert problems(path) == []
    root = etree.parse(str(path)).getroot()
    fr = root.find(".//t:conceptEntry[@id='journalist']/t:langSec[2]/t:termSec", T)
    notes = {e.get("type"): e.text for e in fr if e.get("type")}
    assert notes == {"partOfSpeech": "noun", "termType": "fullForm",
                     "context": "Le journaliste écrit.", "source": "Le Robert"}
    assert "administrativeStatus" not in notes  # not stated: not invented
    assert [e.text for e in fr.findall("t:note", T)] == [
        "Grammatical gender: masculine, feminine"]  # outside the picklist: a note
    odd = root.find(".//t:conceptEntry[@id='_18-plus']", T)
    assert [(x.get("type"), x.get("target")) for x in odd.findall("t:xref", T)] == [
        ("xGraphic", "https://example.org/court.png"),
        ("externalCrossReference", "https://example.org/law")]
    assert odd.find("t:ref", T).text == "adult"
    assert "X graphic: scale.png" in [n.text for n in odd.findall("t:note", T)]


def test_core_export_is_valid_core_structure(app, glossary, tmp_path):
    path = tmp_path / "core.tbx"
    write_tbx(glossary, str(path), working="en", dialect="core")
    document = etree.parse(str(path))
    assert RNG.validate(document), RNG.error_log
    fr = document.find(".//t:conceptEntry[@id='journalist']/t:langSec[2]/t:termSec", T)
    assert fr.find("t:termNote[@type='grammaticalGender']", T).text == "masculine, feminine"


def test_tbx_2008_export_is_read_by_translate_toolkit(app, glossary, tmp_path):
    from translate.storage.tbx import tbxfile

    path = tmp_path / "old.tbx"
    write_tbx(glossary, str(path), working="en", dialect="2008")
    root = etree.parse(str(path)).getroot()
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    store = tbxfile.parsefile(str(path))
    found = set()
    for unit in store.units:
        found |= {("en", t.text) for t in unit.get_source_terms()}
        for language in ("ar", "fa-AF", "ti", "fr"):
            found |= {(language, t.text) for t in unit.get_target_terms(language)}
    expected = {(t.language, t.text) for t in glossary.exec(select(Term))}
    assert found == expected and len(expected) == 8


@pytest.mark.parametrize("dialect", ["basic", "core", "2008"])
def test_each_dialect_round_trips_into_a_fresh_database(app, glossary, tmp_path, engine,
                                                        dialect):
    path = tmp_path / f"{dialect}.tbx"
    write_tbx(glossary, str(path), working="en", dialect=dialect)
    original = dump(glossary)
    fresh(glossary, engine)
    plan = run(glossary, path)
    assert plan.counts["skipped"] == 0 and plan.counts["possible_duplicate"] == 0
    assert dump(glossary) == original
    assert run(glossary, path, dry=True).changes == 0


# -- importing ---------------------------------------------------------------------------

def test_a_term_repeated_in_one_language_is_imported_once_and_for_all(app, db, tmp_path):
    path = tmp_path / "twice.tbx"
    path.write_text(f"""<tbx xmlns="{NS}" type="TBX-Basic" style="dca" xml:lang="en"><text>
<body><conceptEntry id="journalist"><langSec xml:lang="en"><termSec><term>journalist</term>
</termSec></langSec><langSec xml:lang="fr">
<termSec><term>journaliste</term><termNote type="grammaticalGender">masculine</termNote>
</termSec>
<termSec><term>journaliste</term><termNote type="grammaticalGender">feminine</termNote>
<note>Also feminine.</note></termSec>
</langSec></conceptEntry></body></text></tbx>""", encoding="utf-8")
    first = run(db, path)
    assert first.counts["new_term"] == 2 and first.counts["skipped"] == 0
    (fr,) = db.exec(select(Term).where(Term.language == "fr")).all()
    assert fr.details == {"grammaticalGender": "masculine, feminine"}
    assert fr.usage_note == "Also feminine."
    for _again in range(2):
        plan = run(db, path)
        assert plan.changes == 0 and plan.counts["changed_term"] == 0


def test_distinct_ids_stay_distinct_concepts(app, db, make_concept, tmp_path):
    make_concept("world", key="world")
    path = tmp_path / "worlds.tbx"
    entries = "".join(f"""<conceptEntry id="{key}"><langSec xml:lang="en"><termSec>
<term>world</term></termSec></langSec><langSec xml:lang="fr"><termSec><term>{fr}</term>
</termSec></langSec></conceptEntry>""" for key, fr in (("w1", "monde"), ("w2", "univers")))
    path.write_text(f"""<tbx xmlns="{NS}" type="TBX-Basic" style="dca" xml:lang="en"><text>
<body>{entries}</body></text></tbx>""", encoding="utf-8")
    preview = run(db, path, dry=True)
    duplicates = [(c.concept, c.text) for c in preview.items["possible_duplicate"]]
    assert duplicates == [("w1", "world"), ("w2", "world")]
    assert "kept as a separate concept" in str(preview.items["possible_duplicate"][0].detail)
    run(db, path)
    keys = {c.key for c in db.exec(select(Concept))}
    assert {"world", "w1", "w2"} <= keys
    w2 = db.exec(select(Concept).where(Concept.key == "w2")).one()
    assert [t.text for t in db.exec(select(Term).where(
        Term.concept_id == w2.id, Term.language == "fr"))] == ["univers"]
    assert run(db, path, dry=True).changes == 0


def test_unknown_stays_unknown(app, db, client, auth, make_person, tmp_path):
    run(db, DATA / "corpus" / "weblate_cs.tbx")
    concept = db.exec(select(Concept).join(Term).where(Term.text == "administrator")).one()
    assert concept.sensitivity is None
    terms = db.exec(select(Term).where(Term.concept_id == concept.id)).all()
    assert {(t.status, t.usage_register) for t in terms} == {(None, None)}
    make_person("fiona", "facilitator")
    auth.login("fiona@example.org")
    page = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "not stated" in page and "status not stated" in page
    assert "register not stated" in page


# -- the corpus of public files ------------------------------------------------------------

@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_imports_reimports_exports_and_round_trips(app, db, engine, tmp_path,
                                                               path):
    first = run(db, path)
    assert first.counts["new_concept"] > 0 and first.counts["skipped"] == 0
    assert run(db, path, dry=True).changes == 0
    imported = dump(db)
    out = tmp_path / "export.tbx"
    write_tbx(db, str(out), working="en")
    assert problems(out) == []
    fresh(db, engine)
    run(db, out)
    assert dump(db) == imported


# -- choosing the dialect --------------------------------------------------------------------

def test_cli_and_download_choose_the_dialect(app, glossary, client, auth, make_person,
                                            monkeypatch, tmp_path):
    from glossary.cli import main

    runner = app.test_cli_runner()
    roots = {}
    for dialect in ("basic", "core", "2008"):
        out = tmp_path / f"{dialect}.tbx"
        result = runner.invoke(main, ["export", "tbx", "--dialect", dialect, "-o", str(out)])
        assert result.exit_code == 0, result.output
        root = etree.parse(str(out)).getroot()
        roots[dialect] = (etree.QName(root).localname, root.get("type"))
    assert roots == {"basic": ("tbx", "TBX-Basic"), "core": ("tbx", "TBX-AgreedTerms"),
                     "2008": ("martif", "TBX-Basic")}
    result = runner.invoke(main, ["export", "tbx", "--dialect", "v9", "-o", "x.tbx"])
    assert result.exit_code != 0

    make_person("fiona", "facilitator")
    auth.login("fiona@example.org")
    response = client.get("/imports/export?format=tbx&dialect=2008")
    assert response.status_code == 200
    assert etree.fromstring(response.data).tag == "martif"
    assert etree.fromstring(client.get("/imports/export?format=tbx").data).get(
        "type") == "TBX-Basic"
    assert client.get("/imports/export?format=tbx&dialect=v9").status_code == 400
    assert client.get("/imports/export?format=csv&dialect=core").status_code == 200


def test_concepts_waiting_for_a_working_language_wording_are_listed_with_a_hint(
        app, db, client, auth, make_person, make_concept, tmp_path):
    make_concept("fear", key="fear")
    path = tmp_path / "zu.tbx"
    path.write_text(f"""<tbx xmlns="{NS}" type="TBX-Basic" style="dca" xml:lang="en"><text>
<body><conceptEntry id="z1"><langSec xml:lang="zu"><termSec><term>ukuvuma</term></termSec>
</langSec><langSec xml:lang="es"><termSec><term>consentimiento</term></termSec></langSec>
</conceptEntry></body></text></tbx>""", encoding="utf-8")
    plan = run(db, path)
    assert plan.counts["waiting"] == 1 and plan.counts["new_term"] == 2
    make_person("fiona", "facilitator")
    auth.login("fiona@example.org")
    page = client.get("/concepts?waiting=1").get_data(as_text=True)
    assert "waiting for a working-language wording" in page
    assert "ukuvuma" in page and "consentimiento" in page and ">fear<" not in page
    assert ">fear<" in client.get("/concepts").get_data(as_text=True)
    concept = db.exec(select(Concept).where(Concept.key == "z1")).one()
    assert client.get(f"/concepts/{concept.id}").status_code == 200
