"""Bad input gets a clear error and changes nothing."""

import unicodedata

import pytest
from sqlmodel import select

from glossary.concepts import parse_term, propose_term
from glossary.errors import InputError
from glossary.languages import canonical_tag, describe, validate_tag
from glossary.models import Term
from glossary.text import clean_text


@pytest.mark.parametrize("char,name", [("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
                                       ("\u202a", "LEFT-TO-RIGHT EMBEDDING"),
                                       ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
                                       ("\u2069", "POP DIRECTIONAL ISOLATE")])
def test_bidi_controls_are_refused_naming_the_character(char, name):
    with pytest.raises(InputError) as caught:
        clean_text(f"abc{char}def", label="Rendering")
    message = str(caught.value)
    assert f"U+{ord(char):04X}" in message and name in message and "Rendering" in message


def test_direction_marks_are_kept_and_text_is_nfc():
    assert clean_text("الموافقة\u200f (2)", label="x") == "الموافقة\u200f (2)"
    assert clean_text("a\u061cb", label="x") == "a\u061cb"
    decomposed = "e\u0301"
    assert clean_text(decomposed, label="x") == unicodedata.normalize("NFC", decomposed) == "é"


def test_empty_and_overlong_are_refused():
    with pytest.raises(InputError, match="must not be empty"):
        clean_text("   ", label="Rendering")
    with pytest.raises(InputError, match="too long: 501 characters, at most 500"):
        clean_text("x" * 501, label="Rendering")


def test_no_equivalent_needs_a_paraphrase():
    with pytest.raises(InputError, match="Paraphrase must not be empty"):
        parse_term({"no_equivalent": "on", "text": ""})
    term = parse_term({"no_equivalent": "on", "paraphrase": "کنترول همیشگی"})
    assert term.text == "کنترول همیشگی" and term.no_equivalent


def test_language_tags_are_canonical_and_unknown_ones_refused():
    assert canonical_tag("fa_af") == "fa-AF"
    assert canonical_tag("sr-cyrl") == "sr-Cyrl"
    assert validate_tag("ckb") == "ckb"
    with pytest.raises(InputError, match="Unknown language “xx”"):
        validate_tag("xx")
    with pytest.raises(InputError, match="not a language tag"):
        validate_tag("arabic language")


def test_language_names_and_direction_come_from_cldr():
    assert describe("fa-AF", "en").name == "Dari"
    assert describe("ti", "de").name == "Tigrinya"
    assert describe("ti", "ar").name == "التغرينية"
    assert describe("ar").rtl and describe("ckb").rtl and describe("ps").rtl
    assert not describe("uk").rtl and describe("uk").endonym == "українська"


def test_bad_rendering_changes_nothing(db, make_concept):
    concept = make_concept("consent")
    before = len(db.exec(select(Term)).all())
    with pytest.raises(InputError):
        propose_term(db, concept=concept, language="xx", data=parse_term({"text": "x"}),
                     person=None, working="en")
    assert len(db.exec(select(Term)).all()) == before
