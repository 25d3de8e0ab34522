"""Reading one TBX concept entry into a :class:`~glossary.importers.entries.ConceptEntry`:
the concept-level categories (domain, definition, sensitivity, status, source,
cross-references, history, notes) and each language section, whose definitions outside the
working language become the participants' explanation of a rendering. The terms
themselves are read by :mod:`.tbx_terms`."""

from __future__ import annotations

from .entries import ConceptEntry
from .tbx_details import (
    REFERENCES,
    add_reference,
    label_of,
    labelled_note,
    reference_note,
)
from .tbx_items import LANGUAGE_TAGS, TERM_TAGS, XML_LANG, element_reference, items
from .tbx_terms import read_term


def read_concept(element, working: str) -> ConceptEntry:
    """The concept entry (``termEntry``, ``conceptEntry`` or ``entry``) ``element``;
    ``working`` is the working language's code."""
    entry = ConceptEntry(line=element.sourceline or 0, ref=element.get("id") or "")
    definitions, notes = [], []
    for category, value, child in items(element):
        if category in LANGUAGE_TAGS:
            _language(child, entry, definitions, working)
        elif category in TERM_TAGS:  # a term directly in the entry: the working language
            entry.terms.append(read_term(child, working, []))
        elif category == "subjectField":
            entry.domain = entry.domain or value
        elif category == "sensitivity":  # our core dialect's own category
            entry.sensitivity = value
        elif category == "conceptStatus":
            entry.status = value
        elif category == "source" and value:
            entry.details["source"] = value
        elif category in REFERENCES:
            element_reference(entry.details, category, value, child)
        elif category == "definition":
            definitions.append(value)
        elif category == "transacGrp":
            entry.history.append(value)
        elif category == "note":
            labelled = labelled_note(value)
            if labelled and labelled[0] == "sensitivity":
                entry.sensitivity = labelled[1]
            elif labelled and labelled[0] == "concept_status":
                entry.status = labelled[1]
            elif labelled and labelled[0] == "facilitator_note":
                notes.append(labelled[1])
            elif reference_note(value):
                add_reference(entry.details, reference_note(value))
            elif value:
                notes.append(value)
        elif value:
            notes.append(f"{label_of(category)}: {value}")
    if definitions:
        entry.definition = "\n".join(definitions)
    if notes:
        entry.facilitator_note = "\n".join(notes)
    return entry


def _language(element, entry: ConceptEntry, definitions: list, working_language: str) -> None:
    """Read one language section into ``entry``: its terms, and its definitions into
    ``definitions`` (working language) or the explanation of its first usable rendering."""
    tag = element.get(XML_LANG) or element.get("lang") or ""
    working = tag.split("-")[0].lower() == working_language.split("-")[0].lower()
    notes, history, terms, explained = [], [], [], []
    for category, value, child in items(element):
        if category in TERM_TAGS:
            terms.append(read_term(child, tag, history))
        elif category == "definition":
            if working:
                definitions.append(value)
            elif value:
                explained.append(value)
        elif category == "transacGrp":
            history.append(value)
        elif category in REFERENCES:
            element_reference(entry.details, category, value, child, language=tag)
        elif category == "note" and reference_note(value):
            add_reference(entry.details, reference_note(value) | {"language": tag})
        elif category == "note" and (labelled_note(value) or ("",))[0] == "approval":
            history.append({"type": "approval", "note": labelled_note(value)[1]})
        elif category == "note" and value:
            notes.append(value)
        elif value:
            notes.append(f"{label_of(category)}: {value}")
    if terms and explained:
        # A definition in another language than the working one explains its
        # renderings: it goes to the first one that is not "avoid".
        usable = [t for t in terms if t.fields.get("status") != "deprecated"]
        (usable or terms)[0].fields["explanation"] = "\n".join(explained)
    elif explained:
        notes += [f"{label_of('definition')}: {value}" for value in explained]
    if terms and notes:
        first = terms[0]
        lines = [first.fields["usage_note"]] if first.fields.get("usage_note") else []
        first.fields["usage_note"] = "\n".join(lines + notes)
    entry.terms.extend(terms)
