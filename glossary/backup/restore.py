"""Restoring a backup into an empty database (or, forced, over one with content): the
archive's schema, every row, the id sequences, an upgrade to this version's migrations
and the check of every stored agreement state (:mod:`.states`), all in one transaction;
then the export files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, MetaData, Table, exc, func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from ..db import refresh_statistics
from ..errors import InputError, Refused
from ..i18n import _l
from ..migrate import alembic_config, collapse_version_table, head_revisions, newest_of
from .archive import _rows, read_manifest
from .database import (
    VERSION_TABLE,
    Progress,
    _backed_up,
    _transaction,
    database_heads,
    known_revisions,
)
from .states import check_states
from .values import decode

BATCH = 500


def filled_tables(connection: Connection) -> list[str]:
    """Tables of the database (those not excluded from backups) that hold a row."""
    names = set(inspect(connection).get_table_names()) - {VERSION_TABLE}
    skipped = {t.name for t in SQLModel.metadata.tables.values() if not _backed_up(t)}
    filled = []
    for name in sorted(names - skipped):
        table = Table(name, MetaData())
        if connection.execute(select(text("1")).select_from(table).limit(1)).first():
            filled.append(name)
    return filled


def _drop_schema(connection: Connection, extra: set[str]) -> None:
    """Drop this app's tables (and the version table) so the archive's schema can be
    built; tables the app does not know are left alone."""
    present = set(inspect(connection).get_table_names())
    ours = ({t.name for t in SQLModel.metadata.sorted_tables} | extra | {VERSION_TABLE})
    reflected = MetaData()
    reflected.reflect(connection, only=sorted(present & ours))
    reflected.drop_all(connection)


def _build_schema(connection: Connection, revisions: set[str]) -> None:
    config = alembic_config(connection.engine.url.render_as_string(hide_password=False))
    config.attributes["connection"] = connection
    command.upgrade(config, newest_of(revisions))


def _upgrade(connection: Connection) -> None:
    """Bring the loaded schema to this version's migrations, inside the restore's
    transaction, so that the state check reads it with this version's models (on SQLite
    the transaction runs with foreign keys checked at its end: see ``_transaction``)."""
    collapse_version_table(connection)
    _build_schema(connection, set(head_revisions()))


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """PostgreSQL: move every id sequence past the highest id restored."""
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": f'"{table.name}"', "column": column.name}).scalar()
            if sequence:
                connection.execute(
                    text(f'SELECT setval(:sequence, COALESCE((SELECT MAX("{column.name}") '
                         f'FROM "{table.name}"), 1), (SELECT COUNT(*) FROM "{table.name}") > 0)'),
                    {"sequence": sequence})


def restore_backup(engine: Engine, source: Path | str, *, force: bool = False,
                   repair: bool = False, exports_dir: Path | None = None,
                   progress: Progress | None = None) -> dict:
    """Restore the archive ``source`` into the database of ``engine``.

    Refuses (:class:`Refused`) a database that holds any row unless ``force``, in which
    case everything in it is replaced. The rows are loaded in one transaction: a failure
    leaves the database as it was. Every agreement's stored state is then compared with
    the state its signatures, versions and disputes give it: a disagreement refuses the
    archive (:class:`~.states.StatesDisagree`, with the report; nothing written) unless
    ``repair``, which stores the computed states. Returns ``{"tables": {name: rows},
    "revisions": [...], "exports": n, "repaired": [StateMismatch, ...]}``."""
    manifest = read_manifest(source)
    revisions = set(manifest["schema"]["revisions"])
    unknown = revisions - known_revisions()
    if unknown or not revisions:
        raise Refused(_l("This backup's schema (%(revisions)s) is newer than this version of "
                         "the app: upgrade the app first.", revisions=", ".join(sorted(unknown))))
    try:
        revisions = {newest_of(revisions)}
    except ValueError as error:
        raise Refused(_l("This backup's schema is not one this app has released (%(reason)s)"
                         "; nothing was changed.", reason=str(error))) from error
    restored: dict[str, int] = {}
    upgraded = revisions != set(head_revisions())
    try:
        with zipfile.ZipFile(source) as archive, _transaction(engine,
                                                             read_only=False) as connection:
            _load(connection, archive, manifest, revisions, force=force, progress=progress,
                  restored=restored)
            if upgraded:
                _upgrade(connection)
            with Session(bind=connection) as session:
                repaired = check_states(session, repair=repair)
    except (exc.IntegrityError, exc.DataError) as error:
        raise InputError(_l("The backup could not be loaded (%(reason)s); nothing was "
                            "changed.", reason=str(error.orig).splitlines()[0])) from error
    written = _restore_exports(source, manifest, exports_dir, overwrite=force)
    if upgraded:
        refresh_statistics(engine)
    return {"tables": restored, "revisions": sorted(revisions), "exports": written,
            "repaired": repaired}


def _load(connection: Connection, archive: zipfile.ZipFile, manifest: dict,
          revisions: set[str], *, force: bool, progress: Progress | None,
          restored: dict[str, int]) -> None:
    """Inside the restore's transaction: refuse a database with content (unless forced),
    build the archive's schema if the database is at another one, empty every table, then
    load and count each table in dependency order."""
    filled = filled_tables(connection)
    if filled and not force:
        raise Refused(_l("The database is not empty (%(tables)s): restore into an empty "
                         "database, or force it to replace everything.",
                         tables=", ".join(filled)))
    if database_heads(connection) != revisions:
        _drop_schema(connection, {t["name"] for t in manifest["tables"]})
        _build_schema(connection, revisions)
    target = MetaData()
    target.reflect(connection)
    for table in reversed(target.sorted_tables):
        if table.name != VERSION_TABLE:
            connection.execute(table.delete())
    loaded = []
    for entry in manifest["tables"]:
        table = target.tables.get(entry["name"])
        restored[entry["name"]] = _load_table(connection, archive, entry, table)
        loaded.append(table)
        if progress:
            progress(entry["name"], restored[entry["name"]])
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection, loaded)


def _load_table(connection: Connection, archive: zipfile.ZipFile, entry: dict,
                table: Table | None) -> int:
    names = [c["name"] for c in entry["columns"]]
    if table is None or any(n not in table.columns for n in names):
        raise InputError(_l("The backup's table %(table)s does not fit the schema it names.",
                            table=entry["name"]))
    dialect = connection.dialect.name
    columns = [(c["name"], c["kind"], table.columns[c["name"]].type) for c in entry["columns"]]
    batch = []
    for row in _rows(archive, entry):
        batch.append({n: decode(row[n], kind, type_, dialect) for n, kind, type_ in columns})
        if len(batch) >= BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
    count = connection.execute(select(func.count()).select_from(table)).scalar()
    if count != entry["rows"]:
        raise InputError(_l("Table %(table)s: %(found)d rows restored, %(expected)d expected.",
                            table=entry["name"], found=count, expected=entry["rows"]))
    return count


def _restore_exports(source, manifest: dict, exports_dir: Path | None, *,
                     overwrite: bool) -> int:
    """Write the export files kept in the archive (only those it includes) that are
    missing from ``exports_dir``, or every one with ``overwrite``; returns how many."""
    if exports_dir is None or not manifest["exports"]["included"]:
        return 0
    written = 0
    root = Path(exports_dir).resolve()
    with zipfile.ZipFile(source) as archive:
        for entry in manifest["exports"]["files"]:
            path = (root / entry["path"]).resolve()
            if not path.is_relative_to(root) or (path.exists() and not overwrite):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.read(f"exports/{entry['path']}"))
            written += 1
    return written
