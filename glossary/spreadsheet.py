"""Spreadsheet cells that cannot run as formulas (CSV and XLSX injection).

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be taken
as a formula by Excel, LibreOffice or Google Sheets. On export such text gets a leading
apostrophe; our own importers take it off again, so the original text comes back exactly.
Text that already starts with an apostrophe followed by one of those characters gets one
more, so restoring is never ambiguous.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_neutralised(text: str) -> bool:
    """True for text that starts with apostrophes and then a formula character."""
    stripped = text.lstrip("'")
    return len(stripped) < len(text) and stripped.startswith(FORMULA_STARTS)


def neutralise(value):
    """Return ``value`` safe to write into a spreadsheet cell; non-text passes through."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_STARTS) or looks_neutralised(value):
        return "'" + value
    return value


def restore(value):
    """Undo :func:`neutralise` on a cell read back from our own export."""
    if isinstance(value, str) and looks_neutralised(value):
        return value[1:]
    return value
