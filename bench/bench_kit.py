"""Benchmark of the session kit: a 300-concept pack with a recording each.

Builds a temporary SQLite database (migrated as ``glossary init`` does) with N concepts
agreed in Arabic, each with its own recording (a synthetic 1.2 s tone, different per
concept, converted as an upload is), a group with those concepts, its frozen pack and a
kit link; serves it with ``glossary serve`` and opens the link in Debian's Chromium.
Prints one table: the bytes the phone keeps (page, style, script, manifest, icon and
every recording, read back from the kit's cache), the time of the first load (until the
kit says it is saved for offline use), and the time to reopen it offline (reload, and a
new tab), median of the runs.

    .venv/bin/python bench/bench_kit.py                # 300 concepts, 5 runs
    .venv/bin/python bench/bench_kit.py --concepts 50 --runs 3
"""

from __future__ import annotations

import argparse
import io
import math
import os
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import wave
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, select  # noqa: E402

from glossary import create_app, groups  # noqa: E402
from glossary.audio import store  # noqa: E402
from glossary.concepts import create_concept, parse_concept, parse_term, propose_term  # noqa: E402
from glossary.importers.starter import load_domains  # noqa: E402
from glossary.kit.links import issue_link  # noqa: E402
from glossary.migrate import upgrade  # noqa: E402
from glossary.models import Agreement, Domain, Term  # noqa: E402
from glossary.people import create_person  # noqa: E402
from glossary.signoff import current_fingerprint, sign  # noqa: E402


def tone(index: int, seconds: float = 1.2, rate: int = 16_000) -> bytes:
    """A WAV of a tone whose pitch depends on ``index``: every concept its own sound."""
    pitch = 150 + index * 1.7
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(rate)
        target.writeframes(b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * pitch * i / rate)))
            for i in range(int(rate * seconds))))
    return out.getvalue()


def build(url: str, concepts: int) -> tuple[str, float]:
    """Fill the database; return the kit link's path and the seconds spent converting."""
    app = create_app({"DATABASE_URL": url})
    engine = app.extensions["glossary_engine"]
    upgrade(engine)
    converting = 0.0
    today = date.today()
    with app.test_request_context(), Session(engine, expire_on_commit=False) as session:
        load_domains(session)
        session.commit()
        anna = create_person(session, fields={"name": "Anna", "email": "anna@example.org",
                                              "roles": "facilitator"},
                             password="bench-password-1", by=None)
        samir = create_person(session, fields={
            "name": "Samir", "email": "samir@example.org", "roles": "mediator",
            "languages": "ar", "qualified": True,
            "training_date": today - timedelta(days=30)}, password="bench-password-1", by=None)
        domain_id = session.exec(select(Domain.id)).first()
        ids = []
        for i in range(concepts):
            data = parse_concept({"key": f"bench-{i:04d}", "source_text": f"bench word {i}",
                                  "domain_id": domain_id}, session=session)
            concept = create_concept(session, data=data, source_text=f"bench word {i}",
                                     working="en", person=None)
            term = propose_term(session, concept=concept, language="ar",
                                data=parse_term({"text": f"كلمة {i}"}), person=None,
                                working="en")
            started = time.perf_counter()
            blob = store.store_audio(session, data=tone(i), limits=store.AudioLimits())
            converting += time.perf_counter() - started
            store.record_term(session, term=session.get(Term, term.id), sha256=blob.sha256,
                              seen_version=1, person=samir, working="en")
            agreement = session.exec(select(Agreement).where(
                Agreement.concept_id == concept.id)).one()
            for person, role in ((anna, "facilitator"), (samir, "mediator")):
                sign(session, agreement=agreement, person=person, role=role,
                     seen_fingerprint=current_fingerprint(session, agreement), today=today,
                     validity_months=24)
            ids.append(concept.id)
        group = groups.create_group(session, person=anna, data=groups.GroupInput(
            name="Bench group", working_language="en", start_date=today, languages=["ar"],
            facilitator_ids=[anna.id], mediator_ids=[samir.id]))
        groups.add_concepts(session, group=group, person=anna, concept_ids=ids)
        groups.create_pack(session, group=group, language="ar", person=anna)
        _link, token = issue_link(session, group=group, language="ar", person=anna, days=1)
    engine.dispose()
    return f"/kit/t/{token}/", converting


def serve(url: str, folder: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, GLOSSARY_DATABASE_URL=url, GLOSSARY_EXPORTS_DIR=str(folder),
               PYTHONWARNINGS="ignore")
    process = subprocess.Popen([sys.executable, "-m", "glossary.cli", "serve", "--port",
                                str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    return process, f"http://127.0.0.1:{port}"


CACHED_BYTES = """async () => {
    const cache = await caches.open(document.body.dataset.kitCache);
    let total = 0, audio = 0, count = 0;
    for (const request of await cache.keys()) {
        const size = (await (await cache.match(request)).blob()).size;
        total += size; count += 1;
        if (/\\/audio\\//.test(request.url)) { audio += size; }
    }
    return {total, audio, count, page: document.documentElement.outerHTML.length};
}"""


def measure(base: str, path: str, runs: int, concepts: int) -> list[tuple[str, str]]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    first, reloads, tabs, sizes = [], [], [], {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 360, "height": 800})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(base + path)
            page.wait_for_selector("body[data-kit-ready=offline]", timeout=120_000)
            first.append(time.perf_counter() - started)
            sizes = page.evaluate(CACHED_BYTES)
            context.set_offline(True)
            started = time.perf_counter()
            page.reload()
            page.wait_for_function(f"document.querySelectorAll('.kit-word').length == {concepts}")
            reloads.append(time.perf_counter() - started)
            page.close()
            started = time.perf_counter()
            tab = context.new_page()
            tab.goto(base + path)
            tab.wait_for_function(f"document.querySelectorAll('.kit-word').length == {concepts}")
            tabs.append(time.perf_counter() - started)
            context.close()
        browser.close()
    median = statistics.median
    return [
        ("files kept on the phone", f"{sizes['count']:,}"),
        ("page HTML (characters)", f"{sizes['page']:,}"),
        ("bytes kept, all", f"{sizes['total']:,}"),
        ("bytes kept, recordings", f"{sizes['audio']:,}"),
        ("first load until saved offline, s (median)", f"{median(first):.2f}"),
        ("first load, s (min-max)", f"{min(first):.2f}-{max(first):.2f}"),
        ("reopen offline: reload, s (median)", f"{median(reloads):.2f}"),
        ("reopen offline: new tab, s (median)", f"{median(tabs):.2f}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-kit-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    started = time.perf_counter()
    path, converting = build(url, args.concepts)
    building = time.perf_counter() - started
    process, base = serve(url, folder)
    try:
        rows = measure(base, path, args.runs, args.concepts)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    rows = [("concepts, each with a recording", f"{args.concepts}"),
            ("converting the recordings, s per recording",
             f"{converting / args.concepts:.3f}"),
            ("building the data, s", f"{building:.1f}"), *rows]
    print(f"| measure ({args.runs} runs) | value |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
