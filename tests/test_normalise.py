"""The one normalisation: each script's foldings, what must not fold, words and spans,
and the attached prefixes and suffixes each language accepts."""

import random

import pytest

from glossary.inflection import PREFIX, SUFFIX, affixes, bare_word, stems, word_forms
from glossary.normalise import (
    ASCII_SPLIT,
    SPLIT,
    match_form,
    match_forms,
    normalise,
    normalise_words,
    script_of,
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


@pytest.mark.parametrize("mixed, folded", [
    ("c\u0443\u0436\u044d\u043d\u0436\u044f", "сужэнжя"),  # Latin c first in a Cyrillic word
    ("x\u044f\u0434\u044e\u0434", "хядюд"),                  # Latin x
    ("\u0441\u0435\u043a\u0441\u0443a\u043b\u044c\u043d\u0435", "сексуальне"),  # Latin a
    ("pr\u0435ssure", "pressure"),   # Cyrillic е in a Latin word
    ("\u03b1lpha", "alpha"),         # Greek alpha
    ("Einverständni\u0441", "einverstandnic"),
    ("Сексуальне НАСИЛЬСТВО", "сексуальне насильство"),  # one script: as it was
])
def test_look_alikes_are_folded_into_the_main_script_of_a_word(mixed, folded):
    assert normalise(mixed) == normalise(folded)
    assert match_forms([mixed, "згода " + mixed]) == [match_form(folded),
                                                       "згода " + match_form(folded)]


def test_what_look_alike_folding_leaves_alone():
    # words of one script, even all look-alikes; a hyphen separates words; no main script
    assert normalise("сор") == "сор" and normalise("cop") == "cop"
    assert normalise("HIV-тест") == "hiv-тест"
    assert normalise("с" + "o") == "с" + "o"  # one Cyrillic, one Latin letter
    # a letter without a look-alike in the main script stays
    assert normalise("\u0436ab") == "\u0436ab"
    assert normalise("ωmega") == "ωmega"


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


def test_normalise_words_is_normalise_of_each_word():
    mixed = ["Consent", "ÉCOLE", "straße", "cоnsent", "ﷺ", "l'accord", "ORDERS", "x_1"]
    assert normalise_words(mixed) == [normalise(w) for w in mixed]
    assert normalise_words(["Consent", "ORDERS", "x_1", "l'accord"]) == [
        "consent", "orders", "x_1", "l'accord"]  # all ASCII: lower case, in one call


def test_the_ascii_split_splits_as_split_does():
    chooser = random.Random(19)
    letters = [chr(code) for code in range(128)]
    for _ in range(3000):
        text = "".join(chooser.choice(letters) for _ in range(chooser.randint(0, 40))).lower()
        assert ASCII_SPLIT.split(text) == SPLIT.split(text)
    assert ASCII_SPLIT.split("women's rights, l'accord-x") == [
        "", "women's", " ", "rights", ", ", "l'accord", "-", "x", ""]


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
    bare = bare_word(match_form("الموافقة"), "ar")
    assert bare == match_form("موافقة")
    forms = word_forms(bare, "ar")
    assert forms[match_form("الموافقة")] == forms[bare] == 0  # the article is no affix
    for written in ("بالموافقة", "والموافقة", "للموافقة", "فالموافقة", "وموافقة"):
        assert forms[match_form(written)] == PREFIX
    assert {match_form("الرضا"), match_form("والرضا"), match_form("بالرضا")} <= set(
        word_forms(match_form("رضا"), "ar"))


def test_the_article_is_not_taken_off_a_short_word():
    # "الم" (pain) keeps its letters: no bare "م" that would match everywhere.
    assert bare_word(match_form("ألم"), "ar") == "الم"
    assert bare_word("الموافقه", "fa") == "الموافقه"  # no article in Persian


def test_persian_and_dari_suffixes():
    forms = word_forms(match_form("رضایت"), "fa-AF")
    assert forms[match_form("رضایت‌ها")] == forms[match_form("رضایتهای")] == SUFFIX
    assert forms[match_form("رضایتی")] == SUFFIX
    assert affixes("fa-AF") == affixes("fa") == affixes("prs")


def test_english_and_german_inflections():
    forms = word_forms("consent", "en")
    assert {"consents", "consented", "consenting"} <= set(forms)
    assert forms["consents"] == SUFFIX
    assert "policies" in word_forms("policy", "en")
    assert "einwilligungen" in word_forms("einwilligung", "de")
    assert word_forms("zgoda", "uk") == {"zgoda": 0}  # no list for the language: exact only
    assert word_forms("ok", "en") == {"ok": 0}  # too short for a suffix


def test_french_elision_and_plural_together():
    forms = word_forms("agression", "fr")
    assert forms["l'agressions"] == PREFIX | SUFFIX


def test_stems_take_attached_forms_off_a_query_in_any_language():
    assert {match_form("الموافقة"), match_form("موافقة")} <= stems(match_form("بالموافقة"))
    assert match_form("الموافقة") in stems(match_form("موافقة"))
    assert stems("consents") == {"consent"}
    assert "restraining order" in stems("restraining orders")
    assert match_form("رضایت") in stems(match_form("رضایت‌ها"))
    assert stems("ok") == set()  # nothing to take off, no article on Latin words


@pytest.mark.parametrize("text, script", [
    ("consent", "latin"), ("згода", "cyrillic"), ("الرضا", "arabic"), ("ፍቓድ", "ethiopic"),
    ("123", "none"),
])
def test_script_of(text, script):
    assert script_of(text) == script
