"""Trainers' view: matrix states and totals, stale and at-risk lists, training, charts,
pages and the number of SQL statements per page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import TODAY, agree
from sqlalchemy import event
from sqlmodel import select

from glossary import gaps
from glossary.agreement import add_months, check_can_sign
from glossary.charts import Bar, Chart
from glossary.concepts import edit_term, parse_concept, parse_term, update_concept
from glossary.errors import InputError, Refused
from glossary.models import Agreement, Concept, Dispute, Person, Term
from glossary.signoff import get_or_create_agreement, raise_dispute

SVG = "{http://www.w3.org/2000/svg}"
VALIDITY = 24


@pytest.fixture
def people(make_person):
    return {
        "anna": make_person("anna", "facilitator"),
        "samir": make_person("samir", "mediator", "ar,fa-AF"),
        "leyla": make_person("leyla", "mediator", "ar"),
        "tamar": make_person("tamar", "trainer"),
        "alex": make_person("alex", "admin"),
    }




def edit(db, concept, language, text, person):
    term = db.exec(select(Term).where(Term.concept_id == concept.id,
                                      Term.language == language)).first()
    return edit_term(db, term=term, data=parse_term({"text": text}), seen_version=term.version,
                     person=person, working="en")


@pytest.fixture
def every_state(db, people, make_concept):
    """One concept per matrix state for Arabic; Dari has a rendering for one of them."""
    anna, samir = people["anna"], people["samir"]
    concepts = {
        "agreed": make_concept("consent", ar="الموافقة", fa_AF="رضایت"),
        "no_equivalent": make_concept("coercive control", domain="gender-relationships",
                                      ar={"no_equivalent": "on",
                                          "paraphrase": "السيطرة بالخوف والضغط"}),
        "proposed": make_concept("rape", ar="الاغتصاب"),
        "needs_review": make_concept("shame", domain="emotions", ar="الخجل"),
        "disputed": make_concept("anger", domain="emotions", ar="الغضب"),
        "none": make_concept("custody", domain="legal"),
    }
    make_concept("avoided only", domain="legal", ar={"text": "العار", "status": "deprecated"})
    agree(db, concepts["agreed"], "ar", anna, samir)
    agree(db, concepts["no_equivalent"], "ar", anna, samir)
    agree(db, concepts["needs_review"], "ar", anna, samir)
    edit(db, concepts["needs_review"], "ar", "العيب", anna)
    agreement = get_or_create_agreement(db, concept_id=concepts["disputed"].id, source="en",
                                        target="ar")
    raise_dispute(db, agreement=agreement, person=anna, comment="Too strong; means rage.")
    retired = make_concept("retired one", ar="قديم")
    update_concept(db, concept=retired, seen_version=retired.version, person=anna,
                   data=parse_concept({"key": retired.key, "source_text": "retired one",
                                       "domain_id": retired.domain_id, "status": "retired"},
                                      session=db))
    return concepts


def test_matrix_shows_each_state(db, every_state):
    matrix = gaps.matrix(db, working="en", page_size=None)
    cells = {row.key: row.cells for row in matrix.rows}
    for state, concept in every_state.items():
        assert cells[concept.key]["ar"] == state, state
    assert cells["avoided-only"]["ar"] == "none"  # only an "avoid" rendering: nothing agreed
    assert cells["consent"]["fa-AF"] == "proposed"
    assert "retired-one" not in cells and matrix.concept_count == 7
    assert matrix.languages == ["ar", "fa-AF"]  # renderings plus the mediators' languages
    assert matrix.column_totals["ar"] == {"agreed": 1, "no_equivalent": 1, "proposed": 1,
                                          "needs_review": 1, "disputed": 1, "none": 2}
    assert matrix.column_totals["fa-AF"]["none"] == 6
    consent = next(r for r in matrix.rows if r.key == "consent")
    assert consent.totals == {"agreed": 1, "proposed": 1}
    assert gaps.coverage(matrix.column_totals["ar"]) == (2, 7)
    # Rows come grouped by domain, in the domains' order.
    assert [r.domain_key for r in matrix.rows] == sorted(
        [r.domain_key for r in matrix.rows],
        key=["sexual-violence", "legal", "gender-relationships", "emotions"].index)


def test_matrix_filters_and_pages(db, every_state):
    disputed = gaps.matrix(db, working="en", state="disputed", page_size=None)
    assert [r.key for r in disputed.rows] == ["anger"]
    assert disputed.column_totals["ar"] == {"disputed": 1}
    emotions = gaps.matrix(db, working="en", domain="emotions", languages=["fa-af"],
                           page_size=None)
    assert emotions.languages == ["fa-AF"]  # the tag is made canonical
    assert {r.key for r in emotions.rows} == {"anger", "shame"}
    page = gaps.matrix(db, working="en", page=2, page_size=3)
    assert (page.page, page.pages, len(page.rows), page.concept_count) == (2, 3, 3, 7)
    assert page.rows[0].wording  # the working-language wording of the page's concepts
    assert gaps.matrix(db, working="en", page=99, page_size=3).page == 3
    for bad in ({"state": "open"}, {"domain": "nope"}, {"languages": ["not a tag"]}):
        with pytest.raises(InputError):
            gaps.matrix(db, working="en", **bad)


def test_stale_agreements_use_the_configured_age(db, client, auth, people, make_concept):
    anna, samir = people["anna"], people["samir"]
    old = agree(db, make_concept("consent", ar="الموافقة"), "ar", anna, samir)
    recent = agree(db, make_concept("rape", ar="الاغتصاب"), "ar", anna, samir)
    old.agreed_at = datetime(2025, 5, 31, 12, tzinfo=UTC)  # 12 months + 1 day before TODAY
    recent.agreed_at = datetime(2025, 6, 2, 12, tzinfo=UTC)
    db.add_all([old, recent])
    db.commit()
    stale = gaps.stale_agreements(db, working="en", today=TODAY)
    assert [(e.concept_key, e.age_days) for e in stale] == [("consent", 366)]
    assert len(gaps.stale_agreements(db, working="en", today=TODAY, months=6)) == 2

    auth.login("tamar@example.org")
    html = client.get("/trainers/agreements").get_data(as_text=True)
    assert "Agreed more than 12 months ago <small>(1)</small>" in html
    client.application.config["GAPS_STALE_MONTHS"] = 6
    html = client.get("/trainers/agreements").get_data(as_text=True)
    assert "Agreed more than 6 months ago <small>(2)</small>" in html


def test_lapsed_mediator_signature_puts_only_current_agreements_at_risk(db, people,
                                                                        make_concept):
    anna, samir, leyla = people["anna"], people["samir"], people["leyla"]
    at_risk = agree(db, make_concept("consent", ar="الموافقة"), "ar", anna, samir)
    resigned = make_concept("shame", ar="الخجل")
    agree(db, resigned, "ar", anna, samir)
    edit(db, resigned, "ar", "العيب", anna)
    agree(db, resigned, "ar", anna, leyla)  # Samir's signature is on the old wording
    agree(db, make_concept("rape", ar="الاغتصاب"), "ar", anna, leyla)
    assert gaps.lapsed_signatures(db, working="en", today=TODAY, validity_months=VALIDITY) == []

    samir.training_date = add_months(TODAY, -VALIDITY) - timedelta(days=1)
    db.add(samir)
    db.commit()
    entries = gaps.lapsed_signatures(db, working="en", today=TODAY, validity_months=VALIDITY)
    assert [(e.agreement_id, e.person_name) for e in entries] == [(at_risk.id, "Samir")]
    assert entries[0].training_expiry == TODAY - timedelta(days=1)
    assert entries[0].wording == "consent"


def test_edits_since_signing_and_open_disputes(db, people, make_concept):
    anna, samir = people["anna"], people["samir"]
    reviewed = make_concept("shame", ar="الخجل")
    agree(db, reviewed, "ar", anna, samir)
    edit(db, reviewed, "ar", "العيب", anna)
    redefined = make_concept("consent", ar="الموافقة")
    agree(db, redefined, "ar", anna, samir)
    agree(db, make_concept("rape", ar="الاغتصاب"), "ar", anna, samir)
    update_concept(db, concept=redefined, seen_version=redefined.version, person=anna,
                   data=parse_concept({"key": "consent", "source_text": "consent",
                                       "domain_id": redefined.domain_id,
                                       "definition": "A free, informed yes."}, session=db))
    review = gaps.needs_review(db, working="en", today=TODAY)
    assert {(e.concept_key, e.reason) for e in review} == {("shame", "wording"),
                                                           ("consent", "concept")}

    agreement = get_or_create_agreement(db, concept_id=reviewed.id, source="en", target="ar")
    dispute = raise_dispute(db, agreement=agreement, person=samir, comment="=Too harsh")
    dispute.created_at = datetime.combine(TODAY - timedelta(days=10), datetime.min.time(),
                                          tzinfo=UTC)
    db.add(dispute)
    db.commit()
    disputes = gaps.open_disputes(db, working="en", today=TODAY)
    assert [(e.concept_key, e.age_days, e.person_name, e.reason) for e in disputes] == [
        ("shame", 10, "Samir", "=Too harsh")]
    assert db.exec(select(Dispute)).one().resolved_at is None


def test_training_statuses_match_the_signing_rule(db, make_person):
    expiry_in_30 = add_months(TODAY + timedelta(days=30), -VALIDITY)
    make_person("current", "mediator", "ar", trained_days_ago=100)
    make_person("due", "mediator", "ti", trained_days_ago=(TODAY - expiry_in_30).days)
    make_person("overdue", "mediator", "uk", trained_days_ago=800)
    make_person("missing", "mediator", "ckb", trained_days_ago=None)
    make_person("anna", "facilitator")
    gone = make_person("gone", "mediator", "ps", trained_days_ago=900)
    gone.active = False
    db.add(gone)
    db.commit()
    entries = gaps.training(db, today=TODAY, validity_months=VALIDITY)
    assert [(e.name, e.status) for e in entries] == [
        ("Missing", "missing"), ("Overdue", "overdue"), ("Due", "due"), ("Current", "current")]
    due = entries[2]
    assert due.days_left == 30 and due.can_sign and due.languages == ["ti"]
    for entry in entries:
        person = db.get(Person, entry.person_id)
        try:
            check_can_sign(person, "mediator", target_language=person.language_list[0],
                           today=TODAY, validity_months=VALIDITY)
        except Refused:
            assert not entry.can_sign
        else:
            assert entry.can_sign


def test_agreements_over_time_counts_per_month(db, people, make_concept):
    anna, samir = people["anna"], people["samir"]
    dates = [datetime(2026, 5, 3, tzinfo=UTC), datetime(2026, 5, 20, tzinfo=UTC),
             datetime(2025, 12, 31, 23, tzinfo=UTC), datetime(2025, 5, 1, tzinfo=UTC)]
    for n, when in enumerate(dates):
        agreement = agree(db, make_concept(f"term {n}", ar=f"مصطلح {n}"), "ar", anna, samir)
        agreement.agreed_at = when
        db.add(agreement)
    db.commit()
    months = dict(gaps.agreements_over_time(db, working="en", today=TODAY))
    assert len(months) == 12 and min(months).isoformat() == "2025-07-01"
    assert months[date(2026, 4, 1)] == 0
    assert {m.isoformat(): n for m, n in months.items() if n} == {"2026-05-01": 2,
                                                                 "2025-12-01": 1}


def svg_bars(svg: str) -> dict[str, tuple[str, str]]:
    """{label: (data-value, value text)} of a chart's bars."""
    root = ET.fromstring(svg)
    out = {}
    for group in root.iter(f"{SVG}g"):
        texts = {t.get("class"): "".join(t.itertext()) for t in group.iter(f"{SVG}text")}
        out[group.get("data-label")] = (group.get("data-value"), texts["chart-value"])
    return out


def test_chart_svg_is_accessible_and_mirrors_for_rtl():
    chart = Chart("c1", "Coverage <per> language", "Arabic: 80%; Tigrinya: 5%.",
                  [Bar("Arabic", 0.8, "80% (8 of 10)"), Bar("Tigrinya", 0.05, "5%")], maximum=1)
    root = ET.fromstring(str(chart.svg()))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Coverage <per> language"
    assert root.find(f"{SVG}desc").text == "Arabic: 80%; Tigrinya: 5%."
    assert svg_bars(str(chart.svg())) == {"Arabic": ("0.8", "80% (8 of 10)"),
                                          "Tigrinya": ("0.05", "5%")}
    fills = [float(r.get("width")) for r in root.iter(f"{SVG}rect")
             if r.get("class") == "chart-fill"]
    tracks = [float(r.get("width")) for r in root.iter(f"{SVG}rect")
              if r.get("class") == "chart-track"]
    assert fills[0] == pytest.approx(tracks[0] * 0.8, abs=0.1)
    assert fills[1] == pytest.approx(tracks[1] * 0.05, abs=0.1)

    rtl = ET.fromstring(str(chart.svg(rtl=True)))
    label = next(t for t in rtl.iter(f"{SVG}text") if t.get("class") == "chart-label")
    fill = next(r for r in rtl.iter(f"{SVG}rect") if r.get("class") == "chart-fill")
    assert label.get("direction") == "rtl"
    assert float(label.get("x")) > float(fill.get("x")) + float(fill.get("width"))
    columns = Chart("c2", "Per month", "…", [Bar("Jan", 1, "1"), Bar("Feb", 3, "3")],
                    kind="columns")
    heights = {g.get("data-label"): float(g.find(f"{SVG}rect").get("height"))
               for g in ET.fromstring(str(columns.svg())).iter(f"{SVG}g")}
    assert heights["Feb"] == pytest.approx(3 * heights["Jan"], abs=0.2)


def test_overview_charts_carry_the_numbers(client, auth, db, every_state):
    for agreement in db.exec(select(Agreement).where(Agreement.agreed_at.is_not(None))):
        agreement.agreed_at = datetime(2026, 5, 15, tzinfo=UTC)  # within TODAY's year
        db.add(agreement)
    db.commit()
    auth.login("tamar@example.org")
    html = client.get("/trainers/").get_data(as_text=True)
    svgs = {m.group(2): m.group(1)
            for m in re.finditer(r'(<svg[^>]* id="(chart-[a-z]+)".*?</svg>)', html, re.S)}
    assert set(svgs) == {"chart-languages", "chart-domains", "chart-time"}
    languages = svg_bars(svgs["chart-languages"])
    assert languages["Arabic"] == (f"{2 / 7:g}", "29% (2 of 7)")
    assert languages["Dari"] == ("0", "0% (0 of 7)")
    domains = svg_bars(svgs["chart-domains"])
    assert domains["Emotions and mental health"][1] == "0% (0 of 4)"
    assert domains["Gender roles and relationships"][1] == "50% (1 of 2)"
    months = svg_bars(svgs["chart-time"])
    assert len(months) == 12 and sum(int(v) for v, _t in months.values()) == 3
    assert months["May\n2026"] == ("3", "3")  # consent, coercive control, shame
    # The text alternative holds the same numbers.
    assert "<th scope=\"row\">Arabic</th><td class=\"num\">29% (2 of 7)</td>" in html
    assert "Arabic: 29% (2 of 7)" in html  # in the chart's <desc>


@pytest.mark.parametrize("path", ["/trainers/", "/trainers/matrix", "/trainers/agreements",
                                  "/trainers/training", "/trainers/report",
                                  "/trainers/export/matrix.csv", "/trainers/export/gaps.xlsx"])
def test_pages_are_for_trainers_and_admins(client, auth, people, path):
    assert client.get(path).status_code == 302
    for who, status in (("anna", 403), ("samir", 403), ("tamar", 200), ("alex", 200)):
        auth.login(f"{who}@example.org")
        assert client.get(path).status_code == status, (who, path)


def test_matrix_page_links_cells_and_filters(client, auth, every_state):
    auth.login("tamar@example.org")
    consent = every_state["agreed"]
    html = client.get("/trainers/matrix").get_data(as_text=True)
    assert f'<a href="/concepts/{consent.id}#lang-ar" title="Agreed">' in html
    assert html.count('class="gap gap-') == 7 * 2
    assert html.count('class="gap-domain"') == 4
    assert 'class="gap gap-no_equivalent"' in html and "Gaps and training" in html
    html = client.get("/trainers/matrix?state=disputed").get_data(as_text=True)
    assert html.count('class="gap gap-') == 2 and "anger" in html and "custody" not in html
    fragment = client.get("/trainers/matrix?language=ar&domain=legal",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="gap-matrix">') and "<html" not in fragment
    assert fragment.count('class="gap gap-') == 2
    assert "export/matrix.csv?domain=legal&amp;language=ar" in fragment
    response = client.get("/trainers/matrix?state=open")
    assert response.status_code == 400 and "State must be one of" in response.get_data(True)


def test_lists_and_report_pages_show_rtl_text_safely(client, auth, db, people, every_state):
    auth.login("tamar@example.org")
    html = client.get("/trainers/agreements").get_data(as_text=True)
    assert "Too strong; means rage." in html and "Wording edited since signing" in html
    assert '<bdi lang="ar" dir="rtl">العربية</bdi>' in html
    report = client.get("/trainers/report").get_data(as_text=True)
    assert 'class="gap-report"' in report and report.count("<svg") == 3
    assert "<details class=\"chart-data\" open>" in report
    for path in ("/trainers/", "/trainers/matrix", "/trainers/report", "/trainers/training"):
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert "style=" not in page and " onclick=" not in page, path


def test_training_page_lists_who_cannot_sign(client, auth, make_person):
    make_person("tamar", "trainer")
    make_person("yonas", "mediator", "ti", trained_days_ago=800)
    make_person("olena", "mediator", "uk", trained_days_ago=100)
    auth.login("tamar@example.org")
    html = client.get("/trainers/training").get_data(as_text=True)
    assert html.index("Yonas") < html.index("Olena")
    assert "Overdue: cannot sign" in html and "Tigrinya" in html
    overview = client.get("/trainers/").get_data(as_text=True)
    assert "Yonas" in overview and "Olena" not in overview  # only those needing a refresher


@pytest.fixture
def statements(engine):
    """Count the SQL statements sent while the fixture's ``counting`` flag is set."""

    class Counter:
        counting = False
        count = 0

    counter = Counter()

    def before(_conn, _cursor, statement, _params, _context, _many):
        # The session store's own reads and writes are the same for every page.
        if counter.counting and "websession" not in statement:
            counter.count += 1

    event.listen(engine, "before_cursor_execute", before)
    yield counter
    event.remove(engine, "before_cursor_execute", before)


def count_for(client, counter, path: str) -> int:
    counter.counting, counter.count = True, 0
    response = client.get(path)
    counter.counting = False
    assert response.status_code == 200, path
    return counter.count


def add_concepts(db, people, make_concept, start: int, stop: int) -> None:
    anna, samir = people["anna"], people["samir"]
    for n in range(start, stop):
        concept = make_concept(f"term {n:03d}", ar=f"مصطلح {n}", uk=f"термін {n}")
        if n % 3 == 0:
            agree(db, concept, "ar", anna, samir)


def test_statements_per_page_do_not_grow_with_concepts(client, auth, db, people, make_concept,
                                                       statements):
    paths = ("/trainers/matrix", "/trainers/matrix?state=proposed&domain=sexual-violence",
             "/trainers/", "/trainers/agreements", "/trainers/report")
    add_concepts(db, people, make_concept, 0, 10)
    auth.login("tamar@example.org")
    small = {path: count_for(client, statements, path) for path in paths}
    add_concepts(db, people, make_concept, 10, 60)
    large = {path: count_for(client, statements, path) for path in paths}
    assert large == small
    assert small["/trainers/matrix"] <= 20
    html = client.get("/trainers/matrix").get_data(as_text=True)
    # ar, uk and fa-AF (Samir's other language, no renderings yet): three columns.
    assert "Page 1 of 2" in html and html.count('class="gap gap-') == 50 * 3
    assert db.exec(select(Agreement).where(Agreement.state == "agreed")).all()
    assert len(db.exec(select(Concept)).all()) == 60


def test_pages_render_for_an_empty_organisation(client, auth, make_person):
    make_person("tamar", "trainer")
    auth.login("tamar@example.org")
    for path in ("/trainers/", "/trainers/matrix", "/trainers/agreements",
                 "/trainers/training", "/trainers/report", "/trainers/export/matrix.csv",
                 "/trainers/export/gaps.xlsx"):
        assert client.get(path).status_code == 200, path
    html = client.get("/trainers/").get_data(as_text=True)
    assert html.count("No data yet.") == 2  # no languages, no domains with concepts
    assert "No concepts match these filters." in client.get("/trainers/matrix").get_data(True)


def test_matrix_filtered_by_group_keeps_its_concepts_and_languages(db, client, auth,
                                                                   make_person, make_concept):
    from glossary import groups as group_service
    from glossary.gaps import matrix

    anna = make_person("anna", "facilitator,trainer")
    needed = make_concept("consent", key="consent", ar="الموافقة", uk="згода")
    make_concept("anger", key="anger", ar="الغضب", ti="ሕርቃን")
    data = group_service.GroupInput(name="Tuesday group", working_language="en",
                                    start_date=date(2026, 7, 1), languages=["ar"],
                                    facilitator_ids=[anna.id], mediator_ids=[])
    group = group_service.create_group(db, data=data, person=anna)
    group_service.add_concepts(db, group=group, person=anna, concept_ids=[needed.id])
    result = matrix(db, working="en", group=group.id, page_size=None)
    assert [row.key for row in result.rows] == ["consent"]
    assert result.languages == ["ar"]
    auth.login("anna@example.org")
    html = client.get(f"/trainers/matrix?group={group.id}").get_data(as_text=True)
    table = html.split('id="gap-matrix"', 1)[-1]
    assert "Tuesday group" in html and "consent" in table and "anger" not in table
