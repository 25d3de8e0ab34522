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

An object given a ``patch`` function (the search index, the check's matchers) is not
rebuilt for an edit: :func:`changes_since` reads the change-log rows it has not seen,
which name the concepts written, and ``patch`` re-reads just those concepts. A full
rebuild (by the rules above) happens only when the delta is unknown or large: a row
that names no concept (a bulk write), more than :data:`MAX_DELTA` concepts or rows,
rows that went away (a restore, a log emptied), or a gap in the ids that stays open for
:data:`HOLE_PATIENCE` seconds. A gap is normal for a moment: on PostgreSQL a transaction
that took id 10 may commit after one that took id 11, and a rolled-back one leaves its
id unused; a gap's ids are looked up again on every call until they appear or the
patience runs out.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from weakref import WeakKeyDictionary

from sqlalchemy import func, or_, select
from sqlmodel import Session

from .models import Concept, SearchChange, Term

log = logging.getLogger(__name__)

# A cached build slower than this (seconds) is always redone in the background.
BACKGROUND_AFTER = 1.0
# A build slower than this is redone in the background, after a rest of REST_FACTOR
# times its duration, when the previous build finished less than that rest ago.
REST_AFTER = 0.2
REST_FACTOR = 8.0
# A delta of more concepts (or change rows, or gaps) than this is applied by a rebuild.
MAX_DELTA = 500
# Seconds a gap in the change ids may stay open before the object is rebuilt.
HOLE_PATIENCE = 60.0
# The clock of rests and gaps, and the wait of a resting rebuild (tests replace both).
clock = time.monotonic
sleep = time.sleep


@dataclass(frozen=True)
class Seen:
    """How far a patchable object has read the glossary: the change-log row, term and
    concept with the highest ids it has applied, the time the change row was written
    (to recognise it again: a restore may reuse its id), and the gaps below it still
    open, as ``(id, clock time first missed)``."""

    change: int
    term: int
    concept: int
    anchor: datetime | None
    holes: tuple[tuple[int, float], ...] = ()


@dataclass
class _Entry:
    version: tuple
    value: object
    seconds: float  # how long the build took
    finished: float  # clock() when it was stored
    rebuilt: bool = False  # it replaced an older version (the glossary changed)
    seen: Seen | None = None  # patchable: what it has applied; None: rebuild it
    builds: int = 1  # full builds of this name in this process
    patches: int = 0  # deltas applied since the last full build


class _EngineCache:
    def __init__(self) -> None:
        self.entries: dict = {}
        self.building: set = set()  # names being built (guarded by state_lock)
        self.lock = threading.Lock()  # held by a caller building while others wait
        self.patch_lock = threading.Lock()  # one delta applied at a time
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
    return max(0.0, entry.finished + REST_FACTOR * entry.seconds - clock())


def seen_at(session: Session, version: tuple) -> Seen:
    """What an object built at ``version`` (read before the build) has applied."""
    anchor = session.connection().execute(
        select(SearchChange.at).where(SearchChange.id == version[0])).scalar()
    return Seen(*version, anchor)


def changes_since(session: Session, seen: Seen, version: tuple
                  ) -> tuple[set[int] | None, Seen | None]:
    """The concepts written since ``seen`` (their ids: some may no longer exist) and
    what has been read once they are applied; ``(None, None)`` when the delta is
    unknown or large and the object must be rebuilt (see the module docstring)."""
    change, term, concept = version
    if change < seen.change or term < seen.term or concept < seen.concept:
        return None, None  # rows went away: a restore, or an emptied log
    connection = session.connection()
    holes = dict(seen.holes)
    rows = connection.execute(
        select(SearchChange.id, SearchChange.concept_id, SearchChange.at)
        .where(or_(SearchChange.id >= seen.change, SearchChange.id.in_(list(holes))))
        .order_by(SearchChange.id).limit(MAX_DELTA + 2)).all()
    if len(rows) > MAX_DELTA + 1:
        return None, None
    concepts: set[int] = set()
    present = set()
    newest, anchor = seen.change, seen.anchor
    anchored = seen.change == 0
    for row_id, concept_id, at in rows:
        if row_id == seen.change:
            anchored = at == seen.anchor
            continue
        if concept_id is None:
            return None, None
        concepts.add(concept_id)
        present.add(row_id)
        if row_id > newest:
            newest, anchor = row_id, at
    if not anchored:
        return None, None  # the row last read is gone or another: a restore
    if newest - seen.change - 1 - sum(1 for i in present if i > seen.change) > MAX_DELTA:
        return None, None  # more ids missing than are worth waiting for
    now = clock()
    for missing in range(seen.change + 1, newest):
        if missing not in present:
            holes.setdefault(missing, now)
    for found in present.intersection(holes):
        del holes[found]
    if len(holes) > MAX_DELTA or any(now - at > HOLE_PATIENCE for at in holes.values()):
        return None, None
    # Terms and concepts inserted without the ORM (a bulk import) log no change row:
    # new ids are read by range.
    if term > seen.term:
        concepts.update(connection.execute(
            select(Term.concept_id).where(Term.id > seen.term).distinct()
            .limit(MAX_DELTA + 1)).scalars())
    if concept > seen.concept:
        concepts.update(connection.execute(
            select(Concept.id).where(Concept.id > seen.concept).limit(MAX_DELTA + 1))
            .scalars())
    if len(concepts) > MAX_DELTA:
        return None, None
    return concepts, Seen(newest, max(term, seen.term), max(concept, seen.concept), anchor,
                          tuple(sorted(holes.items())))


def _catch_up(session: Session, cache: _EngineCache, name, version: tuple, patch):
    """Apply the changes since the cached object of ``name`` was built or last patched;
    the patched object, or None when it must be rebuilt instead (then marked so)."""
    with cache.patch_lock:
        entry = cache.entries[name]
        if entry.seen is None or name in cache.building:
            return None
        if entry.version == version and not entry.seen.holes:
            return entry.value  # another thread has just caught up
        concepts, seen = changes_since(session, entry.seen, version)
        value = entry.value
        if concepts:
            value = patch(value, session, concepts)
        if concepts is None or value is None:
            cache.entries[name] = replace(entry, seen=None)
            return None
        cache.entries[name] = replace(entry, version=version, value=value, seen=seen,
                                      patches=entry.patches + 1)
        return value


def cached(session: Session, name, build: Callable[[Session], object], *,
           version: tuple | None = None, patch: Callable | None = None):
    """The object cached under ``name`` for the glossary's current version, built with
    ``build(session)`` when missing or outdated, once per process (see the module
    docstring for when the caller waits and when the previous version is returned).

    With ``patch``, an outdated object is brought up to date with
    ``patch(value, session, concept_ids)`` (the concepts written since; it returns the
    object to keep, or None to have it rebuilt) unless the change is unknown or large."""
    engine = session.get_bind()
    if version is None:
        version = glossary_version(session)
    cache = _CACHES.get(engine)
    if cache is None:
        with _CACHES_LOCK:
            cache = _CACHES.setdefault(engine, _EngineCache())
    entry = cache.entries.get(name)
    if entry is not None and entry.version == version and (
            patch is None or entry.seen is not None and not entry.seen.holes):
        return entry.value
    if entry is not None and patch is not None and entry.seen is not None:
        value = _catch_up(session, cache, name, version, patch)
        if value is not None:
            return value
        entry = cache.entries[name]
    if entry is not None:
        if name in cache.building:  # someone is on it: the previous version meanwhile
            return entry.value
        rest = _rest(entry)
        if entry.seconds >= BACKGROUND_AFTER or rest > 0:
            with cache.state_lock:
                start = name not in cache.building
                cache.building.add(name)
            if start:
                threading.Thread(target=_rebuild,
                                 args=(engine, cache, name, build, rest, patch is not None),
                                 name=f"glossary-rebuild-{name}", daemon=True).start()
            return entry.value
    with cache.lock:
        entry = cache.entries.get(name)
        # A patchable object without ``seen`` is marked for a rebuild.
        if entry is None or entry.version != version or (
                patch is not None and entry.seen is None):
            with cache.state_lock:
                cache.building.add(name)
            try:
                started = time.perf_counter()
                value = build(session)
                entry = cache.entries[name] = _Entry(
                    version, value, time.perf_counter() - started, clock(),
                    rebuilt=entry is not None,
                    seen=seen_at(session, version) if patch is not None else None,
                    builds=entry.builds + 1 if entry is not None else 1)
            finally:
                with cache.state_lock:
                    cache.building.discard(name)
    return entry.value


def _rebuild(engine, cache: _EngineCache, name, build, rest: float, patchable: bool) -> None:
    """After ``rest`` seconds, build ``name`` again from a session of its own and swap
    it in."""
    try:
        if rest:
            sleep(rest)
        with Session(engine) as session:
            version = glossary_version(session)
            started = time.perf_counter()
            value = build(session)
            seen = seen_at(session, version) if patchable else None
        previous = cache.entries.get(name)
        cache.entries[name] = _Entry(version, value, time.perf_counter() - started, clock(),
                                     rebuilt=True, seen=seen,
                                     builds=previous.builds + 1 if previous else 1)
    except Exception:  # a failed rebuild must not end the worker; the next search retries
        log.exception("Rebuilding %s failed", name)
    finally:
        with cache.state_lock:
            cache.building.discard(name)
