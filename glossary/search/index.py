"""The search index of one glossary version: its layout (entries in parallel arrays,
postings by normalised key, keys sorted for prefix search and grouped for fuzzy
search) and its build from the database. The lookups it answers are in
:mod:`glossary.search.queries`.
"""

from __future__ import annotations

import ctypes
import gc
import threading
from array import array

from sqlalchemy import select
from sqlmodel import Session

from ..models import Concept, Term
from ..normalise import match_form, match_forms, without_qualifier
from .fuzzy import KeyGroups
from .queries import FIELD_RANK, PROSE_FIELDS, IndexQueries
from .updates import IndexUpdates

# Longer texts are indexed by their words only, not by every word-boundary suffix.
MAX_PHRASE_WORDS = 8
BATCH = 5000
# An index of at least this many texts hands the memory its build freed back to the
# system (a full collection and malloc_trim: worth it at 150,000 terms, not for a
# small glossary rebuilt often).
RETURN_MEMORY_AFTER = 50_000


def entry_keys(field: str, text: str, form: str) -> list[tuple[str, int]]:
    """The keys a text is found by, each with 1 when it is the whole text: its whole
    match form ``form`` (and the form without a bracketed qualifier) and every
    word-boundary suffix of it; a definition or an explanation (:data:`PROSE_FIELDS`),
    or a text of more than :data:`MAX_PHRASE_WORDS` words, by its words. Indexing and
    removing a text both ask here, so that a patch takes out exactly what the build put
    in."""
    if field in PROSE_FIELDS or form.count(" ") >= MAX_PHRASE_WORDS:
        return [(word, 0) for word in set(form.split(" ")) if len(word) >= 2]
    keys = [(form, 1)]
    if "(" in text or "[" in text:
        alias = match_form(without_qualifier(text))
        if alias and alias != form:
            keys.append((alias, 1))
    start = form.find(" ")
    while start != -1:
        keys.append((form[start + 1:], 0))
        start = form.find(" ", start + 1)
    return keys


def definition_row(concept_id: int, definition: str, working: str) -> tuple:
    """The indexed row of a concept's definition (see :meth:`SearchIndex.add_rows`)."""
    return (concept_id, "definition", working, definition, None, None, None, None)


def term_rows(working: str, tid: int, cid: int, language: str, text: str, back: str,
              paraphrase: str, status: str, register: str,
              explanation: str = "") -> list[tuple]:
    """The indexed rows of one term: its text, a paraphrase that differs from it, its
    back-translation (in the working language) and its explanation for participants (in
    the term's language)."""
    rows = [(cid, "term", language, text, language, tid, status, register)]
    if paraphrase and paraphrase != text:
        rows.append((cid, "paraphrase", language, paraphrase, language, tid, status,
                     register))
    if back:
        rows.append((cid, "back_translation", working, back, language, tid, status,
                     register))
    if explanation:
        rows.append((cid, "explanation", language, explanation, language, tid, status,
                     register))
    return rows


# Columns read for the index (Core rows, not ORM: a build reads every term, and the ORM
# layer would double its time).
CONCEPT_COLUMNS = (Concept.id, Concept.key, Concept.domain_id, Concept.definition,
                   Concept.status)
TERM_COLUMNS = (Term.id, Term.concept_id, Term.language, Term.text, Term.back_translation,
                Term.paraphrase, Term.status, Term.usage_register, Term.explanation)


class SearchIndex(IndexQueries, IndexUpdates):
    """An in-memory index of one glossary version, patched in place as concepts change
    (:class:`glossary.search.updates.IndexUpdates`). Entries are kept in parallel arrays;
    ``postings`` maps a normalised key to ``entry << 1 | whole`` numbers (``whole`` when
    the key is the entry's whole text, or the whole text without a bracketed
    qualifier). Searches and patches take turns on ``lock``."""

    def __init__(self, *, working: str) -> None:
        self.working = working
        self.lock = threading.Lock()
        self.concepts: dict[int, tuple[str, int, str]] = {}  # id -> key, domain, status
        self.source_text: dict[int, str] = {}
        self.e_concept = array("i")
        self.e_field = array("b")
        self.e_term = array("i")
        # Language, rendering language, status and register as codes into ``strings``.
        self.e_lang = array("H")
        self.e_term_lang = array("H")
        self.e_status = array("H")
        self.e_register = array("H")
        self.e_text: list[str] = []
        self.strings: list[str | None] = [None]
        self.codes: dict[str | None, int] = {None: 0}
        self._label_codes: dict[tuple, tuple[int, ...]] = {}
        self.languages: set[str] = set()
        self.postings: dict[str, int | list[int]] = {}
        self.sorted_keys: list[str] = []
        self.groups = KeyGroups()
        self.dead = 0  # entries a patch took out (their postings are gone)
        self._by_concept: array | None = None  # entries ordered by concept, for patches
        self._per_language: dict[str, int] | None = None  # live entries per language

    @classmethod
    def load(cls, session: Session, *, working: str) -> SearchIndex:
        """Read every concept and term and build the index (rows are read and indexed
        in batches, which keeps the memory a build needs close to what the index
        keeps)."""
        index = cls(working=working)
        # (concept, field, language, text, term language, term id, status, register)
        batch: list[tuple] = []

        def index_batch() -> None:
            index.add_rows(batch, match_forms([row[3] for row in batch]))
            batch.clear()

        connection = session.connection()
        for cid, key, domain_id, definition, status in connection.execute(
            select(*CONCEPT_COLUMNS).order_by(Concept.id)
        ):
            index.concepts[cid] = (key, domain_id, status)
            if definition:
                batch.append(definition_row(cid, definition, working))
        index_batch()
        for row in connection.execute(
            select(*TERM_COLUMNS).order_by(Term.id).execution_options(yield_per=BATCH)
        ):
            tid, cid, language, text = row[:4]
            if cid not in index.concepts:
                continue
            if language == working:
                index.source_text.setdefault(cid, text)
            batch.extend(term_rows(working, *row))
            if len(batch) >= BATCH:
                index_batch()
        index_batch()
        index.finish()
        return index

    def _code(self, value: str | None) -> int:
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.strings)
            self.strings.append(value)
        return code

    def add(self, concept_id: int, field: str, language: str, text: str,
            term_language: str | None = None, term_id: int | None = None,
            status: str | None = None, register: str | None = None) -> None:
        """Index one text of a concept under its normalised keys."""
        self.add_rows([(concept_id, field, language, text, term_language, term_id, status,
                        register)], [match_form(text)])

    def add_rows(self, rows: list[tuple], forms: list[str]) -> None:
        """Index texts given as ``(concept id, field, language, text, term language,
        term id, status, register)`` with their :func:`match_form` in ``forms``, under
        the keys :func:`entry_keys` gives."""
        postings = self.postings
        add_posting = postings.setdefault
        label_codes = self._label_codes

        def post_again(key: str, posting: int, found) -> None:
            if isinstance(found, int):
                postings[key] = [found, posting]
            elif posting not in found:
                found.append(posting)

        for (concept_id, field, language, text, term_language, term_id, status,
             register), form in zip(rows, forms, strict=True):
            if not form:
                continue
            entry = len(self.e_text)
            self.e_concept.append(concept_id)
            self.e_field.append(FIELD_RANK[field])
            self.e_term.append(term_id or 0)
            labels = (language, term_language, status, register)
            codes = label_codes.get(labels)
            if codes is None:
                codes = label_codes[labels] = tuple(self._code(v) for v in labels)
                self.languages.add(language)
            self.e_lang.append(codes[0])
            self.e_term_lang.append(codes[1])
            self.e_status.append(codes[2])
            self.e_register.append(codes[3])
            self.e_text.append(text)
            part = entry << 1
            for key, whole in entry_keys(field, text, form):
                posting = part | whole
                found = add_posting(key, posting)
                if found is not posting and found != posting:
                    post_again(key, posting, found)

    def finish(self) -> None:
        """Sort the keys for prefix search and group them by script and length for fuzzy
        search (:class:`glossary.search.fuzzy.KeyGroups`)."""
        self.sorted_keys = sorted(self.postings)
        self.groups = KeyGroups.build(self.sorted_keys)
        self._label_codes = {}
        self._entries_by_concept()  # now, not in the request of the first edit
        if len(self.e_text) >= RETURN_MEMORY_AFTER:
            _return_free_memory()

    def __len__(self) -> int:
        return len(self.e_text) - self.dead

    def search(self, *args, **kwargs):
        """See :meth:`IndexQueries.search` (here, not while a patch is applied)."""
        with self.lock:
            return super().search(*args, **kwargs)

    def near_duplicates(self, *args, **kwargs):
        """See :meth:`IndexQueries.near_duplicates` (not while a patch is applied)."""
        with self.lock:
            return super().near_duplicates(*args, **kwargs)


def _return_free_memory() -> None:
    """Collect the garbage of a build and hand freed memory back to the system (glibc
    keeps it otherwise, and a worker's memory would show the build's peak for good)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
