"""Patching the search index in place for the concepts an edit wrote, instead of
rebuilding it: :meth:`IndexUpdates.patch` re-reads those concepts with their terms,
takes their old entries out (their postings, and keys no entry is found by any more)
and adds the new ones, keeping the sorted keys and the fuzzy key groups sorted exactly as
a fresh build sorts them. Hits rank the same as in a fresh build (ties are broken by
term and concept ids, not by where an entry sits), so a patched index answers every
query as a rebuilt one would; tests/test_search_delta.py compares them.

An entry taken out stays in the arrays, without text and unreachable; past
:data:`DEAD_SHARE` of the index the patch declines and the index is rebuilt.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort

from sqlalchemy import select
from sqlmodel import Session

from ..models import Concept, Term
from ..normalise import match_form, match_forms
from .queries import FIELDS

# Concepts read per statement (SQLite allows 999 bound values in older versions).
READ_CHUNK = 500
# Past this share of entries taken out (and at least DEAD_FLOOR), rebuild instead.
DEAD_SHARE = 0.25
DEAD_FLOOR = 10_000


class IndexUpdates:
    """The patches of :class:`glossary.search.index.SearchIndex` (a mixin: it uses the
    index's arrays, ``postings``, ``sorted_keys``, ``groups`` and ``lock``)."""

    def patch(self, session: Session, concept_ids) -> bool:
        """Bring the entries of ``concept_ids`` (concepts added, changed or removed) up
        to date from the database. False, changing nothing, when the index should be
        rebuilt instead (too many entries taken out over time)."""
        # .index imports this module: its helpers are imported when first used.
        from .index import CONCEPT_COLUMNS, TERM_COLUMNS, definition_row, term_rows

        ids = sorted(concept_ids)
        concepts, rows, sources = {}, [], {}
        connection = session.connection()
        for start in range(0, len(ids), READ_CHUNK):
            chunk = ids[start:start + READ_CHUNK]
            for cid, key, domain_id, definition, status in connection.execute(
                    select(*CONCEPT_COLUMNS).where(Concept.id.in_(chunk))):
                concepts[cid] = (key, domain_id, status)
                if definition:
                    rows.append(definition_row(cid, definition, self.working))
            for row in connection.execute(select(*TERM_COLUMNS).where(
                    Term.concept_id.in_(chunk)).order_by(Term.id)):
                tid, cid, language, text = row[:4]
                if cid not in concepts:
                    continue
                if language == self.working:
                    sources.setdefault(cid, text)
                rows.extend(term_rows(self.working, *row))
        forms = match_forms([row[3] for row in rows])
        with self.lock:
            by_concept = self._entries_by_concept()
            old = [by_concept[i] for cid in ids for i in range(*self._span(cid))]
            if self.dead + len(old) > max(DEAD_FLOOR, DEAD_SHARE * len(self.e_text)):
                return False
            emptied = self._take_out(old)
            for cid in ids:
                start, end = self._span(cid)
                del by_concept[start:end]
                self.concepts.pop(cid, None)
                self.source_text.pop(cid, None)
            self.concepts.update(concepts)
            self.source_text.update(sources)
            first = len(self.e_text)
            self.add_rows(rows, forms)
            self._label_codes = {}
            self._put_in(range(first, len(self.e_text)))
            self._drop_keys([key for key in emptied if key not in self.postings])
            self.languages = {tag for tag, count in self._per_language.items() if count}
        return True

    def _entries_by_concept(self) -> array:
        """Every live entry, ordered by concept (made when the build finishes)."""
        if self._by_concept is None:
            e_concept, e_text = self.e_concept, self.e_text
            self._by_concept = array("i", sorted(
                (i for i in range(len(e_text)) if e_text[i]), key=e_concept.__getitem__))
            counts: dict[str, int] = {}
            for i in self._by_concept:
                tag = self.strings[self.e_lang[i]]
                counts[tag] = counts.get(tag, 0) + 1
            self._per_language = counts
        return self._by_concept

    def _span(self, concept_id: int) -> tuple[int, int]:
        """Where the entries of ``concept_id`` lie in :meth:`_entries_by_concept`."""
        by_concept, key = self._by_concept, self.e_concept.__getitem__
        start = bisect_left(by_concept, concept_id, key=key)
        return start, bisect_left(by_concept, concept_id + 1, start, key=key)

    def _take_out(self, entries: list[int]) -> set[str]:
        """Remove the postings of ``entries`` and forget their texts; the keys left
        without any posting (still in ``sorted_keys`` and ``groups``)."""
        from .index import entry_keys

        postings, emptied = self.postings, set()
        counts = self._per_language
        for entry in entries:
            text = self.e_text[entry]
            field = FIELDS[self.e_field[entry]]
            part = entry << 1
            for key, whole in entry_keys(field, text, match_form(text)):
                posting = part | whole
                found = postings.get(key)
                if found == posting:
                    del postings[key]
                    emptied.add(key)
                elif isinstance(found, list) and posting in found:
                    found.remove(posting)
                    if len(found) == 1:
                        postings[key] = found[0]
            tag = self.strings[self.e_lang[entry]]
            counts[tag] -= 1
            self.e_text[entry] = ""
            self.dead += 1
        return emptied

    def _put_in(self, entries: range) -> None:
        """File new ``entries`` by concept, and their keys that are new into
        ``sorted_keys`` and ``groups``."""
        from .index import entry_keys

        by_concept, counts = self._by_concept, self._per_language
        keys, new_keys = self.sorted_keys, []
        for entry in entries:
            insort(by_concept, entry, key=self.e_concept.__getitem__)
            tag = self.strings[self.e_lang[entry]]
            counts[tag] = counts.get(tag, 0) + 1
            text = self.e_text[entry]
            for key, _whole in entry_keys(FIELDS[self.e_field[entry]], text,
                                          match_form(text)):
                at = bisect_left(keys, key)
                if at == len(keys) or keys[at] != key:
                    keys.insert(at, key)
                    new_keys.append(key)
        self.groups.add(new_keys)

    def _drop_keys(self, gone: list[str]) -> None:
        """Take keys no entry is found by any more out of ``sorted_keys`` and
        ``groups``."""
        keys = self.sorted_keys
        for key in gone:
            at = bisect_left(keys, key)
            if at < len(keys) and keys[at] == key:
                del keys[at]
        self.groups.remove(gone)
