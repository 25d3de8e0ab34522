"""Phone checks of today's merged pages at 360 px, in English and Arabic: the session kit
fits the screen, and the concept list shows its State column (defaulting to the signed-in
mediator's language) without scrolling sideways."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_kit_and_concept_list_fit_a_phone(new_page, server, locale):
    page = new_page("samir@example.org", width=360, locale=locale)
    page.goto(f"{server}/concepts")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    state = page.locator("table.concepts thead th").last
    assert state.inner_text().strip() in ("State", "الحالة"), state.inner_text()
    box = state.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    first_state = page.locator("table.concepts tbody tr").first.locator(".state")
    assert first_state.count() == 1 and first_state.is_visible()
    page.goto(f"{server}/kit/groups/1/ar/")
    assert page.locator(".kit-entry").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(f"{server}/flyers/1/translations/ar")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    preview = page.locator(".flyer-preview .flyer-field").first
    assert preview.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-line"


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_todays_pages_have_no_serious_axe_violations(new_page, server, locale):
    """axe on the pages merged today that the interface checks do not open: the session
    kit and its links, a recording page, the propose form with the concept beside it, and
    a concept's history."""
    from .test_interface import serious_violations

    page = new_page("anna@example.org", locale=locale, bypass_csp=True)
    found = {}
    for path in ["/kit/groups/1/ar/", "/groups/1/kit", "/terms/1/recording",
                 "/concepts/1/terms/new?language=ar", "/concepts/1/history"]:
        page.goto(server + path)
        violations = serious_violations(page)
        if violations:
            found[path] = violations
    assert not found, found
