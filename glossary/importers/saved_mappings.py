"""Column mappings saved under a name (:class:`~glossary.models.uploads.ImportMapping`),
offered again for the next file: first those saved for the same header.

A saved mapping applies to another file column by column: a column takes the role saved
for the column of the same name (case-insensitively) in the sheet of the same name (or
at the same place); a file without a header goes by column position. Columns the saved
mapping does not know keep their guessed role.
"""

from __future__ import annotations

from sqlmodel import Session, select

from ..audit import record
from ..errors import InputError, NotFound
from ..i18n import _l
from ..models import Person
from ..models.uploads import ImportMapping
from ..text import clean_text
from ..transaction import transactional
from .language_names import fold
from .mapping import TableMapping


@transactional
def save_mapping(session: Session, *, name: str, mapping: TableMapping,
                 person: Person | None) -> ImportMapping:
    """Save ``mapping`` under ``name`` (a mapping of that name is replaced) and commit.
    Raises :class:`InputError` for an empty or too long name, or a mapping still waiting
    for a column's language."""
    name = clean_text(name, label=_l("Name of the mapping"), max_length=120)
    if mapping.missing():
        raise InputError(_l("Choose every column's language before saving the mapping."))
    row = session.exec(select(ImportMapping).where(ImportMapping.name == name)).first()
    row = row or ImportMapping(name=name, signature="")
    row.signature = mapping.signature()
    row.mapping = mapping.to_dict() | {"saved_as": ""}
    row.created_by_id = person.id if person else None
    session.add(row)
    record(session, person=person, action="save", entity="import_mapping", entity_id=None,
           after={"name": name, "signature": row.signature})
    return row


@transactional
def delete_mapping(session: Session, *, mapping_id: int, person: Person | None) -> str:
    """Delete the saved mapping ``mapping_id`` and commit; return its name. Files read
    with it keep their columns. Raises :class:`NotFound` when there is no such mapping."""
    row = session.get(ImportMapping, mapping_id)
    if row is None:
        raise NotFound(_l("That saved mapping no longer exists."))
    name = row.name
    session.delete(row)
    record(session, person=person, action="delete", entity="import_mapping", entity_id=None,
           before={"name": name, "signature": row.signature})
    return name


def saved_mappings(session: Session, *, signature: str = "") -> list[ImportMapping]:
    """Every saved mapping, those saved for ``signature`` (the same header) first, then
    by name."""
    rows = session.exec(select(ImportMapping).order_by(ImportMapping.name)).all()
    return sorted(rows, key=lambda row: row.signature != signature)


def apply_saved(saved: ImportMapping, guessed: TableMapping) -> TableMapping:
    """``guessed`` with the roles ``saved`` gives its columns (see the module's text)."""
    stored = TableMapping.from_json(saved.mapping)
    for index, sheet in enumerate(guessed.sheets):
        source = stored.sheet(sheet.name, index)
        if source is None:
            continue
        sheet.has_header, sheet.skip = source.has_header, source.skip
        by_name = {fold(h): role for h, role in zip(source.header, source.roles, strict=False)
                   if h}
        for column in range(len(sheet.roles)):
            if sheet.has_header and fold(sheet.header[column]) in by_name:
                sheet.roles[column] = by_name[fold(sheet.header[column])]
            elif not sheet.has_header and column < len(source.roles):
                sheet.roles[column] = source.roles[column]
    guessed.saved_as = saved.name
    return guessed
