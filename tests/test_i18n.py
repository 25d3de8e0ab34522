"""The interface in the users' languages: choice, fallback, direction, formatting."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import TRANSLATIONS

LOCALES = ("de", "fr", "it", "ar")


def translation(locale: str, msgid: str) -> str:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        message = read_po(handle).get(msgid)
    return message.string if message else ""


@pytest.mark.parametrize("locale", LOCALES)
def test_browser_language_is_used_before_sign_in(client, locale):
    expected = translation(locale, "Sign in")
    assert expected, f"'Sign in' is not translated for {locale}"
    html = client.get("/login", headers={"Accept-Language": f"{locale},en;q=0.5"}).get_data(
        as_text=True)
    assert expected in html
    assert f'<html lang="{locale}" dir="{"rtl" if locale == "ar" else "ltr"}">' in html


def test_profile_choice_wins_over_the_browser(client, auth, db, make_person):
    make_person("anna", "facilitator")
    auth.login("anna@example.org")
    client.post("/interface-language", data={"ui_locale": "ar", "next": "/concepts"})
    html = client.get("/concepts", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    auth.logout()
    auth.login("anna@example.org")
    html = client.get("/concepts", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_unknown_interface_language_is_ignored(client, auth, make_person):
    make_person("anna", "facilitator")
    auth.login("anna@example.org")
    client.post("/interface-language", data={"ui_locale": "xx"})
    assert '<html lang="en" dir="ltr">' in client.get("/concepts").get_data(as_text=True)


def test_language_names_follow_the_interface_with_endonyms(client, auth, make_person,
                                                           make_concept):
    make_person("anna", "facilitator")
    concept = make_concept("consent", ti="ፍቓድ")
    auth.login("anna@example.org")
    client.post("/interface-language", data={"ui_locale": "ar"})
    html = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "التغرينية" in html and "ትግርኛ" in html
    client.post("/interface-language", data={"ui_locale": "de"})
    html = client.get(f"/concepts/{concept.id}").get_data(as_text=True)
    assert "Tigrinya" in html and '<html lang="de" dir="ltr">' in html


def test_css_uses_logical_properties_only():
    css = (Path(__file__).resolve().parent.parent / "static" / "css" / "app.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    physical = re.findall(r"(?<![-\w])(margin|padding|border)-(left|right)\b|"
                          r"(?<![-\w])(left|right)\s*:|text-align:\s*(left|right)|"
                          r"float:\s*(left|right)", css)
    assert physical == []


def extracted_msgids() -> set:
    """Every string marked for translation in the code and templates right now."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    root = Path(__file__).resolve().parent.parent
    keywords = dict(DEFAULT_KEYWORDS, _l=None)
    found = set()
    for folder, method, pattern in (("glossary", "python", "**.py"),
                                    ("templates", "jinja2", "**.html")):
        for _file, _line, message, _comments, _context in extract_from_dir(
                root / folder, [(pattern, method)], keywords=keywords):
            found.add(message if isinstance(message, str) else message[0])
    return found


PLACEHOLDER = re.compile(r"%\(\w+\)[sdifxX0-9]*|%[sd]")


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogs_are_complete_with_the_same_placeholders(locale):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    missing, broken = [], []
    for msgid in sorted(extracted_msgids()):
        message = catalog.get(msgid)
        strings = ([] if message is None else
                   list(message.string) if isinstance(message.string, tuple)
                   else [message.string])
        if not strings or not all(strings) or (message and message.fuzzy):
            missing.append(msgid)
            continue
        expected = sorted(PLACEHOLDER.findall(msgid))
        for text in strings:
            if sorted(PLACEHOLDER.findall(text)) != expected and "%(num)d" not in msgid:
                broken.append((msgid, text))
    assert missing == [], f"{len(missing)} untranslated in {locale}: {missing[:10]}"
    assert broken == []


def test_template_gettext_is_bound_to_the_request_locale(app):
    """Templates get gettext/ngettext bound to the request's catalogue
    (glossary.template_gettext): translated, plural-aware, values escaped."""
    from flask import render_template_string

    source = ('{{ _("Sign out") }}|{{ ngettext("%(num)d concept", "%(num)d concepts", 1) }}|'
              '{{ ngettext("%(num)d concept", "%(num)d concepts", 3) }}|'
              '{{ _("Unknown language “%(tag)s”. An admin can add it with a name and text '
              'direction.", tag="<b>") }}')
    with app.test_request_context(headers={"Accept-Language": "de"}):
        names: dict = {}
        app.update_template_context(names)
        assert names["gettext"].__module__ == "glossary.template_gettext"
        out, one, three, unknown = render_template_string(source).split("|")
    assert (out, one, three) == ("Abmelden", "1 Begriff", "3 Begriffe")
    assert "&lt;b&gt;" in unknown and "<b>" not in unknown and "Unbekannte" in unknown
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        assert render_template_string(source).split("|")[0] == "تسجيل الخروج"
