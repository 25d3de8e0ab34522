"""Interface language, right-to-left layout, phones, and accessibility (axe-core)."""

import json

import pytest
from playwright.sync_api import expect

from .conftest import AXE, shoot

MAIN_PAGES = ["/concepts", "/concepts?language=ar&state=agreed", "/concepts/1",
              "/concepts/1/history", "/concepts/1/terms/new?language=ps", "/profile",
              "/flyers", "/flyers/1", "/flyers/1/translations/ar",
              "/flyers/1/translations/ps"]


def switch_interface(page, code: str):
    page.select_option("#ui_locale", code)
    page.locator("form.inline", has=page.locator("#ui_locale")).get_by_role("button").click()


def test_arabic_interface_is_right_to_left_and_mirrored(new_page, server):
    page = new_page("mariam@example.org")
    switch_interface(page, "ar")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    width = page.viewport_size["width"]
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > width / 2, "the brand should sit on the right in RTL"
    table = page.locator("table.concepts th").first.bounding_box()
    assert table["x"] + table["width"] > width / 2
    shoot(page, "concepts-ar-1280")
    # The choice is kept on the profile: a new sign-in comes back in Arabic.
    page.context.clear_cookies()
    again = new_page("mariam@example.org")
    expect(again.locator("html")).to_have_attribute("dir", "rtl")
    switch_interface(again, "en")
    expect(again.locator("html")).to_have_attribute("dir", "ltr")


def test_browser_language_is_the_fallback(new_page, server):
    page = new_page(None, locale="de-DE")
    page.goto(f"{server}/login")
    expect(page.locator("html")).to_have_attribute("lang", "de")


@pytest.mark.parametrize("width", [1280, 360])
def test_pages_fit_the_screen(new_page, server, width):
    page = new_page("samir@example.org", width=width)
    for path in ("/concepts", "/concepts/1", "/flyers/1/translations/ar"):
        page.goto(server + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        shoot(page, f"{path.strip('/').replace('/', '-')}-{width}")


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("email", ["anna@example.org", "admin@example.org"])
def test_no_serious_accessibility_violations(new_page, server, email):
    page = new_page(email, bypass_csp=True)
    pages = MAIN_PAGES + (["/admin/people", "/admin/audit"] if email.startswith("admin") else [])
    found = {}
    for path in pages:
        page.goto(server + path)
        violations = serious_violations(page)
        if violations:
            found[path] = violations
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_login_page_accessible_in_arabic(new_page, server):
    page = new_page(None, locale="ar", bypass_csp=True)
    page.goto(f"{server}/login")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert serious_violations(page) == []
