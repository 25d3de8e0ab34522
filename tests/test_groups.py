"""Groups: input, readiness per language pair, the pre-session checklist, session packs,
the pages, the command line and the demo group."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import TODAY, agree
from sqlmodel import SQLModel, select

from glossary import groups, signoff
from glossary.concepts import edit_term, parse_term, propose_term
from glossary.errors import InputError, NotFound, Refused
from glossary.models import AuditEvent, Concept, Domain, Term
from glossary.models.groups import ChecklistConfirmation, ImmutablePackError, SessionPack


@pytest.fixture
def staff(make_person):
    return {"anna": make_person("anna", "facilitator"),
            "samir": make_person("samir", "mediator", "ar"),
            "olena": make_person("olena", "mediator", "uk"),
            "yonas": make_person("yonas", "mediator", "ti", trained_days_ago=725),
            "oskar": make_person("oskar", "outreach")}


@pytest.fixture
def concepts(db, staff, make_concept):
    """consent and anger agreed in Arabic and Ukrainian; rape proposed in Arabic and
    signed by the facilitator only; shame with only an "avoid" rendering in Arabic."""
    found = {"consent": make_concept("consent", ar="الموافقة", uk="згода", ti="ፍቓድ"),
             "anger": make_concept("anger", domain="emotions", ar="الغضب", uk="гнів"),
             "rape": make_concept("rape", ar="الاغتصاب", uk="зґвалтування"),
             "shame": make_concept("shame", domain="emotions",
                                   ar={"text": "العار", "status": "deprecated"})}
    anna = staff["anna"]
    for key in ("consent", "anger"):
        agree(db, found[key], "ar", anna, staff["samir"])
        agree(db, found[key], "uk", anna, staff["olena"])
    agreement = signoff.get_or_create_agreement(db, concept_id=found["rape"].id, source="en",
                                                target="ar")
    db.commit()
    signoff.sign(db, agreement=agreement, person=anna, role="facilitator",
                 seen_fingerprint=signoff.current_fingerprint(db, agreement), today=TODAY,
                 validity_months=24)
    agree(db, found["rape"], "uk", anna, staff["olena"])
    return found


@pytest.fixture
def group(db, staff, concepts):
    data = groups.GroupInput(name="Tuesday group", working_language="en",
                             start_date=TODAY + timedelta(days=10),
                             languages=["ar", "uk", "ti"], facilitator_ids=[staff["anna"].id],
                             mediator_ids=[staff["samir"].id, staff["olena"].id,
                                           staff["yonas"].id])
    found = groups.create_group(db, data=data, person=staff["anna"])
    groups.add_concepts(db, group=found, person=staff["anna"],
                        concept_ids=[c.id for c in concepts.values()])
    return found


# --- input ----------------------------------------------------------------------------


def form(**values):
    base = {"name": "Thursday group", "working_language": "en", "languages": "ar, fa-af",
            "start_date": "2026-07-01", "facilitator_ids": [], "mediator_ids": []}
    return base | values


def test_group_form_is_validated(db, staff):
    data = groups.parse_group(form(languages="ar, fa-af en uk ar"), session=db,
                              default_working="en")
    assert data.languages == ["ar", "fa-AF", "uk"]  # canonical, no duplicates, no working
    assert str(data.start_date) == "2026-07-01"
    cases = [(form(languages="en"), "languages"), (form(languages="xx-!!"), "languages"),
             (form(name=""), "name"), (form(name="Group\u202e"), "name"),
             (form(start_date="31/12/2026"), "start_date"),
             (form(mediator_ids=[str(staff["anna"].id)]), "mediator_ids"),
             (form(facilitator_ids=[str(staff["samir"].id)]), "facilitator_ids"),
             (form(facilitator_ids=["x"]), "facilitator_ids")]
    for values, field in cases:
        with pytest.raises(InputError) as caught:
            groups.parse_group(values, session=db, default_working="en")
        assert caught.value.field == field, values


def test_group_names_are_unique_ignoring_case_and_only_organisers_create(db, staff, group):
    data = groups.parse_group(form(name="TUESDAY GROUP"), session=db, default_working="en")
    with pytest.raises(InputError, match="already called"):
        groups.create_group(db, data=data, person=staff["anna"])
    with pytest.raises(Refused):
        groups.create_group(db, data=groups.parse_group(form(), session=db,
                                                        default_working="en"),
                            person=staff["samir"])
    assert [g.name for g in db.exec(select(groups.Group))] == ["Tuesday group"]


def test_update_refuses_a_stale_version_and_keeps_the_group(db, staff, group):
    data = groups.parse_group(form(name="Renamed", languages="uk"), session=db,
                              default_working="en")
    groups.update_group(db, group=group, data=data, seen_version=1, person=staff["anna"])
    assert group.name == "Renamed" and groups.group_languages(db, group) == ["uk"]
    from glossary.errors import Conflict

    with pytest.raises(Conflict):
        groups.update_group(db, group=group, data=data, seen_version=1, person=staff["anna"])


def test_concepts_by_domain_then_single_ones(db, staff, make_concept):
    anna = staff["anna"]
    group = groups.create_group(db, person=anna, data=groups.parse_group(
        form(), session=db, default_working="en"))
    emotions = db.exec(select(Domain).where(Domain.key == "emotions")).one()
    first = make_concept("fear", domain="emotions")
    second = make_concept("shame", domain="emotions")
    retired = make_concept("old word", domain="emotions")
    retired.status = "retired"
    db.add(retired)
    db.commit()
    assert groups.add_domain(db, group=group, domain_id=emotions.id, person=anna) == 2
    assert groups.add_domain(db, group=group, domain_id=emotions.id, person=anna) == 0
    groups.remove_concept(db, group=group, concept_id=first.id, person=anna)
    assert groups.group_concept_ids(db, group) == [second.id]
    assert groups.add_concepts(db, group=group, concept_ids=[first.id], person=anna) == 1
    with pytest.raises(InputError):
        groups.add_concepts(db, group=group, concept_ids=[99999], person=anna)
    with pytest.raises(NotFound):
        groups.remove_concept(db, group=group, concept_id=retired.id, person=anna)


def test_group_tables_record_nothing_about_ethnicity_or_participants():
    tables = [t for t in SQLModel.metadata.sorted_tables
              if t.name in ("programme_group", "group_language", "group_member",
                            "group_concept", "checklist_confirmation", "session_pack")]
    assert len(tables) == 6
    columns = " ".join(c.name for t in tables for c in t.columns).lower()
    for word in ("ethnic", "community", "origin", "nationality", "religion", "participant"):
        assert word not in columns


# --- readiness ------------------------------------------------------------------------


def test_readiness_counts_agreed_over_needed_with_reasons(db, group, concepts, staff):
    by_language = {pair.language: pair for pair in groups.readiness(db, group)}
    assert [(p.agreed, p.needed, p.ready) for p in by_language.values()] == [
        (2, 4, False), (3, 4, False), (0, 4, False)]
    blockers = {b.key: b for b in by_language["ar"].blockers}
    assert set(blockers) == {"rape", "shame"}
    assert blockers["rape"].state == "proposed"
    assert "mediator's signature is missing" in blockers["rape"].reason
    assert blockers["shame"].state == "open" and "avoid" in blockers["shame"].reason
    assert {b.key: b.state for b in by_language["uk"].blockers} == {"shame": "open"}
    assert "No rendering yet." in [b.reason for b in by_language["uk"].blockers]
    # Domain order (sexual violence before emotions), then key.
    assert [b.key for b in by_language["ti"].blockers] == ["consent", "rape", "anger", "shame"]

    # An edit sends the pair back to review; a dispute names its comment.
    term = db.exec(select(Term).where(Term.text == "الغضب")).one()
    edit_term(db, term=term, data=parse_term({"text": "السخط"}), seen_version=1,
              person=staff["anna"], working="en")
    consent_ar = signoff.get_or_create_agreement(db, concept_id=concepts["consent"].id,
                                                 source="en", target="ar")
    signoff.raise_dispute(db, agreement=consent_ar, person=staff["samir"],
                          comment="Means approval only.")
    blockers = {b.key: b for b in groups.readiness(db, group, ["ar"])[0].blockers}
    assert blockers["anger"].state == "needs_review"
    assert "sign again" in blockers["anger"].reason
    assert blockers["consent"].reason == "Disputed: Means approval only."


def test_readiness_of_many_groups_is_each_groups_readiness(db, group, concepts, staff):
    """The groups page reads every group's readiness at once: the same answer as one
    group at a time, for groups with other concepts, languages and working languages."""
    second = groups.create_group(db, data=groups.GroupInput(
        name="Arabic-led group", working_language="ar", start_date=TODAY,
        languages=["en", "uk"], facilitator_ids=[], mediator_ids=[]), person=staff["anna"])
    groups.add_concepts(db, group=second, person=staff["anna"],
                        concept_ids=[concepts["anger"].id, concepts["consent"].id])
    third = groups.create_group(db, data=groups.GroupInput(
        name="Empty group", working_language="en", start_date=None, languages=["ti"],
        facilitator_ids=[], mediator_ids=[]), person=staff["anna"])
    consent_ar = signoff.get_or_create_agreement(db, concept_id=concepts["consent"].id,
                                                 source="en", target="ar")
    signoff.raise_dispute(db, agreement=consent_ar, person=staff["samir"],
                          comment="Means approval only.")
    together = groups.readiness_of_groups(db, [group, second, third])
    for each in (group, second, third):
        assert together[each.id] == groups.readiness(db, each), each.name
    assert [p.language for p in together[second.id]] == ["en", "uk"]
    assert together[third.id][0].needed == 0
    assert "Disputed: Means approval only." in [
        str(b.reason) for b in together[group.id][0].blockers]


def test_a_group_with_every_concept_agreed_is_ready(db, group, concepts, staff):
    groups.remove_concept(db, group=group, concept_id=concepts["shame"].id,
                          person=staff["anna"])
    uk = groups.readiness(db, group, ["uk"])[0]
    assert (uk.agreed, uk.needed, uk.ready, uk.blockers, uk.percent) == (3, 3, True, [], 100)


# --- checklist ------------------------------------------------------------------------


def rows_of(db, group, language, **kwargs):
    return {row.item.key: row for row in groups.checklist(
        db, group, language, today=kwargs.get("today", TODAY), validity_months=24)}


def test_checklist_computes_qualification_training_and_vocabulary(db, group, staff):
    ar = rows_of(db, group, "ar")
    assert list(ar) == [item.key for item in groups.CHECKLIST]
    assert ar["mediator_qualified"].done and ar["sgbv_training_current"].done
    from glossary.agreement import training_expiry

    expiry = training_expiry(TODAY - timedelta(days=100), 24)
    assert ar["sgbv_training_current"].details == [f"Samir: current until {expiry}"]
    assert not ar["vocabulary_agreed"].done
    assert ar["vocabulary_agreed"].details == ["2 of 4 concepts agreed"]
    # Yonas trained 725 days ago: current today, lapsed by the group's start.
    from glossary.agreement import training_current

    assert training_current(staff["yonas"].training_date, TODAY, 24)
    ti = rows_of(db, group, "ti")
    assert not ti["sgbv_training_current"].done
    assert re.match(r"Yonas: lapsed on \d{4}-\d{2}-\d{2}, refresher needed",
                    ti["sgbv_training_current"].details[0])
    staff["samir"].qualified = False
    db.add(staff["samir"])
    db.commit()
    assert not rows_of(db, group, "ar")["mediator_qualified"].done
    # Without a mediator for the language, neither can be done.
    groups.update_group(db, group=group, seen_version=group.version, person=staff["anna"],
                        data=groups.GroupInput(name=group.name, working_language="en",
                                               languages=["ar"]))
    ar = rows_of(db, group, "ar")
    assert not ar["mediator_qualified"].done and not ar["sgbv_training_current"].done
    assert "No mediator" in ar["mediator_qualified"].details[0]


def test_manual_confirmations_record_who_when_and_a_note(db, group, staff):
    anna = staff["anna"]
    groups.confirm(db, group=group, language="ar", item="matching_checked", person=anna,
                   note="Checked at the briefing.")
    row = rows_of(db, group, "ar")["matching_checked"]
    assert row.done and row.confirmed_by.id == anna.id
    assert row.confirmation.note == "Checked at the briefing." and row.confirmation.at
    assert not rows_of(db, group, "uk")["matching_checked"].done  # per language
    groups.confirm(db, group=group, language="ar", item="matching_checked", person=anna,
                   confirmed=False)
    assert not rows_of(db, group, "ar")["matching_checked"].done
    history = db.exec(select(ChecklistConfirmation)).all()
    assert [h.confirmed for h in history] == [True, False]
    events = db.exec(select(AuditEvent).where(AuditEvent.entity == "group",
                                              AuditEvent.action.in_(["confirm", "withdraw"])))
    assert [e.action for e in events] == ["confirm", "withdraw"]


@pytest.mark.parametrize("item,who,error", [
    ("sgbv_training_current", "anna", Refused), ("vocabulary_agreed", "anna", Refused),
    ("no_children", "samir", Refused), ("no_children", "oskar", Refused),
    ("made_up", "anna", NotFound)])
def test_computed_items_and_non_organisers_are_refused(db, group, staff, item, who, error):
    with pytest.raises(error):
        groups.confirm(db, group=group, language="ar", item=item, person=staff[who])
    assert db.exec(select(ChecklistConfirmation)).all() == []


def test_confirmation_note_is_cleaned_and_language_must_be_the_groups(db, group, staff):
    with pytest.raises(InputError, match="U\\+202E"):
        groups.confirm(db, group=group, language="ar", item="no_children",
                       person=staff["anna"], note="ok\u202e")
    with pytest.raises(NotFound):
        groups.confirm(db, group=group, language="fa-AF", item="no_children",
                       person=staff["anna"])
    assert db.exec(select(ChecklistConfirmation)).all() == []


# --- session packs --------------------------------------------------------------------


def test_pack_is_refused_while_concepts_are_unagreed(db, group, staff):
    with pytest.raises(Refused) as caught:
        groups.create_pack(db, group=group, language="ar", person=staff["anna"])
    assert "2 of 4 concepts are not agreed" in str(caught.value)
    assert "rape" in str(caught.value) and "shame" in str(caught.value)
    assert db.exec(select(SessionPack)).all() == []
    with pytest.raises(Refused):
        groups.create_pack(db, group=group, language="ar", person=staff["samir"], draft=True)
    draft = groups.create_pack(db, group=group, language="ar", person=staff["anna"], draft=True)
    assert draft.draft and (draft.agreed_count, draft.concept_count) == (2, 4)


def test_pack_content_holds_only_agreed_wording_and_a_canonical_hash(db, group, concepts,
                                                                     staff):
    pack = groups.create_pack(db, group=group, language="ar", person=staff["anna"], draft=True)
    by_key = {c["key"]: c for c in pack.content["concepts"]}
    assert [r["text"] for r in by_key["consent"]["renderings"]] == ["الموافقة"]
    assert by_key["rape"]["renderings"] == [] and by_key["rape"]["state"] == "proposed"
    assert by_key["consent"]["fingerprint"].startswith("en:")
    assert re.fullmatch(r"[0-9a-f]{12}", pack.content_hash)
    assert pack.content_hash == groups.content_hash(pack.content)
    reordered = dict(reversed(list(pack.content.items())))
    assert groups.content_hash(reordered) == pack.content_hash
    # Same state, same pack; renaming the group is not a change of wording.
    again = groups.create_pack(db, group=group, language="ar", person=staff["anna"], draft=True)
    assert again.id == pack.id
    group.name = "Renamed"
    db.add(group)
    db.commit()
    assert not groups.differs_from_pack(db, group, pack)


def test_packs_are_frozen_and_the_group_sees_later_changes(db, group, concepts, staff):
    groups.remove_concept(db, group=group, concept_id=concepts["shame"].id,
                          person=staff["anna"])
    pack = groups.create_pack(db, group=group, language="uk", person=staff["anna"])
    frozen = dict(pack.content)
    assert not pack.draft and not groups.differs_from_pack(db, group, pack)
    term = db.exec(select(Term).where(Term.text == "згода")).one()
    edit_term(db, term=term, data=parse_term({"text": "дозвіл"}), seen_version=1,
              person=staff["anna"], working="en")
    db.expire_all()
    stored = db.get(SessionPack, pack.id)
    assert stored.content == frozen and groups.pack_intact(stored)
    assert groups.differs_from_pack(db, group, stored)
    stored.content_hash = "000000000000"
    with pytest.raises(ImmutablePackError):
        db.commit()
    db.rollback()
    with pytest.raises(ImmutablePackError):
        db.delete(db.get(SessionPack, pack.id))
        db.commit()
    db.rollback()
    assert db.get(SessionPack, pack.id).content_hash == pack.content_hash


def test_new_concepts_or_definitions_also_differ_from_the_pack(db, group, concepts, staff,
                                                               make_concept):
    pack = groups.create_pack(db, group=group, language="ar", person=staff["anna"], draft=True)
    concept = db.get(Concept, concepts["consent"].id)
    concept.definition = "A free yes."
    db.add(concept)
    db.commit()
    assert groups.differs_from_pack(db, group, pack)


# --- pages ----------------------------------------------------------------------------


def test_dashboard_lists_upcoming_groups_with_readiness_and_days(client, auth, db, group,
                                                                 staff):
    past = groups.create_group(db, person=staff["anna"], data=groups.parse_group(
        form(name="Last spring", start_date=str(TODAY - timedelta(days=30))), session=db,
        default_working="en"))
    auth.login("oskar@example.org")
    page = client.get("/groups").get_data(as_text=True)
    assert "Tuesday group" in page and "in 10 days" in page and past.name not in page
    assert "2 of 4 agreed" in page and "0 of 4 agreed" in page
    assert "New group" not in page  # outreach staff read only
    assert "Last spring" in client.get("/groups?past=1").get_data(as_text=True)


def test_group_page_shows_blockers_with_links_to_fix_them(client, auth, group, concepts):
    auth.login("anna@example.org")
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "2 of 4 concepts agreed" in page
    rape, shame = concepts["rape"].id, concepts["shame"].id
    assert f'href="/concepts/{rape}#lang-ar"' in page and "Review and sign" in page
    assert f'href="/concepts/{shame}/terms/new?language=uk"' in page
    assert "Make a draft pack" in page and "Freeze session pack" not in page
    assert 'lang="ar" dir="rtl"' in page


def test_create_group_and_pick_concepts_through_the_pages(client, auth, db, staff,
                                                          make_concept):
    fear = make_concept("fear", domain="emotions")
    make_concept("shame", domain="emotions")
    auth.login("anna@example.org")
    response = client.post("/groups/new", data={
        "name": "مجموعة الخميس", "working_language": "en", "languages": "ar,uk",
        "start_date": "2026-07-01", "facilitator_ids": [str(staff["anna"].id)],
        "mediator_ids": [str(staff["samir"].id)]})
    assert response.status_code == 302 and "/concepts" in response.location
    group = db.exec(select(groups.Group)).one()
    emotions = db.exec(select(Domain).where(Domain.key == "emotions")).one()
    client.post(f"/groups/{group.id}/concepts/domain", data={"domain_id": emotions.id})
    client.post(f"/groups/{group.id}/concepts/{fear.id}/remove")
    page = client.get(f"/groups/{group.id}/concepts").get_data(as_text=True)
    assert "1 concept chosen." in page
    client.post(f"/groups/{group.id}/concepts/add", data={"concept_id": fear.id})
    assert len(groups.group_concept_ids(db, group)) == 2
    bad = client.post("/groups/new", data={"name": "", "languages": ""})
    assert bad.status_code == 400
    assert "Give at least one target language" in bad.get_data(as_text=True)


def test_a_start_date_that_is_not_a_date_is_refused_and_nothing_saved(client, auth, db,
                                                                         staff):
    auth.login("anna@example.org")
    response = client.post("/groups/new", data={
        "name": "Thursday group", "working_language": "en", "languages": "ar",
        "start_date": "31.07.2026", "facilitator_ids": [str(staff["anna"].id)]})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The start date must be a date like 2026-03-31." in page
    assert 'value="Thursday group"' in page  # what was typed is kept
    assert db.exec(select(groups.Group)).all() == []


@pytest.mark.parametrize("path", ["/groups/new", "/groups/{id}/edit"])
def test_only_organisers_edit_groups(client, auth, group, path):
    auth.login("samir@example.org")
    assert client.get(path.format(id=group.id)).status_code == 403
    assert client.post(f"/groups/{group.id}/packs", data={"language": "ar",
                                                          "draft": "1"}).status_code == 403
    assert client.get(f"/groups/{group.id}").status_code == 200


def test_checklist_confirmation_with_htmx_and_as_a_plain_post(client, auth, db, group):
    auth.login("anna@example.org")
    url = f"/groups/{group.id}/checklist/ar/no_children"
    fragment = client.post(url, data={"action": "confirm", "note": "Adults only."},
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<li class="check-item done"')
    assert "Confirmed by Anna" in fragment and "Adults only." in fragment
    response = client.post(url, data={"action": "withdraw"})
    assert response.status_code == 302 and response.location.endswith("#item-no_children")
    page = client.get(response.location).get_data(as_text=True)
    assert "Confirmation withdrawn." in page and "Withdrawn by Anna" in page
    refused = client.post(f"/groups/{group.id}/checklist/ar/vocabulary_agreed",
                          data={"action": "confirm"}, headers={"HX-Request": "true"})
    assert "computed and cannot be ticked" in refused.get_data(as_text=True)
    assert client.post(f"/groups/{group.id}/checklist/fa-AF/no_children").status_code == 404


def test_packs_and_handouts_through_the_pages(client, auth, db, app, group, concepts):
    auth.login("anna@example.org")
    response = client.post(f"/groups/{group.id}/packs", data={"language": "ar"})
    assert "Not ready" in client.get(response.location).get_data(as_text=True)
    client.post(f"/groups/{group.id}/packs", data={"language": "ar", "draft": "1"})
    pack = db.exec(select(SessionPack)).one()
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    # A draft with unagreed concepts does not claim to match the agreed wording.
    assert pack.content_hash in page and "matches the wording agreed now" not in page
    assert "2 of its 4 concepts are not agreed yet" in page
    download = client.get(f"/groups/{group.id}/packs/{pack.id}/glossary.docx")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    assert "attachment" in download.headers["Content-Disposition"]
    from pathlib import Path

    written = Path(app.config["EXPORTS_DIR"]) / f"tuesday-group-ar-pack{pack.id}-glossary.docx"
    assert written.read_bytes() == download.data
    assert client.get(f"/groups/{group.id}/packs/{pack.id}/poster.pdf").status_code == 404
    assert client.get(f"/groups/{group.id}/packs/999/glossary.pdf").status_code == 404
    # A later edit shows on the group page.
    term = db.exec(select(Term).where(Term.text == "الموافقة")).one()
    edit_term(db, term=term, data=parse_term({"text": "القبول"}), seen_version=1,
              person=_anna(db), working="en")
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "has changed since this pack was frozen" in page


def _anna(db):
    from glossary.models import Person

    return db.exec(select(Person).where(Person.email == "anna@example.org")).one()


# --- command line ---------------------------------------------------------------------


def test_pack_create_exits_non_zero_when_not_ready(cli, db, group):
    result = cli("pack", "create", "--group", "tuesday group", "--language", "ar")
    assert result.exit_code != 0
    assert "Not ready: 2 of 4 concepts are not agreed for Arabic (rape, shame)" in result.output
    result = cli("pack", "create", "--group", str(group.id), "--language", "AR", "--draft")
    assert result.exit_code == 0, result.output
    assert "DRAFT" in result.output and "2/4 concepts agreed" in result.output
    result = cli("pack", "create", "--group", "no such group", "--language", "ar")
    assert result.exit_code != 0 and "No group is called" in result.output


def test_export_handout_uses_the_newest_pack_or_says_how_to_make_one(cli, db, group,
                                                                     tmp_path):
    result = cli("export", "handout", "--group", "Tuesday group", "--language", "uk",
                 "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code != 0
    assert "no session pack for uk yet" in result.output and "--draft" in result.output
    cli("pack", "create", "--group", "Tuesday group", "--language", "uk", "--draft")
    pack = db.exec(select(SessionPack)).one()
    target = tmp_path / "uk.docx"
    result = cli("export", "handout", "--group", "Tuesday group", "--language", "uk",
                 "--format", "docx", "-o", str(target), "--kind", "glossary")
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:2] == b"PK" and pack.content_hash in result.output
    result = cli("export", "handout", "--group", "Tuesday group", "--language", "ar",
                 "--format", "docx", "--pack", str(pack.id), "-o", str(target))
    assert result.exit_code != 0 and "is for uk, not ar" in result.output


# --- demo -----------------------------------------------------------------------------


def test_demo_group_has_arabic_and_ukrainian_packed_and_gaps_elsewhere(db):
    from glossary.demo import DEMO_RENDERINGS, load_demo

    load_demo(db, today=TODAY)
    group = groups.find_group(db, "Demo group")
    assert groups.group_languages(db, group) == ["ar", "fa-AF", "ti", "uk"]
    assert group.start_date == TODAY + timedelta(days=14)
    members = groups.group_members(db, group)
    assert [p.email for p in members["facilitator"]] == ["anna@example.org"]
    assert len(members["mediator"]) == 4
    pairs = {p.language: p for p in groups.readiness(db, group)}
    assert all(p.needed == len(DEMO_RENDERINGS) for p in pairs.values())
    assert pairs["ar"].ready and pairs["uk"].ready
    assert not pairs["fa-AF"].ready and not pairs["ti"].ready
    packs = groups.packs_of(db, group)
    assert sorted(p.target_language for p in packs) == ["ar", "uk"]
    assert not any(p.draft for p in packs)
    assert not any(groups.differs_from_pack(db, group, p) for p in packs)
    # The demo renderings stay usable for the rest of the workflow.
    propose_term(db, concept=db.exec(select(Concept).where(Concept.key == "rape")).one(),
                 language="fa-AF", data=parse_term({"text": "تجاوز جنسی"}), person=None,
                 working="en")
    assert groups.readiness(db, group, ["fa-AF"])[0].agreed == pairs["fa-AF"].agreed
