"""The ``glossary`` commands that no topic's tests run: init, serve, user add, demo and the
translations group, through Flask's CLI runner (the ``cli`` fixture runs them against
the test's own app and database). Each test checks what the command printed and what
it changed."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from conftest import TRANSLATIONS
from sqlalchemy import inspect
from sqlmodel import Session, select

from glossary import create_app
from glossary.cli import main
from glossary.cli import translations as translations_cli
from glossary.migrate import current_revisions, head_revisions
from glossary.models import Person, utcnow
from glossary.models.search import SearchChange
from glossary.passwords import verify


def test_init_creates_the_schema_of_a_new_database(app, tmp_path):
    fresh = create_app(dict(app.config, DATABASE_URL=f"sqlite:///{tmp_path / 'new.db'}"))
    result = fresh.test_cli_runner().invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert f"Database ready: sqlite:///{tmp_path / 'new.db'}" in result.output
    engine = fresh.extensions["glossary_engine"]
    assert {"concept", "term", "agreement", "person", "search_change"} <= set(
        inspect(engine).get_table_names())
    assert current_revisions(engine) == head_revisions()
    again = fresh.test_cli_runner().invoke(main, ["init"])  # nothing left to do
    assert again.exit_code == 0 and "Database ready" in again.output
    engine.dispose()


def test_init_prunes_the_search_change_log_but_keeps_the_newest_row(cli, db):
    old = utcnow() - timedelta(days=3)
    db.add_all([SearchChange(at=old, concept_id=1), SearchChange(at=old, concept_id=2),
                SearchChange(at=utcnow(), concept_id=3), SearchChange(at=old, concept_id=4)])
    db.commit()
    result = cli("init")
    assert result.exit_code == 0, result.output
    db.expire_all()
    # The newest row (by id) stays whatever its age: a worker's index compares with it.
    assert sorted(c.concept_id for c in db.exec(select(SearchChange))) == [3, 4]


def test_serve_applies_migrations_and_serves_where_asked(cli, monkeypatch):
    calls = []
    monkeypatch.setattr("flask.Flask.run", lambda self, **options: calls.append(options))
    result = cli("serve", "--host", "0.0.0.0", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "Serving on http://0.0.0.0:8123/" in result.output
    assert calls == [{"host": "0.0.0.0", "port": 8123, "threaded": True,
                      "use_reloader": False}]
    assert cli("serve", "--port", "not-a-port").exit_code != 0


def test_user_add_creates_a_person_who_can_sign_in(cli, db, client):
    trained = (date(2026, 6, 1) - timedelta(days=30)).isoformat()
    result = cli("user", "add", "--name", "Hawre Aziz", "--email", "Hawre@Example.org",
                 "--roles", "mediator,trainer", "--languages", "ckb,fa-af",
                 "--training-date", trained, "--qualified",
                 "--password", "a long pass phrase 7")
    assert result.exit_code == 0, result.output
    assert "Added Hawre Aziz <hawre@example.org> (mediator,trainer)." in result.output
    person = db.exec(select(Person).where(Person.email == "hawre@example.org")).one()
    assert person.languages == "ckb,fa-AF" and person.qualified
    assert person.training_date.isoformat() == trained
    assert verify(person.password_hash, "a long pass phrase 7")
    response = client.post("/login", data={"email": "hawre@example.org",
                                           "password": "a long pass phrase 7"})
    assert response.status_code == 302


def test_user_add_asks_for_the_password_twice(cli, db):
    result = cli("user", "add", "--name", "Tesfay", "--email", "tesfay@example.org",
                 "--roles", "mediator", "--languages", "ti",
                 input="ፍቓድ ብዘይ ምግዳድ 12\nፍቓድ ብዘይ ምግዳድ 12\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    person = db.exec(select(Person).where(Person.email == "tesfay@example.org")).one()
    assert verify(person.password_hash, "ፍቓድ ብዘይ ምግዳድ 12")


def test_user_add_refuses_bad_input_and_saves_nothing(cli, db, make_person):
    make_person("anna", "facilitator")
    base = ["user", "add", "--name", "Someone", "--password", "a long pass phrase 7"]
    cases = [
        (["--email", "anna@example.org", "--roles", "facilitator"], "already"),
        (["--email", "new@example.org", "--roles", "wizard"], "wizard"),
        (["--email", "not-an-address", "--roles", "facilitator"], "not an e-mail address"),
        (["--email", "new@example.org", "--roles", "mediator", "--languages", "ar",
          "--training-date", "31.12.2025"], "must be a date like"),
    ]
    for options, message in cases:
        result = cli(*base, *options)
        assert result.exit_code != 0, options
        assert message in result.output, (options, result.output)
    assert [p.email for p in db.exec(select(Person))] == ["anna@example.org"]


def test_demo_loads_once_and_lists_its_logins(cli, db):
    first = cli("demo")
    assert first.exit_code == 0, first.output
    assert "Demo data loaded" in first.output
    assert "admin@example.org" in first.output and "password for all" in first.output
    people = db.exec(select(Person)).all()
    assert len(people) >= 8
    second = cli("demo")
    assert "Demo data is already loaded." in second.output
    quiet = cli("demo", "--if-empty")
    assert quiet.exit_code == 0 and "already loaded" not in quiet.output
    db.expire_all()
    assert len(db.exec(select(Person)).all()) == len(people)


def test_translations_extract_init_update_and_compile(cli, tmp_path, monkeypatch):
    """The whole cycle on a copy of the catalogs (the repository's stay as they are)."""
    folder = tmp_path / "translations"
    for tag in ("ar", "de"):
        (folder / tag / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(TRANSLATIONS / tag / "LC_MESSAGES" / "messages.po",
                    folder / tag / "LC_MESSAGES" / "messages.po")
    monkeypatch.setattr(translations_cli, "TRANSLATIONS", folder)
    monkeypatch.setattr(translations_cli, "POT", folder / "messages.pot")

    assert cli("translations", "extract").exit_code == 0
    with (folder / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    assert "Choose a file to import." in template and "Sign out" in template

    assert cli("translations", "init", "ti").exit_code == 0
    with (folder / "ti" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        tigrinya = read_po(handle)
    assert str(tigrinya.locale) == "ti" and "Sign out" in tigrinya

    assert cli("translations", "update").exit_code == 0
    assert cli("translations", "compile").exit_code == 0
    with (folder / "ar" / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        arabic = read_mo(handle)
    with (TRANSLATIONS / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        expected = read_po(handle)
    assert arabic["Sign out"].string == expected["Sign out"].string
    assert arabic["Sign out"].string and arabic["Sign out"].string != "Sign out"


def test_commands_use_the_runner_app_not_the_environment(app, tmp_path, monkeypatch):
    """Through the CLI runner the command reads the runner's app; without it, the
    environment (here an empty SQLite file, to show the two differ)."""
    elsewhere = tmp_path / "elsewhere.db"
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", f"sqlite:///{elsewhere}")
    result = app.test_cli_runner().invoke(main, ["search", "anything", "--json"])
    assert result.exit_code == 0, result.output
    assert not elsewhere.exists()
    with Session(app.extensions["glossary_engine"]) as session:
        assert session.exec(select(Person)).all() == []
