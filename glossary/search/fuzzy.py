"""Which index keys a fuzzy lookup compares a query with, and how far apart they may
be: a typo is a letter substituted, deleted, inserted, or two neighbours swapped (the
Damerau-Levenshtein distance, rapidfuzz ``DamerauLevenshtein``), and a word may carry
:func:`fuzzy_budget` of them. :func:`fuzzy_sizes` gives the key lengths that allows,
:func:`fuzzy_apart` the most insertions and deletions alone it takes (a typo is at most
two of them), and :func:`fuzzy_reach` the letters a key may lack or add, which
:class:`KeyGroups` checks for every key of a length at once, before rapidfuzz measures
the few that can still be within reach.

The check is exact: it never drops a key within the budget. A key within reach of the
query lacks at most as many of the query's letters as the query has letters inserted,
and has at most as many letters the query lacks as it has letters deleted (a swap
changes neither). Each key carries the set of its letters as 64 bits (a letter's code point
modulo 64; two letters sharing a bit only let more keys through), and the keys of one
script and length are checked together with NumPy.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator

import numpy as np

from ..normalise import script_of

LETTER_BITS = np.array([1 << bit for bit in range(64)], dtype=np.uint64)


def fuzzy_budget(length: int) -> int:
    """How many typos a word of ``length`` characters may carry: two from five
    characters on, else one."""
    return 2 if length >= 5 else 1


def fuzzy_apart(length: int, size: int) -> int:
    """The most insertions and deletions (``fuzz.ratio``'s distance) between a query of
    ``length`` characters and a key of ``size`` that :func:`fuzzy_budget` typos of the
    longer of the two can make: a substitution or a swap costs two of them, but the
    difference in length is made of insertions or deletions alone (so a five-letter key
    that lost two letters is three letters away from the query, not two)."""
    return 2 * fuzzy_budget(max(length, size)) - abs(length - size)


def fuzzy_reach(length: int, size: int) -> tuple[int, int]:
    """How many letters of a query of ``length`` characters a key of ``size`` may lack
    (letters inserted into the key make the query), and how many letters the query may
    lack of the key (letters deleted), within :func:`fuzzy_apart`."""
    apart = fuzzy_apart(length, size)
    return (apart - (size - length)) // 2, (apart + (size - length)) // 2


def fuzzy_sizes(length: int) -> range:
    """The key lengths a query of ``length`` characters may be a typo of: up to its
    budget shorter, and up to the budget of the longer key longer (``ሴፉዘኑጥ`` typed
    ``ፉኑጥ`` lost two letters of a five-letter word)."""
    longer = max(size for size in (length + 1, length + 2)
                 if size - length <= fuzzy_budget(size))
    return range(max(1, length - fuzzy_budget(length)), longer + 1)


def letters(keys: list[str], size: int) -> np.ndarray:
    """The letter sets of ``keys``, all ``size`` characters long, as 64-bit numbers."""
    if not keys:
        return np.zeros(0, dtype=np.uint64)
    codes = np.array(keys, dtype=f"<U{size}").view(np.uint32).reshape(len(keys), size)
    return np.bitwise_or.reduce(LETTER_BITS[codes & 63], axis=1)


def _by_group(keys: Iterable[str]) -> dict[tuple[str, int], list[str]]:
    """``keys`` by script and length, each group in the order given."""
    grouped: dict[tuple[str, int], list[str]] = {}
    for key in keys:
        grouped.setdefault((script_of(key), len(key)), []).append(key)
    return grouped


class KeyGroups:
    """The index's keys by script and length, each group sorted (as ``sorted_keys``
    is) beside its keys' letter sets, so that a patched index holds exactly what a
    fresh build does."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, int], tuple[list[str], np.ndarray]] = {}

    @classmethod
    def build(cls, sorted_keys: Iterable[str]) -> KeyGroups:
        """The groups of ``sorted_keys`` (each group keeps their order)."""
        made = cls()
        made.groups = {group: (keys, letters(keys, group[1]))
                       for group, keys in _by_group(sorted_keys).items()}
        return made

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KeyGroups) or self.groups.keys() != other.groups.keys():
            return False
        return all(keys == other.groups[g][0] and np.array_equal(bits, other.groups[g][1])
                   for g, (keys, bits) in self.groups.items())

    def add(self, new_keys: Iterable[str]) -> None:
        """File keys no group holds yet, each in its place."""
        for group, added in _by_group(new_keys).items():
            keys, bits = self.groups.get(group, ([], letters([], group[1])))
            added = sorted(set(added))
            places = [bisect_left(keys, key) for key in added]
            merged = sorted(keys + added)
            self.groups[group] = (merged, np.insert(bits, places, letters(added, group[1])))

    def remove(self, old_keys: Iterable[str]) -> None:
        """Take out keys no entry is found by any more."""
        for group, gone in _by_group(old_keys).items():
            if group not in self.groups:
                continue
            keys, bits = self.groups[group]
            places = []
            for key in sorted(set(gone)):
                at = bisect_left(keys, key)
                if at < len(keys) and keys[at] == key:
                    places.append(at)
            if not places:
                continue
            dropped = set(places)
            kept = [key for at, key in enumerate(keys) if at not in dropped]
            if kept:
                self.groups[group] = (kept, np.delete(bits, places))
            else:
                del self.groups[group]

    def candidates(self, query: str) -> Iterator[tuple[int, list[str]]]:
        """For each key length within reach of ``query``: the typos allowed and the
        keys of that length (in the query's script) whose letters allow them."""
        length, script = len(query), script_of(query)
        wanted = letters([query], length)[0]
        for size in fuzzy_sizes(length):
            found = self.groups.get((script, size))
            if found is None:
                continue
            keys, bits = found
            lacking, added = fuzzy_reach(length, size)
            fits = ((np.bitwise_count(bits & ~wanted) <= added)
                    & (np.bitwise_count(wanted & ~bits) <= lacking))
            chosen = np.flatnonzero(fits)
            if len(chosen):
                yield (fuzzy_budget(max(length, size)),
                       [keys[at] for at in chosen.tolist()])
