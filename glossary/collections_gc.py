"""Fewer garbage collections while a document is laid out.

WeasyPrint builds hundreds of thousands of short-lived objects for a long handout. With
CPython's default thresholds (a young-generation collection every 700 allocations, a
full one every hundred of those) the collector walks the whole growing document tens of
times: about a fifth of a 300-concept handout's time (bench/RESULTS.md, issue 3).
:func:`fewer_collections` raises the first threshold while a document is written and
puts the previous thresholds back afterwards; collections still happen, only less
often, so memory stays bounded.

The thresholds belong to the process, and a worker may write two documents at once in
two threads: the first one in raises them, the last one out restores them.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Young-generation threshold while a document is written (CPython's default is 700).
DOCUMENT_THRESHOLD = 5000

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, ...] = ()


@contextmanager
def fewer_collections(threshold: int = DOCUMENT_THRESHOLD) -> Iterator[None]:
    """Raise the young-generation collection threshold to ``threshold`` inside the
    block (never lower it), and restore the previous thresholds when the last block
    running in the process ends."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            if threshold > _saved[0]:
                gc.set_threshold(threshold, *_saved[1:])
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)
