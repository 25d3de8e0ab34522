"""The fuzzy step of search: typos counted as typos (a swap or a substitution is one,
as a deletion is), and key groups whose letter check never drops a key within reach."""

from __future__ import annotations

import random

from rapidfuzz.distance import DamerauLevenshtein as Typos

from glossary.normalise import script_of
from glossary.search import KeyGroups, fuzzy_budget, fuzzy_sizes, search


def test_a_swap_or_a_substitution_ranks_as_one_typo_like_a_deletion(db, make_concept):
    make_concept("consent", de="einwilligen")
    make_concept("complaint", de="einwilligung")  # one letter more than the query's target
    # "einwilligne": two letters swapped at the end of "einwilligen", and two typos
    # (a swap and one insertion) from "einwilligung": the swap wins
    hits = search(db, "einwilligne", working="en")
    assert [h.concept_key for h in hits[:2]] == ["consent", "complaint"]
    assert hits[0].match == "fuzzy" and round(hits[0].score, 1) == round(100 * (1 - 1 / 11), 1)
    # one substitution scores what one deletion does in the same word
    sub = search(db, "einwilliden", working="en")[0]
    dropped = search(db, "einwillien", working="en")[0]
    assert sub.concept_key == dropped.concept_key == "consent"
    assert round(sub.score, 1) == round(dropped.score, 1) == round(100 * (1 - 1 / 11), 1)


def test_three_typos_are_beyond_a_word_s_budget(db, make_concept):
    make_concept("consent", de="einwilligen")
    assert search(db, "einwxllxgxn", working="en") == []


def _typos(word: str, count: int, letters: str, rng: random.Random) -> str:
    for _ in range(count):
        at = rng.randrange(len(word))
        kind = rng.choice(("substitute", "delete", "insert", "swap"))
        if kind == "substitute":
            word = word[:at] + rng.choice(letters) + word[at + 1:]
        elif kind == "delete" and len(word) > 1:
            word = word[:at] + word[at + 1:]
        elif kind == "insert":
            word = word[:at] + rng.choice(letters) + word[at:]
        elif at < len(word) - 1:
            word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    return word


def test_the_letter_check_keeps_every_key_within_the_budget():
    rng = random.Random(19)
    alphabets = ("abcdefgilmnorstuäöüß", "абвгдежзиклмнопрсєіїюя", "ابتثجحخدرزسشعفقكلمنهوي",
                 "ሀለሐመሠረሰሸቀበተቸኀነአከወዐዘየደገጠ")
    keys = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(2, 12)))
                   for letters in alphabets for _ in range(1500)})
    groups = KeyGroups.build(keys)
    checked = 0
    for _ in range(400):
        letters = rng.choice(alphabets)
        query = _typos(rng.choice(keys), rng.randint(1, 2), letters, rng)
        length = len(query)
        within = {key for key in keys
                  if len(key) in fuzzy_sizes(length) and script_of(key) == script_of(query)
                  and Typos.distance(query, key) <= fuzzy_budget(max(length, len(key)))}
        offered = {key for _budget, choices in groups.candidates(query) for key in choices}
        assert within <= offered, query
        checked += len(within)
    assert checked > 400  # the queries do reach keys


def test_groups_patched_in_place_equal_a_fresh_build():
    rng = random.Random(5)
    keys = sorted({"".join(rng.choice("abcdefgh") for _ in range(rng.randint(3, 7)))
                   for _ in range(3000)})
    half = keys[::2]
    groups = KeyGroups.build(half)
    groups.add(keys[1::2])
    assert groups == KeyGroups.build(keys)
    groups.remove(keys[::3])
    assert groups == KeyGroups.build(sorted(set(keys) - set(keys[::3])))
    assert groups != KeyGroups.build(keys)


def test_an_arabic_query_without_the_article_and_with_a_typo_finds_the_rendering(
        db, make_concept):
    make_concept("rape", ar="الاغتصاب")
    for query in ("اغتصب", "اغتساب"):  # a letter missing; س for ص
        hits = search(db, query, working="en")
        assert [h.concept_key for h in hits] == ["rape"], query
        assert hits[0].match == "fuzzy" and hits[0].text == "الاغتصاب"
