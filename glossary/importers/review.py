"""The choices a person makes on an import's preview: the column mapping (changed column
by column, or taken from a saved mapping) and, for each possible duplicate, "keep
separate" or "merge into" one of the existing concepts with the same wording.

The view hands the posted form here; what comes back is stored with the pending upload
(:func:`glossary.uploads.record_choices`), so that the preview and the confirmation
read the file with the same choices.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session

from .. import languages
from ..errors import InputError
from ..i18n import _l
from ..models import Concept, Term
from ..models.uploads import ImportMapping, PendingUpload
from .mapping import CONCEPT_ROLES, TERM_ROLES, UNKNOWN, TableMapping, join_role, split_role
from .resolve import _fold
from .saved_mappings import apply_saved, saved_mappings
from .sources import Source

ROLE_KINDS = CONCEPT_ROLES + TERM_ROLES
ROLE_LABELS = {
    "ignore": _l("Ignore this column"),
    "extra": _l("Keep as a line of the facilitator note"),
    "key": _l("Concept key (id)"), "domain": _l("Domain"), "definition": _l("Definition"),
    "sensitivity": _l("Sensitivity"), "note": _l("Facilitator note"),
    "concept_status": _l("Concept status (active, retired)"),
    "term": _l("Wording in the language …"),
    "status": _l("Status of the wording in …"), "register": _l("Register of the wording in …"),
    "back": _l("Back-translation of the wording in …"),
    "usage": _l("Usage note of the wording in …"),
    "no_equivalent": _l("No direct equivalent (yes) in …"),
    "paraphrase": _l("Paraphrase in …"),
    "explanation": _l("Explanation for participants in …"),
    "pos": _l("Part of speech of the wording in …"),
    "gender": _l("Grammatical gender of the wording in …"),
    "context": _l("Context of the wording in …"),
}


@dataclass
class Choices:
    """What a posted preview form says: the mapping, merges, and what was wrong."""

    mapping: TableMapping | None
    merges: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def mapping_of(session: Session, upload: PendingUpload, source: Source) -> TableMapping | None:
    """The upload's mapping: the one chosen on its preview, else the guess, with the
    saved mapping for the same header applied when there is one. None for TBX."""
    if upload.mapping:
        return TableMapping.from_json(upload.mapping)
    guessed = source.guess()
    if guessed is None:
        return None
    signature = guessed.signature()
    same = [m for m in saved_mappings(session, signature=signature)
            if m.signature == signature]
    return apply_saved(same[0], guessed) if same else guessed


def read_form(form, mapping: TableMapping, *, custom: dict,
              saved: ImportMapping | None = None) -> Choices:
    """The mapping as the posted form sets it (``s0-c1-role``, ``s0-c1-lang``,
    ``s0-header``, ``s0-import``), or ``saved`` applied to it. A language the glossary
    cannot hold is reported in ``errors`` and the column keeps waiting for one."""
    choices = Choices(mapping=mapping)
    if saved is not None:
        apply_saved(saved, mapping)
        return choices
    mapping.saved_as = ""
    for number, sheet in enumerate(mapping.sheets):
        prefix = f"s{number}"
        sheet.skip = form.get(f"{prefix}-import") is None
        sheet.has_header = form.get(f"{prefix}-header") is not None
        for column in range(len(sheet.roles)):
            kind = form.get(f"{prefix}-c{column}-role")
            if kind not in ROLE_KINDS:
                continue
            tag = (form.get(f"{prefix}-c{column}-lang") or "").strip()
            if kind in TERM_ROLES and tag and tag != UNKNOWN:
                try:
                    tag = languages.validate_tag(tag, custom)
                except InputError as exc:
                    choices.errors.append(f"{sheet.label(column)}: {exc}")
                    tag = UNKNOWN
            sheet.roles[column] = join_role(kind, tag or UNKNOWN)
    return choices


def merge_candidates(session: Session, *, working: str,
                     texts: Iterable[str]) -> dict[str, list[str]]:
    """{folded wording: keys of the existing concepts with that working-language
    wording}, for the possible duplicates a preview lists."""
    folded = {_fold(t) for t in texts if t}
    if not folded:
        return {}
    found: dict[str, list[str]] = {}
    rows = session.execute(sa_select(Term.text, Concept.key).join(
        Concept, Concept.id == Term.concept_id).where(
        Term.language == working, func.lower(Term.text).in_(sorted({t.lower() for t in folded})))
        .order_by(Concept.key))
    for text, key in rows:
        if _fold(text) in folded and key not in found.setdefault(_fold(text), []):
            found[_fold(text)].append(key)
    return found


def merge_rows(plan, candidates: Mapping[str, list[str]], merges: Mapping[str, str]) -> dict:
    """For the preview's possible duplicates and merged entries: (line, existing keys
    with the same wording, the key chosen or "") per item, by kind."""
    rows: dict[str, list] = {}
    for kind in ("possible_duplicate", "merged"):
        rows[kind] = [(change, candidates.get(_fold(change.text), []),
                       merges.get(_fold(change.text), "")) for change in plan.items[kind]]
    return rows


def read_merges(form, candidates: Mapping[str, list[str]]) -> dict[str, str]:
    """{folded wording: concept key} for each possible duplicate the form merges; a key
    that is not one of the wording's candidates is not taken."""
    merges = {}
    for text, key in zip(form.getlist("merge_text"), form.getlist("merge_into"),
                         strict=False):
        if key and key in candidates.get(_fold(text), ()):
            merges[_fold(text)] = key
    return merges


def column_samples(rows: list[list], has_header: bool, width: int,
                   count: int = 3) -> list[list[str]]:
    """The first non-empty values of each column, shown beside its role."""
    body = rows[1:] if has_header else rows
    samples: list[list[str]] = [[] for _ in range(width)]
    for row in body:
        for index, value in enumerate(row[:width]):
            text = "" if value is None else str(value).strip()
            if text and len(samples[index]) < count:
                samples[index].append(text if len(text) <= 60 else text[:59] + "…")
    return samples


def role_parts(role: str) -> tuple[str, str]:
    """(kind, language) of a role for the form's two fields."""
    kind, tag, _number = split_role(role)
    return kind, tag
