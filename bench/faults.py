"""Faults: gunicorn workers killed with SIGKILL in the middle of a sign-off burst and of
an import (one long write transaction), and the database becoming unreachable.

1. burst: the no-lost-writes clients (pairs editing and signing) run while a worker is
   killed every few seconds; afterwards every acknowledged edit and signature is in the
   database and the history is consistent (versions without gaps, one audit event per
   version and per signature, signatures bound to saved wording, states as the rules
   derive them). Requests cut off by a kill are retried, as a person would.
2. import: a CSV of many concepts is uploaded and confirmed through the import pages;
   the worker running the import's transaction is killed mid-way. Afterwards nothing of
   it is in the database (every table has the rows it had before), and the same import
   then runs to the end.
3. unreachable (PostgreSQL only, without stopping the shared server): the app reaches
   PostgreSQL through a TCP proxy on loopback; the proxy is cut for a while: pages are a
   503 "temporarily unavailable" page without a trace, /health says 503, and once the
   proxy is back the same workers serve pages again, without a restart.

    .venv/bin/python bench/faults.py                   # all of it, SQLite and PostgreSQL
    .venv/bin/python bench/faults.py --db sqlite --only burst
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import tempfile
import threading
import time
from pathlib import Path

from no_lost_writes import check_history, run_clients
from ops_support import (
    POSTGRES,
    Client,
    Server,
    drop_database,
    post_file,
    request,
    scratch_database,
    seed,
    seed_pairs,
)
from tcpproxy import TcpProxy


def cpu_ticks(pid: int) -> int:
    """User plus system CPU ticks a process has used (from /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def busiest_worker(server: Server, window: float = 0.3) -> int:
    """The worker that used the most CPU during ``window`` seconds."""
    pids = server.worker_pids()
    before = {pid: cpu_ticks(pid) for pid in pids}
    time.sleep(window)
    return max(pids, key=lambda pid: cpu_ticks(pid) - before[pid])


def wait_healthy(server: Server, timeout: float = 60) -> float:
    """Seconds until /health answers 200 again."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if request(server.base, "GET", "/health", timeout=5)[0] == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not come back")


def table_counts(url: str) -> dict[str, int]:
    from sqlalchemy import func, select
    from sqlmodel import SQLModel

    from glossary.db import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        counts = {t.name: connection.execute(select(func.count()).select_from(t)).scalar()
                  for t in SQLModel.metadata.sorted_tables
                  if t.info.get("backup", True)}
    engine.dispose()
    return counts


# -- 1. a worker killed during a sign-off burst --------------------------------------------

def burst(kind: str, args, workdir: Path) -> dict:
    url = scratch_database(kind, workdir, "glossary_faults")
    seeded, people = seed_pairs(url, args.clients)
    server = Server(url, args.port, workdir, workers=2).start()
    kills: list[int] = []
    done, signed_in = threading.Event(), threading.Event()

    def killer():
        signed_in.wait()
        time.sleep(args.first_kill)
        while not done.is_set() and len(kills) < args.kills:
            pid = random.choice(server.worker_pids())
            os.kill(pid, signal.SIGKILL)
            kills.append(pid)
            done.wait(args.kill_every)

    thread = threading.Thread(target=killer)
    started = time.monotonic()
    try:
        thread.start()
        tallies = run_clients(server.base, people, args.rounds, seeded.writers, signed_in)
        done.set()
        thread.join()
        elapsed = time.monotonic() - started
        workers_after = len(server.worker_pids())
    finally:
        done.set()
        signed_in.set()
        server.stop()
    found = check_history(url, seeded.writers)
    drop_database(url)
    texts = found["counts"].pop("texts")
    acknowledged = [text for t in tallies for text in t.edits]
    return {
        "db": kind, "seconds": round(elapsed, 1), "kills": len(kills),
        "workers_after": workers_after,
        "edits_acknowledged": len(acknowledged),
        "signatures_acknowledged": sum(t.signatures for t in tallies),
        "new_versions": found["counts"]["new_versions"],
        "signatures": found["counts"]["signatures"],
        "unanswered": sum(t.unknown for t in tallies),
        "acknowledged_but_missing": sum(1 for text in acknowledged if texts[text] < 1),
        "history_problems": found["problems"],
        "client_errors": [e for t in tallies for e in t.errors],
    }


# -- 2. a worker killed during an import --------------------------------------------------

def import_file(concepts: int, tag: str) -> bytes:
    lines = ["key,domain,definition,term,term:ar,back:ar"]
    for number in range(concepts):
        lines.append(f"import-{tag}-{number:05d},legal,Imported meaning {number}.,"
                     f"imported concept {tag} {number},مفهوم مستورد {number},imported concept")
    return ("\n".join(lines) + "\n").encode()


def upload(client: Client, content: bytes) -> str:
    """Upload and preview an import; return the confirm path and its digest."""
    client.get("/imports")
    status, headers, _body = post_file(client, "/imports", {"format": "csv", "domain": ""},
                                       "file", "terms.csv", content)
    if status != 302:
        raise RuntimeError(f"upload answered {status}")
    preview = urlpath(headers["Location"])
    status, page = client.get(preview)
    digest = re.search(r'name="digest" value="([^"]*)"', page)
    if status != 200 or digest is None:
        raise RuntimeError(f"preview answered {status}")
    return preview, digest.group(1)


def urlpath(location: str) -> str:
    return "/" + location.split("://", 1)[-1].split("/", 1)[1] if "://" in location \
        else location


def import_killed(kind: str, args, workdir: Path) -> dict:
    url = scratch_database(kind, workdir, "glossary_faults")
    seeded = seed(url, concepts=200, readers=1, writers=0)
    server = Server(url, args.port, workdir, workers=2).start()
    try:
        client = Client(server.base, seeded.readers[0])
        # First an import that runs to the end: how long one takes here.
        preview, digest = upload(client, import_file(args.import_concepts, "full"))
        started = time.monotonic()
        full_status, _page = client.post(f"{preview}/confirm", {"digest": digest},
                                         timeout=600)
        full_seconds = time.monotonic() - started
        # Then the same size again, its worker killed half-way through the transaction.
        preview, digest = upload(client, import_file(args.import_concepts, "killed"))
        before = table_counts(url)
        outcome: dict = {}

        def confirm():
            try:
                outcome["status"] = client.post(f"{preview}/confirm", {"digest": digest},
                                                timeout=600)[0]
            except (OSError, http.client.HTTPException) as error:
                outcome["error"] = type(error).__name__

        thread = threading.Thread(target=confirm)
        started = time.monotonic()
        thread.start()
        time.sleep(max(0.0, full_seconds / 2 - 0.3))
        victim = busiest_worker(server)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic() - started
        thread.join()
        recovered = wait_healthy(server)
        after_kill = table_counts(url)
        # Nothing was left behind that would stop the same import from going through.
        client = Client(server.base, seeded.readers[0])
        preview, digest = upload(client, import_file(args.import_concepts, "killed"))
        again_status, _page = client.post(f"{preview}/confirm", {"digest": digest},
                                          timeout=600)
        after_again = table_counts(url)
    finally:
        server.stop()
    drop_database(url)
    changed = {name: (before[name], after_kill[name]) for name in before
               if before[name] != after_kill[name]}
    return {
        "db": kind, "concepts_in_file": args.import_concepts,
        "full_import_s": round(full_seconds, 1), "full_import_status": full_status,
        "killed_at_s": round(killed_at, 1), "answer_to_killed_request": outcome,
        "recovered_s": round(recovered, 1), "tables_changed_by_killed_import": changed,
        "import_again_status": again_status,
        "concepts_added_by_import_again": after_again["concept"] - after_kill["concept"],
    }


# -- 3. the database unreachable (PostgreSQL through a proxy) ------------------------------

def unreachable(args, workdir: Path) -> dict:
    url = scratch_database("postgresql", workdir, "glossary_faults")
    seeded = seed(url, concepts=200, readers=1, writers=0)
    host_port = POSTGRES.rsplit("@", 1)[1]
    host, port = host_port.split(":")
    proxy = TcpProxy((host, int(port))).start()
    proxied = url.replace(host_port, f"127.0.0.1:{proxy.port}")
    server = Server(proxied, args.port, workdir, workers=2).start()
    log: list[tuple[float, str, int, bool, str]] = []
    try:
        client = Client(server.base, seeded.readers[0])
        started = time.monotonic()
        phase = "before"
        cut_at = restored_at = None
        while time.monotonic() - started < args.cut_after + args.cut_for + 5:
            now = time.monotonic() - started
            if phase == "before" and now >= args.cut_after:
                proxy.cut()
                phase, cut_at = "cut", now
            elif phase == "cut" and now >= args.cut_after + args.cut_for:
                proxy.restore()
                phase, restored_at = "after", now
            for path in ("/concepts", "/health"):
                try:
                    status, _headers, body = request(server.base, "GET", path,
                                                     headers={"Cookie": client.cookie},
                                                     timeout=30)
                except (OSError, http.client.HTTPException):
                    status, body = 0, ""
                clear = path == "/health" or status != 503 or (
                    "Temporarily unavailable" in body and "Traceback" not in body)
                log.append((now, phase, status, clear, path))
            time.sleep(0.1)
    finally:
        server.stop()
        proxy.stop()
    drop_database(url)
    during = [entry for entry in log if entry[1] == "cut" and entry[4] == "/concepts"]
    after = [entry for entry in log if entry[1] == "after" and entry[4] == "/concepts"]
    first_ok = next((entry[0] for entry in after if entry[2] == 200), None)
    return {
        "db": "postgresql", "cut_for_s": args.cut_for,
        "pages_before": sorted({e[2] for e in log if e[1] == "before"}),
        "pages_during": sorted({e[2] for e in during}),
        "health_during": sorted({e[2] for e in log if e[1] == "cut" and e[4] == "/health"}),
        "unclear_pages": sum(1 for e in log if not e[3]),
        "requests_during": len(during),
        "back_after_s": None if first_ok is None else round(first_ok - restored_at, 2),
        "pages_after": sorted({e[2] for e in after}),
        "cut_at_s": cut_at,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--only", choices=("burst", "import", "unreachable"))
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--first-kill", type=float, default=2.0)
    parser.add_argument("--kill-every", type=float, default=3.0)
    parser.add_argument("--import-concepts", type=int, default=5000)
    parser.add_argument("--cut-after", type=float, default=3.0)
    parser.add_argument("--cut-for", type=float, default=6.0)
    parser.add_argument("--port", type=int, default=8734)
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    failed = False
    with tempfile.TemporaryDirectory(prefix="glossary-faults-") as folder:
        workdir = Path(folder)
        for kind in kinds:
            if args.only in (None, "burst"):
                result = burst(kind, args, workdir)
                print(f"\n== burst, {kind}: {result}")
                failed |= bool(result["acknowledged_but_missing"] or result["history_problems"])
            if args.only in (None, "import"):
                result = import_killed(kind, args, workdir)
                print(f"\n== import killed, {kind}: {result}")
                failed |= bool(result["tables_changed_by_killed_import"]
                               or "status" in result["answer_to_killed_request"])
        if args.only in (None, "unreachable") and "postgresql" in kinds:
            result = unreachable(args, workdir)
            print(f"\n== database unreachable, postgresql: {result}")
            failed |= bool(result["unclear_pages"] or result["back_after_s"] is None
                           or result["pages_during"] != [503])
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
