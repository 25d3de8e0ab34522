"""Text hygiene (issue 13.7): texts made only of invisible characters are refused with the
characters named; zero-width characters inside words are removed with a notice, except
the joiners that Arabic-script and Indic words need; letters that look like those of
another script are warned about while typing, after saving and in an import preview."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlmodel import select

from glossary import flyers
from glossary.concepts import create_concept, parse_concept, parse_term
from glossary.errors import InputError
from glossary.flyers import create_flyer
from glossary.groups import parse_group
from glossary.importers.plan import Source, apply_import, build_plan
from glossary.models import Agreement, Concept, Domain, Flyer, FlyerTranslation, Term
from glossary.people import person_fields
from glossary.text import clean_text, noticing

TODAY = date(2026, 6, 1)

INVISIBLE_ONLY = [
    ("\u200b", "U+200B ZERO WIDTH SPACE"),
    ("\u2060", "U+2060 WORD JOINER"),
    ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("\u00ad", "U+00AD SOFT HYPHEN"),
    ("\u200c", "U+200C ZERO WIDTH NON-JOINER"),
    ("\u200d", "U+200D ZERO WIDTH JOINER"),
    ("\u115f", "U+115F HANGUL CHOSEONG FILLER"),
    ("\u1160", "U+1160 HANGUL JUNGSEONG FILLER"),
    ("\u3164", "U+3164 HANGUL FILLER"),
    ("\uffa0", "U+FFA0 HALFWIDTH HANGUL FILLER"),
    ("\u180e", "U+180E MONGOLIAN VOWEL SEPARATOR"),
    ("\u034f", "U+034F COMBINING GRAPHEME JOINER"),
    ("\ufe0f", "U+FE0F VARIATION SELECTOR-16"),
    ("\u2800", "U+2800 BRAILLE PATTERN BLANK"),
    ("\u200b \u200c\u2060", "U+200B ZERO WIDTH SPACE"),
    ("\u200e\u200f", "U+200E LEFT-TO-RIGHT MARK"),
]


def message_of(call) -> str:
    with pytest.raises(InputError) as caught:
        call()
    return str(caught.value)


@pytest.mark.parametrize("value,named", INVISIBLE_ONLY)
def test_text_of_only_invisible_characters_is_refused_naming_them(value, named):
    message = message_of(lambda: clean_text(value, label="Rendering"))
    assert "only invisible characters" in message and named in message
    assert message.startswith("Rendering")
    # Optional fields too: an invisible note is not an empty one.
    assert named in message_of(lambda: clean_text(value, label="Note", required=False,
                                                  multiline=True))


@pytest.mark.parametrize("value", [value for value, _named in INVISIBLE_ONLY[:10]])
def test_every_name_and_wording_refuses_invisible_text(app, db, value):
    domain_id = db.exec(select(Domain.id)).first()
    calls = {
        "rendering": lambda: parse_term({"text": value}),
        "back-translation": lambda: parse_term({"text": "x", "back_translation": value}),
        "wording": lambda: create_concept(
            db, data=parse_concept({"key": "k", "domain_id": domain_id}, session=db),
            source_text=value, working="en", person=None),
        "person": lambda: person_fields(db, {"name": value, "email": "a@example.org"},
                                        roles="facilitator", langs=""),
        "group": lambda: parse_group({"name": value, "languages": "ar"}, session=db,
                                     default_working="en"),
        "flyer": lambda: create_flyer(db, name=value, template_key="programme", layout="a4",
                                      fields={}, person=None, working="en"),
    }
    for name, call in calls.items():
        assert "only invisible characters" in message_of(call), name
    db.rollback()
    assert db.exec(select(Concept)).first() is None
    assert db.exec(select(Flyer)).first() is None


@pytest.mark.parametrize("typed,saved,removed", [
    ("con\u200bsent", "consent", "U+200B ZERO WIDTH SPACE"),
    ("con\u2060sent", "consent", "U+2060 WORD JOINER"),
    ("\ufeffconsent", "consent", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("con\u00adsent", "consent", "U+00AD SOFT HYPHEN"),
    ("con\u200csent", "consent", "U+200C ZERO WIDTH NON-JOINER"),
    ("зго\u200dда", "згода", "U+200D ZERO WIDTH JOINER"),
    ("sexual\u200b violence", "sexual violence", "U+200B ZERO WIDTH SPACE"),
    ("consent\u3164", "consent", "U+3164 HANGUL FILLER"),  # a blank that strip() keeps
    # a joiner between an Arabic letter and a Latin one joins nothing
    ("رضایت\u200cx", "رضایتx", "U+200C ZERO WIDTH NON-JOINER"),
])
def test_zero_width_characters_inside_words_are_removed_with_a_notice(typed, saved, removed):
    with noticing() as notices:
        assert clean_text(typed, label="Rendering") == saved
    assert len(notices) == 1
    notice = str(notices[0])
    assert notice.startswith(f"Rendering “{saved}”") and removed in notice
    assert "differs from what was typed" in notice


@pytest.mark.parametrize("word", [
    "می‌خواهم",         # Persian: "I want", mi + ZWNJ + khaham
    "کتاب‌ها",           # Persian plural suffix after ZWNJ
    "غیر‌قانونی",        # Urdu: "illegal"
    "ځان‌وژنه",          # Pashto: "suicide"
    "دەست‌درێژی",        # Sorani: "assault"
    "مِ‌خواهم",          # a vowel mark before the joiner still belongs to its letter
    "क्‍ष",              # Devanagari: ZWJ chooses the half form of the conjunct
    "ಕನ್‌ನಡ",            # Kannada: ZWNJ keeps the consonants apart
])
def test_joiners_that_a_script_needs_are_kept(word):
    assert "\u200c" in word or "\u200d" in word
    with noticing() as notices:
        assert clean_text(word, label="Rendering") == word
    assert notices == []
    # A zero-width space typed into the same word still goes; the joiner stays.
    middle = len(word) // 2
    with noticing() as notices:
        assert clean_text(word[:middle] + "\u200b" + word[middle:], label="Rendering") == word
    assert "U+200B" in str(notices[0]) and "U+200C" not in str(notices[0])


def test_thai_keeps_its_word_break_marks_but_not_a_soft_hyphen():
    thai = "การ\u200bยินยอม"  # consent, with the zero-width space that marks a word break
    assert clean_text(thai, label="Rendering") == thai
    assert clean_text("การ\u00adยินยอม", label="Rendering") == "การยินยอม"
    # Long texts (notes, definitions, texts to check) are not names: they keep theirs.
    note = "Soft\u00adhyphen stays in a long note.\nSecond line."
    assert clean_text(note, label="Note", multiline=True) == note


# -- look-alike letters ---------------------------------------------------------------

@pytest.fixture
def signed_in(client, auth, make_person):
    make_person("anna", "facilitator")
    auth.login("anna@example.org")
    return client


def hint(client, text: str, language: str = "en") -> str:
    response = client.get("/search/similar", query_string={"text": text, "language": language},
                          headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_mixed_script_look_alike_is_warned_in_the_hint_while_typing(signed_in, make_concept):
    make_concept("consent")
    fragment = hint(signed_in, "cоnsent")  # Cyrillic о
    assert "“cоnsent” mixes Latin and Cyrillic letters: о (Cyrillic) looks like o." in fragment
    assert 'class="notice warning"' in fragment
    greek = hint(signed_in, "αlpha")
    assert "mixes Latin and Greek letters: α (Greek) looks like a" in greek
    # One script per word, digits, Japanese kana with kanji: nothing to warn about.
    for text, language in (("consent", "en"), ("الموافقة 2", "ar"), ("رضایت ۲۰۲۶", "fa-AF"),
                           ("東京タワー", "ja"), ("згода", "uk"), ("HIV-тест", "uk")):
        assert "mixes" not in hint(signed_in, text, language), text


def test_hint_shows_invisible_problems_escaped(signed_in):
    fragment = hint(signed_in, "<img src=x onerror=alert(1)>con\u200bsent")
    assert "invisible characters removed (U+200B ZERO WIDTH SPACE)" in fragment
    assert "&lt;img src=x onerror=alert(1)&gt;consent" in fragment
    assert "<img" not in fragment
    only = hint(signed_in, "\u200b\u200c")
    assert "only invisible characters" in only


def test_look_alike_is_told_after_saving_and_the_notice_is_escaped(signed_in, db, make_concept):
    concept = make_concept("consent")
    response = signed_in.post(f"/concepts/{concept.id}/terms/new",
                              data={"language": "de", "text": "Einver\u200bständniс <b>"},
                              follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rendering “Einverständniс &lt;b&gt;”: invisible characters removed" in page
    assert "с (Cyrillic) looks like c" in page
    assert db.exec(select(Term.text).where(Term.language == "de")).one() == "Einverständniс <b>"


# -- saving and signing ---------------------------------------------------------------

def test_invisible_rendering_cannot_be_saved_so_never_signed(signed_in, db, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    response = signed_in.post(f"/concepts/{concept.id}/terms/new",
                              data={"language": "fa-AF", "text": "\u200c\u200b"})
    assert response.status_code == 400
    assert "only invisible characters (U+200C ZERO WIDTH NON-JOINER, U+200B ZERO WIDTH " \
           "SPACE)" in response.get_data(as_text=True)
    assert db.exec(select(Term).where(Term.language == "fa-AF")).first() is None
    assert db.exec(select(Agreement).where(Agreement.target_language == "fa-AF")).first() \
        is None
    term = db.exec(select(Term).where(Term.language == "ar")).one()
    response = signed_in.post(f"/terms/{term.id}/edit",
                              data={"text": "\u3164", "version": term.version})
    assert response.status_code == 400 and "U+3164 HANGUL FILLER" in response.get_data(
        as_text=True)
    db.refresh(term)
    assert term.text == "الموافقة" and term.version == 1


# -- imports --------------------------------------------------------------------------

def upload(client, data: bytes):
    return client.post("/imports", data={"file": (io.BytesIO(data), "terms.csv"), "format": ""},
                       content_type="multipart/form-data")


def test_imported_zero_width_is_cleaned_and_listed_in_the_preview(app, signed_in, db,
                                                                   make_concept, tmp_path):
    app.config["IMPORTS_DIR"] = str(tmp_path / "imports")
    make_concept("consent", ar="الموافقة")
    data = ("key;domain;term:en;term:ar;term:fa-AF\n"
            "consent;sexual-violence;con\u200bsent;الموافقة;می‌خواهم\n"
            "pressure;sexual-violence;prеssure;ضغط;\n").encode()  # Cyrillic е
    location = upload(signed_in, data).location
    page = signed_in.get(location).get_data(as_text=True)
    cleaned = page.split('id="h-cleaned"')[1].split("</section>")[0]
    assert "consent" in cleaned and "U+200B ZERO WIDTH SPACE" in cleaned
    assert "می‌خواهم" not in cleaned  # the Persian joiner is no hidden character
    lookalike = page.split('id="h-lookalike"')[1].split("</section>")[0]
    assert "prеssure" in lookalike and "е (Cyrillic) looks like e" in lookalike
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    assert signed_in.post(location + "/confirm", data={"digest": digest}).status_code == 302
    english = db.exec(select(Term.text).where(Term.language == "en")).all()
    assert sorted(english) == ["consent", "prеssure"]
    assert db.exec(select(Term.text).where(Term.language == "fa-AF")).one() == "می‌خواهم"


def test_imported_zero_width_keeps_the_demo_flyer_check_clean(db, tmp_path):
    from glossary.demo import load_demo

    load_demo(db, today=TODAY)
    arabic = db.exec(select(FlyerTranslation).where(
        FlyerTranslation.target_language == "ar")).one()
    before = flyers.check_translation(db, arabic)
    path = tmp_path / "consent.csv"
    # The demo's English wording is "consent (sexual)"; a file that carries it with a
    # hidden zero-width space names the same rendering, and changes nothing.
    path.write_text("key;term:en;term:ar\nconsent;con\u200bsent (sexual);الموافقة\n",
                    encoding="utf-8")
    source = Source(path, working="en", domain_keys=db.exec(select(Domain.key)).all())
    plan = build_plan(db, entries=source, source=path.name, working="en")
    assert plan.counts["cleaned"] == 1 and plan.changes == 0
    source = Source(path, working="en", domain_keys=db.exec(select(Domain.key)).all())
    apply_import(db, entries=source, source=path.name, working="en")
    assert db.exec(select(Term).where(Term.text.contains("\u200b"))).first() is None
    assert flyers.check_translation(db, arabic) == before


def test_an_invisible_rendering_stored_earlier_is_no_rendering_to_sign(db, make_concept,
                                                                        make_person):
    from glossary.errors import Refused
    from glossary.signoff import (
        current_fingerprint,
        get_or_create_agreement,
        refresh_concept,
        sign,
    )

    concept = make_concept("consent")
    # As a database from before this change (or a crafted restore) may hold it.
    db.add(Term(concept_id=concept.id, language="fa-AF", text="\u200c\u200b"))
    db.flush()
    refresh_concept(db, concept_id=concept.id, language="fa-AF", working="en", person=None)
    db.commit()
    agreement = get_or_create_agreement(db, concept_id=concept.id, source="en", target="fa-AF")
    assert agreement.state == "open"
    anna = make_person("anna", "facilitator")
    with pytest.raises(Refused, match="no rendering to sign"):
        sign(db, agreement=agreement, person=anna, role="facilitator",
             seen_fingerprint=current_fingerprint(db, agreement), today=TODAY,
             validity_months=24)
    db.refresh(agreement)
    assert agreement.state == "open"
