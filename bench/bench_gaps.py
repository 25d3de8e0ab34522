"""Benchmark of the trainers' view: the gap matrix at 1,000 concepts x 30 languages.

Builds a synthetic database (bulk inserts, deterministic) with agreements in every
state, then times the pages through the test client, the matrix function alone and the
downloads, and counts the SQL statements of each request. Prints a table.

    .venv/bin/python bench/bench_gaps.py                 # SQLite in a temporary folder
    .venv/bin/python bench/bench_gaps.py --database-url postgresql://postgres@127.0.0.1:5432/gaps6_bench
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert, text
from sqlmodel import Session, SQLModel, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from glossary import create_app, gaps, models  # noqa: E402
from glossary.importers.starter import load_domains  # noqa: E402
from glossary.models import Agreement, Concept, Dispute, Domain, Person, Signature, Term  # noqa: E402
from glossary.people import create_person  # noqa: E402

LANGUAGES = ("ar", "fa-AF", "ps", "ur", "ckb", "ti", "am", "uk", "ru", "bg", "sr-Cyrl", "tr",
             "ku", "so", "sq", "ro", "pl", "cs", "hu", "hr", "es", "fr", "it", "pt", "de",
             "nl", "vi", "fa", "mk", "sw")
TODAY = date(2026, 6, 1)
PASSWORD = "bench-password"


def build(engine, concepts: int, languages: int, seed: int = 6) -> None:
    """Fill an empty schema: domains, one trainer, a mediator per language (every fifth
    with lapsed training), concepts with an English wording and, per language, an
    agreement in a random state (or none)."""
    rng = random.Random(seed)
    tags = LANGUAGES[:languages]
    with Session(engine) as session:
        domains = [d.id for d in load_domains(session).values()]
        create_person(session, fields={"name": "Tamar Trainer", "email": "tamar@example.org",
                                       "roles": "trainer", "languages": "",
                                       "qualified": False, "training_date": None},
                      password=PASSWORD, by=None)
        facilitator = create_person(session, fields={
            "name": "Anna", "email": "anna@example.org", "roles": "facilitator",
            "languages": "", "qualified": False, "training_date": None},
            password=PASSWORD, by=None).id
        mediators = {}
        for n, tag in enumerate(tags):
            trained = TODAY - timedelta(days=900 if n % 5 == 0 else 100 + 10 * n)
            mediators[tag] = create_person(session, fields={
                "name": f"Mediator {tag}", "email": f"m{n}@example.org", "roles": "mediator",
                "languages": tag, "qualified": True, "training_date": trained},
                password=PASSWORD, by=None).id
        now = datetime(2026, 5, 1, tzinfo=UTC)
        session.execute(insert(Concept), [
            {"id": c + 1, "key": f"concept-{c:05d}", "domain_id": domains[c % len(domains)],
             "definition": "", "sensitivity": "medium", "facilitator_note": "",
             "status": "active", "version": 1, "is_demo": False,
             "created_at": now - timedelta(days=1000), "updated_at": now - timedelta(days=1000)}
            for c in range(concepts)])
        terms, agreements, signatures, disputes = [], [], [], []
        term_id = agreement_id = 0
        for c in range(1, concepts + 1):
            term_id += 1
            terms.append(_term(term_id, c, "en", f"concept {c}", now))
            for tag in tags:
                roll = rng.random()
                if roll < 0.30:
                    continue  # nothing yet in this language
                term_id += 1
                no_equivalent = roll > 0.97
                terms.append(_term(term_id, c, tag, f"{tag} {c}", now, no_equivalent))
                state = ("agreed" if roll < 0.75 else "proposed" if roll < 0.88
                         else "needs_review" if roll < 0.94 else "disputed" if roll < 0.97
                         else "agreed")
                agreement_id += 1
                agreed_at = now - timedelta(days=rng.randrange(0, 720))
                agreements.append({
                    "id": agreement_id, "concept_id": c, "source_language": "en",
                    "target_language": tag, "state": state, "lock_version": 0,
                    "agreed_at": agreed_at if state in ("agreed", "needs_review") else None,
                    "updated_at": agreed_at})
                if state in ("agreed", "needs_review"):
                    fp = f"en:{c}.1|{tag}:{term_id}.1"
                    for person, role in ((facilitator, "facilitator"),
                                         (mediators[tag], "mediator")):
                        signatures.append({"agreement_id": agreement_id, "person_id": person,
                                           "role": role, "fingerprint": fp, "wording": {},
                                           "created_at": agreed_at})
                if state == "disputed":
                    disputes.append({"agreement_id": agreement_id, "person_id": facilitator,
                                     "comment": "Not a free yes.", "resolution": "",
                                     "created_at": now - timedelta(days=rng.randrange(60))})
        for table, rows in ((Term, terms), (Agreement, agreements), (Signature, signatures),
                            (Dispute, disputes)):
            for start in range(0, len(rows), 5000):
                session.execute(insert(table), rows[start:start + 5000])
        session.commit()
        if engine.dialect.name == "postgresql":
            for name in ("concept", "term", "agreement"):
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                     f"(SELECT max(id) FROM {name}))"))
            session.execute(text("ANALYZE"))
            session.commit()


def _term(term_id, concept_id, language, wording, now, no_equivalent=False) -> dict:
    return {"id": term_id, "concept_id": concept_id, "language": language, "text": wording,
            "status": "preferred", "usage_register": "neutral", "back_translation": "",
            "usage_note": "", "no_equivalent": no_equivalent,
            "paraphrase": wording if no_equivalent else "", "version": 1, "is_demo": False,
            "updated_at": now}


def timed(fn, runs: int) -> tuple[float, object]:
    """Median wall time in milliseconds over ``runs`` calls (after one warm-up call)."""
    result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=1000)
    parser.add_argument("--languages", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-gaps-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "WTF_CSRF_ENABLED": False,
                      "EXPORTS_DIR": str(folder / "exports"), "TODAY": TODAY})
    engine = app.extensions["glossary_engine"]
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    assert models  # the tables are registered on the metadata
    SQLModel.metadata.create_all(engine)
    start = time.perf_counter()
    build(engine, args.concepts, args.languages)
    with Session(engine) as session:
        cells = len(session.exec(select(Agreement.id)).all())
        domains = len(session.exec(select(Domain.id)).all())
        people = len(session.exec(select(Person.id)).all())
    print(f"# {args.concepts} concepts x {args.languages} languages on {engine.dialect.name}: "
          f"{cells} agreements, {domains} domains, {people} people "
          f"(built in {time.perf_counter() - start:.1f} s); median of {args.runs} runs")

    statements = {"n": 0}

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args):
        statements["n"] += 1

    client = app.test_client()
    client.post("/login", data={"email": "tamar@example.org", "password": PASSWORD})
    rows = []

    def request(path, headers=None):
        def call():
            response = client.get(path, headers=headers or {})
            assert response.status_code == 200, (path, response.status_code)
            return response
        statements["n"] = 0
        client.get(path, headers=headers or {})
        count = statements["n"]
        ms, response = timed(call, args.runs)
        rows.append((f"GET {path}" + (" (htmx)" if headers else ""), ms, count,
                     len(response.get_data())))

    with app.app_context(), Session(engine) as session:
        ms, matrix = timed(lambda: gaps.matrix(session, working="en"), args.runs)
        rows.append(("gaps.matrix() page 1 of 50 rows", ms, None, None))
        ms, _lists = timed(lambda: gaps.gap_lists(session, working="en", today=TODAY,
                                                  validity_months=24), args.runs)
        rows.append(("gaps.gap_lists()", ms, None, None))
    for path in ("/trainers/matrix", "/trainers/matrix?page=20",
                 "/trainers/matrix?state=disputed&domain=legal", "/trainers/matrix?language=ar",
                 "/trainers/", "/trainers/agreements", "/trainers/training",
                 "/trainers/report", "/trainers/export/matrix.csv", "/trainers/export/gaps.xlsx"):
        request(path)
    request("/trainers/matrix?page=2", headers={"HX-Request": "true"})

    print(f"{'what':<58} {'ms':>9} {'SQL':>5} {'bytes':>10}")
    for what, ms, count, size in rows:
        print(f"{what:<58} {ms:>9.1f} {count if count is not None else '':>5} "
              f"{size if size is not None else '':>10}")
    print(f"# matrix: {matrix.concept_count} concepts, {len(matrix.languages)} languages, "
          f"{matrix.pages} pages")
    engine.dispose()


if __name__ == "__main__":
    main()
