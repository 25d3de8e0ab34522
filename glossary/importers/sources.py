"""Files to import: telling their format, and streaming their entries.

:func:`detect_format` names a file's format from its name or first bytes; a
:class:`Source` is a file (or a ``data/terms``-style folder of CSV files) that yields
:class:`~glossary.importers.entries.ConceptEntry` objects through the matching reader.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..i18n import _l
from ..uploads import UploadLimits
from .mapping import TableMapping, guess_table, missing_message

FORMATS = ("tbx", "csv", "xlsx")


def detect_format(name: str, head: bytes) -> str:
    """The format of a file from its name, else from its first bytes."""
    suffix = Path(name).suffix.lower()
    if suffix in (".tbx", ".xml"):
        return "tbx"
    if suffix == ".xlsx":
        return "xlsx"
    if suffix in (".csv", ".txt", ".tsv", ".tab"):
        return "csv"
    if head.startswith(b"PK"):
        return "xlsx"
    return "tbx" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "csv"


class Source:
    """A file (or a ``data/terms``-style folder of CSV files) to import. Iterating it
    reads the file afresh, so the dry run and the import each stream it once."""

    def __init__(self, path: Path | str, *, working: str, fmt: str | None = None,
                 name: str | None = None, domain_keys: Iterable[str] = (),
                 limits: UploadLimits | None = None, mapping: TableMapping | None = None,
                 custom: dict | None = None):
        self.path = Path(path)
        self.mapping = mapping
        self.custom = custom
        self.limits = limits or UploadLimits()
        self.working = working
        self.name = name or self.path.name
        self.domain_keys = set(domain_keys)
        self.domain_names: dict[str, tuple[str, int]] = {}
        self.dialect = ""
        if self.path.is_dir():
            self.fmt = "csv"
            catalog = self.path / "domains.csv"
            if catalog.exists():
                with catalog.open(encoding="utf-8-sig", newline="") as handle:
                    for row in csv.DictReader(handle):
                        self.domain_names[row["key"]] = (row["name"], int(row["position"]))
        else:
            with self.path.open("rb") as handle:
                head = handle.read(512)
            self.fmt = fmt or detect_format(self.name, head)
        if self.fmt not in FORMATS:
            raise InputError(_l("Unknown format “%(fmt)s”: use tbx, csv or xlsx.", fmt=self.fmt))

    @property
    def delimiter(self) -> str | None:
        """A tab for a file named .tsv (DeepL glossaries); else guessed from the header."""
        return "\t" if self.name.lower().endswith(".tsv") else None

    def head(self) -> list[tuple[str, list[list]]]:
        """(sheet name, first rows) of each sheet of a CSV or XLSX file; [] otherwise."""
        from .table import head_rows

        if self.fmt == "tbx" or self.path.is_dir():
            return []
        with self.path.open("rb") as handle:
            return head_rows(handle, fmt=self.fmt, limits=self.limits,
                             delimiter=self.delimiter)

    def guess(self) -> TableMapping | None:
        """The proposed column mapping of a CSV or XLSX file (None for TBX and folders)."""
        sheets = self.head()
        if not sheets:
            return None
        return guess_table(sheets, working=self.working, custom=self.custom, hint=self.name)

    def _files(self) -> list[Path]:
        if not self.path.is_dir():
            return [self.path]
        keys = list(self.domain_names) or sorted(
            p.stem for p in self.path.glob("*.csv") if p.stem != "domains")
        return [self.path / f"{key}.csv" for key in keys if (self.path / f"{key}.csv").exists()]

    def __iter__(self):
        from .table import read_csv, read_xlsx
        from .tbx import read_tbx

        for path in self._files():
            known = self.domain_keys | set(self.domain_names)
            domain = path.stem if path.stem in known else None
            with path.open("rb") as handle:
                if self.fmt == "tbx":
                    reader = read_tbx(handle, working=self.working)
                    yield from reader
                    self.dialect = reader.dialect
                elif self.fmt == "xlsx":
                    self.dialect = "XLSX"
                    yield from read_xlsx(handle, working=self.working, domain=domain,
                                         limits=self.limits, mapping=self._mapping(),
                                         name=path.name)
                else:
                    self.dialect = "TSV" if self.delimiter else "CSV"
                    mapping = self._mapping() if not self.path.is_dir() else None
                    yield from read_csv(handle, working=self.working, domain=domain,
                                        limits=self.limits, delimiter=self.delimiter,
                                        sheet=mapping.sheets[0] if mapping else None,
                                        name=path.name)

    def _mapping(self) -> TableMapping:
        """The mapping given, else the guessed one; refused while a column waits for
        its language."""
        if self.mapping is None:
            self.mapping = self.guess()
        assert self.mapping is not None
        if self.mapping.missing():
            raise missing_message(self.mapping)
        return self.mapping


def check_upload(stream: BinaryIO, *, fmt: str, limits: UploadLimits) -> None:
    """The quick checks an uploaded file passes before it is stored for a preview: a
    workbook's package (:func:`glossary.zipfiles.check_package`), a CSV file's row count.
    Raises :class:`InputError` naming the limit; leaves ``stream`` at its start."""
    import zipfile

    from ..zipfiles import check_package
    from .table import count_rows

    if fmt == "csv":
        count_rows(stream, limit=limits.rows)
    elif fmt == "xlsx":
        try:
            check_package(stream, limits=limits)
        except zipfile.BadZipFile:
            raise InputError(_l("The file is not an XLSX workbook.")) from None
    stream.seek(0)
