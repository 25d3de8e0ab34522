"""Benchmark of the groups page (every upcoming group with its readiness per language):
the demo glossary, then N groups of three target languages with every demo concept, in
a temporary SQLite database; prints the page's median time over 8 requests per size.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_groups.py [--groups 1,20,60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session, SQLModel, select  # noqa: E402

from glossary import create_app  # noqa: E402
from glossary.demo import DEMO_PASSWORD, load_demo  # noqa: E402
from glossary.groups import add_concepts, create_group, parse_group  # noqa: E402
from glossary.migrate import stamp  # noqa: E402
from glossary.models import Concept, Person  # noqa: E402


def page_ms(count: int) -> tuple[float, int]:
    """Median milliseconds of GET /groups with ``count`` groups, and the page's size."""
    folder = tempfile.mkdtemp(prefix="bench-groups-")
    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/groups.db", "EXPORTS_DIR": folder,
                      "TESTING": True, "WTF_CSRF_ENABLED": False})
    engine = app.extensions["glossary_engine"]
    SQLModel.metadata.create_all(engine)
    stamp(engine)
    with Session(engine, expire_on_commit=False) as session:
        load_demo(session, today=date.today())
        anna = session.exec(select(Person).where(Person.email == "anna@example.org")).one()
        concept_ids = list(session.exec(select(Concept.id)))
        for number in range(count):
            start = (date.today() + timedelta(days=10 + number)).isoformat()
            data = parse_group({"name": f"Group {number}", "working_language": "en",
                                "languages": "ar,fa-AF,uk", "start_date": start},
                               session=session, default_working="en")
            group = create_group(session, data=data, person=anna)
            add_concepts(session, group=group, concept_ids=concept_ids, person=anna)
    client = app.test_client()
    client.post("/login", data={"email": "anna@example.org", "password": DEMO_PASSWORD})
    times = []
    for _ in range(8):
        started = time.perf_counter()
        response = client.get("/groups")
        times.append(time.perf_counter() - started)
    assert response.status_code == 200
    engine.dispose()
    return statistics.median(times) * 1000, len(response.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", default="1,20,60", help="Sizes, comma-separated.")
    args = parser.parse_args()
    print("| groups (demo groups included) | GET /groups, median ms | page bytes |")
    print("| ---: | ---: | ---: |")
    for count in (int(n) for n in args.groups.split(",")):
        ms, size = page_ms(count)
        print(f"| {count + 1} | {ms:.1f} | {size:,} |")


if __name__ == "__main__":
    main()
