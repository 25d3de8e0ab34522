"""The trainers' gap tables (:mod:`.gap_reports`) as CSV and XLSX files.

Every text cell goes through :func:`glossary.spreadsheet.neutralise`, so a wording or a
comment that starts like a formula stays text in Excel, LibreOffice and Google Sheets;
:func:`read_csv` takes our own CSV back with the original text restored. Numbers and
dates are written as numbers and dates. The XLSX has a frozen header row, column widths
fitted to the content and matrix cells coloured by state (the state is also written as
text, so colour is never the only signal).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import repeat
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import gaps
from ..spreadsheet import neutralise, restore
from .gap_reports import Table

# Light fills, dark text: readable in print and for colour-blind readers with the label.
STATE_FILLS = {
    "agreed": "E3F4E8",
    "no_equivalent": "D9EFEF",
    "proposed": "E8F0FB",
    "needs_review": "FFF1D6",
    "disputed": "FDE7EA",
    "none": "EEEEEE",
}


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def write_csv(table: Table, stream: IO[str]) -> None:
    """Write ``table`` as CSV (comma-separated, quoted where needed) to a text stream."""
    writer = csv.writer(stream)
    writer.writerow([_csv_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])


def csv_bytes(table: Table) -> bytes:
    """The CSV as UTF-8 with a byte-order mark, so spreadsheet programs detect UTF-8
    (Arabic, Tigrinya and Cyrillic stay readable)."""
    stream = io.StringIO(newline="")
    write_csv(table, stream)
    return stream.getvalue().encode("utf-8-sig")


def read_csv(stream: IO[str]) -> list[list[str]]:
    """Read a CSV we exported, every cell restored to its original text."""
    text = stream.read().lstrip("\ufeff")
    return [[restore(cell) for cell in row] for row in csv.reader(io.StringIO(text))]


SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _width(values: Iterable) -> float:
    longest = max((len(v.isoformat() if isinstance(v, date) else str(v))
                   for v in values if v is not None), default=6)
    return min(max(longest + 2, 8), 60)


def write_xlsx(tables: Sequence[Table], target) -> None:
    """Write one sheet per table to ``target`` (a path or a binary stream).

    The workbook is streamed (openpyxl's write-only mode): widths, frozen panes and the
    filter are set before the rows, and only styled cells are built as cell objects, so
    1,000 concepts x 30 languages take seconds, not tens of seconds."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Agreed terms"
    fills = {s: PatternFill("solid", start_color=c, end_color=c) for s, c in STATE_FILLS.items()}
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for table in tables:
        title = SHEET_NAME_FORBIDDEN.sub(" ", table.title)[:31] or table.name
        sheet = workbook.create_sheet(title)
        for n, header in enumerate(table.headers):
            sheet.column_dimensions[get_column_letter(n + 1)].width = _width(
                [header, *(row[n] for row in table.rows)])
        sheet.freeze_panes = f"{get_column_letter(table.frozen_columns + 1)}2"
        if table.rows:
            last = len(table.rows) + 1
            if table.name == "matrix":
                last -= len(gaps.CELL_STATES)  # the totals rows stay out of the filter
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.headers))}{max(last, 2)}"
        header_cells = []
        for header in table.headers:
            cell = WriteOnlyCell(sheet, value=neutralise(header))
            cell.font, cell.alignment = bold, wrap
            header_cells.append(cell)
        sheet.append(header_cells)
        for row, states in zip(table.rows, table.states or repeat(None), strict=False):
            cells = []
            for value, state in zip(row, states or repeat(None), strict=False):
                if state is None and not isinstance(value, date):
                    cells.append(neutralise(value))
                    continue
                cell = WriteOnlyCell(sheet, value=neutralise(value))
                if state:
                    cell.fill = fills[state]
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
    workbook.save(target)


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """The workbook as bytes, for a download."""
    stream = io.BytesIO()
    write_xlsx(tables, stream)
    return stream.getvalue()
