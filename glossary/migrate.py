"""Schema migrations (Alembic), applied by ``glossary init`` and on start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from .db import refresh_statistics

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> AlembicConfig:
    """An Alembic configuration pointing at our migrations and at ``url``."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the database schema up to ``revision`` (every head by default: features may
    add their own branch of migrations off the initial schema)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    refresh_statistics(engine)


def current_revisions(engine: Engine) -> tuple[str, ...]:
    """The revisions the database is at (one per branch); empty for an empty database."""
    with engine.connect() as connection:
        return tuple(MigrationContext.configure(connection).get_current_heads())


def head_revisions() -> tuple[str, ...]:
    """The newest revision of every branch in the code."""
    return tuple(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def stamp(engine: Engine, revision: str = "heads") -> None:
    """Record ``revision`` as applied without running it (for a schema made otherwise,
    such as the test suite's ``create_all``)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.stamp(config, revision)
