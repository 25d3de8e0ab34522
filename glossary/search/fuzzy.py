"""Which index keys a fuzzy lookup compares a query with: how many typos a word may
carry (:func:`fuzzy_budget`), the key lengths and ``fuzz.ratio`` cutoffs that allows
(:func:`fuzzy_sizes`, :func:`fuzzy_cutoff`), and the buckets keys are filed in by the
characters at both ends of the word (:func:`buckets_of`), which the build, the patches
and the lookups of :mod:`glossary.search` share.
"""

from __future__ import annotations

# Character positions of a key that fuzzy candidates must share one of with the query.
FUZZY_PLACES = (0, 1, 2, -1, -2, -3)
# From this length on, a key is filed by the two characters starting at each of
# :data:`PAIR_PLACES` instead: one or two typos leave one of those pairs as they are as
# often as they leave one of the single characters, and a pair is shared by chance far
# less often (a Latin query compared some 28,000 keys for one or two within reach).
# A long key is also filed by its first and last characters together (``ENDS``): typos
# inside the word, which shift every pair on both sides, leave them.
PAIRS_FROM = 8
PAIR_PLACES = (0, 1, 2, -4, -3, -2)
ENDS = 99
PAIR_CLASSES = 128


def fuzzy_budget(length: int) -> int:
    """How many typos a word of ``length`` characters may carry: two from five
    characters on, else one."""
    return 2 if length >= 5 else 1


def fuzzy_cutoff(length: int, size: int | None = None) -> float:
    """The lowest ``fuzz.ratio`` between a query of ``length`` characters and a key of
    ``size`` (by default as long) that still allows :func:`fuzzy_budget` typos of the
    longer of the two: a substitution costs ``fuzz.ratio`` two of its insertions and
    deletions, but the difference in length is made of insertions or deletions alone
    (so a five-letter key that lost two letters is three letters away from the query,
    not two)."""
    size = length if size is None else size
    budget = fuzzy_budget(max(length, size))
    apart = 2 * budget - abs(length - size)
    return 100.0 * (1 - apart / (length + size)) - 0.01


def fuzzy_sizes(length: int) -> range:
    """The key lengths a query of ``length`` characters may be a typo of: up to its
    budget shorter, and up to the budget of the longer key longer (``ሴፉዘኑጥ`` typed
    ``ፉኑጥ`` lost two letters of a five-letter word)."""
    longer = max(size for size in (length + 1, length + 2)
                 if size - length <= fuzzy_budget(size))
    return range(max(1, length - fuzzy_budget(length)), longer + 1)


def bucket_id(script: str, size: int, place: int, chars: str) -> int:
    """The number a fuzzy bucket is known by: the hash of what defines it, a small
    number where the tuple and its characters took some 130 bytes (two buckets that
    shared a hash would only be searched together). The place is offset, as -1 and -2
    hash alike. A pair of characters counts by one of :data:`PAIR_CLASSES` classes, which
    keeps the buckets few (each costs about 130 bytes)."""
    if len(chars) > 1:
        return hash((script, size, place + 100, hash(chars) % PAIR_CLASSES))
    return hash((script, size, place + 100, chars))


def bucket_places(size: int) -> list[tuple[int, tuple[int, ...]]]:
    """The places a key of ``size`` characters is filed by, each with the positions of
    its character or characters."""
    if size < PAIRS_FROM:
        return [(place, (place,)) for place in FUZZY_PLACES if -size <= place < size]
    return [(place, (place, place + 1)) for place in PAIR_PLACES if -size <= place < size - 1
            ] + [(ENDS, (0, -1))]


def buckets_of(text: str, size: int, script: str) -> list[int]:
    """The fuzzy buckets a key ``text`` of ``size`` characters is filed in, or, for a
    query ``text``, those of the keys of ``size`` characters it is compared with."""
    length = len(text)
    return [bucket_id(script, size, place, "".join(text[at] for at in spots))
            for place, spots in bucket_places(size)
            if all(-length <= at < length for at in spots)]
