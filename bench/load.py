"""Load: gunicorn (2 workers) on SQLite and on PostgreSQL under a mixed workload from wrk
on loopback: readers (concept list, concept pages, search) and writers (edit a
rendering, sign it as facilitator), 32 concurrent clients for 60 s by default.

    .venv/bin/python bench/load.py                      # both databases, 60 s each
    .venv/bin/python bench/load.py --db sqlite --duration 20 --think-ms 0

Needs wrk (Debian: apt-get install -y wrk). PostgreSQL runs in a database of its own,
`glossary_load`, created and dropped here. Prints requests/s, p50/p95/p99 and errors for
pages and for writes, then checks in the database that every acknowledged edit and
signature is there. Every server started here is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

from ops_support import ROOT, Client, Server, drop_database, scratch_database, seed

LUA = ROOT / "bench" / "load"


def signable(writer: dict) -> str:
    return ", ".join(f"{{{c}, {e}, {a}}}" for c, e, a in writer.get("signable", []))


def lua_config(path: Path, seeded, readers: list[Client], writers: list[Client],
               search: str, think_ms: int, mode: str) -> None:
    def quoted(values):
        return "{" + ", ".join(json.dumps(str(v)) for v in values) + "}"

    entries = []
    for client, writer in zip(writers, seeded.writers, strict=True):
        entries.append(
            f"{{cookie = {json.dumps(client.cookie)}, csrf = {json.dumps(client.csrf)}, "
            f"concept = {writer['concept']}, term = {writer['term']}, "
            f"en_term = {writer['en_term']}, version = {writer['version']}, "
            f"signable = {{{signable(writer)}}}}}")
    path.write_text(
        "return {\n"
        f"  list_pages = {max(1, len(seeded.concepts) // 25)},\n"
        f"  concepts = {{{', '.join(str(c) for c in seeded.concepts)}}},\n"
        f"  queries = {quoted(urllib.parse.quote(q) for q in seeded.queries)},\n"
        f"  search = {json.dumps(search)},\n"
        f"  cookies = {quoted(c.cookie for c in readers)},\n"
        f"  word = {json.dumps(urllib.parse.quote_plus('الموافقة'))},\n"
        f"  think_ms = {think_ms},\n"
        f"  mode = {json.dumps(mode)},\n"
        f"  writers = {{{', '.join(entries)}}},\n"
        "}\n", encoding="utf-8")


def wrk(script: str, threads: int, connections: int, seconds: int, base: str,
        config: Path) -> subprocess.Popen:
    return subprocess.Popen(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
         "--timeout", "10s", "-s", str(LUA / script), base, "--", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def result_of(process: subprocess.Popen) -> dict:
    output, _ = process.communicate()
    for line in output.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"wrk printed no result:\n{output}")


def database_counts(url: str, concept_ids: list[int]) -> dict:
    from sqlalchemy import func, select

    from glossary.db import make_engine
    from glossary.models import AuditEvent, Signature, Term, TermVersion

    engine = make_engine(url)
    with engine.connect() as connection:
        terms = select(Term.id).where(Term.concept_id.in_(concept_ids), Term.language == "ar")
        counts = {
            "signatures": connection.execute(select(func.count()).select_from(Signature)
                                             ).scalar(),
            "versions": connection.execute(select(func.count()).select_from(TermVersion)
                                           .where(TermVersion.term_id.in_(terms))).scalar(),
            "sign_events": connection.execute(select(func.count()).select_from(AuditEvent)
                                              .where(AuditEvent.action == "sign")).scalar(),
            "edit_events": connection.execute(select(func.count()).select_from(AuditEvent)
                                              .where(AuditEvent.action == "edit")).scalar(),
        }
    engine.dispose()
    return counts


def run(kind: str, args, workdir: Path) -> dict:
    url = scratch_database(kind, workdir, "glossary_load")
    started = time.monotonic()
    seeded = seed(url, concepts=args.concepts, readers=args.readers, writers=args.writers,
                  signable=args.signable if args.writes == "sign" else 0)
    seeding = time.monotonic() - started
    server = Server(url, args.port, workdir, workers=args.workers, threads=args.threads)
    try:
        server.start()
        readers = [Client(server.base, email) for email in seeded.readers]
        writers = [Client(server.base, w["email"]) for w in seeded.writers]
        for writer, spec in zip(writers, seeded.writers, strict=True):
            writer.get(f"/terms/{spec['term']}/edit")  # the form's CSRF token
        search = "/search?q=" if readers[0].get("/search?q=a")[0] == 200 else "/concepts?q="
        config = workdir / f"wrk-{kind}.lua"
        lua_config(config, seeded, readers, writers, search, args.think_ms, args.writes)
        # Warm up: every worker builds its caches (search index, templates).
        warm = wrk("pages.lua", 2, 4, 5, server.base, config)
        result_of(warm)
        pages = wrk("pages.lua", 2, args.readers, args.duration, server.base, config)
        writes = (wrk("writes.lua", args.writers, args.writers, args.duration, server.base,
                      config) if args.writers else None)
        page_result = result_of(pages)
        write_result = result_of(writes) if writes else None
    finally:
        server.stop()
    counts = database_counts(url, [w["concept"] for w in seeded.writers])
    if not args.keep:
        drop_database(url)
    return {"db": kind, "seeding_s": round(seeding, 1), "search": search.split("?")[0],
            "pages": page_result, "writes": write_result, "database": counts}


def report(result: dict, args) -> None:
    print(f"\n== {result['db']}: gunicorn {args.workers} workers x {args.threads} threads, "
          f"{args.readers} readers + {args.writers} writers, {args.duration} s, "
          f"{args.concepts} concepts; search via {result['search']}")
    print(f"{'traffic':<8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    for name in ("pages", "writes"):
        row = result[name]
        if not row:
            continue
        errors = row["bad_status"] + row["socket_errors"]
        print(f"{name:<8} {row['requests']:>9} {row['requests'] / row['seconds']:>8.1f} "
              f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} "
              f"{row['max_ms']:>8.1f} {errors:>7}")
    writes, counts = result["writes"], result["database"]
    if writes:
        # wrk stops mid-request at the deadline: up to one write per writer may have been
        # saved without its answer being counted.
        initial = args.writers  # each writer's concept starts with version 1
        print(f"acknowledged: {writes['edits']} edits, {writes['signs']} signatures; "
              f"in the database: {counts['versions'] - initial} new versions, "
              f"{counts['signatures']} signatures")
        lost = (writes["edits"] > counts["versions"] - initial
                or writes["signs"] > counts["signatures"])
        print("lost acknowledged writes: " + ("YES" if lost else "none"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--readers", type=int, default=24)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--concepts", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think-ms", type=int, default=0)
    parser.add_argument("--writes", choices=("sign", "edit-sign"), default="sign",
                        help="sign-off posts only, or an edit before each signature")
    parser.add_argument("--signable", type=int, default=1500,
                        help="concepts waiting for each writer's signature")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    results = []
    with tempfile.TemporaryDirectory(prefix="glossary-load-") as folder:
        for kind in kinds:
            results.append(run(kind, args, Path(folder)))
            report(results[-1], args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
