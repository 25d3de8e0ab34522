"""Bidi text helpers: left-to-right material inside right-to-left text, and the direction
of free text of unknown language.

Numbers, phone numbers, e-mail and web addresses inside right-to-left text are isolated
between LEFT-TO-RIGHT MARKs (in DOCX, in their own left-to-right run), so "+49 30 1234567"
keeps its order. Marks rather than the newer isolate controls (U+2066..2069): every Word,
LibreOffice and Typst version applies them the same way.
"""

from __future__ import annotations

import re
import unicodedata

LRM, NBSP, NB_HYPHEN, WJ = "\u200e", "\u00a0", "\u2011", "\u2060"
# A hyphen that does not break: a plain hyphen-minus between WORD JOINERs. Not U+2011
# (NON-BREAKING HYPHEN): Naskh draws it like an underscore ("2026_12_19").
KEPT_HYPHEN = WJ + "-" + WJ


# Runs of left-to-right material that the bidi algorithm would reorder inside
# right-to-left text: numbers with their separators (phone numbers, dates, times),
# e-mail and web addresses.
LTR_SPAN = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?:https?://|www\.)[^\s]+[^\s.,;:!?)]"
    r"|\+?[(]?[0-9\u0660-\u0669\u06f0-\u06f9]"
    r"(?:[0-9\u0660-\u0669\u06f0-\u06f9]|[ ./:()-](?=[(]?[0-9\u0660-\u0669\u06f0-\u06f9]))*"
    r"[)]?"
)


def ltr_segments(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(part, is_ltr_span)`` pieces; the spans are what
    :data:`LTR_SPAN` finds (numbers, phone numbers, addresses)."""
    pieces, last = [], 0
    for match in LTR_SPAN.finditer(text):
        if match.start() > last:
            pieces.append((text[last:match.start()], False))
        pieces.append((match.group(), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def _unbreakable(span: str) -> str:
    """A number span that cannot be broken across lines (a phone number split over two
    right-to-left lines reads in the wrong order): no-break spaces, and hyphens held
    by word joiners (:data:`KEPT_HYPHEN`).
    Addresses are left as they are, so that they can be copied."""
    if span[:1].isalpha() or "@" in span:
        return span
    return span.replace(" ", NBSP).replace("-", KEPT_HYPHEN)


def isolated(span: str) -> str:
    """One left-to-right span ready to sit in right-to-left text: between
    LEFT-TO-RIGHT MARKs and, for a number, unbreakable."""
    return LRM + _unbreakable(span) + LRM


def isolate_ltr(text: str) -> str:
    """``text`` with every number or address isolated (see :func:`isolated`), for use
    inside right-to-left text."""
    return "".join(isolated(part) if ltr else part for part, ltr in ltr_segments(text))


def first_strong_rtl(text: str) -> bool | None:
    """True when the first strongly directional character of ``text`` is right to left,
    False when left to right, None when there is none (digits and punctuation only):
    the HTML ``dir="auto"`` rule, for free text of unknown language such as notes."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return None
