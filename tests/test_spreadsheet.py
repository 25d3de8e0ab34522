"""Formula injection is neutralised on export and restored exactly on import."""

import pytest

from glossary.spreadsheet import neutralise, restore


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\ry"])
def test_formula_starts_are_neutralised(text):
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", ["plain", "'quoted", "'=already", "''=twice", "", "موافقة"])
def test_round_trip_is_exact(text):
    assert restore(neutralise(text)) == text


def test_non_text_passes_through():
    assert neutralise(3) == 3 and restore(None) is None
