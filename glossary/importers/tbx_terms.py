"""Reading one TBX term section (``tig``/``ntig``, ``termSec``, TBX-Min ``termGroup``)
into a :class:`~glossary.importers.entries.TermEntry`: its status (``administrativeStatus``
and its relatives), register, "no direct equivalent" and paraphrase, the structural
details, cross-references, history, and the labelled notes our own export writes; every
other category becomes a line of the usage note."""

from __future__ import annotations

from .entries import TermEntry, map_register, map_status
from .tbx_details import (
    REFERENCES,
    TERM_DETAILS,
    detail_note,
    label_of,
    labelled_note,
    merge_detail,
)
from .tbx_items import element_reference, items, text_of

STATUS_CATEGORIES = frozenset(("administrativeStatus", "normativeAuthorization", "termStatus",
                               "usageStatus", "status"))


def read_term(element, language: str, language_history: list) -> TermEntry:
    term = TermEntry(language=language, text="", line=element.sourceline or 0,
                     history=language_history)
    lines, status, register, proposed, ours = [], None, None, None, None
    details: dict = {}
    for category, value, child in items(element):
        if category == "term":
            term.text = term.text or text_of(child)
            term.line = child.sourceline or term.line
        elif category in STATUS_CATEGORIES:
            status = map_status(value)
            if status is None and value:
                lines.append(f"{label_of(category)}: {value}")
        elif category == "register":
            register = map_register(value)
            if register is None and value:
                lines.append(f"{label_of(category)}: {value}")
        elif category == "directionality":
            if value.strip().lower() == "incommensurate":
                term.fields["no_equivalent"] = True
            elif value:
                lines.append(f"{label_of(category)}: {value}")
        elif category == "transferComment":
            term.fields["paraphrase"] = value
        elif category in TERM_DETAILS:
            merge_detail(details, category, value)
        elif category in REFERENCES:
            element_reference(details, category, value, child)
        elif category == "backTranslation":  # our core dialect's own categories
            term.fields["back_translation"] = value
        elif category == "proposedStatus" and map_status(value):
            proposed = map_status(value)
        elif category == "transacGrp":
            term.history = [*term.history, value]
        elif category in ("note", "usageNote"):
            labelled = labelled_note(value) if category == "note" else None
            if labelled and labelled[0] == "back_translation":
                term.fields["back_translation"] = labelled[1]
            elif labelled and labelled[0] == "register" and map_register(labelled[1]):
                ours = map_register(labelled[1])
            elif labelled and labelled[0] == "proposed_status" and map_status(labelled[1]):
                proposed = map_status(labelled[1])
            elif labelled and labelled[0] == "no_equivalent":
                term.fields["no_equivalent"] = True
            elif labelled and labelled[0] == "paraphrase":
                term.fields["paraphrase"] = labelled[1]
            elif category == "note" and detail_note(value):
                merge_detail(details, *detail_note(value))
            elif value:
                lines.append(value)
        elif value:
            lines.append(f"{label_of(category)}: {value}")
    if proposed or status:
        term.fields["status"] = proposed or status
    if ours or register:
        term.fields["register"] = ours or register
    if lines:
        term.fields["usage_note"] = "\n".join(lines)
    if details:
        term.fields["details"] = details
    return term
