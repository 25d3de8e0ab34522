"""Backups as data, and restore into an empty database of either kind.

An archive is a zip file:

- ``manifest.json``: format and version, when it was made, the schema revisions of the
  database, every table with its columns, row count and checksum, and the list of files
  in ``exports/`` (path, size, SHA-256, modification time);
- ``tables/<table>.jsonl``: one JSON object per row, in primary-key order. Dates and
  datetimes are ISO 8601 strings, JSON columns are kept as JSON, binary as base64.
- ``exports/...``: the export files themselves, only with ``include_exports``.

Every table of ``SQLModel.metadata`` is covered, in dependency order, so a feature's new
table is backed up without touching this package; a table marked
``info={"backup": False}`` (counters such as sign-in attempts) is left out.

A backup reads everything in one transaction, so it is consistent while the app keeps
writing: on SQLite one read transaction (WAL mode gives it a snapshot), on PostgreSQL one
REPEATABLE READ, read-only transaction.

A restore builds the schema at the archive's revisions, loads every row in one
transaction (all or nothing), resets PostgreSQL's id sequences, checks the counts, then
upgrades the schema to this version's migrations. SQLite to PostgreSQL and back is the
same operation.

The work is split by topic: :mod:`.database` (schema revisions, the one transaction,
the tables covered), :mod:`.values` (column values as JSON), :mod:`.archive` (format and
manifest), :mod:`.write` (making a backup) and :mod:`.restore`.
"""

from __future__ import annotations

from .archive import FORMAT, FORMAT_VERSION, MANIFEST, read_manifest
from .database import VERSION_TABLE, Progress, database_heads, known_revisions
from .restore import BATCH, filled_tables, restore_backup
from .values import column_kind, decode, encode
from .write import create_backup, export_files

__all__ = [
    "BATCH",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "VERSION_TABLE",
    "Progress",
    "column_kind",
    "create_backup",
    "database_heads",
    "decode",
    "encode",
    "export_files",
    "filled_tables",
    "known_revisions",
    "read_manifest",
    "restore_backup",
]
