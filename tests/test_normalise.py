"""The one normalisation: each script's foldings, what must not fold, words and spans,
and the attached prefixes and suffixes each language accepts."""

import pytest

from glossary.normalise import (
    affixes,
    match_form,
    match_forms,
    normalise,
    script_of,
    variants,
    without_qualifier,
    word_spans,
)


@pytest.mark.parametrize("one, other", [
    ("رضایت", "رضايت"),            # Persian yeh = Arabic yeh
    ("مصطفى", "مصطفي"),            # alef maksura = yeh
    ("کودک", "كودك"),              # keheh = Arabic kaf
    ("أمان", "امان"),              # alef with hamza above
    ("إسلام", "اسلام"),            # alef with hamza below
    ("آب", "اب"),                  # alef with madda
    ("ٱلله", "الله"),              # alef wasla
    ("مـــوافقة", "موافقة"),       # tatweel
    ("مُوَافَقَة", "موافقة"),       # harakat
    ("موافقة", "موافقه"),          # teh marbuta = heh
    ("خانۀ", "خانه"),              # heh with yeh above = heh
    ("خانهٔ", "خانه"),             # hamza above after heh
    ("می\u200cخواهم", "میخواهم"),   # ZWNJ ignored
    ("\ufefb", "لا"),              # presentation form (lam-alef ligature)
    ("١٢٣", "123"),                # Arabic-Indic digits
    ("۱۲۳", "123"),                # Extended Arabic-Indic digits (Persian, Urdu)
    ("Einwilligung", "einwilligung"),
    ("Straße", "strasse"),
    ("Café Crème", "cafe creme"),
    ("Zgoda ŁĄKA", "zgoda łaka"),   # ł has no decomposition, ą loses its ogonek
    ("ŞİDDET", "siddet"),
    ("Ёлка", "елка"),
    ("ЇЖАК", "іжак"),
    ("й", "и"),
    ("women’s", "women's"),
])
def test_forms_that_match(one, other):
    assert normalise(one) == normalise(other)


def test_sorani_ae_is_not_folded_into_heh():
    assert normalise("ە") == "ە"
    assert normalise("ە") != normalise("ه")
    assert normalise("هەڵە") == "هەڵە"
    # heh doachashmee (Sorani h) and heh do fold together; ae stays apart from both
    assert normalise("ھ") == normalise("ه") != normalise("ە")


def test_ethiopic_is_left_intact():
    for text in ("ፍቓድ", "ጾታዊ ዓመጽ", "ስምምነት"):
        assert normalise(text) == text


def test_match_form_ignores_punctuation_hyphens_and_spacing():
    assert match_form("Sexual-violence") == match_form("sexual   violence") == "sexual violence"
    assert match_form("consent (sexual)") == "consent sexual"
    assert match_form("«الموافقة»،") == "الموافقه"
    assert match_form("women's shelter") == "women's shelter"
    assert match_form("  ...  ") == ""


def test_match_forms_equals_match_form_for_each_text():
    texts = ["Sexual-violence", "رضایت‌نامه", "ፍቓድ", "ÉCOLE", "", "a\ue000b"]
    assert match_forms(texts) == [match_form(t) for t in texts]


def test_word_spans_point_into_the_original_text():
    text = "Die Einwilligung-Frage: بِالمُوافَقَة و الرضا"
    spans = word_spans(text)
    assert [w for _s, _e, w in spans] == ["die", "einwilligung", "frage", "بالموافقه", "و",
                                          "الرضا"]
    assert [text[s:e] for s, e, _w in spans][3] == "بِالمُوافَقَة"


def test_a_lone_tatweel_is_not_a_word():
    assert word_spans("ـ ok") == [(2, 4, "ok")]


def test_without_qualifier():
    assert without_qualifier("consent (sexual)") == "consent"
    assert without_qualifier("custody [legal] of children") == "custody of children"
    assert without_qualifier("(only)") == ""


def test_arabic_article_and_attached_particles():
    found = variants(match_form("الموافقة"), "ar")
    for form in ("الموافقة", "موافقة", "بالموافقة", "والموافقة", "للموافقة", "فالموافقة"):
        assert match_form(form) in found
    bare = variants(match_form("رضا"), "ar")
    assert {match_form("الرضا"), match_form("والرضا"), match_form("بالرضا")} <= bare


def test_the_article_is_not_taken_off_a_short_word():
    # "الم" (pain) keeps its letters: no bare "م" that would match everywhere.
    assert "م" not in variants(match_form("ألم"), "ar")


def test_persian_and_dari_suffixes():
    found = variants(match_form("رضایت"), "fa-AF")
    assert match_form("رضایت‌ها") in found and match_form("رضایتهای") in found
    assert match_form("رضایتی") in found
    assert affixes("fa-AF") == affixes("fa") == affixes("prs")


def test_english_and_german_inflections():
    assert {"consents", "consented", "consenting"} <= variants("consent", "en")
    assert "policies" in variants("policy", "en")
    assert "einwilligungen" in variants("einwilligung", "de")
    assert variants("zgoda", "uk") == {"zgoda"}  # no list for the language: exact only


def test_phrase_affixes_go_around_the_whole_phrase():
    found = variants("sexual violence", "en")
    assert "sexual violences" in found and "sexuals violence" not in found


@pytest.mark.parametrize("text, script", [
    ("consent", "latin"), ("згода", "cyrillic"), ("الرضا", "arabic"), ("ፍቓድ", "ethiopic"),
    ("123", "none"),
])
def test_script_of(text, script):
    assert script_of(text) == script


def test_every_word_of_an_arabic_phrase_may_carry_the_article():
    found = variants(match_form("أمر إبعاد"), "ar")
    assert {match_form("أمر الإبعاد"), match_form("الأمر الإبعاد"),
            match_form("وأمر إبعاد")} <= found
    found = variants(match_form("العنف الجنسي"), "ar")
    assert {match_form("عنف جنسي"), match_form("والعنف الجنسي"),
            match_form("للعنف الجنسي")} <= found
