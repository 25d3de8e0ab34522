"""The database side of backup and restore: the schema revisions a database is at, one
transaction on one connection, and the tables a backup covers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, MetaData, Table, exc, inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from .. import models  # noqa: F401  (registers every table on the metadata)
from ..db import broken_references, sqlite_references_checked_at_end
from ..migrate import alembic_config, newest_of

VERSION_TABLE = "alembic_version"

Progress = Callable[[str, int], None]


# -- schema revisions ---------------------------------------------------------------------

def database_heads(connection: Connection) -> frozenset[str]:
    """The migration revision the database is at, as a set of one (empty when none).

    A database from before the history was made linear records the heads of several
    branches; they stand for the newest of them (:func:`glossary.migrate.newest_of`).
    A record this code cannot read as one revision is returned as it is."""
    heads = MigrationContext.configure(connection).get_current_heads()
    try:
        newest = newest_of(heads)
    except (LookupError, ValueError):
        return frozenset(heads)
    return frozenset({newest} if newest else ())


def known_revisions() -> frozenset[str]:
    """Every migration revision this version of the code knows."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return frozenset(r.revision for r in script.walk_revisions())



# -- transactions -------------------------------------------------------------------------

@contextmanager
def _transaction(engine: Engine, *, read_only: bool) -> Iterator[Connection]:
    """One transaction on one connection. On SQLite the driver would start a
    transaction only at the first write, so ``BEGIN`` is sent explicitly: every read then
    sees one snapshot, and schema changes roll back with the rest."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            # A migration run inside a restore copies a table and drops the old one.
            checks = (nullcontext() if read_only
                      else sqlite_references_checked_at_end(connection))
            with checks:
                connection.exec_driver_sql("BEGIN")
                try:
                    yield connection
                    if not read_only and broken_references(connection):
                        raise exc.IntegrityError("PRAGMA foreign_key_check", {},
                                                 Exception("FOREIGN KEY constraint failed"))
                except BaseException:
                    connection.exec_driver_sql("ROLLBACK")
                    raise
                else:
                    connection.exec_driver_sql("ROLLBACK" if read_only else "COMMIT")
        return
    options = {"isolation_level": "REPEATABLE READ"}
    if read_only and engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    with engine.connect() as connection:
        connection = connection.execution_options(**options)
        with connection.begin():
            yield connection


def _backed_up(table: Table) -> bool:
    return table.info.get("backup", True) and table.name != VERSION_TABLE


def _tables_in(connection: Connection) -> list[Table]:
    """The tables of the database, in dependency order: those the code knows as the code
    declares them (limited to the columns the database has), then any others, reflected."""
    present = set(inspect(connection).get_table_names())
    known = [t for t in SQLModel.metadata.sorted_tables if t.name in present]
    others = present - {t.name for t in SQLModel.metadata.sorted_tables} - {VERSION_TABLE}
    reflected = MetaData()
    if others:
        reflected.reflect(connection, only=sorted(others))
    tables = []
    for table in known:
        columns = {c["name"] for c in inspect(connection).get_columns(table.name)}
        if columns != set(table.columns.keys()):
            table = Table(table.name, MetaData(),
                          *[Column(c.name, c.type, primary_key=c.primary_key)
                            for c in table.columns if c.name in columns])
        tables.append(table)
    return tables + list(reflected.sorted_tables)
