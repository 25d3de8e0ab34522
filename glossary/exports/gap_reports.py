"""The trainers' gap matrix and lists as CSV and XLSX files.

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
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from typing import IO

from flask_babel import ngettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import gaps
from ..i18n import _l
from ..spreadsheet import neutralise, restore

SHEETS = ("matrix", "stale", "lapsed", "review", "disputes", "training")
SHEET_TITLES = {
    "matrix": _l("Gap matrix"),
    "stale": _l("Stale agreements"),
    "lapsed": _l("Signed, training lapsed"),
    "review": _l("Needs review"),
    "disputes": _l("Open disputes"),
    "training": _l("Training"),
}
# Light fills, dark text: readable in print and for colour-blind readers with the label.
STATE_FILLS = {
    "agreed": "E3F4E8",
    "no_equivalent": "D9EFEF",
    "proposed": "E8F0FB",
    "needs_review": "FFF1D6",
    "disputed": "FDE7EA",
    "none": "EEEEEE",
}
REASON_LABELS = {"wording": _l("Wording edited since signing"),
                 "concept": _l("Concept edited after agreement")}


@dataclass
class Table:
    """One sheet: a header row, data rows, and optionally the state of each cell (for
    colours) and how many leading columns stay in view when scrolling sideways."""

    name: str
    title: str
    headers: list[str]
    rows: list[list]
    states: list[list[str | None]] | None = None
    frozen_columns: int = 0


def _concept_cells(entry: gaps.AgreementEntry, names: dict[str, str]) -> list:
    return [entry.domain_name, entry.concept_key, entry.wording,
            names.get(entry.language, entry.language)]


def _concept_headers(working_name: str) -> list[str]:
    return [str(_l("Domain")), str(_l("Key")), str(_l("Concept (%(language)s)",
                                                      language=working_name)),
            str(_l("Language"))]


def matrix_table(matrix: gaps.Matrix, names: dict[str, str]) -> Table:
    """The matrix (its ``rows``; build it with ``page_size=None`` for every concept),
    one column per language, then per-state totals per row and per column."""
    labels = {s: str(gaps.STATE_LABELS[s]) for s in gaps.CELL_STATES}
    headers = _concept_headers(names.get(matrix.working, matrix.working))[:3]
    headers += [f"{names.get(t, t)} ({t})" for t in matrix.languages]
    headers += [str(_l("Total: %(state)s", state=labels[s])) for s in gaps.CELL_STATES]
    rows, states = [], []
    for row in matrix.rows:
        totals = row.totals
        rows.append([row.domain_name, row.key, row.wording]
                    + [labels[row.cells[t]] for t in matrix.languages]
                    + [totals[s] for s in gaps.CELL_STATES])
        states.append([None] * 3 + [row.cells[t] for t in matrix.languages]
                      + [None] * len(gaps.CELL_STATES))
    for state in gaps.CELL_STATES:
        rows.append([str(_l("Total")), "", labels[state]]
                    + [matrix.column_totals[t][state] for t in matrix.languages]
                    + [""] * len(gaps.CELL_STATES))
        states.append([None, None, state] + [None] * (len(headers) - 3))
    return Table("matrix", str(SHEET_TITLES["matrix"]), headers, rows, states,
                 frozen_columns=3)


def list_tables(lists: gaps.GapLists, names: dict[str, str], working: str) -> list[Table]:
    """The stale, lapsed-signature, needs-review, dispute and training lists."""
    concept = _concept_headers(names.get(working, working))
    age = str(_l("Age (days)"))
    stale = Table("stale", str(SHEET_TITLES["stale"]),
                  concept + [str(_l("Agreed on")), age],
                  [_concept_cells(e, names) + [e.since.date(), e.age_days]
                   for e in lists.stale])
    lapsed = Table("lapsed", str(SHEET_TITLES["lapsed"]),
                   concept + [str(_l("Agreed on")), str(_l("Mediator")),
                              str(_l("Last SGBV training")), str(_l("Training lapsed on"))],
                   [_concept_cells(e, names) + [e.since.date() if e.since else None,
                                                e.person_name, e.training_date,
                                                e.training_expiry]
                    for e in lists.lapsed])
    review = Table("review", str(SHEET_TITLES["review"]),
                   concept + [str(_l("Reason")), str(_l("Since")), age],
                   [_concept_cells(e, names) + [str(REASON_LABELS[e.reason]),
                                                e.since.date(), e.age_days]
                    for e in lists.review])
    disputes = Table("disputes", str(SHEET_TITLES["disputes"]),
                     concept + [str(_l("Raised by")), str(_l("Comment")),
                                str(_l("Raised on")), age],
                     [_concept_cells(e, names) + [e.person_name, e.reason, e.since.date(),
                                                  e.age_days]
                      for e in lists.disputes])
    training = Table("training", str(SHEET_TITLES["training"]),
                     [str(_l("Mediator")), str(_l("Languages")), str(_l("Last SGBV training")),
                      str(_l("Refresher due by")), str(_l("Status")), str(_l("Days left"))],
                     [[t.name, ", ".join(names.get(tag, tag) for tag in t.languages),
                       t.training_date, t.expiry, str(gaps.TRAINING_LABELS[t.status]),
                       t.days_left if t.days_left is not None else ""]
                      for t in lists.training])
    return [stale, lapsed, review, disputes, training]


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


# --- the command line's table and JSON ---------------------------------------------------

SYMBOLS = {"agreed": "A", "no_equivalent": "E", "proposed": "P", "needs_review": "R",
           "disputed": "D", "none": "."}


def matrix_text(matrix: gaps.Matrix, names: dict[str, str]) -> str:
    """The matrix as a plain-text table for a terminal: one letter per cell (legend at
    the end), concepts grouped by domain, totals per row and per language."""
    longest_label = max(len(str(label)) for label in gaps.STATE_LABELS.values()) + 2
    key_w = min(max(max((len(r.key) for r in matrix.rows), default=7), longest_label), 40)
    tag_w = [max(len(t), 3) for t in matrix.languages]
    head = str(_l("agreed")), str(_l("none"))

    def line(first: str, cells: Sequence, tail: Sequence = ()) -> str:
        parts = [first[:key_w].ljust(key_w)]
        parts += [str(c).rjust(w) for c, w in zip(cells, tag_w, strict=True)]
        parts += [str(c).rjust(len(h)) for c, h in zip(tail, head, strict=False)]
        return "  ".join(parts).rstrip()

    out = [line(str(_l("concept")), matrix.languages, head)]
    domain = None
    for row in matrix.rows:
        if row.domain_key != domain:
            domain = row.domain_key
            out.append(f"-- {row.domain_name}")
        covered, _all = gaps.coverage(row.totals)
        out.append(line(row.key, [SYMBOLS[row.cells[t]] for t in matrix.languages],
                        [covered, row.totals["none"]]))
    out.append("")
    for state in gaps.CELL_STATES:
        out.append(line(f"{SYMBOLS[state]} {gaps.STATE_LABELS[state]}",
                        [matrix.column_totals[t][state] for t in matrix.languages]))
    out.append(line(str(_l("coverage %")),
                    [_percent(*gaps.coverage(matrix.column_totals[t]))
                     for t in matrix.languages]))
    out.append("")
    out.append(ngettext("%(num)d concept,", "%(num)d concepts,", matrix.concept_count) + " "
               + ngettext("%(num)d language:", "%(num)d languages:", len(matrix.languages))
               + " " + ", ".join(f"{t} = {names.get(t, t)}" for t in matrix.languages))
    return "\n".join(out)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def matrix_json(matrix: gaps.Matrix, names: dict[str, str]) -> dict:
    """The matrix as plain data for ``--json``: state keys, names and totals."""
    return {
        "working_language": matrix.working,
        "languages": [{"tag": t, "name": names.get(t, t)} for t in matrix.languages],
        "states": {s: str(gaps.STATE_LABELS[s]) for s in gaps.CELL_STATES},
        "concepts": [
            {"id": r.concept_id, "key": r.key, "wording": r.wording, "domain": r.domain_key,
             "cells": r.cells, "totals": {s: r.totals[s] for s in gaps.CELL_STATES}}
            for r in matrix.rows
        ],
        "totals": {t: {s: matrix.column_totals[t][s] for s in gaps.CELL_STATES}
                   for t in matrix.languages},
    }


def build_tables(session, *, working: str, today: date, validity_months: int,
                 stale_months: int = gaps.DEFAULT_STALE_MONTHS,
                 due_days: int = gaps.DEFAULT_DUE_DAYS, domain: str | None = None,
                 languages: Sequence[str] = (), state: str | None = None,
                 group: int | None = None, sheet: str | None = None, name_of=None,
                 sort_key=None) -> list[Table]:
    """The tables to export: the whole matrix (with the filters) and every list, or only
    ``sheet``. ``name_of(tag)`` names a language (the tag itself when not given)."""
    name_of = name_of or (lambda tag: tag)
    tables = []
    if sheet in (None, "matrix"):
        matrix = gaps.matrix(session, working=working, domain=domain, languages=languages,
                             state=state, group=group, page_size=None, sort_key=sort_key)
        names = {t: str(name_of(t)) for t in [*matrix.languages, working]}
        tables.append(matrix_table(matrix, names))
    if sheet != "matrix":
        lists = gaps.gap_lists(session, working=working, today=today,
                               validity_months=validity_months, stale_months=stale_months,
                               due_days=due_days)
        tags = {e.language for entries in (lists.stale, lists.lapsed, lists.review,
                                           lists.disputes) for e in entries}
        tags |= {t for entry in lists.training for t in entry.languages} | {working}
        names = {t: str(name_of(t)) for t in tags}
        tables += [t for t in list_tables(lists, names, working) if sheet in (None, t.name)]
    return tables
