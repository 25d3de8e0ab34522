"""Search over the whole glossary: source terms, renderings, paraphrases,
back-translations and definitions in every language, on normalised text
(:func:`glossary.normalise.match_form`).

Hits come in tiers: the whole text equals the query, or does once an attached prefix or
suffix is taken off the query ("بالموافقة", "consents") (exact), the query equals a later
part of a text ("violence" in "sexual violence"), the query starts a text (prefix, from
two characters on), the query starts a later part of a text, and last fuzzy hits
(rapidfuzz ``fuzz.ratio``) that allow one typo in a query of three or four characters
and two from five on. A word of a definition ranks after every term. Each concept
appears once, with its best hit: the matched text as written, its language and field.

The index is built once per glossary version and cached per database engine in each
process; :func:`glossary.versioned_cache.glossary_version` is one cheap query (three
``max(id)``) run on every search, so every worker notices a change made by any other
(changes are logged by :mod:`glossary.models.search`) and rebuilds: at once when that
is quick, in the background when the glossary is large or changes non-stop (see
:mod:`glossary.versioned_cache`).
"""

from __future__ import annotations

import ctypes
import gc
import logging
from array import array
from bisect import bisect_left
from collections.abc import Collection
from dataclasses import asdict, dataclass
from itertools import groupby
from operator import itemgetter

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlmodel import Session

from .models import Concept, Term
from .normalise import match_form, match_forms, script_of, stems, without_qualifier
from .versioned_cache import cached

log = logging.getLogger(__name__)

FIELDS = ("term", "paraphrase", "back_translation", "definition")
FIELD_RANK = {name: rank for rank, name in enumerate(FIELDS)}
DEFINITION = FIELD_RANK["definition"]
# The score of a hit found once an attached prefix or suffix is taken off the query.
STEM_SCORE = 95.0
# Tier of a hit -> the kind of match shown.
MATCH_KINDS = ("exact", "exact", "prefix", "prefix", "fuzzy")
# Longer texts are indexed by their words only, not by every word-boundary suffix.
MAX_PHRASE_WORDS = 8
PREFIX_SCAN = 20000
FUZZY_CANDIDATES = 400
BATCH = 5000
# An index of at least this many texts hands the memory its build freed back to the
# system (a full collection and malloc_trim: worth it at 150,000 terms, not for a
# small glossary rebuilt often).
RETURN_MEMORY_AFTER = 50_000
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
        self.buckets: dict[tuple, list[str]] = {}

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

        # Core rows (not ORM): a build reads every term, and the ORM layer would double
        # its time.
        connection = session.connection()
        for cid, key, domain_id, definition, status in connection.execute(
            select(Concept.id, Concept.key, Concept.domain_id, Concept.definition,
                   Concept.status)
        ):
            index.concepts[cid] = (key, domain_id, status)
            if definition:
                batch.append((cid, "definition", working, definition, None, None, None, None))
        index_batch()
        for tid, cid, language, text, back, paraphrase, status, register in connection.execute(
            select(Term.id, Term.concept_id, Term.language, Term.text, Term.back_translation,
                   Term.paraphrase, Term.status, Term.usage_register).order_by(Term.id)
            .execution_options(yield_per=BATCH)
        ):
            if cid not in index.concepts:
                continue
            if language == working:
                index.source_text.setdefault(cid, text)
            batch.append((cid, "term", language, text, language, tid, status, register))
            if paraphrase and paraphrase != text:
                batch.append((cid, "paraphrase", language, paraphrase, language, tid, status,
                              register))
            if back:
                batch.append((cid, "back_translation", working, back, language, tid, status,
                              register))
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
        term id, status, register)`` with their :func:`match_form` in ``forms``.

        A text is found by its whole match form (and the form without a bracketed
        qualifier) and by every word-boundary suffix of it; a definition, or a text of
        more than :data:`MAX_PHRASE_WORDS` words, by its words."""
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
            if field == "definition" or form.count(" ") >= MAX_PHRASE_WORDS:
                for word in set(form.split(" ")):
                    if len(word) >= 2:
                        found = add_posting(word, part)
                        if found is not part and found != part:
                            post_again(word, part, found)
                continue
            whole = part | 1
            found = add_posting(form, whole)
            if found is not whole and found != whole:
                post_again(form, whole, found)
            if "(" in text or "[" in text:
                alias = match_form(without_qualifier(text))
                if alias and alias != form:
                    found = add_posting(alias, whole)
                    if found is not whole and found != whole:
                        post_again(alias, whole, found)
            start = form.find(" ")
            while start != -1:
                key = form[start + 1:]
                found = add_posting(key, part)
                if found is not part and found != part:
                    post_again(key, part, found)
                start = form.find(" ", start + 1)

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
        self._label_codes = {}
        if len(self.e_text) >= RETURN_MEMORY_AFTER:
            _return_free_memory()

    def __len__(self) -> int:
        return len(self.e_text)

    # -- querying -------------------------------------------------------------------

    def _entries(self, key: str):
        found = self.postings.get(key)
        if found is None:
            return ()
        return (found,) if isinstance(found, int) else found

    def _accepts(self, entry: int, language, domain_id, fields, exclude_term_id) -> bool:
        """``language`` is a code (see :meth:`_code`), ``fields`` a set of field ranks."""
        if language and self.e_lang[entry] != language and self.e_term_lang[entry] != language:
            return False
        if fields is not None and self.e_field[entry] not in fields:
            return False
        if exclude_term_id and self.e_term[entry] == exclude_term_id:
            return False
        if domain_id and self.concepts[self.e_concept[entry]][1] != domain_id:
            return False
        return True

    def _filters(self, language, domain_id, fields, exclude_term_id):
        """The filters in the form :meth:`_accepts` takes; None when nothing can pass."""
        code = self.codes.get(language) if language else 0
        if code is None:
            return None
        ranks = None if fields is None else {FIELD_RANK[name] for name in fields}
        return (code, domain_id, ranks, exclude_term_id)

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
        filters = self._filters(language, domain_id, fields, exclude_term_id)
        if not q or limit <= 0 or filters is None:
            return []
        best: dict[int, tuple] = {}

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
        for stem in stems(q):  # "بالموافقة" is "الموافقة", "consents" is "consent"
            for posting in self._entries(stem):
                consider(posting >> 1, 0 if posting & 1 else 1, STEM_SCORE)
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
        filters = self._filters(language, None, ("term", "paraphrase"), exclude_term_id)
        if not q or filters is None:
            return []
        code = filters[0]
        best: dict[int, tuple] = {}

        def consider(entry: int, tier: int, score: float) -> None:
            if not self._accepts(entry, *filters) or self.e_lang[entry] != code:
                return
            rank = (tier, -score, self.e_field[entry], len(self.e_text[entry]), entry,
                    MATCH_KINDS[tier])
            concept = self.e_concept[entry]
            if concept not in best or rank < best[concept][0]:
                best[concept] = (rank, entry)

        for posting in self._entries(q):
            consider(posting >> 1, 0 if posting & 1 else 1, 100.0)
        for stem in stems(q):
            for posting in self._entries(stem):
                consider(posting >> 1, 0 if posting & 1 else 1, STEM_SCORE)
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
            source_text=self.source_text.get(concept, key),
            language=self.strings[self.e_lang[entry]],
            text=self.e_text[entry], field=FIELDS[self.e_field[entry]],
            match=kind, score=score, domain_id=domain_id,
            concept_status=status, term_id=self.e_term[entry] or None,
            term_language=self.strings[self.e_term_lang[entry]],
            status=self.strings[self.e_status[entry]],
            register=self.strings[self.e_register[entry]],
        )


def _return_free_memory() -> None:
    """Collect the garbage of a build and hand freed memory back to the system (glibc
    keeps it otherwise, and a worker's memory would show the build's peak for good)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def get_index(session: Session, *, working: str) -> SearchIndex:
    """The search index of the current glossary version."""
    return cached(session, ("search", working),
                  lambda current: SearchIndex.load(current, working=working))


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
