"""Test-restoring a backup: load the archive into a scratch database and compare, table
by table, the row count and a content hash of what came back with what the archive holds.

The content hash is taken over a canonical form of each row, so it is the same for the
archive and for any database the rows were restored into: datetimes as UTC without an
offset (SQLite keeps no offset, PostgreSQL does), JSON with sorted keys, and the rows in
sorted order (databases sort text keys by different collations). The scratch database is
a temporary SQLite file unless another empty database is given: a backup is data, and
restores into either kind.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from ..db import make_engine
from .archive import _rows, read_manifest
from .database import _tables_in
from .restore import restore_backup
from .values import encode


@dataclass(frozen=True)
class TableCheck:
    """One table: rows and content hash in the archive and after the restore."""

    name: str
    expected_rows: int
    restored_rows: int
    expected_hash: str
    restored_hash: str

    @property
    def ok(self) -> bool:
        """Whether the restored table holds exactly what the archive holds."""
        return (self.expected_rows == self.restored_rows
                and self.expected_hash == self.restored_hash)


@dataclass
class VerifyReport:
    """The outcome of a test restore: one check per table of the archive."""

    archive: str
    scratch: str
    tables: list[TableCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every table came back whole."""
        return all(check.ok for check in self.tables)

    def lines(self) -> list[str]:
        """The report as text lines for a terminal or a cron mail."""
        out = [f"Test restore of {self.archive} into {self.scratch}:"]
        for check in self.tables:
            verdict = "ok" if check.ok else "MISMATCH"
            out.append(f"  {check.name:<24} {check.expected_rows:>8} rows in the archive "
                       f"{check.restored_rows:>8} restored  {check.restored_hash[:12]}  "
                       f"{verdict}")
        total = sum(c.expected_rows for c in self.tables)
        bad = [c.name for c in self.tables if not c.ok]
        out.append(f"Verified: {len(self.tables)} tables, {total} rows, every count and "
                   "content hash matches." if not bad else
                   f"FAILED: {len(bad)} tables differ: {', '.join(bad)}.")
        return out


def _canonical(value, kind: str):
    if value is None:
        return None
    if kind == "datetime":
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment.isoformat()
    return value


def content_hash(rows: Iterable[dict], columns: list[dict]) -> tuple[int, str]:
    """Row count and SHA-256 of rows given as archive values (see :func:`encode`), in a
    canonical form that does not depend on the database they were read from."""
    lines = sorted(
        json.dumps([_canonical(row.get(c["name"]), c["kind"]) for c in columns],
                   ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for row in rows)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode() + b"\n")
    return len(lines), digest.hexdigest()


def _restored_rows(connection, table, columns: list[dict]):
    present = [c for c in columns if c["name"] in table.columns]
    for row in connection.execute(select(*(table.columns[c["name"]] for c in present))):
        yield {c["name"]: encode(value, c["kind"]) for c, value in zip(present, row,
                                                                       strict=True)}


def verify_backup(source: Path | str, *, scratch_url: str | None = None) -> VerifyReport:
    """Restore the archive ``source`` into a scratch database (``scratch_url``, which
    must be empty, or else a temporary SQLite file, deleted afterwards) and compare each
    table's row count and content hash with the archive's. Raises what
    :func:`restore_backup` raises when the archive cannot be restored at all."""
    manifest = read_manifest(source)
    with tempfile.TemporaryDirectory(prefix="glossary-verify-") as scratch_dir:
        url = scratch_url or f"sqlite:///{Path(scratch_dir) / 'scratch.db'}"
        engine = make_engine(url)
        try:
            restore_backup(engine, source)
            report = VerifyReport(str(source), engine.url.render_as_string(hide_password=True))
            with zipfile.ZipFile(source) as archive, engine.connect() as connection:
                tables = {t.name: t for t in _tables_in(connection)}
                for entry in manifest["tables"]:
                    expected = content_hash(_rows(archive, entry), entry["columns"])
                    table = tables.get(entry["name"])
                    restored = (content_hash(_restored_rows(connection, table,
                                                            entry["columns"]),
                                             entry["columns"])
                                if table is not None else (0, ""))
                    report.tables.append(TableCheck(entry["name"], expected[0], restored[0],
                                                    expected[1], restored[1]))
        finally:
            engine.dispose()
    return report
