"""Writing a backup: every backed-up table and the list of export files (the files
themselves on request) into one archive, read in one transaction."""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Table, select
from sqlalchemy.engine import Engine

from ..errors import InputError
from ..i18n import _l
from ..migrate import head_revisions
from .archive import FORMAT, FORMAT_VERSION, MANIFEST
from .database import Progress, _backed_up, _tables_in, _transaction, database_heads
from .values import column_kind, encode

ARCHIVE_NAME = re.compile(r"glossary-\d{8}T\d{6}Z\.zip")


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
        with _transaction(engine, read_only=True) as connection, _private_file(
                partial) as handle, zipfile.ZipFile(
                handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
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


def _private_file(path: Path):
    """Open ``path`` for writing, readable by its owner only from the first byte: an
    archive holds e-mail addresses and password hashes."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # also when the file was already there
    return os.fdopen(descriptor, "wb")


def archive_name(now: datetime) -> str:
    """The file name a backup gets in a folder: ``glossary-YYYYMMDDTHHMMSSZ.zip``."""
    return f"glossary-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.zip"


def prune_backups(folder: Path, *, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest archives in ``folder`` that carry the name
    :func:`archive_name` gives (other files are never touched); returns those deleted.
    The names sort by time, so the newest are the last in name order."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    ours = sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and ARCHIVE_NAME.fullmatch(p.name))
    doomed = ours[:-keep]
    for path in doomed:
        path.unlink()
    return doomed


def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("glossary")
    except PackageNotFoundError:
        return "unknown"
