"""Safe upgrades: a database made at the first migration, holding data written with
plain SQL as that version stored it, is upgraded to the newest migrations of every
branch and keeps every row and value; the app then works on it, and a backup taken at
the old schema restores into a new database at the current one."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import PASSWORD
from sqlalchemy import inspect, select, text
from sqlmodel import SQLModel
from test_backup import app_for, new_database
from werkzeug.security import generate_password_hash

from glossary.backup import create_backup, database_heads, restore_backup
from glossary.migrate import (
    UnknownRevision,
    alembic_config,
    chain,
    head_revisions,
    newest_of,
    upgrade,
)

AT = datetime(2026, 4, 30, 21, 15, 7, 654321, tzinfo=UTC)
FINGERPRINT = "en:1.1|ar:2.2"
WORDING = {"en": [{"id": 1, "version": 1, "text": "consent"}],
           "ar": [{"id": 2, "version": 2, "text": "الموافقة الحرة"}]}

# Rows as the first schema ("0001") holds them: table -> list of rows.
ROWS: dict[str, list[dict]] = {
    "domain": [{"id": 1, "key": "legal", "name": "Legal", "position": 3},
               {"id": 2, "key": "emotions", "name": "Emotions and mental health",
                "position": 5}],
    "language": [{"tag": "prs", "name": "Dari", "endonym": "دری", "direction": "rtl",
                  "created_at": AT}],
    "person": [
        {"id": 1, "name": "Anna Facilitator", "email": "anna@example.org",
         "password_hash": generate_password_hash(PASSWORD), "roles": "facilitator",
         "languages": "", "qualified": False, "training_date": None, "ui_locale": "de",
         "active": True, "created_at": AT},
        {"id": 2, "name": "سمير", "email": "samir@example.org",
         "password_hash": generate_password_hash(PASSWORD), "roles": "mediator",
         "languages": "ar,ckb", "qualified": True, "training_date": date(2026, 1, 15),
         "ui_locale": None, "active": True, "created_at": AT},
    ],
    "concept": [{"id": 1, "key": "consent", "domain_id": 1,
                 "definition": "Agreement given freely.\nSecond line.", "sensitivity": "high",
                 "facilitator_note": "", "status": "active", "version": 1, "is_demo": False,
                 "created_at": AT, "updated_at": AT}],
    "term": [
        {"id": 1, "concept_id": 1, "language": "en", "text": "consent", "status": "preferred",
         "usage_register": "neutral", "back_translation": "", "usage_note": "",
         "no_equivalent": False, "paraphrase": "", "version": 1, "is_demo": False,
         "updated_by_id": 1, "updated_at": AT},
        {"id": 2, "concept_id": 1, "language": "ar", "text": "الموافقة الحرة",
         "status": "preferred", "usage_register": "clinical", "back_translation": "free consent",
         "usage_note": "قل «الحرة» دائماً", "no_equivalent": False, "paraphrase": "",
         "version": 2, "is_demo": False, "updated_by_id": 2, "updated_at": AT},
    ],
    "termversion": [
        {"id": 1, "term_id": 1, "version": 1, "text": "consent", "status": "preferred",
         "usage_register": "neutral", "back_translation": "", "usage_note": "",
         "no_equivalent": False, "paraphrase": "", "author_id": 1, "created_at": AT},
        {"id": 2, "term_id": 2, "version": 1, "text": "الموافقة", "status": "preferred",
         "usage_register": "neutral", "back_translation": "agreement", "usage_note": "",
         "no_equivalent": False, "paraphrase": "", "author_id": 2, "created_at": AT},
        {"id": 3, "term_id": 2, "version": 2, "text": "الموافقة الحرة", "status": "preferred",
         "usage_register": "clinical", "back_translation": "free consent",
         "usage_note": "قل «الحرة» دائماً", "no_equivalent": False, "paraphrase": "",
         "author_id": 2, "created_at": AT},
    ],
    "agreement": [{"id": 1, "concept_id": 1, "source_language": "en", "target_language": "ar",
                   "state": "agreed", "lock_version": 4, "agreed_at": AT, "updated_at": AT}],
    "signature": [
        {"id": 1, "agreement_id": 1, "person_id": 1, "role": "facilitator",
         "fingerprint": FINGERPRINT, "wording": WORDING, "created_at": AT},
        {"id": 2, "agreement_id": 1, "person_id": 2, "role": "mediator",
         "fingerprint": FINGERPRINT, "wording": WORDING, "created_at": AT},
    ],
    "dispute": [{"id": 1, "agreement_id": 1, "person_id": 2, "comment": "تعني أيضاً الاستسلام",
                 "created_at": AT, "resolved_at": AT, "resolved_by_id": 1,
                 "resolution": "Use the free form."}],
    "auditevent": [
        {"id": 1, "at": AT, "person_id": 2, "action": "edit", "entity": "term", "entity_id": 2,
         "before": {"text": "الموافقة", "version": 1},
         "after": {"text": "الموافقة الحرة", "version": 2}},
        {"id": 2, "at": AT, "person_id": None, "action": "agreement_state",
         "entity": "agreement", "entity_id": 1, "before": None, "after": {"state": "agreed"}},
    ],
}


def insert_as_sql(connection, table: str, row: dict) -> None:
    """INSERT one row with plain SQL, values written as each database stores them."""
    postgres = connection.dialect.name == "postgresql"
    json_columns = {"wording", "before", "after"}
    names, values = [], {}
    for name, value in row.items():
        placeholder = f":{name}"
        if name in json_columns:
            value = None if value is None else json.dumps(value, ensure_ascii=False)
            placeholder = f"CAST(:{name} AS JSON)" if postgres else placeholder
        elif isinstance(value, datetime) and not postgres:
            value = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        elif isinstance(value, date) and not isinstance(value, datetime) and not postgres:
            value = value.isoformat()
        names.append((f'"{name}"', placeholder))
        values[name] = value
    columns = ", ".join(n for n, _p in names)
    placeholders = ", ".join(p for _n, p in names)
    connection.execute(text(f'INSERT INTO "{table}" ({columns}) VALUES ({placeholders})'),
                       values)


@pytest.fixture
def old_database(tmp_path):
    """A database at revision 0001 holding :data:`ROWS`."""
    with new_database(tmp_path, "old") as url:
        app = app_for(url, tmp_path)
        engine = app.extensions["glossary_engine"]
        upgrade(engine, "0001")
        with engine.begin() as connection:
            for table, rows in ROWS.items():
                for row in rows:
                    insert_as_sql(connection, table, row)
            if connection.dialect.name == "postgresql":  # as SERIAL columns would be
                for table in ROWS:
                    if table != "language":
                        connection.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                            f"(SELECT MAX(id) FROM \"{table}\"))"))
        yield app, engine
        engine.dispose()


def assert_rows_kept(engine) -> None:
    """Every row of :data:`ROWS` is there, read with the current models' types."""
    with engine.connect() as connection:
        for name, rows in ROWS.items():
            table = SQLModel.metadata.tables[name]
            key = table.primary_key.columns.values()[0]
            found = {r[key.name]: dict(r) for r in connection.execute(
                select(*table.columns)).mappings()}
            assert len(found) == len(rows), name
            for row in rows:
                stored = found[row[key.name]]
                assert {k: stored[k] for k in row} == row, (name, row[key.name])


def test_upgrading_from_the_first_migration_keeps_everything(old_database):
    app, engine = old_database
    with engine.connect() as connection:
        assert database_heads(connection) == {"0001"}
    upgrade(engine)
    with engine.connect() as connection:
        assert database_heads(connection) == set(head_revisions())
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        assert "loginattempt" in inspect(connection).get_table_names()
    assert_rows_kept(engine)

    # The app runs on the upgraded database: sign in, read, and sign-in limits work.
    client = app.test_client()
    response = client.post("/login", data={"email": "samir@example.org",
                                           "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/concepts/1").get_data(as_text=True)
    assert "الموافقة الحرة" in page and "state-agreed" in page
    history = client.get("/concepts/1/history").get_data(as_text=True)
    assert "تعني أيضاً الاستسلام" in history
    health = client.get("/health").get_json()
    assert health.pop("version")
    assert health == {"status": "ok", "database": "ok", "schema": "current"}


def test_a_backup_at_the_old_schema_restores_into_the_current_one(old_database, tmp_path):
    _app, engine = old_database
    archive = tmp_path / "before-upgrade.zip"
    manifest = create_backup(engine, archive)
    assert manifest["schema"]["revisions"] == ["0001"]
    assert "loginattempt" not in {t["name"] for t in manifest["tables"]}
    with new_database(tmp_path, "new") as url:
        target_app = app_for(url, tmp_path, "new-exports")
        target = target_app.extensions["glossary_engine"]
        upgrade(target)  # `glossary init` first, as an admin may well do
        summary = restore_backup(target, archive)
        assert summary["revisions"] == ["0001"]
        with target.connect() as connection:
            assert database_heads(connection) == set(head_revisions())
        assert_rows_kept(target)
        target.dispose()


def test_the_health_check_reports_a_schema_not_yet_upgraded(old_database):
    app, _engine = old_database
    response = app.test_client().get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body.pop("version")
    assert body == {"status": "unavailable", "database": "ok", "schema": "behind"}


# What `alembic_version` held on each schema released on main while every feature had its
# own branch off 0001 (before the history was made linear).
RELEASED_HEADS = [
    {"0001"},
    {"0005_flyers"},
    {"0002_groups", "0002_search", "0003_api_tokens", "0004_ops", "0005_flyers"},
    {"0002_groups", "0002_search", "0003_api_tokens", "0004_ops", "0005_flyers",
     "0006_list_order"},
]


def test_the_history_is_one_chain():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1 and len(script.get_bases()) == 1
    for revision in script.walk_revisions():
        assert not isinstance(revision.down_revision, tuple | list), revision.revision
        assert len(revision.nextrev) <= 1, revision.revision
    assert chain()[0] == "0001" and chain()[-1] == head_revisions()[0]


@pytest.mark.parametrize("recorded", RELEASED_HEADS, ids=lambda s: "+".join(sorted(s)))
def test_every_released_schema_upgrades_with_its_data(old_database, recorded):
    """A database as each released version left it (schema applied, the old branch heads
    recorded) upgrades along the chain, keeps every row and ends at the one head."""
    app, engine = old_database
    upgrade(engine, max(recorded, key=chain().index))
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
        for revision in recorded:
            connection.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
        assert database_heads(connection) == {max(recorded, key=chain().index)}
    upgrade(engine)
    with engine.connect() as connection:
        assert database_heads(connection) == set(head_revisions())
        assert [r[0] for r in connection.execute(text("SELECT * FROM alembic_version"))] == \
            list(head_revisions())
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    assert_rows_kept(engine)
    assert app.test_client().get("/health").get_json()["schema"] == "current"


def test_a_recorded_history_with_a_gap_is_refused():
    assert newest_of({"0005_flyers", "0002_groups"}) == "0002_groups"
    with pytest.raises(ValueError, match="0005_flyers"):
        newest_of({"0002_groups", "0002_search"})
    with pytest.raises(UnknownRevision):
        newest_of({"0002_groups", "9999_from_the_future"})
