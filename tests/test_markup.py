"""Nothing from a user, a file or a URL becomes markup, by construction: lazily translated
messages are escaped with their values (glossary.i18n), every place that marks something
safe is on a reviewed list, and only elements the app rendered may send htmx requests
(glossary.page_nonce)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from conftest import TODAY
from flask import render_template_string
from markupsafe import escape

from glossary import groups
from glossary.i18n import _l

ROOT = Path(__file__).resolve().parent.parent
PAYLOAD = '<span hx-post="/admin/people/1" hx-trigger="load">x</span>'

# Every place that marks text as safe, with why it is safe. A new one fails the test
# until it is reviewed and added here.
REVIEWED_MARKUP = {
    "glossary/i18n.py": 2,  # LazyText.__html__ escapes the whole message
    "glossary/template_gettext.py": 1,  # the catalogue's own text; values escaped by %
    "glossary/charts.py": 1,  # SVG built with ElementTree, which escapes text
}
REVIEWED_SAFE_FILTERS: dict[str, int] = {}


def python_files():
    return sorted(p for p in (ROOT / "glossary").rglob("*.py") if "migrations" not in p.parts)


def test_no_module_uses_flask_babels_lazy_gettext():
    offenders = [str(p.relative_to(ROOT)) for p in python_files()
                 if p.name != "i18n.py" and "lazy_gettext" in p.read_text()]
    assert offenders == []


def test_markup_is_made_only_in_reviewed_places():
    found = {}
    for path in python_files():
        count = len(re.findall(r"\bMarkup\(|__html__", path.read_text()))
        if count:
            found[str(path.relative_to(ROOT))] = count
    assert found == REVIEWED_MARKUP
    safe = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        count = len(re.findall(r"\|\s*safe\b|\{%\s*autoescape\s+false", path.read_text()))
        if count:
            safe[str(path.relative_to(ROOT))] = count
    assert safe == REVIEWED_SAFE_FILTERS


def test_a_lazy_message_escapes_its_values(app):
    with app.test_request_context():
        message = _l("Disputed: %(comment)s", comment=PAYLOAD)
        html = render_template_string("<p>{{ message }}</p>", message=message)
    assert "<span" not in html and "&lt;span hx-post=" in html
    assert str(escape(message)) == str(escape(str(message)))


def test_every_htmx_request_element_carries_the_page_nonce():
    missing = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for tag in re.findall(r"<[a-z]+\b[^>]*>", path.read_text(), flags=re.S):
            if re.search(r"\shx-(get|post|put|patch|delete)=", tag) and \
                    'data-hx-nonce="{{ hx_nonce }}"' not in tag:
                missing.append((path.name, tag[:80]))
    assert missing == []


def test_pages_give_the_csrf_token_to_no_element_and_send_their_nonce(client, auth,
                                                                        make_person):
    make_person("anna", "facilitator")
    auth.login("anna@example.org")
    response = client.get("/concepts")
    html = response.get_data(as_text=True)
    assert "hx-headers" not in html
    nonce = re.search(r'<meta name="hx-nonce" content="([^"]+)">', html).group(1)
    assert response.headers["X-Hx-Nonce"] == nonce and len(nonce) >= 20
    assert nonce != client.get("/concepts").headers["X-Hx-Nonce"]
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1)
    for setting in ('"allowEval": false', '"allowScriptTags": false',
                    '"selfRequestsOnly": true'):
        assert setting in config


def test_a_dispute_comment_is_shown_escaped_on_the_group_page(client, auth, db, make_person,
                                                              make_concept):
    """The hole this issue started from: a mediator's comment on the group page."""
    anna = make_person("anna", "facilitator")
    samir = make_person("samir", "mediator", "ar")
    make_person("admin", "admin,facilitator")
    concept = make_concept("consent", ar="الموافقة")
    group = groups.create_group(db, person=anna, data=groups.GroupInput(
        name="Tuesday group", working_language="en", start_date=TODAY + timedelta(days=9),
        languages=["ar"], facilitator_ids=[anna.id], mediator_ids=[samir.id]))
    groups.add_concepts(db, group=group, person=anna, concept_ids=[concept.id])
    auth.login("samir@example.org")
    response = client.post(f"/concepts/{concept.id}/languages/ar/dispute",
                           data={"comment": PAYLOAD})
    assert response.status_code in (200, 302, 303)
    auth.login("admin@example.org")
    html = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "hx-post=&#34;/admin/people/1&#34;" in html or "hx-post=&quot;" in html
    assert 'hx-post="/admin/people/1"' not in html
