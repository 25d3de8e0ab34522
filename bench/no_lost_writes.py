"""No lost writes: N clients at once, over HTTP against gunicorn (2 workers), each make
K edits of a rendering and K signatures of the wording they then see. The clients come
in pairs, a facilitator and an Arabic mediator sharing one concept, so that within a
pair edits collide (refused with 409 and retried after reloading, as a person would) and
each signature may find the wording changed by the partner meanwhile (refused, reloaded,
signed again); across pairs everything runs at once on the same database. (Two signers
in the same role would legitimately stop each other from signing: the role is filled.)
Afterwards the database must hold exactly N x K new versions and N x K signatures, with
a consistent history (see :func:`check_history`).

    .venv/bin/python bench/no_lost_writes.py                  # SQLite and PostgreSQL
    .venv/bin/python bench/no_lost_writes.py --db sqlite --clients 16 --rounds 10
"""

from __future__ import annotations

import argparse
import http.client
import re
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ops_support import Client, Server, drop_database, scratch_database, seed_pairs

FINGERPRINT = re.compile(r'name="fingerprint" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


@dataclass
class Tally:
    """What one client was told."""

    edits: list[str] = field(default_factory=list)  # texts acknowledged as saved
    signatures: int = 0
    conflicts: int = 0  # refusals because someone else changed the wording first
    unknown: int = 0  # requests whose answer never came (a killed worker)
    unanswered: Counter = field(default_factory=Counter)  # why, by kind
    errors: list[str] = field(default_factory=list)


def unanswered(tally: Tally, why: str) -> None:
    """Count a request whose answer never came (a killed worker), and pause before the
    retry."""
    tally.unknown += 1
    tally.unanswered[why] += 1
    time.sleep(0.2)


def edit(client: Client, term_id: int, text: str, tally: Tally, tries: int = 100) -> None:
    """Save ``text`` as the new wording, reloading and retrying after a conflict."""
    for _ in range(tries):
        try:
            status, body = client.get(f"/terms/{term_id}/edit")
            version = VERSION.search(body).group(1)
            status, body = client.post(f"/terms/{term_id}/edit", {
                "version": version, "text": text, "status": "preferred",
                "register": "neutral", "back_translation": "consent"})
        except (OSError, AttributeError, http.client.HTTPException) as error:
            unanswered(tally, type(error).__name__)
            continue
        if status == 302:
            tally.edits.append(text)
            return
        if status == 409:
            tally.conflicts += 1
            continue
        if status >= 500:
            unanswered(tally, f"HTTP {status}")
            continue
        tally.errors.append(f"edit answered {status}")
        return
    tally.errors.append("edit: too many retries")


def sign(client: Client, concept_id: int, role: str, tally: Tally, tries: int = 100) -> None:
    """Sign the wording as it is now, retrying if it changes under the signer."""
    for _ in range(tries):
        try:
            _status, page = client.get(f"/concepts/{concept_id}")
            fingerprint = FINGERPRINT.search(page).group(1)
            status, body = client.post(f"/concepts/{concept_id}/languages/ar/sign",
                                       {"role": role, "fingerprint": fingerprint}, htmx=True)
        except (OSError, AttributeError, http.client.HTTPException) as error:
            unanswered(tally, type(error).__name__)
            continue
        if status == 200 and "notice success" in body:
            tally.signatures += 1
            return
        if status == 200 and "notice error" in body:
            tally.conflicts += 1
            continue
        if status >= 500:
            unanswered(tally, f"HTTP {status}")
            continue
        tally.errors.append(f"sign answered {status}")
        return
    tally.errors.append("sign: too many retries")


def work(base: str, email: str, role: str, index: int, rounds: int, shared: list[dict],
         barrier: threading.Barrier, tally: Tally) -> None:
    """One client: K rounds of (edit the pair's rendering, sign the wording)."""
    client = Client(base, email)
    barrier.wait(timeout=300)
    target = shared[index % len(shared)]
    for number in range(rounds):
        edit(client, target["term"], f"الموافقة {index}-{number}", tally)
        sign(client, target["concept"], role, tally)


def run_clients(base: str, people: list[tuple[str, str]], rounds: int,
                shared: list[dict], started: threading.Event | None = None) -> list[Tally]:
    """Sign every client in, start them all at once (then set ``started``); return what
    each was told."""
    barrier = threading.Barrier(len(people), action=started.set if started else None)
    tallies = [Tally() for _ in people]
    threads = [threading.Thread(target=work, args=(base, email, role, index, rounds, shared,
                                                   barrier, tallies[index]))
               for index, (email, role) in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tallies


def check_history(url: str, shared: list[dict]) -> dict:
    """Read the shared concepts back and check that their history is consistent:
    each term's versions run 1..version without a gap; every signature's fingerprint is
    the one of the wording it stored, and that wording is a version that exists; each
    signature and each new version has exactly one audit event; each agreement's state
    is what the rules derive from its rows. Returns the counts and the problems found."""
    from sqlalchemy import select
    from sqlmodel import Session

    from glossary import agreement as rules
    from glossary import signoff
    from glossary.db import make_engine
    from glossary.models import Agreement, AuditEvent, Signature, Term, TermVersion

    engine = make_engine(url)
    problems: list[str] = []
    counts = Counter()
    with Session(engine) as session:
        for item in shared:
            term = session.get(Term, item["term"])
            versions = session.execute(select(TermVersion).where(
                TermVersion.term_id == term.id).order_by(TermVersion.version)).scalars().all()
            numbers = [v.version for v in versions]
            if numbers != list(range(1, term.version + 1)):
                problems.append(f"term {term.id}: versions {numbers[:5]}.. vs {term.version}")
            if versions and versions[-1].text != term.text:
                problems.append(f"term {term.id}: newest version is not the current text")
            counts["new_versions"] += len(versions) - 1
            texts = {(v.version, v.text) for v in versions}
            edits = session.execute(select(AuditEvent).where(
                AuditEvent.action == "edit", AuditEvent.entity == "term",
                AuditEvent.entity_id == term.id)).scalars().all()
            if sorted(e.after["version"] for e in edits) != numbers[1:]:
                problems.append(f"term {term.id}: edit events do not match the versions")
            agreement = session.execute(select(Agreement).where(
                Agreement.concept_id == item["concept"],
                Agreement.target_language == "ar")).scalars().one()
            signatures = session.execute(select(Signature).where(
                Signature.agreement_id == agreement.id)).scalars().all()
            counts["signatures"] += len(signatures)
            events = session.execute(select(AuditEvent).where(
                AuditEvent.action == "sign", AuditEvent.entity_id == agreement.id)
            ).scalars().all()
            if sorted(e.after["signature_id"] for e in events) != sorted(
                    s.id for s in signatures):
                problems.append(f"agreement {agreement.id}: sign events do not match")
            for signature in signatures:
                side = signature.wording.get("ar", [])
                if not all((t["version"], t["text"]) in texts for t in side
                           if t["id"] == term.id):
                    problems.append(f"signature {signature.id}: wording not a saved version")
                if f"{term.id}.{side[0]['version']}" not in signature.fingerprint:
                    problems.append(f"signature {signature.id}: fingerprint does not match")
            derived = rules.derive_state(
                rendering=True, signatures=signatures,
                current_fingerprint=signoff.current_fingerprint(session, agreement),
                open_dispute=signoff.open_dispute_of(session, agreement.id) is not None)
            if derived != agreement.state:
                problems.append(f"agreement {agreement.id}: state {agreement.state}, "
                                f"rules say {derived}")
        all_texts = Counter(t for (t,) in session.execute(select(TermVersion.text)))
    engine.dispose()
    counts["texts"] = all_texts
    return {"counts": counts, "problems": problems}


def run(kind: str, args, workdir: Path) -> dict:
    url = scratch_database(kind, workdir, "glossary_nolost")
    seeded, people = seed_pairs(url, args.clients)
    server = Server(url, args.port, workdir, workers=2).start()
    started = time.monotonic()
    try:
        tallies = run_clients(server.base, people, args.rounds, seeded.writers)
    finally:
        elapsed = time.monotonic() - started
        server.stop()
    found = check_history(url, seeded.writers)
    drop_database(url)
    return summarise(kind, args, tallies, found, elapsed)


def summarise(kind, args, tallies: list[Tally], found: dict, elapsed: float) -> dict:
    acknowledged = [text for t in tallies for text in t.edits]
    texts = found["counts"].pop("texts")
    missing = [text for text in acknowledged if texts[text] != 1]
    return {
        "db": kind, "clients": args.clients, "rounds": args.rounds, "seconds": elapsed,
        "expected": args.clients * args.rounds,
        "edits_acknowledged": len(acknowledged),
        "signatures_acknowledged": sum(t.signatures for t in tallies),
        "new_versions": found["counts"]["new_versions"],
        "signatures": found["counts"]["signatures"],
        "conflicts_retried": sum(t.conflicts for t in tallies),
        "unanswered": sum(t.unknown for t in tallies),
        "unanswered_why": dict(sum((t.unanswered for t in tallies), Counter())),
        "client_errors": [e for t in tallies for e in t.errors],
        "acknowledged_but_missing": missing,
        "history_problems": found["problems"],
    }


def report(result: dict) -> None:
    print(f"\n== {result['db']}: {result['clients']} clients x {result['rounds']} rounds "
          f"in {result['seconds']:.1f} s (expected {result['expected']} of each)")
    print(f"{'':<24} {'acknowledged':>12} {'in database':>12}")
    print(f"{'edits (new versions)':<24} {result['edits_acknowledged']:>12} "
          f"{result['new_versions']:>12}")
    print(f"{'signatures':<24} {result['signatures_acknowledged']:>12} "
          f"{result['signatures']:>12}")
    print(f"conflicts refused and retried: {result['conflicts_retried']}; "
          f"unanswered requests: {result['unanswered']} {result['unanswered_why']}; "
          f"client errors: {len(result['client_errors'])}")
    print(f"acknowledged but missing: {len(result['acknowledged_but_missing'])}; "
          f"history problems: {len(result['history_problems'])}")
    for problem in result["history_problems"][:10] + result["client_errors"][:10]:
        print("  " + problem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--clients", type=int, default=16, help="an even number")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8733)
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    failed = False
    with tempfile.TemporaryDirectory(prefix="glossary-nolost-") as folder:
        for kind in kinds:
            result = run(kind, args, Path(folder))
            report(result)
            failed |= bool(result["history_problems"] or result["acknowledged_but_missing"]
                           or result["new_versions"] != result["expected"]
                           or result["signatures"] != result["expected"])
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
