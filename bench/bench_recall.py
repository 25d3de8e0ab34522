"""Recall of search by script: known spelling variants and typos at both ends of words,
in Arabic, Persian (Dari), Cyrillic (Ukrainian, Russian), Tigrinya and, for comparison,
German, on the synthetic glossary of bench/corpus.py (5,000 concepts x 30 languages by
default, about 160,000 terms; ``--concepts 1000,5000`` for several sizes).

The queries are made here, from the terms as written and a random source of their own,
without looking at the index: one word of a term is changed and the whole term is
searched for; a hit is the intended concept among the first ten. Kinds of change:

- variant: a spelling people really type for the same word. Arabic: hamza on the alef
  (أ إ آ), ى for final ي, ة for final ه, the article ال added or dropped, a conjunction
  و written on, tashkeel. Persian: Arabic ي and ك for ی and ک, a ZWNJ or a space inside a
  word. Cyrillic: Latin look-alike letters (a o e i c p x) inside the word, е for ё, a
  capital. Tigrinya: old letters of one sound (ሠ for ሰ, ኀ for ሀ), the Ethiopic wordspace
  ፡ between words. German: ä ö ü ß written ae oe ue ss, or without the dots.
- start, end: one edit (substitution, deletion, insertion or swap) in the first two, or
  the last two, letters of a word of five letters or more;
- two: two edits anywhere in such a word.

Prints a table of recall@10 and in-process p50 / p95 by script and kind; ``--record``
writes it into bench/RESULTS.md (section "Search recall by script"). A query that
missed is looked at again: when ten other concepts or more rank at least as high as the
intended one (as many typos away or fewer), no order of equally close hits could have
shown it among ten, and the miss is counted as "tied" (in a corpus of random
syllables, short words have many neighbours one or two typos away); the last column is
recall over the other queries.

    .venv/bin/python bench/bench_recall.py [--concepts 5000] [--per-kind 40] [--record]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_search import ms, percentile  # noqa: E402
from bench.corpus import ALPHABETS, WORKING, bench_glossary, record_section  # noqa: E402
from glossary.search import get_index, search  # noqa: E402
from glossary.search import queries as search_queries  # noqa: E402

SCRIPTS = {"Arabic": ("ar",), "Persian": ("fa-AF",), "Cyrillic": ("uk", "ru"),
           "Tigrinya": ("ti",), "Latin (de)": ("de",)}
KINDS = ("variant", "start", "end", "two")
MARK_START = "<!-- recall-bench:start -->"
MARK_END = "<!-- recall-bench:end -->"
LOOKALIKE = {"а": "a", "о": "o", "е": "e", "і": "i", "с": "c", "р": "p", "х": "x"}
ETHIOPIC_SAME_SOUND = {0x1230: 0x1220, 0x1200: 0x1280}  # ሰ -> ሠ, ሀ -> ኀ (each order)
GERMAN = {"ä": ("ae", "a"), "ö": ("oe", "o"), "ü": ("ue", "u"), "ß": ("ss",)}


def _ethiopic_variant(word: str, rng: random.Random) -> str | None:
    spots = [i for i, ch in enumerate(word)
             if any(base <= ord(ch) < base + 7 for base in ETHIOPIC_SAME_SOUND)]
    if not spots:
        return None
    at = rng.choice(spots)
    base = next(b for b in ETHIOPIC_SAME_SOUND if b <= ord(word[at]) < b + 7)
    return word[:at] + chr(ETHIOPIC_SAME_SOUND[base] + ord(word[at]) - base) + word[at + 1:]


def variant(tag: str, words: list[str], at: int, rng: random.Random) -> list[str] | None:
    """``words`` with a known variant spelling of word ``at`` (None if none applies)."""
    word = words[at]
    options: list[str] = []
    if tag == "ar":
        bare = word.removeprefix("ال")
        options += ["ال" + word] if bare == word else [bare]
        options.append("و" + word)
        if bare.startswith("ا"):
            options.append(word.replace("ا", rng.choice("أإآ"), 1))
        if word.endswith("ي"):
            options.append(word[:-1] + "ى")
        if word.endswith("ه"):
            options.append(word[:-1] + "ة")
        options.append(word[:2] + "\u064e" + word[2:])
    elif tag == "fa-AF":
        if "ی" in word:
            options.append(word.replace("ی", "ي"))
        if "ک" in word:
            options.append(word.replace("ک", "ك"))
        if len(word) >= 5:
            options.append(word[:3] + rng.choice(("\u200c", " ")) + word[3:])
    elif tag in ("uk", "ru"):
        spots = [i for i, ch in enumerate(word) if ch in LOOKALIKE]
        if spots:
            i = rng.choice(spots)
            options.append(word[:i] + LOOKALIKE[word[i]] + word[i + 1:])
        if "ё" in word:
            options.append(word.replace("ё", "е"))
        options.append(word[:1].upper() + word[1:])
    elif tag == "ti":
        changed = _ethiopic_variant(word, rng)
        if changed:
            options.append(changed)
        if len(words) > 1 and (not options or rng.random() < 0.5):
            return ["፡".join(words)]
    elif tag == "de":
        for letter, spellings in GERMAN.items():
            if letter in word:
                options.append(word.replace(letter, rng.choice(spellings)))
    if not options:
        return None
    return words[:at] + [rng.choice(options)] + words[at + 1:]


def edit(word: str, at: int, letters: str, rng: random.Random) -> str:
    """One substitution, deletion, insertion or swap at ``at``."""
    kind = rng.choice(("substitute", "delete", "insert", "swap"))
    if kind == "substitute":
        return word[:at] + rng.choice([ch for ch in letters if ch != word[at]]) + word[at + 1:]
    if kind == "delete":
        return word[:at] + word[at + 1:]
    if kind == "insert":
        return word[:at] + rng.choice(letters) + word[at:]
    at = min(at, len(word) - 2)
    return word[:at] + word[at + 1] + word[at] + word[at + 2:]


def make_query(kind: str, tag: str, text: str, rng: random.Random) -> str | None:
    words = text.split(" (")[0].split(" ")
    letters = "".join(ALPHABETS[tag])
    if kind == "variant":
        changed = variant(tag, words, rng.randrange(len(words)), rng)
        return None if changed is None else " ".join(changed)
    long_words = [i for i, w in enumerate(words) if len(w) >= 5]
    if not long_words:
        return None
    at = rng.choice(long_words)
    word = words[at]
    if kind == "start":
        word = edit(word, rng.randrange(2), letters, rng)
    elif kind == "end":
        word = edit(word, len(word) - 1 - rng.randrange(2), letters, rng)
    else:
        first = rng.randrange(len(word))
        word = edit(edit(word, first, letters, rng), rng.randrange(len(word) - 1), letters, rng)
    if word == words[at]:
        return None
    return " ".join(words[:at] + [word] + words[at + 1:])


class CountingExtract:
    """Stands in for ``rapidfuzz.process`` in :mod:`glossary.search.queries` and counts
    the candidate keys each query has scored."""

    def __init__(self, real) -> None:
        self.real = real
        self.scored = 0

    def extract(self, query, choices, **kwargs):
        self.scored += len(choices)
        return self.real.extract(query, choices, **kwargs)


def tied(session, query: str, concept_id: int) -> bool:
    """Whether ten other concepts or more rank at least as high as ``concept_id`` for
    ``query`` (same tier and score, or better)."""
    hits = search(session, query, working=WORKING, limit=1000)
    tiers = {kind: n for n, kind in enumerate(("exact", "prefix", "fuzzy"))}
    mine = next((h for h in hits if h.concept_id == concept_id), None)
    if mine is None:
        return False
    bar = (tiers[mine.match], -mine.score)
    return sum(1 for h in hits if h.concept_id != concept_id
               and (tiers[h.match], -h.score) <= bar) >= 10


def measure(size: int, per_kind: int, seed: int, misses: list | None = None) -> list[tuple]:
    """Rows of the table for one size; the queries that missed are added to ``misses``."""
    bench = bench_glossary(size, seed=seed, queries=10, prefix="recall-bench-")
    rng = random.Random(seed * 7919)  # the queries' own random source
    rows = []
    counter = CountingExtract(search_queries.process)
    search_queries.process = counter  # type: ignore[assignment]
    with bench.app.app_context(), Session(bench.engine) as session:
        get_index(session, working=WORKING)  # built once, before timing
        for script, tags in SCRIPTS.items():
            times, scored, found_all, ties = [], [], 0, 0
            by_kind = {}
            for kind in KINDS:
                found = made = 0
                while made < per_kind:
                    number = rng.randrange(len(bench.concepts))
                    tag = rng.choice(tags)
                    query = make_query(kind, tag, bench.concepts[number].terms[tag][0].text, rng)
                    if query is None:
                        continue
                    made += 1
                    counter.scored = 0
                    started = time.perf_counter()
                    hits = search(session, query, working=WORKING, limit=10)
                    times.append(time.perf_counter() - started)
                    scored.append(counter.scored)
                    hit = bench.ids[number] in {hit.concept_id for hit in hits}
                    found += hit
                    tie = not hit and tied(session, query, bench.ids[number])
                    ties += tie
                    if not hit and misses is not None:
                        misses.append((script, kind, query,
                                       bench.concepts[number].terms[tag][0].text, tie))
                by_kind[kind] = found / made
                found_all += found
            made_all = per_kind * len(KINDS)
            overall = found_all / made_all
            rows.append((f"{size:,} ({bench.term_count:,} terms)", script,
                         *(f"{by_kind[k]:.2f}" for k in KINDS), f"{overall:.2f}",
                         f"{ties}", f"{found_all / (made_all - ties):.2f}",
                         f"{ms(percentile(times, .5))} / {ms(percentile(times, .95))}",
                         f"{percentile(scored, .5):,.0f} / {percentile(scored, .95):,.0f}"))
    search_queries.process = counter.real
    bench.close()
    return rows


def render(rows: list[tuple]) -> str:
    head = ("concepts", "script", *KINDS, "all", "tied", "all but tied", "p50 / p95",
            "keys scored p50 / p95")
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concepts", default="5000", help="Sizes, comma-separated.")
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--misses", action="store_true", help="List the queries that missed.")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    misses: list = []
    rows = [row for size in args.concepts.split(",")
            for row in measure(int(size), args.per_kind, args.seed, misses)]
    table = render(rows)
    if args.misses:
        for script, kind, query, term, tie in misses:
            print(f"missed  {script:<10} {kind:<7} {query!r:<40} (term {term!r})"
                  + ("  tied" if tie else ""))
    print(table)
    print(f"\n(load average at the start {load:.2f})")
    if args.record:
        record_section(ROOT / "bench" / "RESULTS.md", MARK_START, MARK_END, "\n".join([
            MARK_START, "## Search recall by script (issue 19)", "",
            f"Command: `.venv/bin/python bench/bench_recall.py --concepts {args.concepts} "
            f"--per-kind {args.per_kind} --record` (seed {args.seed}). Machine: "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite, "
            f"{datetime.now(UTC):%Y-%m-%d}; load average {load:.2f} at the start (shared "
            "machine: the timings are pessimistic, recall does not depend on load).", "",
            f"recall@10 by kind of change ({args.per_kind} queries each; see the "
            "script's docstring for what each kind changes); \"tied\": misses where ten "
            "other concepts or more rank at least as high as the intended one (as few "
            "typos away or fewer), so that no order of equally close hits could show it "
            "among ten, and recall over the other queries; search time in process, and "
            "the candidate keys the fuzzy step measured per query (rapidfuzz calls).",
            "", table, "", MARK_END]))


if __name__ == "__main__":
    main()
