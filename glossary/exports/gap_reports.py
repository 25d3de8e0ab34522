"""The trainers' gap matrix and lists as tables: one :class:`Table` per sheet (header,
rows, cell states), built from :mod:`glossary.gaps` with the filters of the gaps page.

The tables are written as CSV and XLSX by :mod:`.gap_report_files` and into the PDF
report by :mod:`.gap_report_pdf`; the command line's plain-text matrix and JSON are in
:mod:`.gap_report_text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .. import gaps
from ..i18n import _l

SHEETS = ("matrix", "stale", "lapsed", "review", "disputes", "training")
SHEET_TITLES = {
    "matrix": _l("Gap matrix"),
    "stale": _l("Stale agreements"),
    "lapsed": _l("Signed, training lapsed"),
    "review": _l("Needs review"),
    "disputes": _l("Open disputes"),
    "training": _l("Training"),
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
