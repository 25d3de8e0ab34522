"""Backups and restores: every row of every table comes back, between SQLite and
PostgreSQL too; the archive describes itself; a backup is one consistent snapshot;
a database with content is not overwritten unless forced; a broken archive changes
nothing."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PASSWORD, TODAY
from sqlalchemy import func, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, select

from glossary import create_app, signoff
from glossary.backup import (
    FORMAT,
    FORMAT_VERSION,
    create_backup,
    filled_tables,
    read_manifest,
    restore_backup,
)
from glossary.cli import main
from glossary.concepts import create_concept, edit_term, parse_concept, parse_term, propose_term
from glossary.config import Config
from glossary.db import make_engine
from glossary.errors import InputError, Refused
from glossary.importers.starter import load_domains
from glossary.migrate import head_revisions, upgrade
from glossary.models import Agreement, Concept, Language, LoginAttempt, Person, Term
from glossary.people import create_person

SUITE_URL = os.environ.get("GLOSSARY_DATABASE_URL", "")
ON_POSTGRES = SUITE_URL.startswith("postgresql")


@contextmanager
def new_database(tmp_path: Path, name: str, dialect: str | None = None):
    """An empty database of the given dialect (default: the one the suite runs on):
    a SQLite file, or a PostgreSQL database created for the test and dropped after."""
    dialect = dialect or ("postgresql" if ON_POSTGRES else "sqlite")
    if dialect == "sqlite":
        yield f"sqlite:///{tmp_path / (name + '.db')}"
        return
    database = f"glossary_ops_{name}_{os.getpid()}"
    admin = make_engine(SUITE_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {database}"))
    try:
        yield SUITE_URL.rsplit("/", 1)[0] + "/" + database
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        admin.dispose()


def app_for(url: str, tmp_path: Path, name: str = "exports"):
    return create_app({"TESTING": True, "DATABASE_URL": url, "WTF_CSRF_ENABLED": False,
                       "EXPORTS_DIR": str(tmp_path / name), "TODAY": TODAY})


def backed_up_tables():
    return [t for t in SQLModel.metadata.sorted_tables if t.info.get("backup", True)]


def contents(engine) -> dict[str, list[tuple]]:
    """Every row of every backed-up table, with the models' types (aware datetimes,
    dates, JSON as Python values), in primary-key order."""
    found = {}
    with engine.connect() as connection:
        for table in backed_up_tables():
            query = sa_select(*table.columns).order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in connection.execute(query)]
    return found


def fill(app) -> dict:
    """A realistic glossary made through the domain functions: people, concepts in RTL
    and other scripts, edited renderings (versions), signatures to agreement, a dispute,
    a custom language, and the audit events all of this records."""
    engine = app.extensions["glossary_engine"]
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        domains = load_domains(session)
        session.add(Language(tag="prs", name="Dari (Afghan Persian)", endonym="دری",
                             direction="rtl"))
        session.commit()

        def person(name, roles, languages="", days=100):
            fields = {"name": name.title(), "email": f"{name}@example.org", "roles": roles,
                      "languages": languages, "qualified": True,
                      "training_date": TODAY - timedelta(days=days)}
            return create_person(session, fields=fields, password=PASSWORD, by=None)

        anna = person("anna", "facilitator")
        samir = person("samir", "mediator", "ar,ckb")
        mariam = person("mariam", "mediator", "fa-AF,ps")

        def concept(source, **renderings):
            data = parse_concept({"source_text": source, "domain_id": domains["legal"].id,
                                  "definition": f"Meaning of {source}.\nSecond line."},
                                 session=session)
            made = create_concept(session, data=data, source_text=source, working="en",
                                  person=anna)
            for tag, wording in renderings.items():
                propose_term(session, concept=made, language=tag.replace("_", "-"),
                             data=parse_term({"text": wording, "back_translation": "literal"}),
                             person=anna, working="en")
            return made

        consent = concept("consent", ar="الموافقة", fa_AF="رضایت", ti="ፍቓድ", uk="згода")
        concept("restraining order", ar="أمر تقييد", ps="د مخنیوي حکم", ckb="بڕیاری دوورخستنەوە")
        custody = concept("custody", ar="الحضانة")

        term = session.exec(select(Term).where(Term.concept_id == consent.id,
                                               Term.language == "ar")).one()
        edit_term(session, term=term, data=parse_term({"text": "الموافقة الحرة",
                                                       "usage_note": "قل «الحرة» دائماً"}),
                  seen_version=1, person=samir, working="en")

        def sign(concept_id, tag, who, role):
            agreement = session.exec(select(Agreement).where(
                Agreement.concept_id == concept_id,
                Agreement.target_language == tag)).one()
            seen = signoff.current_fingerprint(session, agreement)
            session.rollback()
            signoff.sign(session, agreement=agreement, person=who, role=role,
                         seen_fingerprint=seen, today=TODAY, validity_months=24)
            return agreement

        sign(consent.id, "ar", anna, "facilitator")
        agreed = sign(consent.id, "ar", samir, "mediator")
        sign(consent.id, "fa-AF", mariam, "mediator")
        custody_ar = sign(custody.id, "ar", anna, "facilitator")
        signoff.raise_dispute(session, agreement=custody_ar, person=samir,
                              comment="«الحضانة» تعني هنا رعاية الأطفال فقط")
        session.add(LoginAttempt(account_key="a" * 64, address_key="b" * 64))
        session.commit()
        assert session.get(Agreement, agreed.id).state == "agreed"
        return {"consent": consent.id}


@pytest.fixture
def source(tmp_path):
    """A migrated database (as `glossary init` makes it) filled by :func:`fill`."""
    with new_database(tmp_path, "source") as url:
        app = app_for(url, tmp_path)
        engine = app.extensions["glossary_engine"]
        upgrade(engine)
        ids = fill(app)
        yield app, engine, ids
        engine.dispose()


def restored_app(url, tmp_path, archive, **options):
    app = app_for(url, tmp_path, "restored-exports")
    restore_backup(app.extensions["glossary_engine"], archive, **options)
    return app


def test_restore_into_an_empty_database_gives_back_every_row(source, tmp_path):
    app, engine, ids = source
    archive = tmp_path / "backup.zip"
    create_backup(engine, archive)
    with new_database(tmp_path, "target") as url:
        restored = restored_app(url, tmp_path, archive)
        target = restored.extensions["glossary_engine"]
        before, after = contents(engine), contents(target)
        assert before == after
        for name in ("concept", "term", "termversion", "signature", "auditevent", "dispute",
                     "person", "language"):
            assert after[name], name  # the comparison above covered real rows

        # The restored copy works: sign in, see the agreed rendering, add a concept.
        client = restored.test_client()
        client.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
        page = client.get(f"/concepts/{ids['consent']}").get_data(as_text=True)
        assert "الموافقة الحرة" in page and "state-agreed" in page
        with restored.app_context(), Session(target, expire_on_commit=False) as session:
            anna = session.exec(select(Person).where(Person.email == "anna@example.org")
                                ).one()
            data = parse_concept({"source_text": "residence permit", "domain_id": 1},
                                 session=session)
            made = create_concept(session, data=data, source_text="residence permit",
                                  working="en", person=anna)
            with engine.connect() as connection:
                highest = connection.execute(sa_select(func.max(Concept.id))).scalar()
            assert made.id == highest + 1
        target.dispose()


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (the suite's second run)")
def test_postgresql_to_sqlite_and_back(source, tmp_path):
    """The documented move between a local and a shared deployment, both ways."""
    _app, engine, _ids = source
    original = contents(engine)
    create_backup(engine, tmp_path / "from-postgres.zip")
    sqlite_app = restored_app(f"sqlite:///{tmp_path / 'local.db'}", tmp_path,
                              tmp_path / "from-postgres.zip")
    sqlite_engine = sqlite_app.extensions["glossary_engine"]
    assert contents(sqlite_engine) == original
    create_backup(sqlite_engine, tmp_path / "from-sqlite.zip")
    with new_database(tmp_path, "back", "postgresql") as url:
        back = restored_app(url, tmp_path, tmp_path / "from-sqlite.zip")
        back_engine = back.extensions["glossary_engine"]
        assert contents(back_engine) == original
        with back_engine.begin() as connection:  # sequences continue after the ids
            new_id = connection.execute(text(
                "INSERT INTO domain (key, name, position) VALUES ('x', 'X', 99) RETURNING id"
            )).scalar()
        assert new_id == max(row[0] for row in original["domain"]) + 1
        back_engine.dispose()
    sqlite_engine.dispose()


def test_the_archive_describes_itself(source, tmp_path):
    app, engine, _ids = source
    exports = Path(app.config["EXPORTS_DIR"])
    (exports / "groups").mkdir(parents=True)
    (exports / "groups" / "handout-ar.pdf").write_bytes(b"%PDF-1.7 handout")
    archive = tmp_path / "backup.zip"
    started = datetime.now(UTC)
    manifest = create_backup(engine, archive, exports_dir=exports)
    assert manifest == read_manifest(archive)
    assert manifest["format"] == FORMAT and manifest["format_version"] == FORMAT_VERSION
    assert started - timedelta(seconds=1) <= datetime.fromisoformat(manifest["created_at"])
    assert manifest["schema"]["revisions"] == sorted(head_revisions())
    assert [t["name"] for t in manifest["tables"]] == [t.name for t in backed_up_tables()]
    assert "loginattempt" not in {t["name"] for t in manifest["tables"]}
    with engine.connect() as connection:
        for entry in manifest["tables"]:
            table = SQLModel.metadata.tables[entry["name"]]
            count = connection.execute(select(func.count()).select_from(table)).scalar()
            assert entry["rows"] == count, entry["name"]
    kinds = {(t["name"], c["name"]): c["kind"] for t in manifest["tables"] for c in t["columns"]}
    assert kinds[("auditevent", "at")] == "datetime"
    assert kinds[("signature", "wording")] == "json"
    assert kinds[("person", "training_date")] == "date"
    assert manifest["exports"] == {"included": False, "files": [{
        "path": "groups/handout-ar.pdf", "bytes": 16,
        "sha256": hashlib.sha256(b"%PDF-1.7 handout").hexdigest(),
        "modified": manifest["exports"]["files"][0]["modified"]}]}

    with zipfile.ZipFile(archive) as zipped:
        assert "exports/groups/handout-ar.pdf" not in zipped.namelist()
        lines = zipped.read("tables/termversion.jsonl").decode().splitlines()
        signatures = [json.loads(line) for line in zipped.read("tables/signature.jsonl")
                      .decode().splitlines()]
    rows = [json.loads(line) for line in lines]
    assert {"text": "الموافقة الحرة", "version": 2}.items() <= next(
        r for r in rows if r["version"] == 2).items()
    assert "الموافقة الحرة" in lines[-1] or any("الموافقة الحرة" in line for line in lines)
    assert all(isinstance(s["wording"], dict) for s in signatures)
    assert datetime.fromisoformat(signatures[0]["created_at"]).tzinfo is not None


def test_export_files_can_travel_inside_the_archive(source, tmp_path):
    app, engine, _ids = source
    exports = Path(app.config["EXPORTS_DIR"])
    (exports / "flyer-ti.pdf").write_bytes("ፍቓድ".encode())
    archive = tmp_path / "with-exports.zip"
    create_backup(engine, archive, exports_dir=exports, include_exports=True)
    with new_database(tmp_path, "target") as url:
        elsewhere = tmp_path / "elsewhere"
        target = make_engine(url)
        summary = restore_backup(target, archive, exports_dir=elsewhere)
        target.dispose()
        assert summary["exports"] == 1
        assert (elsewhere / "flyer-ti.pdf").read_bytes() == "ፍቓድ".encode()


def test_a_backup_is_one_snapshot_while_the_app_writes(source, tmp_path):
    """An edit committed while the backup runs (after the term table was read, before
    the versions were) is either wholly in the archive or wholly absent: here absent."""
    app, engine, ids = source

    def edit_meanwhile(table, _rows):
        if table != "term":
            return
        with app.app_context(), Session(engine, expire_on_commit=False) as session:
            term = session.exec(select(Term).where(Term.concept_id == ids["consent"],
                                                   Term.language == "uk")).one()
            editor = session.exec(select(Person).where(Person.email == "anna@example.org")
                                  ).one()
            edit_term(session, term=term, data=parse_term({"text": "добровільна згода"}),
                      seen_version=term.version, person=editor, working="en")

    archive = tmp_path / "during.zip"
    create_backup(engine, archive, progress=edit_meanwhile)
    with zipfile.ZipFile(archive) as zipped:
        terms = [json.loads(x) for x in zipped.read("tables/term.jsonl").splitlines()]
        versions = [json.loads(x) for x in zipped.read("tables/termversion.jsonl").splitlines()]
    newest = {}
    for version in versions:
        newest[version["term_id"]] = max(newest.get(version["term_id"], 0), version["version"])
    assert {t["id"]: t["version"] for t in terms} == newest
    assert "добровільна згода" not in json.dumps(versions, ensure_ascii=False)
    with engine.connect() as connection:  # the edit itself was saved
        assert connection.execute(select(func.count()).where(
            Term.text == "добровільна згода")).scalar() == 1


def test_a_database_with_content_is_refused_unless_forced(source, tmp_path):
    app, engine, _ids = source
    archive = tmp_path / "backup.zip"
    create_backup(engine, archive)
    original = contents(engine)
    with new_database(tmp_path, "busy") as url:
        busy = app_for(url, tmp_path, "busy-exports")
        busy_engine = busy.extensions["glossary_engine"]
        upgrade(busy_engine)
        with Session(busy_engine) as session:
            load_domains(session)
        kept = contents(busy_engine)
        with busy.app_context(), pytest.raises(Refused, match="not empty"):
            restore_backup(busy_engine, archive)
        assert contents(busy_engine) == kept
        with busy.app_context():
            restore_backup(busy_engine, archive, force=True)
        assert contents(busy_engine) == original
        busy_engine.dispose()


def test_a_damaged_archive_changes_nothing(source, tmp_path):
    app, engine, _ids = source
    archive = tmp_path / "backup.zip"
    create_backup(engine, archive)

    def rewrite(name: str, change):
        damaged = tmp_path / name
        with zipfile.ZipFile(archive) as old, zipfile.ZipFile(damaged, "w") as new:
            manifest = json.loads(old.read("manifest.json"))
            for item in old.namelist():
                data = old.read(item)
                if item == "tables/concept.jsonl":
                    data = change(data, manifest)
                if item != "manifest.json":
                    new.writestr(item, data)
            new.writestr("manifest.json", json.dumps(manifest))
        return damaged

    def flip_a_byte(data, _manifest):
        return data.replace(b"consent", b"consenT", 1)

    def break_a_row_and_fix_the_checksum(data, manifest):
        lines = data.splitlines(keepends=True)
        row = json.loads(lines[-1])
        row["domain_id"] = 999999  # no such domain: the foreign key refuses it
        lines[-1] = json.dumps(row).encode() + b"\n"
        data = b"".join(lines)
        entry = next(t for t in manifest["tables"] if t["name"] == "concept")
        entry["sha256"] = hashlib.sha256(data).hexdigest()
        return data

    with new_database(tmp_path, "target") as url, app_for(url, tmp_path).app_context():
        target = make_engine(url)
        with pytest.raises(InputError, match="damaged"):
            restore_backup(target, rewrite("flipped.zip", flip_a_byte))
        with pytest.raises(InputError, match="could not be loaded"):
            restore_backup(target, rewrite("broken.zip", break_a_row_and_fix_the_checksum))
        with target.connect() as connection:
            assert filled_tables(connection) == []
        restore_backup(target, archive)  # the good archive still restores
        assert contents(target) == contents(engine)
        target.dispose()


def test_the_commands_back_up_and_restore(source, tmp_path, monkeypatch):
    app, engine, _ids = source
    monkeypatch.setattr(Config, "DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setattr(Config, "EXPORTS_DIR", app.config["EXPORTS_DIR"])
    runner = CliRunner()
    archive = tmp_path / "cli.zip"
    result = runner.invoke(main, ["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert archive.exists() and "termversion" in result.output
    assert not list(tmp_path.glob("*.partial"))
    again = runner.invoke(main, ["backup", str(archive)])
    assert again.exit_code != 0 and "already exists" in again.output

    folder = tmp_path / "nightly"
    folder.mkdir()
    assert runner.invoke(main, ["backup", str(folder)]).exit_code == 0
    assert len(list(folder.glob("glossary-*.zip"))) == 1

    refused = runner.invoke(main, ["restore", str(archive)])
    assert refused.exit_code != 0 and "not empty" in refused.output
    forced = runner.invoke(main, ["restore", str(archive), "--force"])
    assert forced.exit_code == 0, forced.output

    with new_database(tmp_path, "cli") as url:
        monkeypatch.setattr(Config, "DATABASE_URL", url)
        restored = runner.invoke(main, ["restore", str(archive)])
        assert restored.exit_code == 0, restored.output
        target = make_engine(url)
        assert contents(target) == contents(engine)
        target.dispose()


def test_values_keep_their_exact_types(source, tmp_path):
    """Microseconds, offsets, dates, JSON with nested unicode and None all survive."""
    app, engine, _ids = source
    moment = datetime(2026, 3, 31, 23, 59, 58, 123456, tzinfo=UTC)
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        person = session.exec(select(Person)).first()
        person.training_date = date(2024, 2, 29)
        person.ui_locale = None
        concept = session.exec(select(Concept)).first()
        concept.updated_at = moment
        session.add_all([person, concept])
        session.commit()
    archive = tmp_path / "backup.zip"
    create_backup(engine, archive)
    with new_database(tmp_path, "exact") as url:
        target = make_engine(url)
        restore_backup(target, archive)
        with Session(target) as session:
            assert session.get(Concept, concept.id).updated_at == moment
            assert session.get(Person, person.id).training_date == date(2024, 2, 29)
        assert contents(target) == contents(engine)
        target.dispose()
