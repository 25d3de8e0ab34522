"""Backups as data, and restore into an empty database of either kind.

An archive is a zip file:

- ``manifest.json``: format and version, when it was made, the schema revisions of the
  database, every table with its columns, row count and checksum, and the list of files
  in ``exports/`` (path, size, SHA-256, modification time);
- ``tables/<table>.jsonl``: one JSON object per row, in primary-key order. Dates and
  datetimes are ISO 8601 strings, JSON columns are kept as JSON, binary as base64.
- ``exports/...``: the export files themselves, only with ``include_exports``.

Every table of ``SQLModel.metadata`` is covered, in dependency order, so a feature's new
table is backed up without touching this module; a table marked
``info={"backup": False}`` (counters such as sign-in attempts) is left out.

A backup reads everything in one transaction, so it is consistent while the app keeps
writing: on SQLite one read transaction (WAL mode gives it a snapshot), on PostgreSQL one
REPEATABLE READ, read-only transaction.

A restore builds the schema at the archive's revisions, loads every row in one
transaction (all or nothing), resets PostgreSQL's id sequences, checks the counts, then
upgrades the schema to this version's migrations. SQLite to PostgreSQL and back is the
same operation.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    Table,
    exc,
    func,
    inspect,
    select,
    text,
    types,
)
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from . import models  # noqa: F401  (registers every table on the metadata)
from .errors import InputError, Refused
from .migrate import alembic_config, head_revisions, upgrade

FORMAT = "glossary-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
VERSION_TABLE = "alembic_version"
BATCH = 500

Progress = Callable[[str, int], None]


# -- schema revisions ---------------------------------------------------------------------

def database_heads(connection: Connection) -> frozenset[str]:
    """The migration revisions the database is at, one per branch (empty when none)."""
    return frozenset(MigrationContext.configure(connection).get_current_heads())


def known_revisions() -> frozenset[str]:
    """Every migration revision this version of the code knows."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return frozenset(r.revision for r in script.walk_revisions())


# -- values -------------------------------------------------------------------------------

def column_kind(column_type: types.TypeEngine) -> str:
    """How a column's values are written in the archive: datetime, date, time, json,
    binary, decimal, interval, uuid, or plain (strings, numbers, booleans)."""
    if isinstance(column_type, types.TypeDecorator):
        column_type = column_type.impl_instance
    for kind, cls in (("json", types.JSON), ("datetime", types.DateTime), ("date", types.Date),
                      ("time", types.Time), ("interval", types.Interval),
                      ("binary", types.LargeBinary), ("binary", types.BINARY),
                      ("binary", types.VARBINARY), ("uuid", types.Uuid)):
        if isinstance(column_type, cls):
            return kind
    if isinstance(column_type, types.Numeric) and not isinstance(column_type, types.Float):
        return "decimal"
    return "plain"


def encode(value, kind: str):
    """A column value as JSON data."""
    if value is None or kind in ("json", "plain"):
        return value
    if kind in ("datetime", "date", "time"):
        return value.isoformat()
    if kind == "binary":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "interval":
        return [value.days, value.seconds, value.microseconds]
    return str(value)  # decimal, uuid


def decode(value, kind: str, target: types.TypeEngine, dialect: str):
    """A value from the archive as the target column takes it. SQLite keeps datetimes
    without an offset, in UTC; PostgreSQL's ``timestamptz`` keeps the offset."""
    if value is None or kind in ("json", "plain"):
        return value
    if kind == "datetime":
        moment = datetime.fromisoformat(value)
        aware_target = dialect != "sqlite" and getattr(target, "timezone", False)
        if moment.tzinfo is None and aware_target:
            return moment.replace(tzinfo=UTC)
        if moment.tzinfo is not None and not aware_target:
            return moment.astimezone(UTC).replace(tzinfo=None)
        return moment
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "time":
        return time.fromisoformat(value)
    if kind == "binary":
        return base64.b64decode(value)
    if kind == "interval":
        return timedelta(days=value[0], seconds=value[1], microseconds=value[2])
    if kind == "uuid":
        return uuid.UUID(value)
    return Decimal(value)


# -- transactions -------------------------------------------------------------------------

@contextmanager
def _transaction(engine: Engine, *, read_only: bool) -> Iterator[Connection]:
    """One transaction on one connection. On SQLite the driver would start a
    transaction only at the first write, so ``BEGIN`` is sent explicitly: every read then
    sees one snapshot, and schema changes roll back with the rest."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql("BEGIN")
            try:
                yield connection
            except BaseException:
                connection.exec_driver_sql("ROLLBACK")
                raise
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


# -- backup -------------------------------------------------------------------------------

def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_files(exports_dir: Path | None) -> list[dict]:
    """Path, size, SHA-256 and modification time of every file under ``exports_dir``."""
    if exports_dir is None or not Path(exports_dir).is_dir():
        return []
    files = []
    for path in sorted(p for p in Path(exports_dir).rglob("*") if p.is_file()):
        stat = path.stat()
        files.append({
            "path": path.relative_to(exports_dir).as_posix(),
            "bytes": stat.st_size,
            "sha256": _file_sha256(path),
            "modified": datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(),
        })
    return files


def _dump_table(connection: Connection, table: Table, archive: zipfile.ZipFile) -> dict:
    kinds = {c.name: column_kind(c.type) for c in table.columns}
    query = select(*table.columns)
    if table.primary_key.columns:
        query = query.order_by(*table.primary_key.columns)
    name = f"tables/{table.name}.jsonl"
    digest = hashlib.sha256()
    rows = 0
    result = connection.execution_options(yield_per=1000).execute(query)
    with archive.open(name, "w", force_zip64=True) as raw:
        for row in result.mappings():
            line = json.dumps({key: encode(row[key], kinds[key]) for key in kinds},
                              ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            raw.write(line)
            digest.update(line)
            rows += 1
    return {"name": table.name, "file": name, "rows": rows, "sha256": digest.hexdigest(),
            "columns": [{"name": key, "kind": kind} for key, kind in kinds.items()]}


def create_backup(engine: Engine, destination: Path | str, *, exports_dir: Path | None = None,
                  include_exports: bool = False, progress: Progress | None = None) -> dict:
    """Write a consistent archive of the whole database to ``destination`` (written
    under a temporary name and renamed when complete) and return its manifest.

    ``progress(table, rows)`` is called after each table."""
    destination = Path(destination)
    partial = destination.with_name(destination.name + ".partial")
    try:
        with _transaction(engine, read_only=True) as connection, zipfile.ZipFile(
                partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            revisions = database_heads(connection)
            if not revisions:
                raise InputError(_l("This database has no schema yet: nothing to back up."))
            tables = []
            for table in _tables_in(connection):
                if not _backed_up(table):
                    continue
                tables.append(_dump_table(connection, table, archive))
                if progress:
                    progress(table.name, tables[-1]["rows"])
            files = export_files(exports_dir)
            if include_exports:
                for entry in files:
                    archive.write(Path(exports_dir) / entry["path"], f"exports/{entry['path']}")
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": datetime.now(UTC).isoformat(),
                "app_version": _app_version(),
                "source": {
                    "dialect": engine.dialect.name,
                    "consistency": ("one REPEATABLE READ transaction"
                                    if engine.dialect.name == "postgresql"
                                    else "one read transaction (WAL snapshot)"),
                },
                "schema": {"revisions": sorted(revisions), "code_heads": sorted(head_revisions())},
                "tables": tables,
                "exports": {"included": include_exports, "files": files},
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("glossary")
    except PackageNotFoundError:
        return "unknown"


# -- reading an archive -------------------------------------------------------------------

def read_manifest(source: Path | str, *, verify: bool = True) -> dict:
    """The manifest of an archive; with ``verify``, every table file is checked against
    its checksum and row count. Raises :class:`InputError` for anything else."""
    try:
        with zipfile.ZipFile(source) as archive:
            manifest = json.loads(archive.read(MANIFEST))
            if manifest.get("format") != FORMAT:
                raise InputError(_l("This file is not a glossary backup."))
            if manifest.get("format_version", 0) > FORMAT_VERSION:
                raise InputError(_l("This backup was made by a newer version of the app: "
                                    "upgrade the app first."))
            if verify:
                for table in manifest["tables"]:
                    digest, rows = hashlib.sha256(), 0
                    with archive.open(table["file"]) as raw:
                        for line in raw:
                            digest.update(line)
                            rows += 1
                    if digest.hexdigest() != table["sha256"] or rows != table["rows"]:
                        raise InputError(_l("The backup is damaged: table %(table)s does not "
                                            "match its checksum.", table=table["name"]))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        if isinstance(error, InputError):
            raise
        raise InputError(_l("This file cannot be read as a glossary backup (%(reason)s).",
                            reason=error.__class__.__name__)) from error
    return manifest


def _rows(archive: zipfile.ZipFile, entry: dict) -> Iterator[dict]:
    with archive.open(entry["file"]) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            yield json.loads(line)


# -- restore ------------------------------------------------------------------------------

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
    for revision in sorted(revisions):
        command.upgrade(config, revision)


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
                   exports_dir: Path | None = None, progress: Progress | None = None) -> dict:
    """Restore the archive ``source`` into the database of ``engine``.

    Refuses (:class:`Refused`) a database that holds any row unless ``force``, in which
    case everything in it is replaced. The rows are loaded in one transaction: a failure
    leaves the database as it was. Returns ``{"tables": {name: rows}, "revisions": [...],
    "exports": n}``."""
    manifest = read_manifest(source)
    revisions = set(manifest["schema"]["revisions"])
    unknown = revisions - known_revisions()
    if unknown or not revisions:
        raise Refused(_l("This backup's schema (%(revisions)s) is newer than this version of "
                         "the app: upgrade the app first.", revisions=", ".join(sorted(unknown))))
    restored: dict[str, int] = {}
    try:
        with zipfile.ZipFile(source) as archive, _transaction(engine,
                                                             read_only=False) as connection:
            _load(connection, archive, manifest, revisions, force=force, progress=progress,
                  restored=restored)
    except (exc.IntegrityError, exc.DataError) as error:
        raise InputError(_l("The backup could not be loaded (%(reason)s); nothing was "
                            "changed.", reason=str(error.orig).splitlines()[0])) from error
    written = _restore_exports(source, manifest, exports_dir, overwrite=force)
    if revisions != set(head_revisions()):
        upgrade(engine)
    return {"tables": restored, "revisions": sorted(revisions), "exports": written}


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
