"""Objects built from the whole glossary (the search index, the check's matchers, the
list of languages in use), cached per database engine in each process and rebuilt when
the glossary changes.

:func:`glossary_version` identifies the glossary's state with one cheap query (the
newest change-log row, term and concept: three ``max(id)`` on primary keys), so every
worker process notices a change made by any other (changes are logged by
:mod:`glossary.models.search`).

:func:`cached` decides how a changed object is rebuilt:

- at once, the caller waiting, when the build is quick and the glossary changed after a
  quiet spell: a search right after an edit finds the edit;
- in a background thread, callers getting the previous version meanwhile, when the build
  is slow (:data:`BACKGROUND_AFTER`: a search index of many thousand terms), or when
  another build of it is under way, or when the glossary keeps changing: a rebuild
  (a build that replaced an older version) of more than :data:`REST_AFTER` seconds is
  not redone until it has rested :data:`REST_FACTOR` times its own duration. A first
  build does not count: a worker's first build is often slow for reasons of its own
  (a cold start, a busy machine), and one edit after it is not a glossary that keeps
  changing. Without that rest, eight people editing
  non-stop made every search of a 6,500-term glossary rebuild the index, and pages fell
  to a few per second (bench/RESULTS.md, issue 9).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import func, select
from sqlmodel import Session

from .models import Concept, SearchChange, Term

log = logging.getLogger(__name__)

# A cached build slower than this (seconds) is always redone in the background.
BACKGROUND_AFTER = 1.0
# A build slower than this is redone in the background, after a rest of REST_FACTOR
# times its duration, when the previous build finished less than that rest ago.
REST_AFTER = 0.2
REST_FACTOR = 8.0


@dataclass
class _Entry:
    version: tuple
    value: object
    seconds: float  # how long the build took
    finished: float  # time.monotonic() when it was stored
    rebuilt: bool = False  # it replaced an older version (the glossary changed)


class _EngineCache:
    def __init__(self) -> None:
        self.entries: dict = {}
        self.building: set = set()  # names being built (guarded by state_lock)
        self.lock = threading.Lock()  # held by a caller building while others wait
        self.state_lock = threading.Lock()


_CACHES: WeakKeyDictionary = WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()
_VERSION_QUERY = select(
    select(func.max(SearchChange.id)).scalar_subquery(),
    select(func.max(Term.id)).scalar_subquery(),
    select(func.max(Concept.id)).scalar_subquery(),
)


def glossary_version(session: Session) -> tuple[int, int, int]:
    """Identify the glossary's current version: the newest change-log row, term and
    concept. Three ``max(id)`` lookups on primary keys: cheap at any size."""
    # Core, not ORM: this runs before every search and check, and the ORM layer would
    # cost more than the query.
    row = session.connection().execute(_VERSION_QUERY).one()
    return tuple(value or 0 for value in row)


def entries_of(engine) -> dict:
    """What is cached for ``engine`` in this process, by name (what tests look at)."""
    cache = _CACHES.get(engine)
    return dict(cache.entries) if cache is not None else {}


def _rest(entry: _Entry) -> float:
    """Seconds to wait before rebuilding ``entry`` (0: at once)."""
    if not entry.rebuilt or entry.seconds < REST_AFTER:
        return 0.0
    return max(0.0, entry.finished + REST_FACTOR * entry.seconds - time.monotonic())


def cached(session: Session, name, build: Callable[[Session], object], *,
           version: tuple | None = None):
    """The object cached under ``name`` for the glossary's current version, built with
    ``build(session)`` when missing or outdated, once per process (see the module
    docstring for when the caller waits and when the previous version is returned)."""
    engine = session.get_bind()
    if version is None:
        version = glossary_version(session)
    cache = _CACHES.get(engine)
    if cache is None:
        with _CACHES_LOCK:
            cache = _CACHES.setdefault(engine, _EngineCache())
    entry = cache.entries.get(name)
    if entry is not None and entry.version == version:
        return entry.value
    if entry is not None:
        if name in cache.building:  # someone is on it: the previous version meanwhile
            return entry.value
        rest = _rest(entry)
        if entry.seconds >= BACKGROUND_AFTER or rest > 0:
            with cache.state_lock:
                start = name not in cache.building
                cache.building.add(name)
            if start:
                threading.Thread(target=_rebuild, args=(engine, cache, name, build, rest),
                                 name=f"glossary-rebuild-{name}", daemon=True).start()
            return entry.value
    with cache.lock:
        entry = cache.entries.get(name)
        if entry is None or entry.version != version:
            with cache.state_lock:
                cache.building.add(name)
            try:
                started = time.perf_counter()
                value = build(session)
                entry = cache.entries[name] = _Entry(
                    version, value, time.perf_counter() - started, time.monotonic(),
                    rebuilt=entry is not None)
            finally:
                with cache.state_lock:
                    cache.building.discard(name)
    return entry.value


def _rebuild(engine, cache: _EngineCache, name, build, rest: float) -> None:
    """After ``rest`` seconds, build ``name`` again from a session of its own and swap
    it in."""
    try:
        if rest:
            time.sleep(rest)
        with Session(engine) as session:
            version = glossary_version(session)
            started = time.perf_counter()
            value = build(session)
        cache.entries[name] = _Entry(version, value, time.perf_counter() - started,
                                     time.monotonic(), rebuilt=True)
    except Exception:  # a failed rebuild must not end the worker; the next search retries
        log.exception("Rebuilding %s failed", name)
    finally:
        with cache.state_lock:
            cache.building.discard(name)
