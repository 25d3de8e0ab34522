"""Validation of user-entered text: NFC normalisation, length limits and refusal of bidi
control characters that could make a reader see something other than what is stored."""

from __future__ import annotations

import unicodedata
from datetime import date

from .errors import InputError
from .i18n import _l

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
    isolate control (the message names the character), or contains other control
    characters (line breaks are allowed only when ``multiline``).
    """
    text = unicodedata.normalize("NFC", (value or "").strip())
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
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
