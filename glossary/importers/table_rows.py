"""Glossary spreadsheet rows as concept entries: what each column means under a sheet's
mapping (:class:`Columns`), the cells of one row read into a concept and its renderings
(a second column of a language is a second rendering), empty cells saying nothing. The
files themselves (CSV, TSV, XLSX) are read by :mod:`.table`, whose docstring gives the
header convention."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from ..errors import InputError
from ..i18n import _l
from ..spreadsheet import restore
from ..uploads import too_many_rows
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
