"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from glossary.db import make_engine
from glossary.migrate import current_revisions, head_revisions, upgrade


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database of the kind the suite runs on."""
    url = os.environ.get("GLOSSARY_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS glossary_migration_test"))
        connection.execute(text("CREATE DATABASE glossary_migration_test"))
    yield url.rsplit("/", 1)[0] + "/glossary_migration_test"
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS glossary_migration_test WITH (FORCE)"))
    admin.dispose()


def test_migrations_match_the_models(scratch_url):
    engine = make_engine(scratch_url)
    assert current_revisions(engine) == ()
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
        heads = set(context.get_current_heads())
    assert differences == []
    assert heads == set(head_revisions())
    assert set(current_revisions(engine)) == heads
    upgrade(engine)  # running again is harmless
    engine.dispose()
