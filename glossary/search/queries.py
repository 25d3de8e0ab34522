"""Querying the search index: what a hit is (:class:`Hit`), the fields and match tiers
hits rank by, how many typos a fuzzy hit may carry, and the lookups
:meth:`IndexQueries.search` and :meth:`IndexQueries.near_duplicates`, which
:class:`glossary.search.index.SearchIndex` inherits (the order of hits is told in
:mod:`glossary.search`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from dataclasses import asdict, dataclass

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from ..inflection import stems, with_article
from ..normalise import match_form
from . import similarity

# A rendering's explanation for participants is last: a word of it says least about
# whether the concept is the one looked for.
FIELDS = ("term", "paraphrase", "back_translation", "definition", "explanation")
FIELD_RANK = {name: rank for rank, name in enumerate(FIELDS)}
DEFINITION = FIELD_RANK["definition"]
# Fields of sentences rather than wordings: indexed by their words, and a hit on one of
# their words ranks after every term that starts so.
PROSE_FIELDS = frozenset(("definition", "explanation"))
PROSE = frozenset(FIELD_RANK[name] for name in PROSE_FIELDS)
# The score of a hit found once an attached prefix or suffix is taken off the query.
STEM_SCORE = 95.0
# Tier of a hit -> the kind of match shown.
MATCH_KINDS = ("exact", "exact", "prefix", "prefix", "fuzzy")
PREFIX_SCAN = 20000
FUZZY_CANDIDATES = 400
# The typos between two texts: letters substituted, deleted, inserted, neighbours swapped.
TYPOS = DamerauLevenshtein.distance


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


class IndexQueries:
    """The lookups of :class:`glossary.search.index.SearchIndex`, which sets up and
    fills every attribute they read (``postings``, ``sorted_keys``, ``groups``, the
    ``e_*`` arrays ...)."""

    def _entries(self, key: str):
        found = self.postings.get(key)
        if found is None:
            return ()
        return (found,) if isinstance(found, int) else found

    def _accepts(self, entry: int, language, domain_id, fields, exclude_term_id) -> bool:
        """``language`` is a code (see :meth:`SearchIndex._code`), ``fields`` a set of field
        ranks."""
        if language and self.e_lang[entry] != language and self.e_term_lang[entry] != language:
            return False
        if fields is not None and self.e_field[entry] not in fields:
            return False
        if exclude_term_id and self.e_term[entry] == exclude_term_id:
            return False
        if domain_id and self.concepts[self.e_concept[entry]][1] != domain_id:
            return False
        return True

    def _order(self, entry: int) -> int:
        """The last tie-break between hits: the term's id, or the concept's for a
        definition (the order a fresh build adds them in, whatever order patches
        added them in; two hits of one field never share it)."""
        return self.e_term[entry] or self.e_concept[entry]

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
        """Keys within :func:`glossary.search.fuzzy.fuzzy_budget` typos of ``query``, best
        first (ties in key order), each scored 100 less a share for each typo (one typo in
        a five-letter word: 80). Only keys of the query's script and of a nearby length
        whose letters allow it are measured
        (:meth:`glossary.search.fuzzy.KeyGroups.candidates`)."""
        scores: dict[str, float] = {}
        length = len(query)
        for budget, choices in self.groups.candidates(query):
            for key, typos, _i in process.extract(query, choices, scorer=TYPOS,
                                                  score_cutoff=budget,
                                                  limit=FUZZY_CANDIDATES):
                scores[key] = 100.0 * (1 - typos / max(length, len(key)))
        return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))[:FUZZY_CANDIDATES]

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
            if field in PROSE and tier < 3:
                tier = 3  # a word of a definition ranks after every term starting so
            rank = (tier, -score, field, len(self.e_text[entry]), self._order(entry), kind)
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
            for form in (q, *with_article(q)):
                for key, score in self._fuzzy_keys(form):
                    for posting in self._entries(key):
                        consider(posting >> 1, 4, round(score, 1))
        ranked = sorted(best.values())[:limit]
        return [self._hit(entry, rank[-1], -rank[1]) for rank, entry in ranked]

    def near_duplicates(self, text: str, *, language: str, exclude_term_id: int | None = None,
                        limit: int = 5) -> list[Hit]:
        """Renderings in ``language`` that are the same as ``text`` once normalised, that
        ``text`` starts with whole words of ("consent" -> "consent (sexual)"), that
        appear whole inside ``text``, or that are within a typo or two of it (for a
        short Arabic-script word: a spelling variant only, see
        :mod:`glossary.search.similarity`)."""
        q = match_form(text)
        filters = self._filters(language, None, ("term", "paraphrase"), exclude_term_id)
        if not q or filters is None:
            return []
        code = filters[0]
        best: dict[int, tuple] = {}

        def consider(entry: int, tier: int, score: float) -> None:
            if not self._accepts(entry, *filters) or self.e_lang[entry] != code:
                return
            rank = (tier, -score, self.e_field[entry], len(self.e_text[entry]),
                    self._order(entry), MATCH_KINDS[tier])
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
                if not similarity.close_spelling(q, key):
                    continue  # a short Arabic-script word with another letter
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
