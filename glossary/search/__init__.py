"""Search over the whole glossary: source terms, renderings, paraphrases,
back-translations, definitions and explanations for participants in every language, on
normalised text (:func:`glossary.normalise.match_form`).

Hits come in tiers: the whole text equals the query, or does once an attached prefix or
suffix is taken off the query ("بالموافقة", "consents") (exact), the query equals a later
part of a text ("violence" in "sexual violence"), the query starts a text (prefix, from
two characters on), the query starts a later part of a text, and last fuzzy hits
(typos counted by rapidfuzz ``DamerauLevenshtein``: a letter substituted, deleted or
inserted, or two neighbours swapped) that allow one typo in a query of three or four characters
and two from five on. A word of a definition or explanation ranks after every term. Each concept
appears once, with its best hit: the matched text as written, its language and field.

The index is built once per process and database engine, then kept up to date in
place; :func:`glossary.versioned_cache.glossary_version` is one cheap query (three
``max(id)``) run on every search, so every worker notices a change made by any other.
Changes are logged by :mod:`glossary.models.search` with the concept they wrote; the
worker reads the rows it has not seen and patches the index for just those concepts
(:mod:`.updates`). It rebuilds the whole index only when the change is unknown or
large (a bulk import, a restore): at once when that is quick, in the background when
the glossary is large or changes non-stop (see :mod:`glossary.versioned_cache`).

The work is split by topic: :mod:`.index` (the index's layout and its build from the
database), :mod:`.updates` (patching it for changed concepts) and :mod:`.queries` (what
a hit is, how hits rank, and the lookups the index answers), with :mod:`.fuzzy` (which
keys a fuzzy lookup compares). This module keeps the entry points and re-exports every
public name. The settings are read where they are defined (``BATCH``,
``MAX_PHRASE_WORDS``, ``RETURN_MEMORY_AFTER`` in :mod:`.index`; ``PREFIX_SCAN``,
``FUZZY_CANDIDATES`` and the rest in :mod:`.queries`; the typo budget and the key
groups in :mod:`.fuzzy`, which the build, the patches and the lookups share): a test
that changes one patches that module, as changing the name re-exported here changes
nothing.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from ..versioned_cache import cached
from .fuzzy import KeyGroups, fuzzy_apart, fuzzy_budget, fuzzy_reach, fuzzy_sizes
from .index import BATCH, MAX_PHRASE_WORDS, RETURN_MEMORY_AFTER, SearchIndex
from .queries import (
    DEFINITION,
    FIELD_RANK,
    FIELDS,
    FUZZY_CANDIDATES,
    MATCH_KINDS,
    PREFIX_SCAN,
    STEM_SCORE,
    Hit,
    IndexQueries,
)

__all__ = [
    "BATCH",
    "DEFINITION",
    "FIELDS",
    "FIELD_RANK",
    "FUZZY_CANDIDATES",
    "MATCH_KINDS",
    "MAX_PHRASE_WORDS",
    "PREFIX_SCAN",
    "RETURN_MEMORY_AFTER",
    "STEM_SCORE",
    "Hit",
    "IndexQueries",
    "KeyGroups",
    "SearchIndex",
    "fuzzy_apart",
    "fuzzy_budget",
    "fuzzy_reach",
    "fuzzy_sizes",
    "get_index",
    "near_duplicates",
    "search",
]

log = logging.getLogger(__name__)


def _patched(index: SearchIndex, session: Session, concept_ids) -> SearchIndex | None:
    """``index`` patched for the concepts written since it was read; None to have it
    rebuilt instead."""
    return index if index.patch(session, concept_ids) else None


def get_index(session: Session, *, working: str) -> SearchIndex:
    """The search index of the current glossary version."""
    return cached(session, ("search", working),
                  lambda current: SearchIndex.load(current, working=working), patch=_patched)


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
