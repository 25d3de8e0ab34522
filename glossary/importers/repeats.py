"""Repeats inside one file: a term given twice in one entry (:func:`merge_repeats`),
and a concept given by several entries of one file (a workbook with one sheet per language
pair, a list that repeats a wording with another category or note).

The first entry of a file for a concept sets its fields as before. A later entry adds:
its note lines join the facilitator note, and a definition, domain, sensitivity or status
that differs from the concept's becomes a labelled line of the note ("Definition: …"),
so nothing the file says is dropped and importing the file again changes nothing. A
note whose every line the concept's note already has says nothing new.
"""

from __future__ import annotations

from sqlalchemy import update as sa_update

from ..errors import InputError
from ..i18n import _l
from ..models import Concept
from .entries import NewConcept

NOTE_LIMIT = 4000
# Stored labels (the data's language is not the interface's): as TBX notes are written.
LABELS = {"definition": "Definition", "domain": "Domain", "sensitivity": "Sensitivity",
          "status": "Concept status"}


def lines_of(note: str | None) -> list[str]:
    """The non-empty lines of a note."""
    return [line for line in (note or "").split("\n") if line]


def fold_repeat(given: dict, now: dict, *, later: bool,
                domain_text: str | None = None) -> tuple[dict, bool]:
    """(the fields to compare and write, whether a note would grow past the limit).

    ``given`` are the entry's validated fields, ``now`` the concept's; ``later`` says the
    file gave this concept before. ``domain_text`` is the entry's domain as written, for
    the note line of a later entry's differing domain."""
    given = dict(given)
    extra = []
    if later:
        for name, label in LABELS.items():
            if given.get(name) and now.get(name) and given[name] != now[name]:
                value = domain_text if name == "domain" and domain_text else given[name]
                extra.append(f"{label}: {value}")
                given.pop(name)
    note = given.pop("facilitator_note", None)
    current = lines_of(now.get("facilitator_note"))
    missing = [line for line in lines_of(note) + extra if line not in current]
    if not missing:
        return given, False
    value = "\n".join(current + missing) if later else note
    if value is not None and len(value) > NOTE_LIMIT:
        return given, True
    if value is not None:
        given["facilitator_note"] = value
    return given, False


def merge_repeats(usable: list[tuple]) -> list[tuple]:
    """One term per language and wording: a term an entry repeats (say once masculine,
    once feminine) is merged into its first occurrence, so that every import of the file
    makes the same decision. The first occurrence's status and register win; notes and
    structural values of the repeats are added after its own, in file order."""
    merged: dict[tuple, tuple] = {}
    for term, tag, text in usable:
        first = merged.get((tag, text))
        if first is None:
            merged[(tag, text)] = (term, tag, text)
            continue
        fields, extra = first[0].fields, term.fields
        for name, value in extra.items():
            if name == "usage_note" and fields.get(name):
                lines = fields[name].split("\n")
                fields[name] = "\n".join(lines + [v for v in value.split("\n")
                                                   if v not in lines])
            elif name == "details" and fields.get(name):
                fields[name] = _merge_details(fields[name], value)
            else:
                fields.setdefault(name, value)
        first[0].history = [*first[0].history, *term.history]
    return list(merged.values())


def _merge_details(first: dict, other: dict) -> dict:
    result = dict(first)
    for name, value in other.items():
        if name == "xrefs":
            result[name] = list(result.get(name, [])) + [
                r for r in value if r not in result.get(name, [])]
        elif not result.get(name):
            result[name] = value
        elif value not in result[name].split(", "):
            result[name] = f"{result[name]}, {value}"
    return result


class RepeatedEntries:
    """The planner's handling of a later entry for a concept the file creates. A mixin:
    it uses the planner's ``session``, ``apply``, ``domains``, ``_concept_fields`` and
    ``_note``."""

    def _merge_fields(self, entry, concept: NewConcept) -> None:
        """A later entry of the file for a concept the file creates: what it says joins
        the concept (:func:`.repeats.fold_repeat`), written at once when the concept was
        already inserted."""
        try:
            given = self._concept_fields(entry)
        except InputError as exc:
            self._note("skipped", entry.line, concept.key, detail=exc.message)
            return
        domain = self.domains[concept.domain_key]
        if entry.domain and entry.domain.casefold() not in (domain.name.casefold(),
                                                             domain.key):
            given["domain"] = entry.domain
        changed, too_long = fold_repeat(given, concept.fields | {"domain": domain.key},
                                        later=True, domain_text=entry.domain)
        changed.pop("domain", None)
        if too_long:
            self._too_long(entry, concept.key)
        if not changed:
            return
        concept.fields.update(changed)
        if self.apply and concept.id is not None:
            self.session.execute(sa_update(Concept).where(Concept.id == concept.id)
                                 .values(**changed))

    def _too_long(self, entry, key: str) -> None:
        self._note("skipped", entry.line, key, detail=_l(
            "The facilitator note would be longer than 4000 characters: these lines of a "
            "later entry were not added."))
