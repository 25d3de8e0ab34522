"""Precision and recall of the "similar wording" warning on short Arabic-script words.

A small labelled set of pairs in Arabic, Dari/Persian, Pashto and Urdu: true near
duplicates (spelling variants: hamza seats, alef forms, Persian and Arabic yeh and
kaf, teh marbuta, diacritics, a written long vowel, spacing, the article) and
different words (one or two letters apart: القضيب penis / الغضب anger, زن woman /
زنا adultery). For each pair, the first wording is stored in a fresh search index and
the second is typed: the pair counts as flagged when the warning
(:meth:`IndexQueries.near_duplicates`) lists the first. Printed per rule: "before" lets
every spelling within the typo budget through (the rule up to issue 18), "after" is
:func:`glossary.search.similarity.close_spelling`.

    PYTHONPATH=. .venv/bin/python bench/bench_similar.py
"""

from __future__ import annotations

from unittest import mock

from glossary.search import similarity
from glossary.search.index import SearchIndex

# (language, stored, typed, True when the same word spelled differently)
PAIRS = [
    # Arabic: variants
    ("ar", "مسؤول", "مسئول", True), ("ar", "مسؤولية", "مسئولية", True),
    ("ar", "اغتصاب", "إغتصاب", True), ("ar", "الاغتصاب", "الإغتصاب", True),
    ("ar", "موافقة", "موافقه", True), ("ar", "مستشفى", "مستشفي", True),
    ("ar", "عنف", "عُنف", True), ("ar", "قضيب", "القضيب", True),
    ("ar", "شؤون", "شئون", True), ("ar", "هيئة", "هيئه", True),
    ("ar", "امرأة", "امراة", True), ("ar", "ابتزاز", "إبتزاز", True),
    ("ar", "التحرش الجنسي", "التحرش الجنسى", True), ("ar", "رئيس", "رءيس", True),
    ("ar", "الطلاق", "الطلاق التعسفي", True), ("ar", "سؤال", "سءال", True),
    # Arabic: different words
    ("ar", "الغضب", "القضيب", False), ("ar", "غضب", "قضيب", False),
    ("ar", "حرب", "حب", False), ("ar", "جنين", "جنس", False),
    ("ar", "زواج", "زوج", False), ("ar", "ضرب", "حرب", False),
    ("ar", "ضرر", "ضرب", False), ("ar", "علم", "ألم", False),
    ("ar", "غصب", "غضب", False), ("ar", "رجم", "رحم", False),
    ("ar", "سكن", "سجن", False), ("ar", "ماضي", "قاضي", False),
    ("ar", "عاري", "عار", False), ("ar", "الشرطة", "الشريط", False),
    ("ar", "المحكمة", "المحكم", False), ("ar", "الحمل", "الجمل", False),
    # Dari / Persian: variants
    ("fa-AF", "رضایت", "رضايت", True), ("fa-AF", "کودک", "كودك", True),
    ("fa-AF", "مسئولیت", "مسؤولیت", True), ("fa-AF", "دکتر", "داکتر", True),
    ("fa-AF", "تجاوز جنسی", "تجاوز جنسي", True), ("fa-AF", "زن‌ستیزی", "زن ستیزی", True),
    ("fa-AF", "اتاق", "اطاق", True), ("fa-AF", "خشونت", "خشونت‌ها", True),
    # Dari / Persian: different words
    ("fa-AF", "زنا", "زن", False), ("fa-AF", "مرد", "درد", False),
    ("fa-AF", "شرط", "شرم", False), ("fa-AF", "درس", "ترس", False),
    ("fa-AF", "خشن", "خشم", False), ("fa-AF", "دانشگاه", "دادگاه", False),
    ("fa-AF", "کود", "کودک", False), ("fa-AF", "زندان", "زنان", False),
    # Pashto: variants
    ("ps", "تاوتریخوالی", "تاوتريخوالي", True), ("ps", "جنسي تیری", "جنسي تېری", True),
    ("ps", "زورزیاتی", "زور زیاتی", True), ("ps", "ښځه", "ښځہ", True),
    # Pashto: different words
    ("ps", "غوښه", "غوسه", False), ("ps", "ورځ", "ورور", False),
    ("ps", "مور", "پور", False), ("ps", "لور", "زور", False),
    # Urdu: variants
    ("ur", "ذمہ داری", "ذمه داری", True), ("ur", "تشدد", "تشدّد", True),
    ("ur", "رضامندی", "رضامندي", True), ("ur", "گواہ", "گواه", True),
    ("ur", "اسپتال", "ہسپتال", True),
    # Urdu: different words
    ("ur", "قصہ", "غصہ", False), ("ur", "شہر", "شوہر", False),
    ("ur", "بیوہ", "بیوی", False), ("ur", "دور", "درد", False),
    ("ur", "جسم", "جرم", False), ("ur", "عمل", "حمل", False),
]


def flagged(stored: str, typed: str, language: str) -> bool:
    """Whether typing ``typed`` warns about the stored rendering ``stored``."""
    index = SearchIndex(working="en")
    index.concepts[1] = ("one", 1, "active")
    index.concepts[2] = ("two", 1, "active")
    index.add(1, "term", language, stored, language, 1)
    index.add(2, "term", "en", "something else", "en", 2)
    index.finish()
    return any(hit.concept_id == 1 for hit in index.near_duplicates(typed, language=language))


def measure(rule) -> dict[str, tuple[int, int, int, int]]:
    """Per language (and "all"): true positives, false positives, false negatives,
    true negatives of ``rule`` (a replacement for ``close_spelling``)."""
    counts: dict[str, list[int]] = {}
    wrong: list[str] = []
    with mock.patch.object(similarity, "close_spelling", rule):
        for language, stored, typed, same in PAIRS:
            got = flagged(stored, typed, language)
            for key in (language, "all"):
                row = counts.setdefault(key, [0, 0, 0, 0])
                row[(0 if got else 2) if same else (1 if got else 3)] += 1
            if got != same:
                wrong.append(f"{language} {stored} / {typed}: "
                             f"{'flagged' if got else 'missed'}")
    measure.wrong = wrong  # type: ignore[attr-defined]
    return {key: (row[0], row[1], row[2], row[3]) for key, row in counts.items()}


def main() -> None:
    rules = {"before": lambda _q, _k: True, "after": similarity.close_spelling}
    print("| rule | language | pairs | flagged right | false alarms | missed | precision "
          "| recall |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, rule in rules.items():
        for language, (tp, fp, fn, tn) in sorted(measure(rule).items(),
                                                 key=lambda item: item[0] == "all"):
            precision = tp / (tp + fp) if tp + fp else 1.0
            recall = tp / (tp + fn) if tp + fn else 1.0
            print(f"| {name} | {language} | {tp + fp + fn + tn} | {tp} | {fp} | {fn} "
                  f"| {precision:.2f} | {recall:.2f} |")
        for line in measure.wrong:  # type: ignore[attr-defined]
            print(f"<!-- {name}: {line} -->")


if __name__ == "__main__":
    main()
