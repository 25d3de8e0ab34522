"""The gap matrix for the command line: a plain-text table for a terminal and plain
data for ``--json``."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import ngettext

from .. import gaps
from ..i18n import _l

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
