"""Structure kept from TBX files: the term-level data categories stored as a term's
``details`` (part of speech, grammatical gender, term type, context, source) and the
cross-references stored in a concept's ``details["xrefs"]``, with the labelled notes an
export writes for what TBX-Basic has no element or picklist value for (:data:`LABELS`,
shared by the importer and the export)."""

from __future__ import annotations

import re

TERM_DETAILS = ("partOfSpeech", "grammaticalGender", "termType", "context", "source")
REFERENCES = ("xGraphic", "externalCrossReference", "crossReference")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

# Labels of the notes our export writes for fields TBX has no category for. They are part
# of the file format, so they are not translated.
LABELS = {
    "sensitivity": "Sensitivity",
    "facilitator_note": "Facilitator note",
    "concept_status": "Concept status",
    "back_translation": "Back-translation",
    "register": "Register",
    "proposed_status": "Proposed status",
    "no_equivalent": "No direct equivalent",
    "paraphrase": "Paraphrase",
    "approval": "Approval",
}


def label_of(category: str) -> str:
    """A readable label for a data category: ``partOfSpeech`` -> ``Part of speech``."""
    words = _CAMEL.sub(" ", category).replace("_", " ").strip().lower()
    return words[:1].upper() + words[1:]


_DETAIL_LABELS = {label_of(category): category for category in TERM_DETAILS}


def detail_note(value: str) -> tuple[str, str] | None:
    """``("partOfSpeech", "properNoun")`` for a note ``Part of speech: properNoun`` (how an
    export writes values outside TBX-Basic's picklists), else None."""
    label, _sep, rest = value.partition(": ")
    category = _DETAIL_LABELS.get(label)
    return (category, rest) if category and rest else None


def merge_detail(details: dict, category: str, value: str) -> None:
    """Add a structural value; a second, different value of the same category in the
    same term joins the first (``masculine, feminine``), in file order."""
    value = value.strip()
    if not value:
        return
    known = details.get(category)
    if not known:
        details[category] = value
    elif value not in known.split(", "):
        details[category] = f"{known}, {value}"


def add_reference(details: dict, reference: dict) -> None:
    """Add a cross-reference once."""
    if reference not in details.setdefault("xrefs", []):
        details["xrefs"].append(reference)


_REFERENCE_LABELS = {label_of(category): category for category in REFERENCES[:2]}


def reference_note(value: str) -> dict | None:
    """The reference an export wrote as a note ``X graphic: order.png`` (TBX wants a URL
    as an ``xref`` target; a bare file name travels as a note), else None."""
    label, _sep, rest = value.partition(": ")
    category = _REFERENCE_LABELS.get(label)
    return {"type": category, "target": rest, "text": rest} if category and rest else None


def labelled_note(value: str) -> tuple[str, str] | None:
    """``("back_translation", "...")`` for a note written by our export, else None."""
    for name, label in LABELS.items():
        if value.startswith(label + ": "):
            return name, value[len(label) + 2:]
    return None
