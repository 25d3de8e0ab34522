"""Building a :class:`glossary.qa.TermMatcher` from its terms, and patching it in place
when some concepts change, so that an edit costs the changed terms' words, not the whole
language: :func:`build` and :func:`patch` keep the same structures, and a patched
matcher holds what a fresh build of the same terms holds (tests/test_search_delta.py).

A matcher keeps, besides its automaton: the terms' rows by concept, each term's match
forms and automaton keys, how many term words use each word and each bare word, and
``forms`` / ``attached`` (see :func:`claim` for which bare word a written form reads
as).
"""

from __future__ import annotations

from bisect import insort

import ahocorasick
from sqlalchemy import select
from sqlmodel import Session

from ..inflection import affixes, bare_word, word_forms
from ..models import Concept, Term
from ..normalise import match_forms, without_qualifier

# Columns a matcher reads per term: id, concept, text, status, register, "no direct
# equivalent", paraphrase, the concept's key.
ROW_COLUMNS = (Term.id, Term.concept_id, Term.text, Term.status, Term.usage_register,
               Term.no_equivalent, Term.paraphrase, Concept.key)
# Concepts read per statement when patching.
READ_CHUNK = 500


def read_rows(session: Session, language: str, concept_ids: list[int] | None = None
              ) -> list[tuple]:
    """The terms in ``language`` of active concepts (of ``concept_ids`` only, when
    given), in term id order."""
    query = (select(*ROW_COLUMNS).join(Concept, Concept.id == Term.concept_id)
             .where(Term.language == language, Concept.status == "active"))
    if concept_ids is None:
        return [tuple(row) for row in session.execute(query.order_by(Term.id))]
    ids = sorted(concept_ids)
    return sorted(tuple(row) for start in range(0, len(ids), READ_CHUNK)
                  for row in session.execute(
                      query.where(Term.concept_id.in_(ids[start:start + READ_CHUNK]))))


def build(matcher, rows: list[tuple]) -> None:
    """Fill every structure of ``matcher`` from ``rows`` (in term id order)."""
    matcher.rows_of = {}
    matcher.terms, matcher.concept_keys, matcher.by_concept = {}, {}, {}
    matcher.term_forms, matcher.term_keys, matcher.keys = {}, {}, {}
    matcher.word_uses, matcher.bare_uses = {}, {}
    matcher.bare_of, matcher.word_forms = {}, {}
    matcher.forms, matcher.attached = {}, {}
    _add(matcher, rows, {})
    forms_of = _forms_of(matcher)
    # Every written form of a bare word, the first bare word in sorted order winning:
    # filled backwards, whole dicts at a time.
    bares = [bare for bare, uses in matcher.bare_uses.items() if uses]
    for bare in sorted(bares, reverse=True):
        written = forms_of(bare)
        matcher.forms.update(dict.fromkeys(written, bare))
        matcher.attached.update(written)
    rules = affixes(matcher.language)
    for word in (*matcher.word_uses, *bares):
        claim(matcher, word, rules, forms_of)
    matcher.automaton = ahocorasick.Automaton()
    for key, term_ids in matcher.keys.items():
        matcher.automaton.add_word(key, (len(key), tuple(term_ids)))
    _finish(matcher)


def patch(matcher, old: list[tuple], new: list[tuple]) -> None:
    """Replace the terms ``old`` (rows the matcher holds) by ``new`` (rows read again
    for the same concepts), in place (the caller holds the matcher's lock)."""
    before: dict = {}
    changed_keys = _remove(matcher, old, before)
    changed_keys |= _add(matcher, new, before)
    for kind, word in before:
        uses = matcher.word_uses if kind == "word" else matcher.bare_uses
        if not uses.get(word, 1):
            del uses[word]
    forms_of = _forms_of(matcher)
    affected = set()
    for (kind, word), uses in before.items():
        now = (matcher.word_uses if kind == "word" else matcher.bare_uses).get(word, 0)
        if bool(uses) != bool(now):
            affected.update(forms_of(word) if kind == "bare" else (word,))
    rules = affixes(matcher.language)
    for word in affected:
        claim(matcher, word, rules, forms_of)
    for key in changed_keys:
        term_ids = matcher.keys.get(key)
        if term_ids:
            matcher.automaton.add_word(key, (len(key), tuple(term_ids)))
        elif matcher.automaton.exists(key):
            matcher.automaton.remove_word(key)
    _finish(matcher)


def claim(matcher, word: str, rules, forms_of) -> None:
    """Decide what ``word`` reads as: a bare word in use reads as itself, a term's word
    as its bare word, and any other written form of bare words in use as the first of
    them in sorted order, with what was attached to it (no entry when it is none)."""
    forms, attached = matcher.forms, matcher.attached
    if matcher.bare_uses.get(word):
        forms[word] = word
    elif matcher.word_uses.get(word):
        forms[word] = matcher.bare_of[word]
    else:
        owners = [bare for bare in _bare_candidates(word, rules)
                  if matcher.bare_uses.get(bare) and word in forms_of(bare)]
        if owners:
            owner = min(owners)
            forms[word] = owner
            attached[word] = forms_of(owner)[word]
        else:
            forms.pop(word, None)
            attached.pop(word, None)
        return
    attached.pop(word, None)


def _finish(matcher) -> None:
    matcher.size = len(matcher.keys)
    if matcher.keys:
        matcher.automaton.make_automaton()
    matcher.forget_words()  # words read under the old forms


def _forms_of(matcher):
    """``word_forms`` of a bare word in the matcher's language, remembered."""
    cache, language = matcher.word_forms, matcher.language

    def forms_of(bare: str) -> dict[str, int]:
        found = cache.get(bare)
        if found is None:
            found = cache[bare] = word_forms(bare, language)
        return found

    return forms_of


def _count(uses: dict, word: str, step: int, before: dict, kind: str) -> None:
    if (kind, word) not in before:
        before[(kind, word)] = uses.get(word, 0)
    uses[word] = uses.get(word, 0) + step


def _add(matcher, rows: list[tuple], before: dict) -> set[str]:
    """Add terms (rows in term id order); the automaton keys whose terms changed."""
    from . import TermInfo  # the package imports this module
    changed = set()
    owners: list[int] = []
    texts: list[str] = []
    for tid, _cid, text, _status, _register, no_equivalent, paraphrase, _key in rows:
        # Every wording a term is found by: its text, the text without a bracketed
        # qualifier ("consent (sexual)" -> "consent"), and a paraphrase.
        wordings = {text, without_qualifier(text)}
        if no_equivalent and paraphrase:
            wordings.add(paraphrase)
        for wording in sorted(wordings):
            if wording:
                owners.append(tid)
                texts.append(wording)
    forms: dict[int, list[str]] = {}
    for tid, form in zip(owners, match_forms(texts), strict=True):
        if form and form not in forms.setdefault(tid, []):
            forms[tid].append(form)
    bare_of, language = matcher.bare_of, matcher.language
    concepts = set()
    for row in rows:
        tid, cid = row[0], row[1]
        concepts.add(cid)
        matcher.rows_of.setdefault(cid, []).append(row)
        matcher.terms[tid] = TermInfo(tid, cid, row[2], row[3], row[4])
        matcher.concept_keys[cid] = row[7]
        keys = []
        for form in forms.get(tid, ()):
            bare = []
            for word in form.split(" "):
                found = bare_of.get(word)
                if found is None:
                    found = bare_of[word] = bare_word(word, language)
                bare.append(found)
                _count(matcher.word_uses, word, 1, before, "word")
                _count(matcher.bare_uses, found, 1, before, "bare")
            key = " " + " ".join(bare) + " "
            keys.append(key)
            term_ids = matcher.keys.setdefault(key, [])
            if tid not in term_ids:
                insort(term_ids, tid)
                changed.add(key)
        matcher.term_forms[tid] = forms.get(tid, [])
        matcher.term_keys[tid] = keys
    for cid in concepts:
        matcher.rows_of[cid].sort()
        matcher.by_concept[cid] = [matcher.terms[row[0]] for row in matcher.rows_of[cid]]
    return changed


def _remove(matcher, rows: list[tuple], before: dict) -> set[str]:
    """Take terms out; the automaton keys whose terms changed. The terms stay in
    ``terms`` and ``concept_keys`` (a check under way may still ask for them)."""
    changed = set()
    for row in rows:
        tid, cid = row[0], row[1]
        for form, key in zip(matcher.term_forms.pop(tid, ()), matcher.term_keys.pop(tid, ()),
                             strict=True):
            for word in form.split(" "):
                _count(matcher.word_uses, word, -1, before, "word")
                _count(matcher.bare_uses, matcher.bare_of[word], -1, before, "bare")
            term_ids = matcher.keys.get(key)
            if term_ids and tid in term_ids:
                term_ids.remove(tid)
                changed.add(key)
                if not term_ids:
                    del matcher.keys[key]
        matcher.rows_of.pop(cid, None)
        matcher.by_concept.pop(cid, None)
    return changed


def _bare_candidates(written: str, rules) -> set[str]:
    """Every word ``written`` could be an attached form of (a superset: callers check
    with :func:`word_forms`): with a suffix or an ending taken off, then a prefix or
    the article."""
    stems = {written}
    for suffix in rules.suffixes:
        if written.endswith(suffix):
            stems.add(written[:-len(suffix)])
    for old, new in rules.endings:
        if written.endswith(new):
            stems.add(written[:-len(new)] + old)
    out = set(stems)
    for stem in stems:
        for prefix in (*rules.prefixes, rules.article):
            if prefix and stem.startswith(prefix):
                out.add(stem[len(prefix):])
    return out
