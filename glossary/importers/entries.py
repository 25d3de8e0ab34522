"""What readers hand the planner and what a plan reports.

Readers (:mod:`.tbx`, :mod:`.table`) turn a file into :class:`ConceptEntry` objects
holding :class:`TermEntry` renderings, with statuses and registers mapped to ours by
:func:`map_status` and :func:`map_register`. The planner answers with an
:class:`ImportPlan` made of :class:`Change` lines, whose field differences are
:class:`Difference` triples; :class:`NewConcept` is its note of a concept a file creates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..i18n import _l

KINDS = ("new_domain", "new_concept", "changed_concept", "new_term", "changed_term",
         "conflict", "possible_duplicate", "merged", "waiting", "skipped", "cleaned",
         "lookalike", "renamed_key")
# Kinds that write nothing: what the import refuses or reports, and notes on texts it reads
# (a merged entry's writes are its renderings' new_term and changed_term lines).
NOT_WRITTEN = ("conflict", "possible_duplicate", "merged", "waiting", "skipped", "cleaned",
               "lookalike", "renamed_key")

# Term status values found in TBX files and spreadsheets, lower-cased, to ours.
STATUS_VALUES = {
    **dict.fromkeys(("preferred", "preferredterm", "preferredterm-admn-sts", "approved",
                     "standardizedterm-admn-sts"), "preferred"),
    **dict.fromkeys(("admitted", "admittedterm", "admittedterm-admn-sts", "provisional",
                     "non-standard", "nonstandard"), "admitted"),
    **dict.fromkeys(("deprecated", "avoid", "deprecatedterm", "deprecatedterm-admn-sts",
                     "supersededterm", "supersededterm-admn-sts", "superseded", "forbidden",
                     "obsolete", "notrecommended", "not recommended"), "deprecated"),
}
# TBX register picklist values (and our own names) to our registers.
REGISTER_VALUES = {
    "colloquialregister": "colloquial", "neutralregister": "neutral",
    "technicalregister": "clinical", "slangregister": "colloquial",
    "vulgarregister": "vulgar", "clinical": "clinical", "neutral": "neutral",
    "colloquial": "colloquial", "euphemism": "euphemism", "vulgar": "vulgar",
    "technical": "clinical", "slang": "colloquial",
}


def map_status(value: str) -> str | None:
    """Our term status for a TBX or spreadsheet status value, or None when unknown."""
    return STATUS_VALUES.get((value or "").strip().lower())


def map_register(value: str) -> str | None:
    """Our register for a TBX register value or our own name, or None when unknown."""
    return REGISTER_VALUES.get((value or "").strip().lower())


# One rendering as a file gives it; ``fields`` holds only what the file carries.
@dataclass(slots=True)
class TermEntry:
    language: str
    text: str
    line: int = 0
    fields: dict = field(default_factory=dict)
    history: list = field(default_factory=list)


# One concept as a file gives it; None means the file says nothing about that field.
@dataclass(slots=True)
class ConceptEntry:
    line: int
    ref: str = ""
    domain: str | None = None
    definition: str | None = None
    sensitivity: str | None = None
    facilitator_note: str | None = None
    status: str | None = None
    terms: list = field(default_factory=list)
    history: list = field(default_factory=list)
    details: dict = field(default_factory=dict)
    sheet: str = ""  # a workbook's sheet (lines are counted per sheet)


# One line of a plan: what would happen to which concept or rendering, and why.
@dataclass(slots=True)
class Change:
    kind: str
    line: int
    concept: str
    language: str = ""
    text: str = ""
    detail: object = ""


# The outcome of a walk: counts, the first items of each kind, and a digest of all.
@dataclass
class ImportPlan:
    source: str
    dialect: str = ""
    counts: Counter = field(default_factory=Counter)
    items: dict = field(default_factory=lambda: {kind: [] for kind in KINDS})
    unchanged: int = 0
    digest: str = ""

    @property
    def changes(self) -> int:
        """How many writes the plan makes (domains, concepts, renderings)."""
        return sum(self.counts[k] for k in KINDS if k not in NOT_WRITTEN)

    def summary(self) -> dict:
        """Counts by kind, plus unchanged, for the command line, logs and the audit."""
        return {kind: self.counts[kind] for kind in KINDS} | {"unchanged": self.unchanged}


# A concept the file creates; ``terms`` is emptied once written.
@dataclass(slots=True, eq=False)
class NewConcept:
    key: str
    line: int
    domain_key: str
    fields: dict
    terms: list = field(default_factory=list)
    keys: set = field(default_factory=set)
    history: list = field(default_factory=list)
    id: int | None = None
    queued: bool = False
    sheet: str = ""


FIELD_LABELS = {
    "status": _l("Status"), "register": _l("Register"),
    "back_translation": _l("Back-translation"), "usage_note": _l("Usage note"),
    "no_equivalent": _l("No direct equivalent"), "paraphrase": _l("Paraphrase"),
    "definition": _l("Definition"), "sensitivity": _l("Sensitivity"),
    "facilitator_note": _l("Facilitator note"), "domain": _l("Domain"),
    "details": _l("Grammar, context and references"),
    "explanation": _l("Explanation for participants"),
}


class Difference(tuple):
    """(field, before, after) triples, shown as ``Status: admitted → preferred``."""

    def __new__(cls, triples):
        return super().__new__(cls, tuple(triples))

    @staticmethod
    def _short(value) -> str:
        text = str(value).replace("\n", " / ")
        return text if len(text) <= 80 else text[:79] + "…"

    def __str__(self) -> str:
        return "; ".join(f"{FIELD_LABELS.get(name, name)}: {self._short(before)} → "
                         f"{self._short(after)}" for name, before, after in self)

    @property
    def fields(self) -> list[str]:
        """The names of the fields that change."""
        return [name for name, _before, _after in self]
