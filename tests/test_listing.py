"""A page of the concept list, read domain by domain (glossary.listing)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from glossary.listing import concept_filters, page_of_concepts
from glossary.models import DOMAIN_ORDER, LIST_ORDER, Concept, Domain


@pytest.fixture()
def spread(db, make_concept):
    """Concepts in three domains, two of which share a position (the id decides)."""
    domains = db.exec(select(Domain).order_by(Domain.id)).all()[:3]
    for domain, position in zip(domains, (5, 1, 1), strict=True):
        domain.position = position
        db.add(domain)
    db.commit()
    for domain, count in zip(domains, (4, 3, 5), strict=True):
        for n in range(count):
            make_concept(f"{domain.key} word {n}", key=f"{domain.key}-{n:02d}",
                         domain=domain.key, **({"ar": f"كلمة {n}"} if n % 2 else {}))
    return domains


def keys(rows):
    return [concept.key for concept, _domain in rows]


def test_pages_follow_the_list_order_across_domain_boundaries(db, spread):
    everything = [c.key for c, _d in db.exec(
        select(Concept, Domain).join(Domain, Domain.id == Concept.domain_id)
        .order_by(*LIST_ORDER))]
    assert everything[:3] == [f"{spread[1].key}-{n:02d}" for n in range(3)]
    domains = db.exec(select(Domain).order_by(*DOMAIN_ORDER)).all()
    pages = [page_of_concepts(db, domains, page=n, size=5) for n in range(1, 5)]
    assert [len(p.rows) for p in pages] == [5, 5, 2, 0]
    assert sum((keys(p.rows) for p in pages), []) == everything
    assert {p.total for p in pages} == {12}
    assert all(domain.id == concept.domain_id for p in pages for concept, domain in p.rows)


def test_filters_apply_to_the_count_and_the_page(db, spread, make_concept):
    domains = db.exec(select(Domain).order_by(*DOMAIN_ORDER)).all()
    only = page_of_concepts(db, domains, concept_filters("en", domain_id=spread[2].id),
                            page=1, size=25)
    assert keys(only.rows) == [f"{spread[2].key}-{n:02d}" for n in range(5)]
    assert only.total == 5
    # the text is found in a rendering, whatever its case
    found = page_of_concepts(db, domains, concept_filters("en", text="كلمة 3"),
                             page=1, size=25)
    assert keys(found.rows) == [f"{spread[2].key}-03", f"{spread[0].key}-03"]
    proposed = page_of_concepts(
        db, domains, concept_filters("en", language="ar", state="proposed"), page=2, size=3)
    assert proposed.total == 1 + 2 + 2  # the odd ones, which have a rendering
    assert keys(proposed.rows) == [f"{spread[0].key}-01", f"{spread[0].key}-03"]
    still_open = page_of_concepts(
        db, domains, concept_filters("en", language="ar", state="open"), page=1, size=25)
    assert still_open.total == 12 - 5
    assert all(int(c.key[-2:]) % 2 == 0 for c, _d in still_open.rows)


def test_a_domain_is_read_in_key_order_from_its_index(db, spread):
    """On SQLite the query for one domain's slice uses ix_concept_domain_key and sorts
    nothing, whatever the size of the glossary."""
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    query = (select(Concept).where(Concept.domain_id == spread[0].id)
             .order_by(Concept.key).offset(2).limit(25))
    compiled = query.compile(db.get_bind(), compile_kwargs={"literal_binds": True})
    plan = " | ".join(row[-1] for row in db.connection().exec_driver_sql(
        f"EXPLAIN QUERY PLAN {compiled}"))
    assert "ix_concept_domain_key" in plan and "TEMP B-TREE" not in plan, plan
