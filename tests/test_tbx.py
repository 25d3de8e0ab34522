"""TBX import (2008, v3 DCA and DCT, TBX-Min) and export: mapping, safety, plans, one
transaction, round trips."""

from pathlib import Path

import pytest
from conftest import agree
from lxml import etree
from sqlmodel import func, select

from glossary.errors import Conflict
from glossary.exports.tbx import NS, write_tbx
from glossary.importers import plan as plan_module
from glossary.importers.plan import Source, apply_import, build_plan
from glossary.importers.tbx import TbxError, read_tbx
from glossary.models import Agreement, AuditEvent, Concept, Domain, Term, TermVersion

DATA = Path(__file__).parent / "data"
T = {"t": NS}


def read(name: str):
    with (DATA / name).open("rb") as handle:
        reader = read_tbx(handle, working="en")
        entries = list(reader)
    return reader, entries


def counts(db) -> dict:
    return {model.__name__: db.exec(select(func.count()).select_from(model)).one()
            for model in (Concept, Term, TermVersion, Agreement, AuditEvent, Domain)}


def dump(db) -> dict:
    """Everything an export must carry, by concept key (ids left out)."""
    domains = {d.id: d.key for d in db.exec(select(Domain))}
    result = {}
    for concept in db.exec(select(Concept)):
        terms = sorted((t.language, t.text, t.status, t.usage_register, t.back_translation,
                        t.usage_note, t.no_equivalent, t.paraphrase)
                       for t in db.exec(select(Term).where(Term.concept_id == concept.id)))
        result[concept.key] = (domains[concept.domain_id], concept.definition,
                               concept.sensitivity, concept.facilitator_note, concept.status,
                               terms)
    return result




def run(db, name: str, *, dry: bool = False, **kwargs):
    source = Source(DATA / name, working="en")
    function = build_plan if dry else apply_import
    return function(db, entries=source, source=name, working="en", **kwargs)


# -- reading --------------------------------------------------------------------------

def test_tbx_2008_with_bom_crlf_and_a_missing_dtd(app):
    reader, entries = read("tbx2008_doctype_crlf_bom.tbx")
    assert reader.dialect == "TBX 2008 (TBX-Basic)"
    consent, rape = entries
    assert consent.ref == "consent" and consent.domain == "Sexual violence"
    assert consent.definition == "A free, informed and revocable yes to a sexual act."
    assert consent.history == [{"type": "origination", "date": "2024-03-01",
                                "by": "Colleague A"}]
    en, ar_pref, ar_adm = consent.terms
    assert (en.language, en.text, en.fields["status"]) == ("en", "consent", "preferred")
    assert en.fields["details"] == {"partOfSpeech": "noun"} and "usage_note" not in en.fields
    # ntig/termGrp, grammatical gender and context kept as structure, not dropped
    assert ar_pref.text == "الموافقة" and ar_pref.fields["status"] == "preferred"
    assert ar_pref.fields["details"] == {"grammaticalGender": "feminine",
                                         "context": "الموافقة الحرة شرط."}
    assert ar_adm.fields == {"status": "admitted", "register": "colloquial",
                             "usage_note": "Customer subset: Programme North"}
    assert ar_pref.line == 29  # the line of <term>, counted with CRLF line ends
    assert [(t.language, t.fields.get("status")) for t in rape.terms] == [
        ("en-GB", None), ("de", "preferred"), ("de", "deprecated")]


def test_tbx_v3_dca_maps_status_register_and_no_equivalent(app):
    reader, (entry,) = read("tbx3_dca.tbx")
    assert reader.dialect == "TBX v3 TBX-Basic DCA"
    en, superseded, fa, uk = entry.terms
    assert superseded.fields["status"] == "deprecated"  # supersededTerm-admn-sts
    assert fa.language == "fa-AF" and fa.fields["no_equivalent"] is True
    assert fa.fields["paraphrase"] == "کنترول همیشگی زندگی همسر با ترس و فشار"
    assert fa.fields["back_translation"].startswith("constant control")
    assert uk.fields == {"status": "deprecated", "register": "clinical",
                         "usage_note": "Geographical usage: UA"}  # "forbidden" in the wild
    assert en.fields["usage_note"] == "Source: Handbook 2023"  # a language's source


def test_tbx_v3_dct_reads_module_elements(app):
    reader, (entry,) = read("tbx3_dct.tbx")
    assert reader.dialect == "TBX v3 TBX-Basic DCT"
    assert entry.domain == "Legal concepts"
    assert entry.definition == "A court order forbidding contact with someone."
    assert entry.facilitator_note is None
    assert entry.details == {"xrefs": [{"type": "xGraphic", "target": "order.png",
                                        "text": "order.png"}]}
    en, uk = entry.terms
    assert en.fields == {"status": "preferred", "details": {"partOfSpeech": "noun"}}
    assert uk.fields["status"] == "admitted"
    assert uk.history == [{"type": "modification", "date": "2025-01-15", "by": "Colleague B"}]


@pytest.mark.parametrize("name, dialect", [("tbx_min.tbx", "TBX v3 TBX-Min DCT"),
                                           ("tbx_min_2014.tbx", "TBX-Min")])
def test_tbx_min_both_generations(app, name, dialect):
    reader, (entry,) = read(name)
    assert reader.dialect == dialect
    statuses = [(t.language, t.text, t.fields.get("status")) for t in entry.terms]
    if name == "tbx_min.tbx":
        assert statuses == [("en", "shame", "preferred"), ("ar", "الخجل", "preferred"),
                            ("ar", "العار", "deprecated")]  # notRecommended
        assert entry.terms[1].fields["usage_note"] == "Customer subset: Group A"
    else:
        assert statuses == [("en", "anger", "preferred"), ("uk", "гнів", "preferred"),
                            ("uk", "лють", "admitted")]  # termStatus / usageStatus
        assert entry.terms[1].fields["usage_note"] == "Customer: Programme East"
        assert entry.terms[1].fields["details"] == {"partOfSpeech": "noun"}


@pytest.mark.parametrize("name", ["entity_bomb.tbx", "xxe.tbx"])
def test_entity_declarations_are_refused(app, db, name):
    before = counts(db)
    with pytest.raises(TbxError) as caught:
        read(name)
    assert "declares XML entities" in str(caught.value)
    with pytest.raises(TbxError):
        run(db, name)
    assert counts(db) == before


def test_entities_are_refused_by_lxml_too_when_the_prolog_check_is_passed(app, monkeypatch):
    monkeypatch.setattr("glossary.importers.tbx.check_prolog", lambda head: None)
    with pytest.raises(TbxError, match="declares XML entities"):
        read("xxe.tbx")


def test_malformed_xml_names_the_line(app):
    with pytest.raises(TbxError) as caught:
        read("malformed.tbx")
    assert caught.value.line == 13
    assert "line 13" in str(caught.value)


def test_a_file_that_is_not_tbx_is_refused(app, tmp_path):
    path = tmp_path / "page.xml"
    path.write_text("<html><body><p>hello</p></body></html>", encoding="utf-8")
    with path.open("rb") as handle, pytest.raises(TbxError, match="root element is <html>"):
        list(read_tbx(handle))


# -- importing --------------------------------------------------------------------------

def test_import_creates_proposals_never_agreements(app, db):
    plan = run(db, "ar_fa_ti.tbx")
    assert plan.counts["new_concept"] == 2 and plan.counts["new_term"] == 8
    terms = {(t.language, t.text): t for t in db.exec(select(Term))}
    assert terms[("ti", "ምስጢራዊነት")].status == "admitted"
    assert terms[("ar", "السرية")].back_translation == "secrecy, confidentiality"
    assert terms[("fa-AF", "خشم")].usage_register == "neutral"
    states = {(a.target_language, a.state) for a in db.exec(select(Agreement))}
    assert states == {("ar", "proposed"), ("fa-AF", "proposed"), ("ti", "proposed")}
    confidentiality = db.exec(select(Concept).where(Concept.key == "confidentiality")).one()
    assert db.get(Domain, confidentiality.domain_id).key == "programme-rules"
    versions = db.exec(select(TermVersion)).all()
    assert len(versions) == 8 and {v.version for v in versions} == {1}
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "import",
                                            AuditEvent.entity == "glossary")).one()


def test_dry_run_writes_nothing_and_matches_the_import(app, db):
    before = counts(db)
    dry = run(db, "tbx2008_doctype_crlf_bom.tbx", dry=True)
    assert counts(db) == before
    assert dry.summary()["new_concept"] == 2
    done = run(db, "tbx2008_doctype_crlf_bom.tbx", expected_digest=dry.digest)
    assert done.digest == dry.digest and done.summary() == dry.summary()
    history = db.exec(select(AuditEvent).where(AuditEvent.action == "import",
                                               AuditEvent.entity == "concept")).all()
    assert any(e.after["history"] == [{"type": "origination", "date": "2024-03-01",
                                       "by": "Colleague A"}] for e in history)
    rape = db.exec(select(Concept).where(Concept.key == "rape")).one()
    assert {t.language for t in db.exec(select(Term).where(Term.concept_id == rape.id))} == {
        "en", "de"}  # en-GB read as the working language


def test_reimporting_changes_nothing(app, db):
    for name in ("tbx2008_doctype_crlf_bom.tbx", "tbx3_dca.tbx", "tbx3_dct.tbx",
                 "tbx_min.tbx", "tbx_min_2014.tbx", "ar_fa_ti.tbx"):
        run(db, name)
    before, snapshot = counts(db), dump(db)
    for name in ("tbx2008_doctype_crlf_bom.tbx", "tbx3_dca.tbx", "tbx3_dct.tbx",
                 "tbx_min.tbx", "tbx_min_2014.tbx", "ar_fa_ti.tbx"):
        again = run(db, name)
        assert again.changes == 0, (name, again.summary())
    assert counts(db) == before and dump(db) == snapshot


def test_a_changed_digest_refuses_and_changes_nothing(app, db, make_concept):
    dry = run(db, "tbx3_dct.tbx", dry=True)
    make_concept("protection order", key="protection-order", domain="legal")
    before = counts(db)
    with pytest.raises(Conflict, match="changed since the preview"):
        run(db, "tbx3_dct.tbx", expected_digest=dry.digest)
    assert counts(db) == before


def test_a_failure_half_way_leaves_the_database_as_before(app, db, monkeypatch):
    run(db, "tbx3_dct.tbx")
    before, snapshot = counts(db), dump(db)
    monkeypatch.setattr(plan_module, "CHUNK", 1)
    calls = []
    original = plan_module.Planner._write_new

    def failing(self):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self)

    monkeypatch.setattr(plan_module.Planner, "_write_new", failing)
    with pytest.raises(RuntimeError):
        run(db, "ar_fa_ti.tbx")
    assert len(calls) == 2  # the first concept had been written inside the transaction
    assert counts(db) == before and dump(db) == snapshot


def test_malformed_file_in_the_middle_writes_nothing(app, db, monkeypatch):
    monkeypatch.setattr(plan_module, "CHUNK", 1)
    before = counts(db)
    with pytest.raises(TbxError):
        run(db, "malformed.tbx")  # the first entry comes before the broken one
    assert counts(db) == before


def test_agreed_renderings_are_conflicts_and_stay_agreed(app, db, make_concept, make_person):
    anna = make_person("anna", "facilitator")
    samir = make_person("samir", "mediator", "ar")
    consent = make_concept("consent", key="consent", ar={"text": "الموافقة",
                                                         "back_translation": "approval"})
    agreement = agree(db, consent, "ar", anna, samir)
    assert agreement.state == "agreed"
    plan = run(db, "tbx2008_doctype_crlf_bom.tbx")
    conflicts = {(c.language, c.text) for c in plan.items["conflict"]}
    assert ("ar", "الموافقة") in conflicts and ("ar", "الرضا") in conflicts
    assert ("en", "consent") in conflicts  # a new source note would also unsettle it
    db.refresh(agreement)
    assert agreement.state == "agreed"
    term = db.exec(select(Term).where(Term.text == "الموافقة")).one()
    assert term.version == 1 and term.back_translation == "approval"
    assert db.exec(select(Term).where(Term.text == "الرضا")).first() is None


def test_a_sparse_file_never_wipes_fields(app, db, make_concept, tmp_path):
    make_concept("anger", key="anger", domain="emotions",
                 uk={"text": "гнів", "back_translation": "anger, wrath",
                     "usage_note": "Neutral."})
    path = tmp_path / "sparse.tbx"
    path.write_text(f"""<tbx type="TBX-Core" style="dca" xmlns="{NS}"><text><body>
<conceptEntry id="anger"><langSec xml:lang="uk"><termSec><term>гнів</term></termSec>
</langSec></conceptEntry></body></text></tbx>""", encoding="utf-8")
    plan = apply_import(db, entries=Source(path, working="en"), source="sparse.tbx",
                        working="en")
    assert plan.changes == 0 and plan.unchanged == 2
    term = db.exec(select(Term).where(Term.text == "гнів")).one()
    assert (term.back_translation, term.usage_note, term.version) == ("anger, wrath",
                                                                      "Neutral.", 1)


def test_changed_rendering_gets_a_new_version(app, db, make_concept):
    make_concept("shame", key="shame", domain="emotions", ar="الخجل")
    plan = run(db, "tbx_min.tbx")
    (change,) = plan.items["changed_term"]
    assert change.text == "الخجل" and change.detail.fields == ["usage_note"]
    assert str(change.detail) == "Usage note:  → Customer subset: Group A"
    term = db.exec(select(Term).where(Term.text == "الخجل")).one()
    assert term.version == 2 and term.usage_note == "Customer subset: Group A"
    assert [v.version for v in db.exec(select(TermVersion).where(
        TermVersion.term_id == term.id))] == [1, 2]


def test_entries_without_working_language_wait_for_a_wording(app, db, tmp_path):
    path = tmp_path / "de-ar.tbx"
    path.write_text(f"""<tbx type="TBX-Basic" style="dca" xmlns="{NS}"><text><body>
<conceptEntry id="x1"><langSec xml:lang="de"><termSec><term>Zustimmung</term></termSec>
</langSec><langSec xml:lang="ar"><termSec><term>الموافقة</term></termSec></langSec>
</conceptEntry>
<conceptEntry id="x2"><langSec xml:lang="en"><termSec><term>fear</term></termSec></langSec>
<langSec xml:lang="xx-Qqqq-bogus"><termSec><term>?</term></termSec></langSec></conceptEntry>
</body></text></tbx>""", encoding="utf-8")
    plan = build_plan(db, entries=Source(path, working="en"), source="de-ar.tbx",
                      working="en")
    assert plan.counts["new_concept"] == 2 and plan.counts["skipped"] == 1
    (waiting,) = plan.items["waiting"]
    assert (waiting.concept, waiting.language, waiting.text) == ("x1", "de", "Zustimmung")
    assert "working language (en)" in str(waiting.detail)
    assert plan.counts["new_domain"] == 1  # no subject field: "Imported (to sort)"
    apply_import(db, entries=Source(path, working="en"), source="de-ar.tbx", working="en")
    concept = db.exec(select(Concept).where(Concept.key == "x1")).one()
    assert sorted(t.language for t in db.exec(select(Term).where(
        Term.concept_id == concept.id))) == ["ar", "de"]
    again = build_plan(db, entries=Source(path, working="en"), source="de-ar.tbx",
                       working="en")
    assert again.changes == 0 and again.counts["waiting"] == 0


# -- exporting and round trips --------------------------------------------------------------

@pytest.fixture
def glossary(db, make_concept, make_person):
    anna = make_person("anna", "facilitator")
    samir = make_person("samir", "mediator", "ar")
    consent = make_concept("consent (sexual)", key="consent", ar={
        "text": "الموافقة", "back_translation": "agreement, approval",
        "usage_note": "Add 'free'.\n=not a formula", "register": "clinical"})
    make_concept("coercive control", key="coercive-control", domain="gender-relationships",
                 fa_AF={"no_equivalent": "on", "paraphrase": "کنترول همیشگی با ترس",
                        "back_translation": "constant control through fear"},
                 ti={"text": "ሕርቃን", "register": "euphemism", "status": "admitted"})
    make_concept("shame", key="shame", domain="emotions",
                 ar={"text": "العار", "status": "deprecated"})
    odd = make_concept("18 plus", key="18-plus", domain="legal")
    odd.sensitivity, odd.status, odd.facilitator_note = "high", "retired", "one\ntwo"
    db.add(odd)
    db.commit()
    agree(db, consent, "ar", anna, samir)
    return db


def test_tbx_export_structure(app, glossary, tmp_path):
    path = tmp_path / "out.tbx"
    assert write_tbx(glossary, str(path), working="en") == 4
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{NS}}}tbx" and root.get("type") == "TBX-Basic"
    assert root.get("style") == "dca"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    consent = root.find(".//t:conceptEntry[@id='consent']", T)
    ar = consent.find("t:langSec[@xml:lang='ar']", {"t": NS, "xml":
                                                    "http://www.w3.org/XML/1998/namespace"})
    assert ar.find(".//t:termNote[@type='administrativeStatus']", T).text == \
        "preferredTerm-admn-sts"
    # TBX-Basic has no register, directionality or approval: they travel as notes
    assert ar.find(".//t:termNote[@type='register']", T) is None
    notes = [e.text for e in ar.findall(".//t:note", T)]
    assert "Register: clinical" in notes
    approvals = [n for n in notes if n.startswith("Approval: ")]
    assert [a.split(", ", 1)[1] for a in approvals] == ["Anna (facilitator)",
                                                        "Samir (mediator)"]
    assert ar.find("t:transacGrp", T) is None
    coercive = root.find(".//t:conceptEntry[@id='coercive-control']", T)
    fa = coercive.findall("t:langSec", T)[1]
    fa_notes = [e.text for e in fa.findall(".//t:note", T)]
    assert {"No direct equivalent: yes", "Paraphrase: کنترول همیشگی با ترس"} <= set(fa_notes)
    # not agreed: never announced as preferred
    ti = coercive.findall("t:langSec", T)[2]
    assert ti.find(".//t:termNote[@type='administrativeStatus']", T).text == \
        "admittedTerm-admn-sts"
    assert root.find(".//t:conceptEntry[@id='shame']//t:termNote[@type="
                     "'administrativeStatus']", T) is not None
    shame_ar = root.findall(".//t:conceptEntry[@id='shame']/t:langSec", T)[1]
    assert shame_ar.find(".//t:termNote", T).text == "deprecatedTerm-admn-sts"
    assert root.find(".//t:conceptEntry[@id='_18-plus']", T) is not None  # NCName id


def test_tbx_core_dialect_declares_its_own_categories(app, glossary, tmp_path):
    path = tmp_path / "core.tbx"
    write_tbx(glossary, str(path), working="en", dialect="core")
    root = etree.parse(str(path)).getroot()
    assert root.get("type") == "TBX-AgreedTerms"
    declared = [p.text.split(":")[0] for p in root.findall(".//t:encodingDesc/t:p", T)]
    used = {e.get("type") for e in root.iter() if e.get("type")} - {
        "TBX-AgreedTerms", "dataCategory", "subjectField", "definition",
        "administrativeStatus", "transactionType", "responsibility"}
    assert used and used <= set(declared)
    consent = root.find(".//t:conceptEntry[@id='consent']", T)
    assert consent.find(".//t:langSec[2]//t:termNote[@type='register']", T).text == "clinical"
    assert consent.find(".//t:transacGrp/t:transac", T).text == "approval"


def test_tbx_export_chosen_languages_and_agreed_only(app, glossary, tmp_path):
    path = tmp_path / "ar.tbx"
    assert write_tbx(glossary, str(path), working="en", languages=["ar"],
                     agreed_only=True) == 1
    text = path.read_text(encoding="utf-8")
    assert "الموافقة" in text and "العار" not in text and "ሕርቃን" not in text
    path = tmp_path / "ti.tbx"
    write_tbx(glossary, str(path), working="en", languages=["ti"])
    text = path.read_text(encoding="utf-8")
    assert "ሕርቃን" in text and "الموافقة" not in text and "consent (sexual)" in text


def test_tbx_round_trip_without_loss(app, glossary, tmp_path, engine):
    path = tmp_path / "out.tbx"
    write_tbx(glossary, str(path), working="en")
    original = dump(glossary)
    from conftest import empty_database

    from glossary.importers.starter import load_domains

    glossary.rollback()  # release this session's locks before emptying (PostgreSQL)
    empty_database(engine)
    load_domains(glossary)
    plan = apply_import(glossary, entries=Source(path, working="en"), source="out.tbx",
                        working="en")
    assert plan.counts["skipped"] == 0 and plan.counts["conflict"] == 0
    assert dump(glossary) == original
    states = {a.state for a in glossary.exec(select(Agreement))}
    assert "agreed" not in states  # agreement is made here, not imported
    again = build_plan(glossary, entries=Source(path, working="en"), source="out.tbx",
                       working="en")
    assert again.changes == 0


def test_reimporting_our_own_export_into_the_same_glossary_changes_nothing(app, glossary,
                                                                            tmp_path):
    path = tmp_path / "out.tbx"
    write_tbx(glossary, str(path), working="en")
    before = counts(glossary)
    plan = apply_import(glossary, entries=Source(path, working="en"), source="out.tbx",
                        working="en")
    assert plan.changes == 0 and plan.counts["conflict"] == 0
    assert counts(glossary) == before


def test_a_dtd_on_the_network_is_never_fetched(app, tmp_path):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    path = tmp_path / "remote-dtd.tbx"
    path.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE martif SYSTEM "http://127.0.0.1:{port}/TBXcoreStructV02.dtd">
<martif type="TBX-Basic"><text><body><termEntry id="fear"><langSet xml:lang="en">
<tig><term>fear</term></tig></langSet></termEntry></body></text></martif>""",
                    encoding="utf-8")
    try:
        with path.open("rb") as handle:
            (entry,) = list(read_tbx(handle))
        assert entry.terms[0].text == "fear"
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody came for the DTD
    finally:
        listener.close()
