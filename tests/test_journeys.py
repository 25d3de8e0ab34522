"""Issue 18: the rough edges a first-time facilitator or mediator hit, as view tests
(each fails on the code before the issue)."""

import pytest

from glossary.search import near_duplicates
from glossary.search.similarity import close_spelling, reason


@pytest.fixture
def staff(make_person):
    return {
        "facilitator": make_person("anna", "facilitator"),
        "mediator": make_person("mariam", "mediator", "ps,fa-AF"),
        "admin": make_person("root", "admin"),
    }


# Item 7: the "similar wording" warning on short Arabic-script words.

@pytest.mark.parametrize("stored, typed, language", [
    ("الغضب", "القضيب", "ar"),   # anger / penis
    ("غصب", "غضب", "ar"),        # coercion / anger
    ("ترس", "درس", "fa-AF"),     # fear / lesson
    ("قصہ", "غصہ", "ur"),        # story / anger
    ("غوښه", "غوسه", "ps"),      # meat / (anger, misspelled)
])
def test_different_short_arabic_script_words_are_not_similar(db, make_concept, stored,
                                                              typed, language):
    make_concept("anger", **{language.replace("-", "_"): stored})
    hits = near_duplicates(db, typed, working="en", language=language)
    assert stored not in [hit.text for hit in hits]


@pytest.mark.parametrize("stored, typed, language, why", [
    ("مسؤول", "مسئول", "ar", "variant"),          # hamza seat
    ("اغتصاب", "إغتصاب", "ar", "folded"),         # alef form
    ("موافقة", "موافقه", "ar", "folded"),         # teh marbuta
    ("قضيب", "القضيب", "ar", "affix"),            # article
    ("رضایت", "رضايت", "fa-AF", "folded"),        # Persian / Arabic yeh
    ("کودک", "كودك", "fa-AF", "folded"),          # keheh / kaf
    ("دکتر", "داکتر", "fa-AF", "variant"),        # long vowel written
    ("زورزیاتی", "زور زیاتی", "ps", "spacing"),
    ("تشدد", "تشدّد", "ur", "folded"),            # shadda
])
def test_spelling_variants_are_similar_and_say_why(db, make_concept, stored, typed,
                                                   language, why):
    make_concept("something", **{language.replace("-", "_"): stored})
    hits = near_duplicates(db, typed, working="en", language=language)
    assert stored in [hit.text for hit in hits]
    assert reason(typed, stored) == why


def test_long_words_keep_the_typo_budget():
    assert close_spelling("الاغتصاب الزوجي", "الاغتصاب الزوجى".replace("ى", "ا"))
    assert not close_spelling("القضيب", "الغضب")
    assert close_spelling("consnet", "consent")


def test_the_warning_says_why_in_the_interface_language(client, auth, staff, make_concept):
    make_concept("responsible", ar="مسؤول")
    make_concept("anger", ar="الغضب")
    auth.login("anna@example.org")
    page = client.get("/search/similar?text=مسئول&language=ar",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "مسؤول" in page and "differs only in a long vowel or the seat of a hamza" in page
    page = client.get("/search/similar?text=القضيب&language=ar",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "الغضب" not in page
    client.post("/interface-language", data={"ui_locale": "ar"})
    page = client.get("/search/similar?text=مسئول&language=ar",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "differs only" not in page and "مسؤول" in page
