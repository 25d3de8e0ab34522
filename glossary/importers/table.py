"""Reading glossary spreadsheets: CSV (UTF-8 with or without BOM, comma, semicolon or
tab) and XLSX, one row per concept, one column group per language.

Header convention (documented in the README):

- concept columns: ``key``, ``domain`` (key or name), ``definition``, ``sensitivity``
  (low, medium, high), ``facilitator_note``, ``concept_status`` (active, retired);
- the working-language wording: ``term`` or ``term:en``;
- per language tag: ``term:ar``, ``status:ar`` (preferred, admitted, avoid), ``register:ar``
  (clinical, neutral, colloquial, euphemism, vulgar), ``back:ar`` (back-translation),
  ``note:ar`` (usage note), ``no_equivalent:ar`` (yes), ``paraphrase:ar``,
  ``explanation:ar`` (the participants' explanation, in that language); a second
  rendering in the same language uses ``term:ar:2``, ``status:ar:2`` ...;
- ``state:ar`` (written by our export) is ignored: agreement happens here, not in files;
- any other column is kept as a line ``"Column: value"`` of the facilitator note.

An empty cell says nothing: it never clears what the glossary holds. Rows repeating a key
add renderings to that concept. Cells are passed through
:func:`glossary.spreadsheet.restore`, undoing the formula neutralising of our export. The
starter lists in ``data/terms/`` (``key,term,definition,sensitivity,facilitator_note``,
one file per domain) are this format: without a ``domain`` column, the file's name is the
domain key.

This module reads the files (encoding, delimiter, row limits, workbooks checked before
they are parsed); :mod:`.table_rows` turns their rows into concept entries.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from ..errors import InputError
from ..i18n import _l
from ..uploads import UploadLimits, too_many_rows
from ..zipfiles import check_package
from .entries import ConceptEntry
from .mapping import SAMPLE_ROWS, SheetMapping, TableMapping
from .table_rows import entries


def _delimiter(head: str) -> str:
    first = head.splitlines()[0] if head else ""
    return max((";", ",", "\t"), key=first.count) if first else ","


def _csv_rows(stream: BinaryIO, text: io.TextIOWrapper, head: bytes,
              delimiter: str | None) -> Iterator[tuple[int, list]]:
    reader = csv.reader(text, delimiter=delimiter or _delimiter(
        head.decode("utf-8-sig", "ignore")))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except UnicodeDecodeError:
        raise InputError(_l("The file is not UTF-8 text (line %(line)d). In Excel, save "
                            "it as “CSV UTF-8”.", line=reader.line_num + 1)) from None
    except csv.Error as exc:
        raise InputError(_l("The CSV file cannot be read at line %(line)d: %(reason)s",
                            line=reader.line_num, reason=str(exc))) from None


def _utf8_head(stream: BinaryIO) -> bytes:
    head = stream.read(64 * 1024)
    stream.seek(0)
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            raise InputError(_l("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 "
                                "(comma delimited)”.")) from None
    return head


def read_csv(stream: BinaryIO, *, working: str = "en", domain: str | None = None,
             limits: UploadLimits | None = None, sheet: SheetMapping | None = None,
             delimiter: str | None = None, name: str = "") -> Iterator[ConceptEntry]:
    """Entries of a CSV or TSV file (UTF-8, BOM optional, delimiter guessed from the
    header unless given) read with ``sheet``'s mapping (guessed when None); a file of more
    than ``limits.rows`` rows is refused as soon as the reader gets there."""
    head = _utf8_head(stream)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        yield from entries(_csv_rows(stream, text, head, delimiter), working=working,
                           domain=domain, max_rows=(limits or UploadLimits()).rows,
                           sheet=sheet, name=name)
    finally:
        text.detach()


def head_rows(stream: BinaryIO, *, fmt: str, limits: UploadLimits | None = None,
              delimiter: str | None = None) -> list[tuple[str, list[list]]]:
    """(sheet name, its first rows) of each sheet of a CSV file ("" for its one sheet)
    or XLSX workbook: what the mapping is guessed from and the preview shows."""
    if fmt == "xlsx":
        with _workbook(stream, limits or UploadLimits()) as workbook:
            return [(sheet.title, [list(r) for r in itertools.islice(
                sheet.iter_rows(values_only=True), SAMPLE_ROWS)])
                for sheet in workbook.worksheets]
    head = _utf8_head(stream)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        rows = [cells for _line, cells in itertools.islice(
            _csv_rows(stream, text, head, delimiter), SAMPLE_ROWS)]
    finally:
        text.detach()
        stream.seek(0)
    return [("", rows)]


def count_rows(stream: BinaryIO, *, limit: int) -> int:
    """The rows of a CSV file after its header, read as a stream and refused
    (:class:`InputError`) past ``limit``; ``stream`` is left at its start. Quick enough
    to run on every upload before anything is stored."""
    head = stream.read(64 * 1024)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    try:
        reader = csv.reader(text, delimiter=_delimiter(head.decode("utf-8-sig", "ignore")))
        count = -1  # the header
        for count, _cells in enumerate(reader):
            if count > limit:
                raise too_many_rows(limit)
        return max(count, 0)
    except csv.Error:
        return 0  # the reader names the line when it reads the file for real
    finally:
        text.detach()
        stream.seek(0)


# What a broken part inside a workbook raises from openpyxl (which reads XML through
# defusedxml, whose refusals are ValueErrors) or from zipfile.
XLSX_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError,
               AttributeError, SyntaxError, EOFError)


@contextmanager
def _workbook(stream: BinaryIO, limits: UploadLimits):
    """The workbook, checked before it is parsed (:func:`glossary.zipfiles.check_package`):
    bombs, DTDs and too many parts are refused with the limit named, a broken package as
    not a workbook."""
    from openpyxl import load_workbook

    not_a_workbook = InputError(_l("The file is not an XLSX workbook."))
    try:
        check_package(stream, limits=limits)
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except XLSX_ERRORS:
        raise not_a_workbook from None
    try:
        yield workbook
    except XLSX_ERRORS:
        raise not_a_workbook from None
    finally:
        workbook.close()


def read_xlsx(stream: BinaryIO, *, working: str = "en", domain: str | None = None,
              limits: UploadLimits | None = None, mapping: TableMapping | None = None,
              name: str = "") -> Iterator[ConceptEntry]:
    """Entries of every sheet of an XLSX workbook (one sheet per language pair is
    usual), each read with its sheet's mapping (guessed when None); sheets the mapping
    skips and empty sheets are passed over. More than ``limits.rows`` rows in a sheet are
    refused with the limit named."""
    limits = limits or UploadLimits()
    with _workbook(stream, limits) as workbook:
        for index, worksheet in enumerate(workbook.worksheets):
            sheet = mapping.sheet(worksheet.title, index) if mapping else None
            if sheet is not None and sheet.skip:
                continue
            rows = ((n, list(r)) for n, r in enumerate(
                worksheet.iter_rows(values_only=True), 1))
            first = next(rows, None)
            if first is None:
                continue
            yield from entries(itertools.chain([first], rows), working=working,
                               domain=domain, max_rows=limits.rows, sheet=sheet,
                               name=worksheet.title)
