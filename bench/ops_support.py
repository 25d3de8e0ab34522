"""What the operations benchmarks share: a scratch database (a SQLite file, or a
PostgreSQL database of our own, never the shared `test` one), a glossary seeded into
it, gunicorn started and stopped on loopback, and HTTP clients that sign in.

Nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PASSWORD = "load-test-password"
POSTGRES = os.environ.get("GLOSSARY_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
SECRET = "bench-secret-" + "0123456789abcdef" * 3


def scratch_database(kind: str, workdir: Path, name: str, server: str = POSTGRES) -> str:
    """A new, empty database: ``sqlite`` (a file in ``workdir``) or ``postgresql`` (the
    database ``name`` on ``server``, dropped and created again)."""
    if kind == "sqlite":
        path = workdir / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    from sqlalchemy import text

    from glossary.db import make_engine

    admin = make_engine(f"{server}/postgres").execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return f"{server}/{name}"


def drop_database(url: str) -> None:
    """Remove a PostgreSQL scratch database (SQLite files go with the work folder)."""
    if not url.startswith("postgresql"):
        return
    from sqlalchemy import text

    from glossary.db import make_engine

    server, name = url.rsplit("/", 1)
    admin = make_engine(f"{server}/postgres").execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@dataclass
class Seeded:
    """Ids the clients need: readable concepts, search words, and per writer its own
    concept with its English and Arabic term."""

    concepts: list[int]
    queries: list[str]
    readers: list[str]
    writers: list[dict] = field(default_factory=list)


def seed(url: str, *, concepts: int, readers: int, writers: int,
         mediators: int = 0, signable: int = 0) -> Seeded:
    """Migrate the database and fill it: ``concepts`` synthetic concepts in six languages
    (bench/corpus.py, bulk inserted), the demo's starter domains, ``readers`` facilitator
    accounts that read, ``writers`` facilitators each with a concept of their own (made
    through the domain functions, so with versions and audit events), ``mediators``
    Arabic mediators with current SGBV training, and for each writer ``signable``
    further concepts of its own with an English and an Arabic term waiting to be signed
    (bulk inserted, versions included): ``writers[n]["signable"]`` lists
    ``(concept, en_term, ar_term)``."""
    from corpus import Generator, write_database
    from sqlmodel import Session, select
    from werkzeug.security import generate_password_hash

    from glossary import create_app
    from glossary.concepts import create_concept, parse_concept, parse_term, propose_term
    from glossary.migrate import upgrade
    from glossary.models import Domain, Person, Term

    app = create_app({"DATABASE_URL": url, "EXPORTS_DIR": "/tmp/glossary-bench-exports"})
    engine = app.extensions["glossary_engine"]
    upgrade(engine)
    generator = Generator(seed=11)
    specs = generator.concepts(concepts, languages=("en", "ar", "fa-AF", "ps", "uk", "ti"))
    ids = write_database(engine, specs, target="ar")
    password_hash = generate_password_hash(PASSWORD)
    trained = date.today() - timedelta(days=100)
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        def person(email, roles, languages=""):
            row = Person(name=email.split("@")[0].title(), email=email, roles=roles,
                         languages=languages, qualified=True, training_date=trained,
                         password_hash=password_hash)
            session.add(row)
            return row

        reader_emails = [f"reader{n:02d}@example.org" for n in range(readers)]
        for email in reader_emails:
            person(email, "facilitator")
        writer_people = [person(f"writer{n:02d}@example.org", "facilitator")
                         for n in range(writers)]
        for n in range(mediators):
            person(f"mediator{n:02d}@example.org", "mediator", "ar")
        session.commit()
        domain_id = session.exec(select(Domain.id)).first()
        seeded = Seeded(concepts=list(ids.values()),
                        queries=[spec.terms["en"][0].text.split()[0] for spec in specs[:200]],
                        readers=reader_emails)
        for n, writer in enumerate(writer_people):
            data = parse_concept({"key": f"load-{n:02d}", "source_text": f"load concept {n}",
                                  "domain_id": domain_id}, session=session)
            concept = create_concept(session, data=data, source_text=f"load concept {n}",
                                     working="en", person=writer)
            propose_term(session, concept=concept, language="ar",
                         data=parse_term({"text": "الموافقة"}), person=writer, working="en")
            terms = dict(session.exec(select(Term.language, Term.id)
                                      .where(Term.concept_id == concept.id)).all())
            seeded.writers.append({"email": writer.email, "concept": concept.id,
                                   "en_term": terms["en"], "term": terms["ar"], "version": 1})
    if signable:
        for n, writer in enumerate(seeded.writers):
            writer["signable"] = _signable(engine, n, signable, domain_id)
    engine.dispose()
    return seeded


def seed_pairs(url: str, clients: int) -> tuple[Seeded, list[tuple[str, str]]]:
    """A glossary for ``clients`` people working in pairs on 20 concepts: half
    facilitators (the readers and writers of :func:`seed`), half Arabic mediators.
    Returns what :func:`seed` returns and the ``(e-mail, role)`` of every person."""
    pairs = clients // 2
    seeded = seed(url, concepts=20, readers=pairs, writers=pairs, mediators=pairs)
    people = [(email, "facilitator") for email in seeded.readers] + [
        (f"mediator{n:02d}@example.org", "mediator") for n in range(pairs)]
    return seeded, people


def _signable(engine, writer: int, count: int, domain_id: int) -> list[tuple[int, int, int]]:
    """Bulk-insert ``count`` concepts with an English and an Arabic term (version 1 each,
    with their version rows) and a proposed agreement; return their ids."""
    from sqlalchemy import insert, select

    from glossary.models import Agreement, Concept, Term, TermVersion, utcnow

    now = utcnow()
    prefix = f"sign-{writer:02d}-"
    term_fields = {"status": "preferred", "usage_register": "neutral",
                   "back_translation": "", "usage_note": "", "no_equivalent": False,
                   "paraphrase": ""}
    with engine.begin() as connection:
        connection.execute(insert(Concept), [
            {"key": f"{prefix}{n:05d}", "domain_id": domain_id, "definition": "To sign.",
             "sensitivity": "medium", "facilitator_note": "", "status": "active",
             "version": 1, "is_demo": False, "created_at": now, "updated_at": now}
            for n in range(count)])
        ids = [row[0] for row in connection.execute(
            select(Concept.id).where(Concept.key.startswith(prefix)).order_by(Concept.key))]
        for language, text in (("en", "signable concept"), ("ar", "مفهوم للتوقيع")):
            connection.execute(insert(Term), [
                {"concept_id": cid, "language": language, "text": f"{text} {writer}-{n}",
                 "version": 1, "is_demo": False, "updated_at": now, **term_fields}
                for n, cid in enumerate(ids)])
        rows = connection.execute(select(Term.id, Term.concept_id, Term.language, Term.text)
                                  .where(Term.concept_id.in_(ids))).all()
        terms = {(cid, language): tid for tid, cid, language, _text in rows}
        connection.execute(insert(TermVersion), [
            {"term_id": tid, "version": 1, "text": text, "created_at": now, **term_fields}
            for tid, _cid, _language, text in rows])
        connection.execute(insert(Agreement), [
            {"concept_id": cid, "source_language": "en", "target_language": "ar",
             "state": "proposed", "lock_version": 0, "updated_at": now} for cid in ids])
    return [(cid, terms[(cid, "en")], terms[(cid, "ar")]) for cid in ids]


class Server:
    """gunicorn with our gunicorn.conf.py, on 127.0.0.1:port, against ``url``."""

    def __init__(self, url: str, port: int, workdir: Path, *, workers: int = 2,
                 threads: int | None = None, extra_env: dict | None = None):
        self.url, self.port, self.workdir = url, port, workdir
        self.workers, self.threads = workers, threads
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{port}"

    def start(self, timeout: float = 60) -> Server:
        """Start gunicorn and wait until /health answers 200."""
        env = dict(os.environ, GLOSSARY_DATABASE_URL=self.url, SECRET_KEY=SECRET,
                   GLOSSARY_PRODUCTION="1", GLOSSARY_EXPORTS_DIR=str(self.workdir / "exports"),
                   GLOSSARY_BIND=f"127.0.0.1:{self.port}", GLOSSARY_WORKERS=str(self.workers),
                   **self.extra_env)
        if self.threads is not None:
            env["GLOSSARY_THREADS"] = str(self.threads)
        # gunicorn from the environment running this script (the project's .venv).
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with (self.workdir / f"gunicorn-{self.port}.log").open("ab") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py")],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log.name}")
            try:
                if request(self.base, "GET", "/health")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not become healthy")

    def worker_pids(self) -> list[int]:
        """The pids of the current workers (children of the master)."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                             capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), or kill after 30 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def request(base: str, method: str, path: str, *, body: dict | None = None,
            headers: dict | None = None, timeout: float = 60) -> tuple[int, dict, str]:
    """One HTTP request on its own connection: (status, headers, text)."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        payload = urllib.parse.urlencode(body) if body is not None else None
        all_headers = dict(headers or {})
        if payload is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


class Client:
    """A signed-in browser: keeps the session cookie and the CSRF token."""

    def __init__(self, base: str, email: str):
        self.base = base
        self.cookie = ""
        self.csrf = ""
        self.get("/login")
        status, _body = self.post("/login", {"email": email, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"sign-in of {email} answered {status}")
        self.get("/profile")

    def _keep(self, headers: dict) -> None:
        cookie = SimpleCookie(headers.get("Set-Cookie", ""))
        if "session" in cookie:
            self.cookie = f"session={cookie['session'].value}"

    def get(self, path: str) -> tuple[int, str]:
        status, headers, body = request(self.base, "GET", path,
                                        headers={"Cookie": self.cookie})
        self._keep(headers)
        token = re.search(r'name="csrf_token" value="([^"]+)"', body)
        if token:
            self.csrf = token.group(1)
        return status, body

    def post(self, path: str, data: dict, *, htmx: bool = False,
             timeout: float = 60) -> tuple[int, str]:
        headers = {"Cookie": self.cookie}
        if htmx:
            headers["HX-Request"] = "true"
        status, response_headers, body = request(self.base, "POST", path,
                                                 body={"csrf_token": self.csrf, **data},
                                                 headers=headers, timeout=timeout)
        self._keep(response_headers)
        return status, body


def post_file(client: Client, path: str, fields: dict, name: str, filename: str,
              content: bytes, timeout: float = 300) -> tuple[int, dict, str]:
    """A multipart form post with one file, as a browser sends an upload."""
    boundary = "----glossary-bench-" + os.urandom(8).hex()
    parts = []
    for key, value in {"csrf_token": client.csrf, **fields}.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                     f"{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                 f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                 + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    split = urllib.parse.urlsplit(client.base)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=timeout)
    try:
        connection.request("POST", path, body=b"".join(parts), headers={
            "Cookie": client.cookie,
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = connection.getresponse()
        headers = dict(response.getheaders())
        client._keep(headers)
        return response.status, headers, response.read().decode()
    finally:
        connection.close()


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` (0..1) of ``values`` fall (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def dump(data) -> str:
    """Compact JSON for the result lines."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
