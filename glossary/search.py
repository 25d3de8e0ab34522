"""Search over the whole glossary: source terms, renderings, paraphrases,
back-translations and definitions in every language, on normalised text
(:func:`glossary.normalise.match_form`).

Hits come in tiers: the whole text equals the query (exact), the query equals a later
part of a text ("violence" in "sexual violence"), the query starts a text (prefix, from
two characters on), the query starts a later part of a text, and last fuzzy hits
(rapidfuzz ``fuzz.ratio``) that allow one typo in a word shorter than six letters and two
from six letters on. Each concept appears once, with its best hit: the matched text as
written, its language and field.

The index is built once per glossary version and cached per database engine in each
process; :func:`glossary_version` is one cheap query (three ``max(id)``) run on every
search, so every worker notices a change made by any other and rebuilds on its next
search. Changes are logged by :mod:`glossary.models.search`.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from itertools import groupby
from operator import itemgetter
from weakref import WeakKeyDictionary

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlmodel import Session

from .models import Concept, SearchChange, Term
from .normalise import match_form, match_forms, script_of, without_qualifier

FIELDS = ("term", "paraphrase", "back_translation", "definition")
FIELD_RANK = {name: rank for rank, name in enumerate(FIELDS)}
DEFINITION = FIELD_RANK["definition"]
# Tier of a hit -> the kind of match shown.
MATCH_KINDS = ("exact", "exact", "prefix", "prefix", "fuzzy")
# Longer texts are indexed by their words only, not by every word-boundary suffix.
MAX_PHRASE_WORDS = 8
PREFIX_SCAN = 20000
FUZZY_CANDIDATES = 400
# Character positions of a key that fuzzy candidates must share one of with the query.
FUZZY_PLACES = (0, 1, 2, -1, -2, -3)


@dataclass(frozen=True)
class Hit:
    """One concept found, with the text that matched it (as written)."""

    concept_id: int
    concept_key: str
    source_text: str
    language: str
    text: str
    field: str
    match: str
    score: float
    domain_id: int
    concept_status: str
    term_id: int | None = None
    term_language: str | None = None
    status: str | None = None
    register: str | None = None

    def as_dict(self) -> dict:
        """The hit as plain JSON-ready values."""
        return asdict(self)


def fuzzy_budget(length: int) -> int:
    """How many typos a query of ``length`` characters may carry: two from five
    characters on (a six-letter word that lost a letter to a typo), else one."""
    return 2 if length >= 5 else 1


def fuzzy_cutoff(length: int) -> float:
    """The lowest ``fuzz.ratio`` that still allows :func:`fuzzy_budget` substitutions
    (or transpositions) in a query of ``length`` characters."""
    return 100.0 * (1 - fuzzy_budget(length) / length) - 0.01


class SearchIndex:
    """An in-memory index of one glossary version. Entries are kept in parallel arrays;
    ``postings`` maps a normalised key to ``entry << 1 | whole`` numbers (``whole`` when
    the key is the entry's whole text, or the whole text without a bracketed
    qualifier)."""

    def __init__(self, *, working: str) -> None:
        self.working = working
        self.concepts: dict[int, tuple[str, int, str]] = {}  # id -> key, domain, status
        self.source_text: dict[int, str] = {}
        self.e_concept = array("i")
        self.e_field = array("b")
        self.e_term = array("i")
        self.e_lang: list[str] = []
        self.e_term_lang: list[str | None] = []
        self.e_text: list[str] = []
        self.e_status: list[str | None] = []
        self.e_register: list[str | None] = []
        self.postings: dict[str, int | list[int]] = {}
        self.sorted_keys: list[str] = []
        self.buckets: dict[tuple[str, int], list[str]] = {}
        self._strings: dict[str, str] = {}

    @classmethod
    def load(cls, session: Session, *, working: str) -> SearchIndex:
        """Read every concept and term and build the index."""
        index = cls(working=working)
        # (concept, field, language, text, term language, term id, status, register)
        rows: list[tuple] = []
        for cid, key, domain_id, definition, status in session.execute(
            select(Concept.id, Concept.key, Concept.domain_id, Concept.definition,
                   Concept.status)
        ):
            index.concepts[cid] = (key, domain_id, status)
            if definition:
                rows.append((cid, "definition", working, definition, None, None, None, None))
        for tid, cid, language, text, back, paraphrase, status, register in session.execute(
            select(Term.id, Term.concept_id, Term.language, Term.text, Term.back_translation,
                   Term.paraphrase, Term.status, Term.usage_register).order_by(Term.id)
        ):
            if cid not in index.concepts:
                continue
            if language == working:
                index.source_text.setdefault(cid, text)
            rows.append((cid, "term", language, text, language, tid, status, register))
            if paraphrase and paraphrase != text:
                rows.append((cid, "paraphrase", language, paraphrase, language, tid, status,
                             register))
            if back:
                rows.append((cid, "back_translation", working, back, language, tid, status,
                             register))
        forms = match_forms([row[3] for row in rows])
        for row, form in zip(rows, forms, strict=True):
            index.add(*row, form=form)
        index.finish()
        return index

    def add(self, concept_id: int, field: str, language: str, text: str,
            term_language: str | None = None, term_id: int | None = None,
            status: str | None = None, register: str | None = None, *,
            form: str | None = None) -> None:
        """Index one text of a concept under its normalised keys (``form`` is its
        :func:`match_form`, when already known)."""
        if form is None:
            form = match_form(text)
        if not form:
            return
        entry = len(self.e_text)
        strings = self._strings
        self.e_concept.append(concept_id)
        self.e_field.append(FIELD_RANK[field])
        self.e_term.append(term_id or 0)
        self.e_lang.append(strings.setdefault(language, language))
        self.e_term_lang.append(term_language and strings.setdefault(term_language,
                                                                     term_language))
        self.e_text.append(text)
        self.e_status.append(status and strings.setdefault(status, status))
        self.e_register.append(register and strings.setdefault(register, register))
        if field == "definition" or form.count(" ") >= MAX_PHRASE_WORDS:
            for word in set(form.split(" ")):
                if len(word) >= 2:
                    self._post(word, entry << 1)
            return
        self._post(form, entry << 1 | 1)
        if "(" in text or "[" in text:
            alias = match_form(without_qualifier(text))
            if alias and alias != form:
                self._post(alias, entry << 1 | 1)
        start = form.find(" ")
        while start != -1:
            self._post(form[start + 1:], entry << 1)
            start = form.find(" ", start + 1)

    def _post(self, key: str, posting: int) -> None:
        found = self.postings.get(key)
        if found is None:
            self.postings[key] = posting
        elif isinstance(found, int):
            if found != posting:
                self.postings[key] = [found, posting]
        elif posting not in found:
            found.append(posting)

    def finish(self) -> None:
        """Sort the keys for prefix search and bucket them for fuzzy search: by script,
        length, and each of the characters at :data:`FUZZY_PLACES`."""
        self.sorted_keys = sorted(self.postings)
        groups: dict[tuple[str, int], list[str]] = {}
        for key in self.sorted_keys:
            groups.setdefault((script_of(key), len(key)), []).append(key)
        buckets: dict[tuple, list[str]] = {}
        for (script, size), keys in groups.items():
            for place in FUZZY_PLACES:
                if -size <= place < size:
                    at = itemgetter(place)
                    for char, same in groupby(sorted(keys, key=at), at):
                        buckets[(script, size, place, char)] = list(same)
        self.buckets = buckets
        self._strings = {}

    def __len__(self) -> int:
        return len(self.e_text)

    # -- querying -------------------------------------------------------------------

    def _entries(self, key: str):
        found = self.postings.get(key)
        if found is None:
            return ()
        return (found,) if isinstance(found, int) else found

    def _accepts(self, entry: int, language, domain_id, fields, exclude_term_id) -> bool:
        if language and self.e_lang[entry] != language and self.e_term_lang[entry] != language:
            return False
        if fields is not None and FIELDS[self.e_field[entry]] not in fields:
            return False
        if exclude_term_id and self.e_term[entry] == exclude_term_id:
            return False
        if domain_id and self.concepts[self.e_concept[entry]][1] != domain_id:
            return False
        return True

    def _prefix_keys(self, prefix: str):
        start = bisect_left(self.sorted_keys, prefix)
        end = bisect_left(self.sorted_keys, prefix + "\U0010ffff", start,
                          min(len(self.sorted_keys), start + PREFIX_SCAN))
        return self.sorted_keys[start:end]

    def _fuzzy_keys(self, query: str) -> list[tuple[str, float]]:
        """Keys within :func:`fuzzy_budget` typos of ``query``, best first.

        Only keys of the query's script and of a nearby length that share one of the
        first three or last three characters with the query are compared: one or two
        typos rarely change all six (both ends of a word, shifting both)."""
        length = len(query)
        budget = fuzzy_budget(length)
        cutoff = fuzzy_cutoff(length)
        script = script_of(query)
        scores: dict[str, float] = {}
        for size in range(max(1, length - budget), length + budget + 1):
            for place in FUZZY_PLACES:
                if not -length <= place < length:
                    continue
                choices = self.buckets.get((script, size, place, query[place]))
                if not choices:
                    continue
                for key, score, _i in process.extract(query, choices, scorer=fuzz.ratio,
                                                      score_cutoff=cutoff,
                                                      limit=FUZZY_CANDIDATES):
                    scores[key] = score
        return sorted(scores.items(), key=lambda pair: -pair[1])[:FUZZY_CANDIDATES]

    def search(self, query: str, *, language: str | None = None, domain_id: int | None = None,
               limit: int = 20, fields: Collection[str] | None = None,
               exclude_term_id: int | None = None) -> list[Hit]:
        """The best ``limit`` concepts for ``query``, best first (see the module
        docstring for the order). ``language`` keeps texts in that language and the
        back-translations of its renderings; ``domain_id`` keeps one domain; ``fields``
        keeps some of :data:`FIELDS`."""
        q = match_form(query)
        if not q or limit <= 0:
            return []
        best: dict[int, tuple] = {}
        filters = (language, domain_id, fields, exclude_term_id)

        def consider(entry: int, tier: int, score: float) -> None:
            if not self._accepts(entry, *filters):
                return
            concept = self.e_concept[entry]
            field = self.e_field[entry]
            kind = MATCH_KINDS[tier]
            if field == DEFINITION and tier < 3:
                tier = 3  # a word of a definition ranks after every term starting so
            rank = (tier, -score, field, len(self.e_text[entry]), entry, kind)
            current = best.get(concept)
            if current is None or rank < current[0]:
                best[concept] = (rank, entry)

        for posting in self._entries(q):
            consider(posting >> 1, 0 if posting & 1 else 1, 100.0)
        if len(best) < limit and len(q) >= 2:
            # Shortest keys first: they score highest; stop once ``limit`` concepts have
            # an exact or whole-text prefix hit (no later key could rank above them).
            settled = sum(1 for rank, _e in best.values() if rank[0] <= 2)
            stop_at = None
            for key in sorted(self._prefix_keys(q), key=len):
                if stop_at is not None and len(key) > stop_at:
                    break
                if key == q:
                    continue
                score = round(100.0 * len(q) / len(key), 1)
                for posting in self._entries(key):
                    entry = posting >> 1
                    concept = self.e_concept[entry]
                    before = best.get(concept)
                    consider(entry, 2 if posting & 1 else 3, score)
                    after = best.get(concept)
                    if after is not None and after[0][0] <= 2 and (
                        before is None or before[0][0] > 2
                    ):
                        settled += 1
                if stop_at is None and settled >= limit:
                    stop_at = len(key)
        if len(best) < limit and len(q) >= 3:
            for key, score in self._fuzzy_keys(q):
                for posting in self._entries(key):
                    consider(posting >> 1, 4, round(score, 1))
        ranked = sorted(best.values())[:limit]
        return [self._hit(entry, rank[-1], -rank[1]) for rank, entry in ranked]

    def near_duplicates(self, text: str, *, language: str, exclude_term_id: int | None = None,
                        limit: int = 5) -> list[Hit]:
        """Renderings in ``language`` that are the same as ``text`` once normalised, that
        ``text`` starts with whole words of ("consent" -> "consent (sexual)"), that
        appear whole inside ``text``, or that are within a typo or two of it."""
        q = match_form(text)
        if not q:
            return []
        best: dict[int, tuple] = {}
        filters = (language, None, ("term", "paraphrase"), exclude_term_id)

        def consider(entry: int, tier: int, score: float) -> None:
            if not self._accepts(entry, *filters) or self.e_lang[entry] != language:
                return
            rank = (tier, -score, self.e_field[entry], len(self.e_text[entry]), entry,
                    MATCH_KINDS[tier])
            concept = self.e_concept[entry]
            if concept not in best or rank < best[concept][0]:
                best[concept] = (rank, entry)

        for posting in self._entries(q):
            consider(posting >> 1, 0 if posting & 1 else 1, 100.0)
        for key in self._prefix_keys(q + " "):
            for posting in self._entries(key):
                if posting & 1:
                    consider(posting >> 1, 2, round(100.0 * len(q) / len(key), 1))
        words = q.split(" ")
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                part = " ".join(words[start:start + size])
                for posting in self._entries(part):
                    if posting & 1:
                        consider(posting >> 1, 3, round(100.0 * len(part) / len(q), 1))
        if len(q) >= 3:
            for key, score in self._fuzzy_keys(q):
                for posting in self._entries(key):
                    if posting & 1:
                        consider(posting >> 1, 4, round(score, 1))
        ranked = sorted(best.values())[:limit]
        return [self._hit(entry, rank[-1], -rank[1]) for rank, entry in ranked]

    def _hit(self, entry: int, kind: str, score: float) -> Hit:
        concept = self.e_concept[entry]
        key, domain_id, status = self.concepts[concept]
        return Hit(
            concept_id=concept, concept_key=key,
            source_text=self.source_text.get(concept, key), language=self.e_lang[entry],
            text=self.e_text[entry], field=FIELDS[self.e_field[entry]],
            match=kind, score=score, domain_id=domain_id,
            concept_status=status, term_id=self.e_term[entry] or None,
            term_language=self.e_term_lang[entry], status=self.e_status[entry],
            register=self.e_register[entry],
        )


# -- one cache per database engine, per process ----------------------------------------


class _EngineCache:
    def __init__(self) -> None:
        self.version: tuple | None = None
        self.objects: dict = {}
        self.lock = threading.Lock()


_CACHES: WeakKeyDictionary = WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def glossary_version(session: Session) -> tuple[int, int, int]:
    """Identify the glossary's current version: the newest change-log row, term and
    concept. Three ``max(id)`` lookups on primary keys: cheap at any size."""
    row = session.execute(select(
        select(func.max(SearchChange.id)).scalar_subquery(),
        select(func.max(Term.id)).scalar_subquery(),
        select(func.max(Concept.id)).scalar_subquery(),
    )).one()
    return tuple(value or 0 for value in row)


def cached(session: Session, name, build: Callable[[], object], *,
           version: tuple | None = None):
    """The object cached under ``name`` for the glossary's current version, built with
    ``build()`` when missing or outdated (once per process: other threads wait)."""
    engine = session.get_bind()
    if version is None:
        version = glossary_version(session)
    with _CACHES_LOCK:
        cache = _CACHES.get(engine)
        if cache is None:
            cache = _CACHES[engine] = _EngineCache()
    with cache.lock:
        if cache.version != version:
            cache.version, cache.objects = version, {}
        found = cache.objects.get(name)
        if found is None:
            found = cache.objects[name] = build()
    return found


def get_index(session: Session, *, working: str) -> SearchIndex:
    """The search index of the current glossary version."""
    return cached(session, ("search", working),
                  lambda: SearchIndex.load(session, working=working))


def search(session: Session, query: str, *, working: str, language: str | None = None,
           domain_id: int | None = None, limit: int = 20) -> list[Hit]:
    """Search the current glossary; see :meth:`SearchIndex.search`."""
    return get_index(session, working=working).search(
        query, language=language or None, domain_id=domain_id or None, limit=limit)


def near_duplicates(session: Session, text: str, *, working: str, language: str,
                    exclude_term_id: int | None = None, limit: int = 5) -> list[Hit]:
    """Existing renderings in ``language`` close to ``text``, for a "did you mean"
    warning before a concept or a rendering is saved."""
    return get_index(session, working=working).near_duplicates(
        text, language=language, exclude_term_id=exclude_term_id, limit=limit)
