"""Schema migrations (Alembic), applied by ``glossary init`` and on start."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine

from .db import broken_references, refresh_statistics, sqlite_references_checked_at_end

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> AlembicConfig:
    """An Alembic configuration pointing at our migrations and at ``url``."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def chain() -> list[str]:
    """Every revision in the one linear history, oldest first."""
    return [r.revision for r in reversed(list(_script().walk_revisions()))]


def newest_of(revisions: Iterable[str]) -> str | None:
    """The one revision a set of applied revisions stands for in the linear history.

    Until the second wave each feature had its own branch off ``0001``, so a database (or
    a backup) may record the heads of several branches at once. Every set that was ever
    released, with ``0001`` added, is a prefix of today's chain, so its newest revision
    says what is applied. A set with a gap is refused rather than guessed at, and so is a
    revision this code does not know (:class:`UnknownRevision`).
    """
    revisions = set(revisions)
    if len(revisions) < 2:
        return next(iter(revisions), None)
    order = chain()
    unknown = revisions - set(order)
    if unknown:
        raise UnknownRevision(", ".join(sorted(unknown)))
    newest = max(revisions, key=order.index)
    missing = set(order[: order.index(newest) + 1]) - revisions - {order[0]}
    if missing:
        raise ValueError(f"the schema records {sorted(revisions)} but not {sorted(missing)}: "
                         "it is not one of the released histories")
    return newest


class UnknownRevision(LookupError):
    """A revision recorded in a database or backup that this code does not know."""


def collapse_version_table(connection: Connection) -> None:
    """Record one revision in ``alembic_version`` where an older database recorded the
    heads of several branches, so that Alembic walks the linear chain from there."""
    current = MigrationContext.configure(connection).get_current_heads()
    if len(current) < 2:
        return
    newest = newest_of(current)
    connection.execute(text("DELETE FROM alembic_version WHERE version_num != :newest"),
                       {"newest": newest})


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to ``revision`` (the newest by default)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        # SQLite changes a column by copying its table: references are checked at the end.
        with (sqlite_references_checked_at_end(connection) if sqlite else nullcontext()):
            with connection.begin():
                collapse_version_table(connection)
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite and broken_references(connection):
                    raise RuntimeError("The upgrade left rows that refer to missing rows; "
                                       "nothing was changed.")
    refresh_statistics(engine)


def current_revisions(engine: Engine) -> tuple[str, ...]:
    """The revisions recorded in the database (one, or the heads of the old branches)."""
    with engine.connect() as connection:
        return tuple(MigrationContext.configure(connection).get_current_heads())


def head_revisions() -> tuple[str, ...]:
    """The newest revision in the code (one: the history is linear)."""
    return tuple(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def stamp(engine: Engine, revision: str = "head") -> None:
    """Record ``revision`` as applied without running it (for a schema made otherwise,
    such as the test suite's ``create_all``)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.stamp(config, revision)
