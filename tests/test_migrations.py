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


def test_sqlite_planner_statistics_pick_the_narrow_index(tmp_path):
    """Without statistics SQLite reads every English term through the language index to
    find those of 25 concepts; after refresh_statistics it goes by concept."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from glossary.db import refresh_statistics
    from glossary.models import Concept, Domain, Term

    engine = make_engine(f"sqlite:///{tmp_path / 'stats.db'}")
    upgrade(engine)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(insert(Domain), [{"key": "d", "name": "D", "position": 0}])
        connection.execute(insert(Concept), [
            {"key": f"c{n}", "domain_id": 1, "version": 1, "is_demo": False,
             "created_at": now, "updated_at": now} for n in range(2000)])
        connection.execute(insert(Term), [
            {"concept_id": n % 2000 + 1, "language": ("en", "ar")[n // 2000], "text": f"t{n}",
             "version": 1, "created_at": now, "updated_at": now} for n in range(4000)])
    query = ("EXPLAIN QUERY PLAN SELECT * FROM term WHERE concept_id IN "
             f"({', '.join(str(n) for n in range(100, 125))}) AND language = 'en'")

    def plan():
        with engine.connect() as connection:
            return " | ".join(row[-1] for row in connection.exec_driver_sql(query))

    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")
    assert "ix_term_language" in plan()  # the guess this test guards against
    refresh_statistics(engine)
    assert "ix_term_concept_id" in plan()
    engine.dispose()
