"""Letters that look like those of another script, inside one word: ``cоnsent`` written
with a Cyrillic ``о`` looks like ``consent`` but matches nothing, and a reader cannot tell.

The data is Unicode's confusables (UTS #39) as ICU's spoof checker holds it: two
characters are look-alikes when they have the same skeleton. A word is suspect when it
mixes scripts and a letter of a minority script has a look-alike in the word's main
script. Letters common to all scripts (digits, punctuation) mix with anything, so an
Arabic word with Latin digits is fine; Han, Hiragana, Katakana and Hangul count as one
writing system, as Japanese and Korean mix them.

These are warnings, shown while typing and after saving; nothing is refused.

For matching, :func:`fold_mixed` writes such a word in its main script (Latin, Cyrillic
or Greek): :func:`glossary.normalise.normalise` applies it, so that search, duplicate
warnings and the check find ``cужэнжя`` (a Latin ``c``) as ``сужэнжя``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import icu

from .i18n import LazyText, _l

NEUTRAL = frozenset({"Common", "Inherited", "Unknown"})
# Writing systems that mix scripts by design: counted as one.
UNIFIED = {"Hiragana": "Han", "Katakana": "Han", "Hangul": "Han", "Bopomofo": "Han"}
# Larger scripts are not scanned for look-alikes (Han has 99,000 characters); a word's
# own letters still count.
_SCAN_LIMIT = 5000
WORD = re.compile(r"\w+")
SCRIPT_NAMES = {
    "Latin": _l("Latin"), "Cyrillic": _l("Cyrillic"), "Greek": _l("Greek"),
    "Arabic": _l("Arabic"), "Armenian": _l("Armenian"), "Hebrew": _l("Hebrew"),
    "Georgian": _l("Georgian"), "Cherokee": _l("Cherokee"),
}

_checker = icu.SpoofChecker()


@dataclass(frozen=True)
class Lookalike:
    """One suspect word: its main script, the other scripts in it, and the letters that
    look like letters of the main script as (letter, its script, looks like)."""

    word: str
    main: str
    others: tuple[str, ...]
    letters: tuple[tuple[str, str, str], ...]


@lru_cache(maxsize=8192)
def _script(char: str) -> str:
    return icu.Script.getScript(char).getName()


def _skeleton(text: str) -> str:
    return _checker.getSkeleton(0, text)


@lru_cache(maxsize=64)
def _by_skeleton(script: str) -> dict[str, str]:
    """Skeleton -> the first character of ``script`` that has it (ASCII letters first)."""
    letters = icu.UnicodeSet(f"[:{script}:]")
    if len(letters) > _SCAN_LIMIT:
        return {}
    found: dict[str, str] = {}
    for char in letters:
        found.setdefault(_skeleton(char), char)
    return found


def _group(script: str) -> str:
    return UNIFIED.get(script, script)


def find(text: str) -> list[Lookalike]:
    """The words of ``text`` that mix scripts with look-alike letters."""
    found: list[Lookalike] = []
    # Most texts are written in one script: one pass over cached lookups settles them.
    if text.isascii() or len({_group(_script(char)) for char in text} - NEUTRAL) < 2:
        return found
    for word in WORD.findall(text):
        scripts = [(char, _script(char)) for char in word]
        counts = Counter(_group(s) for _c, s in scripts if s not in NEUTRAL)
        if len(counts) < 2:
            continue
        order = list(dict.fromkeys(_group(s) for _c, s in scripts if s not in NEUTRAL))
        main = max(order, key=lambda s: (counts[s], -order.index(s)))
        own = {_skeleton(c): c for c, s in scripts if _group(s) == main}
        letters = []
        for char, script in scripts:
            if script in NEUTRAL or _group(script) == main:
                continue
            skeleton = _skeleton(char)
            like = own.get(skeleton) or _by_skeleton(main).get(skeleton)
            if like and (char, script, like) not in letters:
                letters.append((char, script, like))
        if letters:
            found.append(Lookalike(word, main, tuple(s for s in order if s != main),
                                   tuple(letters)))
    return found


def script_name(script: str):
    """The translated name of a script (ICU's English name for the rarer ones)."""
    return SCRIPT_NAMES.get(script, script)


def _joined(parts: list, separator: str) -> str:
    return separator.join(str(part) for part in parts)


def warnings(text: str) -> list[LazyText]:
    """One translated warning per suspect word of ``text``, naming the scripts and the
    look-alike letters: “cоnsent” mixes Latin and Cyrillic letters: о (Cyrillic) looks
    like o."""
    messages = []
    for item in find(text):
        details = [_l("%(char)s (%(script)s) looks like %(like)s", char=char,
                      script=script_name(script), like=like)
                   for char, script, like in item.letters]
        messages.append(_l(
            "“%(word)s” mixes %(main)s and %(others)s letters: %(details)s.",
            word=item.word, main=script_name(item.main),
            others=LazyText(_joined, [script_name(s) for s in item.others], ", "),
            details=LazyText(_joined, details, "; ")))
    return messages


# -- folding for matching ---------------------------------------------------------------

# Scripts folded into one another, with the basic lower-case letters a look-alike may
# become (a keyboard slip types one of these) and the letters of the script that may be
# folded (lower-case: folding runs on normalised text).
_FOLDABLE = {
    "latin": ("Latin", "a-z", "a-z\u00df-\u024f"),
    "cyrillic": ("Cyrillic", "\u0430-\u045f", "\u0430-\u04ff\u0500-\u052f"),
    "greek": ("Greek", "\u03b1-\u03c9", "\u03ac-\u03ff"),
}
# A word with a Latin letter and a Cyrillic or Greek one (or a Cyrillic and a Greek
# one): one scan of the text, letting through only the words worth a closer look.
_LATIN = "[a-z\u00df-\u024f]"
_CYRILLIC = "[\u0430-\u052f]"
_GREEK = "[\u03ac-\u03ff]"
_MIXED = re.compile(
    rf"(?<!\w)(?:(?=\w*{_LATIN})(?=\w*(?:{_CYRILLIC}|{_GREEK}))"
    rf"|(?=\w*{_CYRILLIC})(?=\w*{_GREEK}))\w+")
# Every word _MIXED finds holds a Cyrillic or a Greek letter: a text without one (most
# Latin and Arabic-script texts) is passed with one quick scan instead of _MIXED's.
_CYRILLIC_OR_GREEK = re.compile("[\u0430-\u052f\u03ac-\u03ff]")


@lru_cache(maxsize=4)
def _folding(main: str) -> dict[str, str]:
    """Letters of the other foldable scripts -> the basic letter of ``main`` with the
    same skeleton."""
    name, basic, _letters = _FOLDABLE[main]
    targets = re.compile(f"[{basic}]")
    folds: dict[str, str] = {}
    for other, (_name, _basic, letters) in _FOLDABLE.items():
        if other == main:
            continue
        for char in map(chr, _letter_codes(letters)):
            like = _by_skeleton(name).get(_skeleton(char))
            if like and len(like) == 1 and targets.fullmatch(like):
                folds[char] = like
    return folds


def _letter_codes(ranges: str) -> list[int]:
    codes: list[int] = []
    for low, high in re.findall(r"(.)-(.)", ranges):
        codes.extend(c for c in range(ord(low), ord(high) + 1)
                     if chr(c).isalpha() and chr(c).casefold() == chr(c))
    return codes


@lru_cache(maxsize=2048)
def _script_of_letter(char: str) -> str | None:
    for script, (_name, _basic, letters) in _FOLDABLE.items():
        if re.fullmatch(f"[{letters}]", char):
            return script
    return None


def _fold_word(found: re.Match) -> str:
    word = found.group()
    counts = Counter(_script_of_letter(char) for char in word)
    counts.pop(None, None)
    (main, most), *rest = counts.most_common()
    if rest and rest[0][1] == most:
        return word  # no main script to fold into
    folds = _folding(main)
    return "".join(folds.get(char, char) for char in word)


def fold_mixed(text: str) -> str:
    """``text`` (normalised: lower case, no combining marks) with every word that mixes
    Latin, Cyrillic or Greek letters written in its main script, as far as its other
    letters have a look-alike there: ``cужэнжя`` -> ``сужэнжя``, ``prеssure`` ->
    ``pressure``. A word with as many letters of one script as of another is left as
    it is."""
    if not _CYRILLIC_OR_GREEK.search(text) or not _MIXED.search(text):
        return text
    return _MIXED.sub(_fold_word, text)
