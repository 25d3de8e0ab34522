"""Import plans: what importing a TBX or spreadsheet file would change, and applying it.

Readers (:mod:`.tbx`, :mod:`.table`) turn a file into a stream of :class:`ConceptEntry`
objects. A :class:`Planner` walks that stream in chunks and decides, for every entry,
what it means for the glossary: a new concept, new renderings, changed renderings or
concept fields, conflicts with agreed renderings, or entries skipped with the reason.

The same walk serves the dry run (nothing is written; the plan is shown) and the import
itself (:func:`apply_import`, one transaction: a failure half-way leaves the database as
it was). Both walks make the same decisions in the same order, so the plan's digest
tells whether the glossary or the file changed between preview and confirmation.

Rules: imported renderings never arrive as agreed (agreement happens here, between
people); a rendering of a pair that is agreed is never changed or added to by an import,
it is reported as a conflict instead; only what a file actually carries is compared, so
a sparse file never wipes a back-translation or note; re-importing a file changes nothing.

The planner is put together from :class:`~.resolve.EntryResolver` (which concept an
entry belongs to) and :class:`~.writing.PlanWriter` (the writes, apply only); the entry
and plan classes live in :mod:`.entries`, files and their formats in :mod:`.sources`.
Callers import from here: this module re-exports :data:`FORMATS`,
:func:`detect_format` and :class:`Source`.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from .. import agreement as rules
from ..audit import record
from ..concepts import parse_term, propose_term
from ..errors import Conflict, InputError, Refused
from ..i18n import _l
from ..models import Agreement, Concept, Person, Term
from ..transaction import transactional
from .entries import ConceptEntry, Difference, ImportPlan, NewConcept
from .repeats import RepeatedEntries, fold_repeat
from .resolve import EntryResolver, _form
from .sources import FORMATS, Source, detect_format
from .writing import PlanWriter, _large_cache

__all__ = ["CHUNK", "FORMATS", "ImportPlan", "Planner", "Source", "apply_import",
           "build_plan", "check_may_import", "detect_format"]

CHUNK = 500
TERM_FIELDS = ("status", "register", "back_translation", "usage_note", "no_equivalent",
               "paraphrase", "details", "explanation")
CONCEPT_FIELDS = ("definition", "sensitivity", "facilitator_note", "status", "details")

TERM_COLUMNS = (Term.id, Term.concept_id, Term.language, Term.text, Term.status,
                Term.usage_register, Term.back_translation, Term.usage_note,
                Term.no_equivalent, Term.paraphrase, Term.details, Term.explanation)


def _term_values(term, details=None) -> dict:
    """The comparable values of a stored row, or of parsed input with its ``details``."""
    return {"status": term.status, "register": term.usage_register,
            "back_translation": term.back_translation, "usage_note": term.usage_note,
            "no_equivalent": term.no_equivalent, "paraphrase": term.paraphrase,
            "details": getattr(term, "details", details) or None,
            "explanation": term.explanation}


def check_may_import(person: Person | None) -> None:
    """Facilitators and admins import (``None`` is the command line, run by an operator)."""
    if person is not None and not person.has_role("facilitator", "admin"):
        raise Refused(_l("Only facilitators and admins import glossaries."))


class Planner(EntryResolver, PlanWriter, RepeatedEntries):
    """Decide what each entry of a file means for the glossary; with ``apply`` also write
    it (inside the caller's transaction). Takes the arguments of
    :class:`~.resolve.EntryResolver`."""

    def __init__(self, session: Session, **options):
        super().__init__(session, **options)
        self.pending: list[NewConcept] = []
        self.term_overlay: dict[int, dict] = {}
        self.concept_overlay: dict[int, dict] = {}
        self.seen: set[int] = set()  # existing concepts an entry of the file spoke of

    def feed(self, entries: Iterable[ConceptEntry]) -> ImportPlan:
        """Walk every entry; return the plan (with its digest)."""
        chunk: list[ConceptEntry] = []
        for entry in entries:
            chunk.append(entry)
            if len(chunk) >= CHUNK:
                self._chunk(chunk)
                chunk = []
        if chunk:
            self._chunk(chunk)
        self.plan.digest = self._hash.hexdigest()
        return self.plan

    # -- deciding ----------------------------------------------------------------------

    def _chunk(self, chunk: list[ConceptEntry]) -> None:
        resolved = [(entry, *self._resolve(entry)) for entry in chunk]
        ids = {target[1] for _e, target, _t in resolved if target and target[0] == "existing"}
        concepts, current, states = {}, {}, {}
        if ids:
            concepts = {c.id: c for c in self.session.exec(
                select(Concept).where(Concept.id.in_(ids)))}
            # Plain rows, not ORM objects: a re-import of a large file compares many.
            for row in self.session.execute(sa_select(*TERM_COLUMNS).where(
                    Term.concept_id.in_(ids)).order_by(Term.id)):
                current.setdefault(row.concept_id, {})[(row.language, row.text)] = row
            for cid, target, state in self.session.execute(
                    sa_select(Agreement.concept_id, Agreement.target_language, Agreement.state)
                    .where(Agreement.concept_id.in_(ids))):
                states[(cid, target)] = state
        agreed = {cid for (cid, _t), state in states.items() if state == rules.AGREED}
        for entry, target, terms in resolved:
            if target is None:
                continue
            if target[0] == "existing":
                self._existing(entry, concepts[target[1]], terms,
                               current.get(target[1], {}), states, agreed)
            else:
                self._into_new(entry, self.new[target[1]], terms)
        if self.apply:
            self._write_new()

    def _existing(self, entry, concept: Concept, terms, db_terms: dict, states: dict,
                  agreed_concepts: set) -> None:
        key, cid = concept.key, concept.id
        later = cid in self.seen
        try:
            given = self._concept_fields(entry)
            if entry.domain and not later:
                given["domain"] = self._domain(entry.domain, entry.line)
            elif entry.domain:  # a later entry's other domain is a note line, not a domain
                given["domain"] = self._known_domain(entry.domain) or entry.domain
        except InputError as exc:
            self._note("skipped", entry.line, key, detail=exc.message)
            return
        now = self.concept_overlay.get(cid) or {
            name: getattr(concept, name) for name in CONCEPT_FIELDS} | {
            "domain": self._domain_key_of(concept.domain_id)}
        given, too_long = fold_repeat(given, now, later=later, domain_text=entry.domain)
        self.seen.add(cid)
        if too_long:
            self._too_long(entry, key)
        changed = {name: value for name, value in given.items() if now.get(name) != value}
        touched = False
        if changed:
            self._note("changed_concept", entry.line, key,
                       detail=Difference((n, now.get(n), changed[n]) for n in sorted(changed)),
                       code=repr(sorted(changed.items())))
            self.concept_overlay[cid] = now | changed
            if self.apply:
                self._revise_concept(concept, changed)
            touched = True
        else:
            self.plan.unchanged += 1
        overlay = self.term_overlay.setdefault(cid, {})
        agreed_somewhere = cid in agreed_concepts
        for term, tag, text in terms:
            existing = db_terms.get((tag, text))
            values = overlay.get((tag, text)) or (_term_values(existing) if existing else None)
            if values is not None and all(values.get(n) == v for n, v in term.fields.items()):
                self.plan.unchanged += 1
                continue
            base = dict(values or {}) | term.fields
            try:
                data = parse_term(_form(text, base), unstated=True)
            except InputError as exc:
                self._note("skipped", term.line or entry.line, key, tag, text, exc.message)
                continue
            new_values = _term_values(data, base.get("details"))
            if values is not None and new_values == values:
                self.plan.unchanged += 1
                continue
            agreed = agreed_somewhere if tag == self.working else (
                states.get((cid, tag)) == rules.AGREED)
            if agreed:
                self._note("conflict", term.line or entry.line, key, tag, text, _l(
                    "The pair is agreed: the import would send it back to review. Change "
                    "it here, with both signers, if it is needed."))
                continue
            difference = Difference((n, values[n], new_values[n]) for n in TERM_FIELDS
                                    if values and values[n] != new_values[n])
            kind = "changed_term" if values is not None else "new_term"
            self._note(kind, term.line or entry.line, key, tag, text, difference,
                       code=repr(sorted(new_values.items())))
            overlay[(tag, text)] = new_values
            touched = True
            if self.apply:
                if existing is not None:
                    self._revise_term(self.session.get(Term, existing.id), data,
                                      new_values["details"])
                else:
                    added = propose_term.__wrapped__(
                        self.session, concept=concept, language=tag, data=data,
                        person=self.person, working=self.working)
                    added.details = new_values["details"]
        if touched and self.apply:
            self._record_import(cid, entry, terms)

    def _into_new(self, entry, concept: NewConcept, terms) -> None:
        if (concept.sheet, concept.line) != (entry.sheet, entry.line):
            self._merge_fields(entry, concept)
        for term, tag, text in terms:
            if (tag, text) in concept.keys:
                if (concept.sheet, concept.line) != (entry.sheet, entry.line):
                    continue  # the same wording given again by a later entry
                self._note("skipped", term.line or entry.line, concept.key, tag, text,
                           _l("The same rendering appears twice in this entry."))
                continue
            try:
                data = self._checked.pop(id(term), None) or parse_term(
                    _form(text, term.fields), unstated=True)
            except InputError as exc:
                self._note("skipped", term.line or entry.line, concept.key, tag, text,
                           exc.message)
                continue
            concept.keys.add((tag, text))
            self._note("new_term", term.line or entry.line, concept.key, tag, text,
                       code=repr(sorted(_term_values(data).items())))
            if not self.apply:
                continue
            details = term.fields.get("details") or None
            if concept.id is None:
                concept.terms.append((tag, data, term.history, details))
            else:
                added = propose_term.__wrapped__(
                    self.session, concept=self.session.get(Concept, concept.id),
                    language=tag, data=data, person=self.person, working=self.working)
                added.details = details
        if self.apply and concept.id is None:
            concept.history.extend(entry.history)
            if not concept.queued:
                concept.queued = True
                self.pending.append(concept)

    def _known_domain(self, text: str) -> str | None:
        """The key of the domain ``text`` names (key or name), if the glossary or the
        file has it."""
        text = text.strip()
        return text if text in self.domains else self.domain_by_name.get(text.casefold())

    def _domain_key_of(self, domain_id: int) -> str:
        for key, domain in self.domains.items():
            if domain.id == domain_id:
                return key
        return ""


def build_plan(session: Session, *, entries: Iterable[ConceptEntry], source: str,
               working: str, person: Person | None = None, default_domain: str | None = None,
               domain_names: dict | None = None, dialect: str = "",
               merges: dict | None = None) -> ImportPlan:
    """The dry run: what importing ``entries`` would change. Writes nothing.

    Raises the reader's :class:`~glossary.errors.InputError` when the file is unreadable
    (malformed XML names its line; entity declarations are refused)."""
    check_may_import(person)
    try:
        plan = Planner(session, working=working, source=source, person=person,
                       default_domain=default_domain, domain_names=domain_names,
                       merges=merges).feed(entries)
    finally:
        session.rollback()
    plan.dialect = dialect
    return plan


@transactional
def apply_import(session: Session, *, entries: Iterable[ConceptEntry], source: str,
                 working: str, person: Person | None = None, default_domain: str | None = None,
                 domain_names: dict | None = None, expected_digest: str | None = None,
                 dialect: str = "", merges: dict | None = None) -> ImportPlan:
    """Import ``entries`` in one transaction and return what was done.

    With ``expected_digest`` (the digest of the plan the person confirmed), raise
    :class:`Conflict` and change nothing when the glossary or the file differs from the
    preview. ``merges`` ({folded working-language wording: concept key}) sends the
    entries with that wording into that existing concept instead of a new one. Any error
    leaves the database as it was."""
    check_may_import(person)
    with _large_cache(session):
        plan = Planner(session, working=working, source=source, person=person,
                       default_domain=default_domain, domain_names=domain_names,
                       apply=True, merges=merges).feed(entries)
    plan.dialect = dialect
    if expected_digest is not None and plan.digest != expected_digest:
        raise Conflict(_l("The glossary or the file changed since the preview. Nothing was "
                          "imported: look at the new preview and confirm again."))
    if plan.changes:
        record(session, person=person, action="import", entity="glossary", entity_id=None,
               after={"source": source, "counts": plan.summary()})
    return plan
