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
import re
import zipfile
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import InputError
from ..i18n import _l
from ..spreadsheet import restore
from ..uploads import UploadLimits, too_many_rows
from ..zipfiles import check_package
from .entries import ConceptEntry, TermEntry, map_register, map_status

CONCEPT_COLUMNS = {"key": "key", "domain": "domain", "definition": "definition",
                   "sensitivity": "sensitivity", "facilitator_note": "facilitator_note",
                   "concept_status": "status"}
TERM_COLUMNS = {"term": "text", "status": "status", "register": "register",
                "back": "back_translation", "back_translation": "back_translation",
                "note": "usage_note", "usage_note": "usage_note",
                "no_equivalent": "no_equivalent", "paraphrase": "paraphrase",
                "explanation": "explanation"}
IGNORED = {"state"}
TRUE_CELLS = {"1", "yes", "y", "true", "x", "on", "ja", "oui", "si", "sì"}
_COLUMN = re.compile(r"^([a-z_]+)(?::([A-Za-z0-9-]+))?(?::(\d+))?$")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(restore(value) if isinstance(value, str) else value).strip()


class Columns:
    """What each column of a header means."""

    def __init__(self, header: list[str], *, working: str):
        self.concept: dict[int, str] = {}
        self.terms: dict[int, tuple[str, int, str]] = {}
        self.extra: dict[int, str] = {}
        for index, raw in enumerate(header):
            name = _cell(raw)
            match = _COLUMN.match(name.strip().lower().replace(" ", "_")) if name else None
            if match and match.group(1) in CONCEPT_COLUMNS and not match.group(2):
                self.concept[index] = CONCEPT_COLUMNS[match.group(1)]
            elif match and match.group(1) in TERM_COLUMNS:
                tag = name.split(":")[1] if match.group(2) else working
                self.terms[index] = (tag, int(match.group(3) or 1), TERM_COLUMNS[match.group(1)])
            elif match and match.group(1) in IGNORED:
                continue
            elif name:
                self.extra[index] = name
        if not any(field == "text" for _t, _n, field in self.terms.values()):
            raise InputError(_l("The first row must name the columns, with at least a "
                                "“term” or “term:<language>” column (see the README)."))


def entries(rows: Iterator[tuple[int, list]], *, working: str,
            domain: str | None = None, max_rows: int | None = None) -> Iterator[ConceptEntry]:
    """Concept entries from (line, cells) rows whose first row is the header; more than
    ``max_rows`` rows after it are refused when the next one is read."""
    try:
        _line, header = next(rows)
    except StopIteration:
        raise InputError(_l("The file is empty.")) from None
    columns = Columns(header, working=working)
    for count, (line, cells) in enumerate(rows, 1):
        if max_rows is not None and count > max_rows:
            raise too_many_rows(max_rows)
        values = [_cell(v) for v in cells]
        if not any(values):
            continue
        entry = ConceptEntry(line=line, domain=domain)
        notes = []
        for index, value in enumerate(values):
            if not value:
                continue
            if index in columns.concept:
                name = columns.concept[index]
                if name == "key":
                    entry.ref = value
                else:
                    setattr(entry, name, value)
            elif index in columns.extra:
                notes.append(f"{columns.extra[index]}: {value}")
        if notes:
            entry.facilitator_note = "\n".join(filter(None, [entry.facilitator_note, *notes]))
        groups: dict[tuple[str, int], dict] = {}
        for index, (tag, number, name) in columns.terms.items():
            value = values[index] if index < len(values) else ""
            if value:
                groups.setdefault((tag, number), {})[name] = value
        for (tag, _number), cells_of in groups.items():
            text = cells_of.pop("text", "")
            fields = {}
            for name, value in cells_of.items():
                if name == "status":
                    fields[name] = map_status(value) or value
                elif name == "register":
                    fields[name] = map_register(value) or value
                elif name == "no_equivalent":
                    fields[name] = value.lower() in TRUE_CELLS
                else:
                    fields[name] = value
            if text or fields.get("no_equivalent"):
                entry.terms.append(TermEntry(language=tag, text=text, line=line, fields=fields))
        yield entry


def _delimiter(head: str) -> str:
    first = head.splitlines()[0] if head else ""
    return max((";", ",", "\t"), key=first.count) if first else ","


def read_csv(stream: BinaryIO, *, working: str = "en", domain: str | None = None,
             limits: UploadLimits | None = None) -> Iterator[ConceptEntry]:
    """Entries of a CSV file (UTF-8, BOM optional, delimiter guessed from the header);
    a file of more than ``limits.rows`` rows is refused as soon as the reader gets there."""
    head = stream.read(64 * 1024)
    stream.seek(0)
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            raise InputError(_l("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 "
                                "(comma delimited)”.")) from None
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=_delimiter(head.decode("utf-8-sig", "ignore")))

    def rows():
        try:
            for cells in reader:
                yield reader.line_num, cells
        except UnicodeDecodeError:
            raise InputError(_l("The file is not UTF-8 text (line %(line)d). In Excel, save "
                                "it as “CSV UTF-8”.", line=reader.line_num + 1)) from None
        except csv.Error as exc:
            raise InputError(_l("The CSV file cannot be read at line %(line)d: %(reason)s",
                                line=reader.line_num, reason=str(exc))) from None

    try:
        yield from entries(rows(), working=working, domain=domain,
                           max_rows=(limits or UploadLimits()).rows)
    finally:
        text.detach()


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


def read_xlsx(stream: BinaryIO, *, working: str = "en", domain: str | None = None,
              limits: UploadLimits | None = None) -> Iterator[ConceptEntry]:
    """Entries of the first sheet of an XLSX workbook, checked before it is parsed
    (:func:`glossary.zipfiles.check_package`): bombs, DTDs and more than
    ``limits.rows`` rows are refused with the limit named, broken XML as unreadable."""
    from openpyxl import load_workbook

    limits = limits or UploadLimits()
    not_a_workbook = InputError(_l("The file is not an XLSX workbook."))
    try:
        check_package(stream, limits=limits)
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except XLSX_ERRORS:
        raise not_a_workbook from None
    try:
        sheet = workbook.worksheets[0]
        rows = ((n, list(r)) for n, r in enumerate(sheet.iter_rows(values_only=True), 1))
        yield from entries(rows, working=working, domain=domain, max_rows=limits.rows)
    except XLSX_ERRORS:
        raise not_a_workbook from None
    finally:
        workbook.close()
