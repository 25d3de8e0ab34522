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
from ..spreadsheet import restore
from ..uploads import UploadLimits, too_many_rows
from ..zipfiles import check_package
from .entries import ConceptEntry, TermEntry, map_register, map_status
from .mapping import (
    SAMPLE_ROWS,
    TERM_ROLES,
    UNKNOWN,
    MappingError,
    SheetMapping,
    TableMapping,
    guess_sheet,
    missing_message,
    split_role,
)

TRUE_CELLS = {"1", "yes", "y", "true", "x", "on", "ja", "oui", "si", "sì"}
CONCEPT_FIELDS = {"domain": "domain", "definition": "definition", "sensitivity": "sensitivity",
                  "note": "facilitator_note", "concept_status": "status"}
TERM_FIELDS = {"term": "text", "status": "status", "register": "register",
               "back": "back_translation", "usage": "usage_note",
               "no_equivalent": "no_equivalent", "paraphrase": "paraphrase",
               "explanation": "explanation"}
DETAILS = {"pos": "partOfSpeech", "gender": "grammaticalGender", "context": "context"}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(restore(value) if isinstance(value, str) else value).strip()


class Columns:
    """What each column of a sheet means, from its :class:`~.mapping.SheetMapping`: a
    rendering's columns are numbered per language in column order, so that a second
    "Arabic" column is a second Arabic rendering."""

    def __init__(self, sheet: SheetMapping, *, working: str):
        self.concept: dict[int, str] = {}
        self.terms: dict[int, tuple[str, int, str]] = {}
        self.extra: dict[int, str] = {}
        seen: dict[tuple[str, str], int] = {}
        for index, role in enumerate(sheet.roles):
            kind, tag, number = split_role(role)
            if kind in ("ignore",) or (kind in TERM_ROLES and tag == UNKNOWN):
                continue
            if kind == "extra":
                self.extra[index] = sheet.label(index)
            elif kind == "key" or kind in CONCEPT_FIELDS:
                self.concept[index] = "ref" if kind == "key" else CONCEPT_FIELDS[kind]
            else:
                count = seen[(kind, tag)] = seen.get((kind, tag), 0) + 1
                self.terms[index] = (tag, number or count, kind)
        if not any(kind == "term" for _t, _n, kind in self.terms.values()):
            raise MappingError(_l("No column holds wordings: choose which columns are "
                                "wordings in which language (or name them “term:<language>” "
                                "in the first row, see the README)."))


def _term_fields(cells_of: dict) -> dict:
    fields: dict = {}
    for kind, value in cells_of.items():
        if kind == "status":
            fields["status"] = map_status(value) or value
        elif kind == "register":
            fields["register"] = map_register(value) or value
        elif kind == "no_equivalent":
            fields["no_equivalent"] = value.lower() in TRUE_CELLS
        elif kind in DETAILS:
            fields.setdefault("details", {})[DETAILS[kind]] = value
        elif kind != "term":
            fields[TERM_FIELDS[kind]] = value
    return fields


def entries(rows: Iterator[tuple[int, list]], *, working: str, domain: str | None = None,
            max_rows: int | None = None, sheet: SheetMapping | None = None,
            name: str = "") -> Iterator[ConceptEntry]:
    """Concept entries from (line, cells) rows read with ``sheet``'s mapping (guessed
    from the first rows when None); the first row is skipped when it is the header.
    More than ``max_rows`` rows are refused when the next one is read."""
    rows = iter(rows)
    head: list[tuple[int, list]] = []
    if sheet is None:
        head = list(itertools.islice(rows, SAMPLE_ROWS))
        if not head:
            raise InputError(_l("The file is empty."))
        sheet = guess_sheet(name, [cells for _line, cells in head], working=working)
        if sheet.missing():
            raise missing_message(TableMapping([sheet]))
    columns = Columns(sheet, working=working)
    body = itertools.chain(head, rows)
    if sheet.has_header:
        next(body, None)
    for count, (line, cells) in enumerate(body, 1):
        if max_rows is not None and count > max_rows:
            raise too_many_rows(max_rows)
        values = [_cell(v) for v in cells]
        if not any(values):
            continue
        entry = ConceptEntry(line=line, domain=domain, sheet=name)
        notes = []
        for index, value in enumerate(values):
            if not value:
                continue
            if index in columns.concept:
                setattr(entry, columns.concept[index], value)
            elif index in columns.extra:
                notes.append(f"{columns.extra[index]}: {value}")
        if notes:
            entry.facilitator_note = "\n".join(filter(None, [entry.facilitator_note, *notes]))
        groups: dict[tuple[str, int], dict] = {}
        for index, (tag, number, kind) in columns.terms.items():
            value = values[index] if index < len(values) else ""
            if value:
                groups.setdefault((tag, number), {})[kind] = value
        for (tag, _number), cells_of in groups.items():
            text = cells_of.get("term", "")
            fields = _term_fields(cells_of)
            if text or fields.get("no_equivalent"):
                entry.terms.append(TermEntry(language=tag, text=text, line=line, fields=fields))
        yield entry


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
