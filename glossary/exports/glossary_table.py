"""Glossary spreadsheets: CSV (UTF-8 with BOM, so Excel opens Arabic and Tigrinya
correctly) and XLSX, one row per concept, one column group per language.

The header follows the convention :mod:`glossary.importers.table` reads back:
``key, domain, definition, sensitivity, facilitator_note, concept_status``, then for the
working language and each target language ``term:ar, status:ar, register:ar, back:ar,
note:ar, no_equivalent:ar, paraphrase:ar, explanation:ar`` (the participants'
explanation; ``term:ar:2`` ... for further renderings)
and, for target languages, ``state:ar`` (the agreement state; informative, ignored on
import). An empty sensitivity, status or register is "not stated". In the CSV every cell
goes through :func:`glossary.spreadsheet.neutralise`, so no cell can run as a formula
(CSV has no cell types); in the XLSX every text cell is typed as text, so it cannot run
either and keeps its text without the apostrophe (only text that already starts with an
apostrophe and a formula character gets one more, so that the importer's restoring stays
exact).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from sqlalchemy import func
from sqlmodel import Session, select

from ..models import Term
from ..spreadsheet import looks_neutralised, neutralise
from .tbx import ConceptView, iter_glossary

CONCEPT_HEADER = ["key", "domain", "definition", "sensitivity", "facilitator_note",
                  "concept_status"]
GROUP = ["term", "status", "register", "back", "note", "no_equivalent", "paraphrase",
         "explanation"]


def _slots(session: Session, working: str, languages: list[str] | None) -> list[tuple]:
    """(language, number) for every column group: as many per language as the concept
    with the most renderings in it needs."""
    query = select(Term.language, Term.concept_id, func.count()).group_by(
        Term.language, Term.concept_id)
    widest: dict[str, int] = {}
    for tag, _cid, count in session.exec(query):
        if languages is None or tag in languages or tag == working:
            widest[tag] = max(widest.get(tag, 0), count)
    widest.setdefault(working, 1)
    order = [working, *sorted(t for t in widest if t != working)]
    return [(tag, n) for tag in order for n in range(1, widest[tag] + 1)]


def header(slots: list[tuple], working: str) -> list[str]:
    """The header row for these column groups."""
    row = list(CONCEPT_HEADER)
    for tag, number in slots:
        suffix = f":{tag}" + (f":{number}" if number > 1 else "")
        row += [name + suffix for name in GROUP]
        if tag != working and number == 1:
            row.append(f"state:{tag}")
    return row


def row_of(view: ConceptView, slots: list[tuple], working: str) -> list:
    """The cells of one concept."""
    concept = view.concept
    row = [concept.key, view.domain.key, concept.definition, concept.sensitivity,
           concept.facilitator_note, concept.status]
    for tag, number in slots:
        terms = view.terms.get(tag, [])
        term = terms[number - 1] if len(terms) >= number else None
        if term is None:
            row += [""] * len(GROUP)
        else:
            row += [term.text, "avoid" if term.status == "deprecated" else term.status,
                    term.usage_register, term.back_translation, term.usage_note,
                    "yes" if term.no_equivalent else "", term.paraphrase, term.explanation]
        if tag != working and number == 1:
            agreement = view.agreements.get(tag)
            row.append(agreement.state if agreement else "")
    return row


def rows(session: Session, *, working: str, languages: list[str] | None = None,
         agreed_only: bool = False, cell=neutralise) -> Iterator[list]:
    """The header, then one row per concept, each cell through ``cell``."""
    slots = _slots(session, working, languages)
    yield [cell(name) for name in header(slots, working)]
    for view in iter_glossary(session, working=working, languages=languages,
                              agreed_only=agreed_only):
        yield [cell(value) for value in row_of(view, slots, working)]


def write_csv(session: Session, path, *, working: str, languages: list[str] | None = None,
              agreed_only: bool = False) -> int:
    """Write the glossary as CSV; return how many concepts were written."""
    count = -1
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for row in rows(session, working=working, languages=languages,
                        agreed_only=agreed_only):
            writer.writerow(row)
            count += 1
    return count


def write_xlsx(session: Session, path, *, working: str, languages: list[str] | None = None,
               agreed_only: bool = False) -> int:
    """Write the glossary as an XLSX workbook (streamed); return how many concepts."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Glossary")

    def text_cell(value):
        if not isinstance(value, str):
            return value
        cell = WriteOnlyCell(sheet, value="'" + value if looks_neutralised(value) else value)
        cell.data_type = "s"  # text, whatever it starts with: never a formula
        return cell

    count = -1
    for row in rows(session, working=working, languages=languages, agreed_only=agreed_only,
                    cell=text_cell):
        sheet.append(row)
        count += 1
    workbook.save(path)
    return count
