"""Writing what a plan decides (apply only), inside the import's one transaction.

:class:`PlanWriter` revises existing concepts and renderings (each against its version,
with an audit event; a changed rendering also refreshes its pair's sign-off state) and
inserts the concepts a file creates in bulk: COPY on PostgreSQL, the driver's
executemany on SQLite. :func:`_large_cache` widens SQLite's page cache for the length of
an import.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from operator import itemgetter

from sqlalchemy import JSON, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy import text as sql_text
from sqlmodel import Session

from .. import agreement as rules
from ..audit import concept_snapshot, record, term_snapshot
from ..concepts import TermCreate
from ..errors import Conflict
from ..i18n import _l
from ..models import Agreement, AuditEvent, Concept, Term, TermVersion, utcnow
from ..signoff import refresh_concept
from .entries import ConceptEntry

IMPORT_CACHE_KIB = -64 * 1024  # negative: KiB, as SQLite reads it


class PlanWriter:
    """The planner's writes. A mixin: it uses the planner's ``session``, ``person``,
    ``working``, ``domains``, ``plan`` and ``pending`` (the new concepts of the chunk)."""

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

    def _revise_term(self, term: Term, data: TermCreate, details: dict | None) -> None:
        before = term_snapshot(term)
        result = self.session.execute(
            update(Term).where(Term.id == term.id, Term.version == term.version)
            .values(**data.model_dump(), details=details, version=Term.version + 1,
                    is_demo=False,
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
            for tag, data, _history, details in concept.terms:
                terms.append((cid, tag, data, data.model_dump() | {"details": details}))
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
             "created_at": now, **data.model_dump()} for cid, tag, data, _fields in terms])
        events = []
        for concept in self.pending:
            targets: dict[str, list] = {}
            renderings = []
            for tag, data, history, details in concept.terms:
                renderings.append({"id": by_text[(concept.id, tag, data.text)],
                                   "language": tag, **data.model_dump(), "history": history,
                                   **({"details": details} if details else {})})
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

