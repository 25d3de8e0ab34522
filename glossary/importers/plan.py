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
"""

from __future__ import annotations

import csv
import hashlib
import json
import unicodedata
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy import text as sql_text
from sqlmodel import Session, select

from .. import agreement as rules
from .. import languages
from ..audit import concept_snapshot, record, term_snapshot
from ..concepts import (
    KEY_PATTERN,
    TermCreate,
    custom_languages,
    parse_term,
    propose_term,
    slugify,
)
from ..errors import Conflict, InputError, Refused
from ..models import (
    CONCEPT_STATUSES,
    SENSITIVITIES,
    Agreement,
    AuditEvent,
    Concept,
    Domain,
    Person,
    Term,
    TermVersion,
    utcnow,
)
from ..signoff import refresh_concept
from ..text import choice, clean_text
from ..transaction import transactional

CHUNK = 500
IMPORT_CACHE_KIB = -64 * 1024  # negative: KiB, as SQLite reads it
SAMPLE = 200
FALLBACK_DOMAIN = ("imported", "Imported (to sort)")
KINDS = ("new_domain", "new_concept", "changed_concept", "new_term", "changed_term",
         "conflict", "skipped")
TERM_FIELDS = ("status", "register", "back_translation", "usage_note", "no_equivalent",
               "paraphrase")
CONCEPT_FIELDS = ("definition", "sensitivity", "facilitator_note", "status")

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
        return sum(self.counts[k] for k in KINDS if k not in ("conflict", "skipped"))

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


FIELD_LABELS = {
    "status": _l("Status"), "register": _l("Register"),
    "back_translation": _l("Back-translation"), "usage_note": _l("Usage note"),
    "no_equivalent": _l("No direct equivalent"), "paraphrase": _l("Paraphrase"),
    "definition": _l("Definition"), "sensitivity": _l("Sensitivity"),
    "facilitator_note": _l("Facilitator note"), "domain": _l("Domain"),
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


def _fold(text: str) -> str:
    return text.casefold()


TERM_COLUMNS = (Term.id, Term.concept_id, Term.language, Term.text, Term.status,
                Term.usage_register, Term.back_translation, Term.usage_note,
                Term.no_equivalent, Term.paraphrase)


def _term_values(term) -> dict:
    return {"status": term.status, "register": term.usage_register,
            "back_translation": term.back_translation, "usage_note": term.usage_note,
            "no_equivalent": term.no_equivalent, "paraphrase": term.paraphrase}


def _form(text: str, values: dict) -> dict:
    return {"text": text, "status": values.get("status") or "preferred",
            "register": values.get("register") or "neutral",
            "back_translation": values.get("back_translation", ""),
            "usage_note": values.get("usage_note", ""),
            "no_equivalent": "on" if values.get("no_equivalent") else "",
            "paraphrase": values.get("paraphrase", "")}


def check_may_import(person: Person | None) -> None:
    """Facilitators and admins import (``None`` is the command line, run by an operator)."""
    if person is not None and not person.has_role("facilitator", "admin"):
        raise Refused(_l("Only facilitators and admins import glossaries."))


class Planner:
    """Decide what each entry of a file means for the glossary; with ``apply`` also write
    it (inside the caller's transaction)."""

    def __init__(self, session: Session, *, working: str, source: str,
                 person: Person | None = None, default_domain: str | None = None,
                 domain_names: dict | None = None, apply: bool = False):
        self.session, self.working, self.person, self.apply = session, working, person, apply
        self.plan = ImportPlan(source=source)
        self._hash = hashlib.sha256()
        self.default_domain = default_domain
        self.domain_names = domain_names or {}
        self.custom = custom_languages(session)
        self.domains = {d.key: d for d in session.exec(select(Domain))}
        self.domain_by_name = {d.name.casefold(): d.key for d in self.domains.values()}
        self.keys = dict(session.execute(sa_select(Concept.key, Concept.id)).all())
        self.working_index: dict[str, int] = {}
        for cid, text in session.execute(
                sa_select(Term.concept_id, Term.text).where(Term.language == working)):
            previous = self.working_index.get(_fold(text))
            self.working_index[_fold(text)] = cid if previous in (None, cid) else 0
        self.new: dict[str, NewConcept] = {}
        self.new_working: dict[str, str] = {}
        self.pending: list[NewConcept] = []
        self.term_overlay: dict[int, dict] = {}
        self._checked: dict[int, TermCreate] = {}
        self.concept_overlay: dict[int, dict] = {}

    # -- bookkeeping -------------------------------------------------------------------

    def _note(self, kind: str, line: int, concept: str, language: str = "", text: str = "",
              detail: object = "", code: str = "") -> None:
        self.plan.counts[kind] += 1
        self._hash.update(f"{kind}\x1f{concept}\x1f{language}\x1f{text}\x1f{code}\x1e"
                          .encode())
        if len(self.plan.items[kind]) < SAMPLE:
            self.plan.items[kind].append(Change(kind, line, concept, language, text, detail))

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

    # -- reading an entry --------------------------------------------------------------

    def _tag(self, language: str) -> str:
        tag = languages.validate_tag(language, self.custom)
        # A file in en-US still speaks the organisation's working language "en".
        if "-" not in self.working and tag.split("-")[0] == self.working:
            return self.working
        return tag

    def _terms(self, entry: ConceptEntry, label: str) -> list[tuple]:
        """(entry term, tag, text to match) for each usable term; report the others."""
        usable = []
        for term in entry.terms:
            try:
                tag = self._tag(term.language)
                fallback = term.fields.get("paraphrase", "") if term.fields.get(
                    "no_equivalent") else ""
                # The text as parse_term will store it (stripped, NFC); parse_term checks
                # the rest later, once, and reports it.
                text = unicodedata.normalize("NFC", (term.text or fallback).strip())
                if not text:
                    clean_text(text, label=_l("Rendering"))
            except InputError as exc:
                self._note("skipped", term.line or entry.line, label, term.language,
                           term.text, exc.message)
                continue
            usable.append((term, tag, text))
        return usable

    def _concept_fields(self, entry: ConceptEntry) -> dict:
        """The concept fields the entry carries, validated."""
        given = {}
        if entry.definition is not None:
            given["definition"] = clean_text(entry.definition, label=_l("Definition"),
                                             max_length=4000, required=False, multiline=True)
        if entry.facilitator_note is not None:
            given["facilitator_note"] = clean_text(
                entry.facilitator_note, label=_l("Facilitator note"), max_length=4000,
                required=False, multiline=True)
        if entry.sensitivity:
            given["sensitivity"] = choice(entry.sensitivity.strip().lower(), SENSITIVITIES,
                                          label=_l("Sensitivity"))
        if entry.status:
            given["status"] = choice(entry.status.strip().lower(), CONCEPT_STATUSES,
                                     label=_l("Status"))
        return given

    def _domain(self, value: str | None, line: int) -> str:
        """The key of the domain an entry names (key or name); a domain the glossary lacks
        is planned as new."""
        value = (value or "").strip() or self.default_domain or ""
        if not value:
            key, name = FALLBACK_DOMAIN
        elif value in self.domains or value in self.domain_names:
            key, name = value, self.domain_names.get(value, (value,))[0]
        elif value.casefold() in self.domain_by_name:
            return self.domain_by_name[value.casefold()]
        else:
            name = clean_text(value, label=_l("Domain"), max_length=120)
            key = slugify(name)[:60] or FALLBACK_DOMAIN[0]
        if key not in self.domains:
            position = self.domain_names.get(key, (name, 100 + len(self.domains)))[1]
            domain = Domain(key=key, name=name, position=int(position))
            if self.apply:
                self.session.add(domain)
                self.session.flush()
            self.domains[key] = domain
            self.domain_by_name[name.casefold()] = key
            self._note("new_domain", line, key, text=name, code=name)
        return key

    def _new_key(self, ref_key: str | None, source_text: str) -> str:
        base = ref_key or slugify(source_text)[:110] or "concept"
        if not KEY_PATTERN.match(base):
            base = "c-" + base[:110]
        key, n = base, 2
        while key in self.keys or key in self.new:
            key, n = f"{base}-{n}", n + 1
        return key

    @staticmethod
    def _ref_key(ref: str) -> str | None:
        ref = (ref or "").strip().lower()
        if ref.startswith("_") and KEY_PATTERN.match(ref[1:]):
            ref = ref[1:]  # our own export writes keys that start with a digit as _key
        return ref if KEY_PATTERN.match(ref) else None

    def _resolve(self, entry: ConceptEntry):
        """("existing", id) or ("new", key) or None (skipped), with the usable terms."""
        label = entry.ref or "?"
        terms = self._terms(entry, label)
        if not terms and not entry.terms:
            self._note("skipped", entry.line, label, detail=_l("The entry has no terms."))
            return None, terms
        ref_key = self._ref_key(entry.ref)
        if ref_key and ref_key in self.keys:
            return ("existing", self.keys[ref_key]), terms
        if ref_key and ref_key in self.new:
            return ("new", ref_key), terms
        sources = [text for _t, tag, text in terms if tag == self.working]
        for text in sources:
            cid = self.working_index.get(_fold(text))
            if cid:
                return ("existing", cid), terms
            if _fold(text) in self.new_working:
                return ("new", self.new_working[_fold(text)]), terms
        if not sources:
            self._note("skipped", entry.line, label, detail=_l(
                "No wording in the working language (%(tag)s): a concept needs it.",
                tag=self.working))
            return None, terms
        first = next(t for t, tag, _text in terms if tag == self.working)
        try:
            fields = self._concept_fields(entry)
            self._checked[id(first)] = parse_term(_form(sources[0], first.fields))
            domain_key = self._domain(entry.domain, entry.line)
        except InputError as exc:
            self._note("skipped", entry.line, label, detail=exc.message)
            return None, terms
        key = self._new_key(ref_key, sources[0])
        fields = {"definition": "", "sensitivity": "medium", "facilitator_note": "",
                  "status": "active"} | fields
        concept = NewConcept(key=key, line=entry.line, domain_key=domain_key, fields=fields)
        self.new[key] = concept
        for text in sources:
            self.new_working.setdefault(_fold(text), key)
        self._note("new_concept", entry.line, key, self.working, sources[0],
                   code=repr(sorted(fields.items())) + concept.domain_key)
        return ("new", key), terms

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
        try:
            given = self._concept_fields(entry)
            if entry.domain:
                given["domain"] = self._domain(entry.domain, entry.line)
        except InputError as exc:
            self._note("skipped", entry.line, key, detail=exc.message)
            return
        now = self.concept_overlay.get(cid) or {
            name: getattr(concept, name) for name in CONCEPT_FIELDS} | {
            "domain": self._domain_key_of(concept.domain_id)}
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
                data = parse_term(_form(text, base))
            except InputError as exc:
                self._note("skipped", term.line or entry.line, key, tag, text, exc.message)
                continue
            new_values = _term_values(data)
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
                    self._revise_term(self.session.get(Term, existing.id), data)
                else:
                    propose_term.__wrapped__(self.session, concept=concept, language=tag,
                                             data=data, person=self.person,
                                             working=self.working)
        if touched and self.apply:
            self._record_import(cid, entry, terms)

    def _into_new(self, entry, concept: NewConcept, terms) -> None:
        for term, tag, text in terms:
            if (tag, text) in concept.keys:
                if concept.line != entry.line:
                    continue  # the same wording given again by a later entry
                self._note("skipped", term.line or entry.line, concept.key, tag, text,
                           _l("The same rendering appears twice in this entry."))
                continue
            try:
                data = self._checked.pop(id(term), None) or parse_term(_form(text, term.fields))
            except InputError as exc:
                self._note("skipped", term.line or entry.line, concept.key, tag, text,
                           exc.message)
                continue
            concept.keys.add((tag, text))
            self._note("new_term", term.line or entry.line, concept.key, tag, text,
                       code=repr(sorted(_term_values(data).items())))
            if not self.apply:
                continue
            if concept.id is None:
                concept.terms.append((tag, data, term.history))
            else:
                propose_term.__wrapped__(self.session,
                                         concept=self.session.get(Concept, concept.id),
                                         language=tag, data=data, person=self.person,
                                         working=self.working)
        if self.apply and concept.id is None:
            concept.history.extend(entry.history)
            if not concept.queued:
                concept.queued = True
                self.pending.append(concept)

    def _domain_key_of(self, domain_id: int) -> str:
        for key, domain in self.domains.items():
            if domain.id == domain_id:
                return key
        return ""

    # -- writing (apply only) ----------------------------------------------------------

    def _revise_concept(self, concept: Concept, changed: dict) -> None:
        before = concept_snapshot(concept)
        values = {n: v for n, v in changed.items() if n != "domain"}
        if "domain" in changed:
            values["domain_id"] = self.domains[changed["domain"]].id
        result = self.session.execute(
            update(Concept).where(Concept.id == concept.id, Concept.version == concept.version)
            .values(**values, version=Concept.version + 1, updated_at=utcnow()))
        if result.rowcount != 1:
            raise Conflict(_l("A concept was changed by someone else during the import. "
                              "Nothing was imported; try again."))
        self.session.refresh(concept)
        record(self.session, person=self.person, action="update", entity="concept",
               entity_id=concept.id, before=before, after=concept_snapshot(concept))

    def _revise_term(self, term: Term, data: TermCreate) -> None:
        before = term_snapshot(term)
        result = self.session.execute(
            update(Term).where(Term.id == term.id, Term.version == term.version)
            .values(**data.model_dump(), version=Term.version + 1, is_demo=False,
                    updated_by_id=self.person.id if self.person else None,
                    updated_at=utcnow()))
        if result.rowcount != 1:
            raise Conflict(_l("A rendering was changed by someone else during the import. "
                              "Nothing was imported; try again."))
        self.session.refresh(term)
        self.session.add(TermVersion(term_id=term.id, version=term.version,
                                     author_id=self.person.id if self.person else None,
                                     **data.model_dump()))
        record(self.session, person=self.person, action="edit", entity="term",
               entity_id=term.id, before=before, after=term_snapshot(term))
        refresh_concept(self.session, concept_id=term.concept_id, language=term.language,
                        working=self.working, person=self.person)

    def _record_import(self, concept_id: int, entry: ConceptEntry, terms) -> None:
        history = {f"{tag}:{text}": term.history for term, tag, text in terms if term.history}
        record(self.session, person=self.person, action="import", entity="concept",
               entity_id=concept_id, after={"source": self.plan.source, "line": entry.line,
                                            "history": entry.history, "terms": history})

    def _new_ids(self, model, count: int) -> list[int] | None:
        """PostgreSQL: ``count`` ids taken from the table's sequence, so that the rows can
        be copied in with their ids (reading them back would scan tables whose planner
        statistics do not yet know the rows). Elsewhere None: ids are read back."""
        if self.session.get_bind().dialect.name != "postgresql" or not count:
            return None
        table = model.__table__.name
        return list(self.session.execute(sql_text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
            "FROM generate_series(1, :count)"), {"table": table, "count": count}).scalars())

    def _insert(self, model, rows: list[dict]) -> None:
        """One executemany, without RETURNING (which SQLite runs row by row); the ids are
        read back by natural key where they are needed. On SQLite the rows go to the
        driver directly, each value through its column type's own bind processor: the
        same stored values, at half the cost of SQLAlchemy's per-row parameter handling."""
        if not rows:
            return
        table = model.__table__
        dialect = self.session.get_bind().dialect
        names = list(rows[0])
        driver = self.session.connection().connection.driver_connection
        if dialect.name == "postgresql":
            _copy(driver, table, names, rows)
            return
        if dialect.name != "sqlite":
            self.session.execute(insert(table), rows)
            return
        processed = [(index, _remember_last(process)) for index, process in enumerate(
            table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in names) if process]
        pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
        values = []
        for row in rows:
            value = list(pick(row))
            for index, process in processed:
                value[index] = process(value[index])
            values.append(value)
        quoted = ", ".join(f'"{name}"' for name in names)
        statement = (f'INSERT INTO "{table.name}" ({quoted}) '
                     f'VALUES ({", ".join("?" * len(names))})')
        driver.executemany(statement, values)

    def _write_new(self) -> None:
        """Insert the concepts created in this chunk with their renderings, versions and
        agreements, in bulk. Each new concept gets one audit event ("import") holding
        its fields, its renderings with their ids, the file and the file's history."""
        if not self.pending:
            return
        now = utcnow()
        pid = self.person.id if self.person else None
        concept_rows = [
            {"key": c.key, "domain_id": self.domains[c.domain_key].id, **c.fields,
             "version": 1, "is_demo": False, "created_at": now, "updated_at": now}
            for c in self.pending]
        ids = self._new_ids(Concept, len(concept_rows))
        if ids:
            for row, new_id in zip(concept_rows, ids, strict=True):
                row["id"] = new_id
        self._insert(Concept, concept_rows)
        ids = dict(zip([c.key for c in self.pending], ids, strict=True)) if ids else dict(
            self.session.execute(sa_select(Concept.key, Concept.id).where(
                Concept.key.in_([c.key for c in self.pending]))).all())
        terms, pairs = [], []
        for concept in self.pending:
            concept.id = cid = ids[concept.key]
            for tag, data, _history in concept.terms:
                terms.append((cid, tag, data, data.model_dump()))
        term_rows = [{"concept_id": cid, "language": tag, "version": 1, "is_demo": False,
                      "updated_by_id": pid, "updated_at": now, **fields}
                     for cid, tag, _data, fields in terms]
        term_ids = self._new_ids(Term, len(term_rows))
        if term_ids:
            for row, new_id in zip(term_rows, term_ids, strict=True):
                row["id"] = new_id
        self._insert(Term, term_rows)
        if term_ids:
            by_text = {(cid, tag, data.text): tid for (cid, tag, data, _f), tid in
                       zip(terms, term_ids, strict=True)}
        else:
            by_text = {(cid, tag, text): tid for tid, cid, tag, text in self.session.execute(
                sa_select(Term.id, Term.concept_id, Term.language, Term.text).where(
                    Term.concept_id.in_([c.id for c in self.pending])))}
        self._insert(TermVersion, [
            {"term_id": by_text[(cid, tag, data.text)], "version": 1, "author_id": pid,
             "created_at": now, **fields} for cid, tag, data, fields in terms])
        events = []
        for concept in self.pending:
            targets: dict[str, list] = {}
            renderings = []
            for tag, data, history in concept.terms:
                renderings.append({"id": by_text[(concept.id, tag, data.text)],
                                   "language": tag, **data.model_dump(), "history": history})
                if tag != self.working:
                    targets.setdefault(tag, []).append(data)
            # Agreements are born proposed (or open): they were never in another state.
            for tag in sorted(targets):
                pairs.append((concept.id, tag, rules.derive_state(
                    rendering=rules.has_rendering(targets[tag]), signatures=[],
                    current_fingerprint="", open_dispute=False)))
            events.append({"at": now, "person_id": pid, "action": "import",
                           "entity": "concept", "entity_id": concept.id, "before": None,
                           "after": {"key": concept.key, "domain": concept.domain_key,
                                     **concept.fields, "source": self.plan.source,
                                     "line": concept.line, "history": concept.history,
                                     "terms": renderings}})
            concept.terms = []
            concept.history = []
        self._insert(Agreement, [
            {"concept_id": cid, "source_language": self.working, "target_language": tag,
             "state": state, "lock_version": 0, "agreed_at": None, "updated_at": now}
            for cid, tag, state in pairs])
        self._insert(AuditEvent, events)
        self.pending = []


def build_plan(session: Session, *, entries: Iterable[ConceptEntry], source: str,
               working: str, person: Person | None = None, default_domain: str | None = None,
               domain_names: dict | None = None, dialect: str = "") -> ImportPlan:
    """The dry run: what importing ``entries`` would change. Writes nothing.

    Raises the reader's :class:`~glossary.errors.InputError` when the file is unreadable
    (malformed XML names its line; entity declarations are refused)."""
    check_may_import(person)
    try:
        plan = Planner(session, working=working, source=source, person=person,
                       default_domain=default_domain, domain_names=domain_names).feed(entries)
    finally:
        session.rollback()
    plan.dialect = dialect
    return plan


def _copy(driver, table, names: list[str], rows: list[dict]) -> None:
    """PostgreSQL: rows through COPY (psycopg), in the open transaction. JSON columns are
    sent as their JSON text, which COPY parses like any other column's text."""
    quoted = ", ".join(f'"{name}"' for name in names)
    as_json = [isinstance(table.c[name].type, JSON) for name in names]
    with driver.cursor() as cursor, cursor.copy(
            f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[name]) if is_json and row[name] is not None
                            else row[name] for name, is_json in zip(names, as_json,
                                                                     strict=True)])


def _remember_last(process):
    """``process`` that reuses its last result for the same object (every row of a batch
    carries the same timestamp)."""
    last = [object(), None]

    def remembered(value):
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return remembered


@contextmanager
def _large_cache(session: Session):
    """On SQLite, a larger page cache for the length of a big import (about a sixth less
    time for 150,000 terms); the connection's setting is restored afterwards."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    previous = session.execute(sql_text("PRAGMA cache_size")).scalar()
    session.execute(sql_text(f"PRAGMA cache_size={IMPORT_CACHE_KIB}"))
    try:
        yield
    finally:
        session.execute(sql_text(f"PRAGMA cache_size={int(previous)}"))


@transactional
def apply_import(session: Session, *, entries: Iterable[ConceptEntry], source: str,
                 working: str, person: Person | None = None, default_domain: str | None = None,
                 domain_names: dict | None = None, expected_digest: str | None = None,
                 dialect: str = "") -> ImportPlan:
    """Import ``entries`` in one transaction and return what was done.

    With ``expected_digest`` (the digest of the plan the person confirmed), raise
    :class:`Conflict` and change nothing when the glossary or the file differs from the
    preview. Any error leaves the database as it was."""
    check_may_import(person)
    with _large_cache(session):
        plan = Planner(session, working=working, source=source, person=person,
                       default_domain=default_domain, domain_names=domain_names,
                       apply=True).feed(entries)
    plan.dialect = dialect
    if expected_digest is not None and plan.digest != expected_digest:
        raise Conflict(_l("The glossary or the file changed since the preview. Nothing was "
                          "imported: look at the new preview and confirm again."))
    if plan.changes:
        record(session, person=person, action="import", entity="glossary", entity_id=None,
               after={"source": source, "counts": plan.summary()})
    return plan



FORMATS = ("tbx", "csv", "xlsx")


def detect_format(name: str, head: bytes) -> str:
    """The format of a file from its name, else from its first bytes."""
    suffix = Path(name).suffix.lower()
    if suffix in (".tbx", ".xml"):
        return "tbx"
    if suffix == ".xlsx":
        return "xlsx"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if head.startswith(b"PK"):
        return "xlsx"
    return "tbx" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "csv"


class Source:
    """A file (or a ``data/terms``-style folder of CSV files) to import. Iterating it
    reads the file afresh, so the dry run and the import each stream it once."""

    def __init__(self, path: Path | str, *, working: str, fmt: str | None = None,
                 name: str | None = None, domain_keys: Iterable[str] = ()):
        self.path = Path(path)
        self.working = working
        self.name = name or self.path.name
        self.domain_keys = set(domain_keys)
        self.domain_names: dict[str, tuple[str, int]] = {}
        self.dialect = ""
        if self.path.is_dir():
            self.fmt = "csv"
            catalog = self.path / "domains.csv"
            if catalog.exists():
                with catalog.open(encoding="utf-8-sig", newline="") as handle:
                    for row in csv.DictReader(handle):
                        self.domain_names[row["key"]] = (row["name"], int(row["position"]))
        else:
            with self.path.open("rb") as handle:
                head = handle.read(512)
            self.fmt = fmt or detect_format(self.name, head)
        if self.fmt not in FORMATS:
            raise InputError(_l("Unknown format “%(fmt)s”: use tbx, csv or xlsx.", fmt=self.fmt))

    def _files(self) -> list[Path]:
        if not self.path.is_dir():
            return [self.path]
        keys = list(self.domain_names) or sorted(
            p.stem for p in self.path.glob("*.csv") if p.stem != "domains")
        return [self.path / f"{key}.csv" for key in keys if (self.path / f"{key}.csv").exists()]

    def __iter__(self):
        from .table import read_csv, read_xlsx
        from .tbx import read_tbx

        for path in self._files():
            known = self.domain_keys | set(self.domain_names)
            domain = path.stem if path.stem in known else None
            with path.open("rb") as handle:
                if self.fmt == "tbx":
                    reader = read_tbx(handle, working=self.working)
                    yield from reader
                    self.dialect = reader.dialect
                elif self.fmt == "xlsx":
                    self.dialect = "XLSX"
                    yield from read_xlsx(handle, working=self.working, domain=domain)
                else:
                    self.dialect = "CSV"
                    yield from read_csv(handle, working=self.working, domain=domain)
