"""Validation of user-entered text: NFC normalisation, length limits and refusal of bidi
control characters that could make a reader see something other than what is stored.

Invisible characters get the same care: a text made only of them (zero-width spaces,
joiners, soft hyphens, Hangul fillers ...) looks empty and is refused; zero-width
characters inside the words of a name or a wording are removed, except the joiners that
a script needs (ZWNJ in Persian, Pashto, Sorani and Urdu; ZWJ and ZWNJ in Indic
scripts). What was removed, and letters that only look like those of another script
(:mod:`glossary.lookalikes`), become notices: :func:`noticing` collects them for the
caller, who tells the person that what was saved differs from what was typed."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

import icu

from .errors import InputError
from .i18n import _l
from .lookalikes import warnings as lookalike_warnings

# Embedding, override and isolate controls (U+202A-202E, U+2066-2069) can reorder what a
# reader sees. Plain direction marks (LRM, RLM, ALM) are legitimate in RTL text and kept.
BIDI_CONTROLS = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}


# Zero-width characters that shape nothing in a word and only hide a difference between
# two words that look the same: removed from names and wordings, with a notice.
ZERO_WIDTH = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u00ad": "SOFT HYPHEN",
    "\u2061": "FUNCTION APPLICATION",
    "\u2062": "INVISIBLE TIMES",
    "\u2063": "INVISIBLE SEPARATOR",
    "\u2064": "INVISIBLE PLUS",
}
JOINERS = {"\u200c": "ZERO WIDTH NON-JOINER", "\u200d": "ZERO WIDTH JOINER"}
# Scripts whose letters join or form conjuncts, where ZWNJ and ZWJ change the word's
# shape (Persian, Pashto, Sorani and Urdu write ZWNJ inside words; Indic scripts use both
# to choose a conjunct): kept between two letters of these scripts, removed elsewhere.
JOINING_SCRIPTS = frozenset({
    "Arabic", "Syriac", "Nko", "Mongolian", "Devanagari", "Bengali", "Gurmukhi",
    "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala", "Tibetan",
    "Myanmar", "Khmer",
})
# Scripts written without spaces use a zero-width space to mark where words break.
SPACELESS_SCRIPTS = frozenset({"Thai", "Lao", "Khmer", "Myanmar"})
_KEPT_BETWEEN = {"\u200c": JOINING_SCRIPTS, "\u200d": JOINING_SCRIPTS,
                 "\u200b": SPACELESS_SCRIPTS}
# Hangul fillers stand for a missing part of a Hangul syllable; beside anything else they
# are blanks that look like nothing.
HANGUL_FILLERS = {"\u115f": "HANGUL CHOSEONG FILLER", "\u1160": "HANGUL JUNGSEONG FILLER",
                  "\u3164": "HANGUL FILLER", "\uffa0": "HALFWIDTH HANGUL FILLER"}
_HIDDEN = frozenset(ZERO_WIDTH) | frozenset(JOINERS) | frozenset(HANGUL_FILLERS)
# Blank characters that are neither format characters nor default-ignorable.
_BLANKS = frozenset("\u2800") | frozenset(HANGUL_FILLERS)
_DEFAULT_IGNORABLE = icu.UProperty.DEFAULT_IGNORABLE_CODE_POINT

NOTICE_LIMIT = 100
_notices: ContextVar[list | None] = ContextVar("glossary_text_notices", default=None)


@contextmanager
def noticing() -> Iterator[list]:
    """Collect, inside the ``with`` block, the notices of every :func:`clean_text` call
    (translated messages: invisible characters removed, look-alike letters); yields the
    list they are added to."""
    found: list = []
    token = _notices.set(found)
    try:
        yield found
    finally:
        _notices.reset(token)


def _notice(message) -> None:
    found = _notices.get()
    # A page shows a few notices; a large import lists its texts in the preview instead.
    if found is not None and len(found) < NOTICE_LIMIT and str(message) not in map(str, found):
        found.append(message)


def char_names(chars) -> str:
    """``U+200B ZERO WIDTH SPACE, ...`` for the distinct characters of ``chars`` (at most
    three named)."""
    distinct = list(dict.fromkeys(chars))
    named = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip()
                      for c in distinct[:3])
    return named + (", …" if len(distinct) > 3 else "")


def is_invisible(char: str) -> bool:
    """Whether ``char`` shows nothing: white space, format characters, default-ignorable
    code points (joiners, variation selectors, Hangul fillers) and blank signs."""
    return (unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp") or char in _BLANKS
            or icu.Char.hasBinaryProperty(char, _DEFAULT_IGNORABLE))


def is_visible(text: str) -> bool:
    """Whether ``text`` shows anything at all (see :func:`is_invisible`)."""
    return not all(is_invisible(char) for char in text)


def _script_beside(text: str, index: int, step: int) -> str | None:
    """The script of the nearest letter before (``step`` -1) or after (+1) ``index``;
    combining marks (script Inherited) belong to their letter and are passed over."""
    index += step
    while 0 <= index < len(text):
        char = text[index]
        if char not in _HIDDEN:
            script = icu.Script.getScript(char).getName()
            if script != "Inherited":
                return script if unicodedata.category(char)[0] in "LM" else None
        index += step
    return None


def remove_hidden(text: str) -> tuple[str, str]:
    """``text`` without the zero-width characters that only hide something, and the
    characters removed. ZWNJ and ZWJ stay between two letters of a joining script, a
    zero-width space between two letters of a script written without spaces, a Hangul
    filler beside a Hangul letter."""
    if _HIDDEN.isdisjoint(text):
        return text, ""
    kept, removed = [], []
    for index, char in enumerate(text):
        if char in _HIDDEN:
            before, after = _script_beside(text, index, -1), _script_beside(text, index, 1)
            scripts = _KEPT_BETWEEN.get(char, ())
            if char in HANGUL_FILLERS:
                keep = "Hangul" in (before, after)
            else:
                keep = before in scripts and after in scripts
            if not keep:
                removed.append(char)
                continue
        kept.append(char)
    return "".join(kept), "".join(removed)


def _refuse_controls(text: str, *, label, field: str | None, multiline: bool) -> None:
    for char in text:
        if char in BIDI_CONTROLS:
            raise InputError(
                _l(
                    "%(field)s contains the invisible control character U+%(code)04X "
                    "%(name)s, which can disguise text. Remove it and save again.",
                    field=label,
                    code=ord(char),
                    name=BIDI_CONTROLS[char],
                ),
                field=field,
            )
        if unicodedata.category(char) == "Cc" and not (multiline and char in "\n\t"):
            raise InputError(
                _l(
                    "%(field)s contains the control character U+%(code)04X.",
                    field=label,
                    code=ord(char),
                ),
                field=field,
            )
    if text and not is_visible(text):
        raise InputError(
            _l("%(field)s contains only invisible characters (%(chars)s): it would look "
               "empty. Type visible text and save again.", field=label,
               chars=char_names(text)),
            field=field,
        )


def clean_text(
    value: str | None,
    *,
    label: str,
    field: str | None = None,
    max_length: int = 500,
    required: bool = True,
    multiline: bool = False,
) -> str:
    """Return ``value`` stripped and NFC-normalised, or raise :class:`InputError`.

    ``label`` names the field in the message. Raises when the value is empty but
    ``required``, longer than ``max_length`` characters, contains a bidi override or
    isolate control (the message names the character), contains other control
    characters (line breaks are allowed only when ``multiline``), or is made only of
    invisible characters (named in the message).

    A single-line value (a name, a term, a wording) also loses the zero-width characters
    inside its words (see :func:`remove_hidden`); that, and letters that look like those
    of another script, are told to whoever collects notices (:func:`noticing`).
    """
    text = unicodedata.normalize("NFC", (value or "").strip())
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_controls(text, label=label, field=field, multiline=multiline)
    if not multiline:
        text, removed = remove_hidden(text)
        text = text.strip()
        if removed:
            _notice(_l("%(field)s “%(text)s”: invisible characters removed (%(chars)s), so "
                       "what is saved differs from what was typed.", field=label, text=text,
                       chars=char_names(removed)))
    if required and not text:
        raise InputError(_l("%(field)s must not be empty.", field=label), field=field)
    if len(text) > max_length:
        raise InputError(
            _l(
                "%(field)s is too long: %(length)d characters, at most %(max)d.",
                field=label,
                length=len(text),
                max=max_length,
            ),
            field=field,
        )
    if not multiline and _notices.get() is not None:
        for warning in lookalike_warnings(text):
            _notice(_l("%(field)s: %(warning)s", field=label, warning=warning))
    return text


def iso_date(value, *, message, field: str) -> date | None:
    """An ISO date (YYYY-MM-DD) from a form, or None when empty; raise
    :class:`InputError` with ``message`` for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(message, field=field) from None


def choice(value: str | None, allowed: tuple[str, ...], *, label: str, field: str | None = None):
    """Return ``value`` when it is one of ``allowed``, else raise :class:`InputError`."""
    if value not in allowed:
        raise InputError(
            _l("%(field)s must be one of: %(allowed)s.", field=label, allowed=", ".join(allowed)),
            field=field,
        )
    return value
