"""Fixtures: one schema per test run, emptied before every test; the app, its client,
sign-in helpers and small factories for people and concepts.

The database is SQLite in a temporary folder unless GLOSSARY_DATABASE_URL names another
(CI runs the suite a second time against PostgreSQL).
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from glossary import create_app, models  # noqa: F401  (registers the tables)
from glossary.concepts import create_concept, parse_concept, parse_term, propose_term
from glossary.db import make_engine
from glossary.importers.starter import load_domains
from glossary.migrate import stamp
from glossary.models import Domain
from glossary.people import create_person
from glossary.signoff import current_fingerprint, get_or_create_agreement, sign

PASSWORD = "correct horse"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "glossary" / "translations"
TODAY = date(2026, 6, 1)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` run only when the suite runs against PostgreSQL (CI's
    second run); the SQLite run skips them."""
    if os.environ.get("GLOSSARY_DATABASE_URL", "").startswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs GLOSSARY_DATABASE_URL=postgresql://...")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


def agree(db, concept, language, facilitator, mediator):
    """Both sides sign the current wording of the pair working language -> ``language``."""
    agreement = get_or_create_agreement(db, concept_id=concept.id, source="en", target=language)
    db.commit()
    for person, role in ((facilitator, "facilitator"), (mediator, "mediator")):
        sign(db, agreement=agreement, person=person, role=role,
             seen_fingerprint=current_fingerprint(db, agreement), today=TODAY,
             validity_months=24)
    return agreement


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """Compile the interface catalogs when a .po is newer than its .mo (``make`` does the
    same; this keeps a bare ``pytest`` run honest)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


@pytest.fixture(autouse=True)
def builds_wait(monkeypatch):
    """Every cached build is redone at once, the caller waiting, however slow this
    machine is today: a search after an edit sees the edit. The tests of background
    rebuilds and rests (test_search.py) set their own thresholds."""
    import glossary.versioned_cache as module

    monkeypatch.setattr(module, "BACKGROUND_AFTER", float("inf"))
    monkeypatch.setattr(module, "REST_AFTER", float("inf"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The database for this run, with the schema created once."""
    url = os.environ.get("GLOSSARY_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    SQLModel.metadata.create_all(engine)
    stamp(engine)  # so that commands applying migrations find nothing to do
    engine.dispose()
    return url


def empty_database(engine) -> None:
    """Remove every row of every table."""
    tables = SQLModel.metadata.sorted_tables
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())


@pytest.fixture
def app(database_url, tmp_path):
    """A fresh app over an emptied database, with the starter domains loaded."""
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-only-secret-key-not-for-any-install",
        "WTF_CSRF_ENABLED": False,
        "EXPORTS_DIR": str(tmp_path / "exports"),
        "TODAY": TODAY,
    })
    engine = app.extensions["glossary_engine"]
    empty_database(engine)
    with Session(engine) as session:
        load_domains(session)
    yield app
    engine.dispose()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Another app on this test's database with settings of its own
    (``make_app(TESTING=False)``); its engine is disposed afterwards, so no database
    connection outlives the test (PostgreSQL warns about those, failing a later test)."""
    made = []

    def make(**config):
        made.append(create_app({"DATABASE_URL": database_url,
                                "EXPORTS_DIR": str(tmp_path / "exports"), **config}))
        return made[-1]

    yield make
    for other in made:
        other.extensions["glossary_engine"].dispose()


@pytest.fixture
def engine(app):
    """The app's engine."""
    return app.extensions["glossary_engine"]


@pytest.fixture
def db(app):
    """A session outside any request, for arranging and checking data. (No app context
    is pushed here: requests made by the test client must each get their own.)"""
    with Session(app.extensions["glossary_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app):
    """The test client."""
    return app.test_client()


@pytest.fixture
def make_person(db):
    """Create a person: ``make_person("anna", "facilitator")`` or a mediator with
    languages and a training date (defaults to 100 days before TODAY)."""

    def make(name: str, roles: str, languages: str = "", trained_days_ago: int | None = 100):
        training = None if trained_days_ago is None else TODAY - timedelta(days=trained_days_ago)
        fields = {"name": name.title(), "email": f"{name}@example.org", "roles": roles,
                  "languages": languages, "qualified": True, "training_date": training}
        return create_person(db, fields=fields, password=PASSWORD, by=None)

    return make


@pytest.fixture
def make_concept(db):
    """Create a concept with its English wording and optional renderings:
    ``make_concept("consent", ar="الموافقة")``."""

    def make(source: str, *, key: str | None = None, domain: str = "sexual-violence",
             **renderings):
        domain_id = db.exec(select(Domain.id).where(Domain.key == domain)).one()
        data = parse_concept({"key": key or "", "source_text": source, "domain_id": domain_id,
                              "definition": f"Definition of {source}."}, session=db)
        concept = create_concept(db, data=data, source_text=source, working="en", person=None)
        for language, value in renderings.items():
            fields = value if isinstance(value, dict) else {"text": value}
            propose_term(db, concept=concept, language=language.replace("_", "-"),
                         data=parse_term(fields), person=None, working="en")
        return concept

    return make


@pytest.fixture
def cli(app):
    """Run a ``glossary`` command through Flask's CLI runner, against this test's app and
    database: ``result = cli("search", "consent", "--json")``."""
    from glossary.cli import main

    runner = app.test_cli_runner()
    return lambda *args, **options: runner.invoke(main, [str(a) for a in args], **options)


class Auth:
    """Sign in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD):
        self.client.post("/logout")
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    """Sign-in helper bound to the test client."""
    return Auth(client)
