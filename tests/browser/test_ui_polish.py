"""Interface foundations in a real browser: errors said in place after the session ended,
the phone layout at 360 px, right-to-left fields with numbers and addresses, the error
pages, and the language picker."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ROOT
from .test_interface import serious_violations, switch_interface

SHOTS = Path("/work/notes/ui-shots") if Path("/work/notes").is_dir() else ROOT / "test-artifacts"
PHONE_PAGES = {
    "concept-list": "/concepts",
    "concept-page": "/concepts/1",
    "group-page": "/groups/1",
    "gap-matrix": "/trainers/matrix",
    "flyer-translation": "/flyers/1/translations/ar",
}


def first_concept(page, server, query: str) -> str:
    """Open the first concept the list shows for ``query``; its path."""
    page.goto(f"{server}/concepts?{query}")
    page.locator("table.concepts tbody a").first.click()
    page.wait_for_load_state()
    return page.url


@pytest.fixture(autouse=True)
def english_again(new_page):
    """People whose interface a test switched: back to English afterwards, since the
    choice is kept on the profile and other test modules expect English."""
    switched: list[str] = []
    yield switched
    for email in switched:
        use_interface(new_page(email), "en")


def use_interface(page, ui: str):
    """Switch the interface language (kept on the profile, so always set it: another
    test may have left the same person in another language)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 1280, "height": 900})  # the switch is in the menu
    switch_interface(page, ui)
    page.set_viewport_size(size)


def end_session(page):
    """The session ends while the page stays open (expired, or signed out elsewhere)."""
    page.context.clear_cookies()


def assert_said_in_place(page, form, typed: str | None, path: str):
    error = form.locator("xpath=preceding-sibling::*[1]")
    expect(error).to_have_class(re.compile(r"\bhtmx-error\b"))
    expect(error).to_contain_text("You were signed out")
    link = error.get_by_role("link", name="Sign in again")
    href = link.get_attribute("href")
    assert href.startswith("/login?next=") and path in href.replace("%2F", "/"), href
    if typed is not None:
        expect(form.locator("textarea")).to_have_value(typed)
    return link


def test_dispute_after_the_session_ended_keeps_the_comment_and_signs_in_again(new_page,
                                                                            server):
    page = new_page("samir@example.org")
    use_interface(page, "en")
    url = first_concept(page, server, "language=ar&state=agreed")
    path = url.removeprefix(server)
    panel = page.locator("#lang-ar")
    panel.locator("summary", has_text="Dispute this rendering").click()
    comment = "The word sounds clinical; +49 30 1234567 is the helpline."
    panel.locator("textarea[name=comment]").fill(comment)
    end_session(page)
    panel.get_by_role("button", name="Record dispute").click()
    form = panel.locator("form", has=page.locator("textarea[name=comment]"))
    link = assert_said_in_place(page, form, comment, path)
    # The panel was not replaced and nothing was recorded.
    expect(panel.locator(".state")).to_have_text("Agreed")
    # Signing in again comes back to the same page with the comment still typed.
    link.click()
    page.fill("#email", "samir@example.org")
    page.fill("#password", "demo-password")
    page.click("main button[type=submit]")
    page.wait_for_url(url)
    expect(page.locator("#lang-ar textarea[name=comment]")).to_have_value(comment)


def test_sign_after_the_session_ended_says_so_in_arabic(english_again, new_page, server):
    page = new_page("anna@example.org")
    use_interface(page, "ar")
    english_again.append("anna@example.org")
    first_concept(page, server, "language=fa-AF&state=proposed")
    panel = page.locator("#lang-fa-AF")
    form = panel.locator("form", has=page.locator("input[name=role]")).first
    end_session(page)
    form.get_by_role("button").click()
    error = form.locator("xpath=preceding-sibling::*[1]")
    expect(error).to_have_class(re.compile(r"\bhtmx-error\b"))
    expect(error.get_by_role("link")).to_have_attribute("href", re.compile(r"^/login\?next="))
    text = error.inner_text()
    assert re.search(r"[\u0600-\u06FF]", text) and "signed out" not in text, text


def test_network_failure_is_said_in_place(new_page, server):
    page = new_page("samir@example.org")
    use_interface(page, "en")
    first_concept(page, server, "language=ar&state=agreed")
    panel = page.locator("#lang-ar")
    panel.locator("summary", has_text="Dispute this rendering").click()
    panel.locator("textarea[name=comment]").fill("still here")
    page.route("**/dispute", lambda route: route.abort("internetdisconnected"))
    panel.get_by_role("button", name="Record dispute").click()
    form = panel.locator("form", has=page.locator("textarea[name=comment]"))
    error = form.locator("xpath=preceding-sibling::*[1]")
    expect(error).to_contain_text("connection was lost")
    expect(form.locator("textarea")).to_have_value("still here")


@pytest.mark.parametrize("ui", ["en", "ar"])
def test_phone_pages_fit_360px_with_a_compact_header(english_again, new_page, server, ui):
    page = new_page("admin@example.org", width=360)
    use_interface(page, ui)
    if ui != "en":
        english_again.append("admin@example.org")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in PHONE_PAGES.items():
        page.goto(server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide at 360px ({ui})"
        header = page.locator("header.top").bounding_box()
        assert header["height"] <= 64, f"{path}: header {header['height']}px tall ({ui})"
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(SHOTS / f"{name}-{ui}-360.png"), full_page=True)
    # The menu opens from its button (no JavaScript needed: a checkbox and its label).
    page.locator(".menu-button").click()
    expect(page.locator("#site-menu nav a").first).to_be_visible()


def test_phone_menu_works_without_javascript(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/login")
    expect(page.locator("#ui_locale")).to_be_hidden()
    page.locator(".menu-button").click()
    expect(page.locator("#ui_locale")).to_be_visible()
    context.close()


ORDER = """(box) => Array.from(box.querySelectorAll('bdi[dir=ltr]')).map(bdi => {
    const text = bdi.firstChild, range = document.createRange();
    range.setStart(text, 0); range.setEnd(text, 1);
    const first = range.getBoundingClientRect().x;
    range.setStart(text, text.length - 1); range.setEnd(text, text.length);
    return [text.textContent, first < range.getBoundingClientRect().x];
})"""


def test_phone_number_typed_in_arabic_keeps_its_order_where_it_is_shown(new_page, server):
    page = new_page("admin@example.org")
    use_interface(page, "en")
    page.goto(f"{server}/flyers/1/translations/ar")
    field = page.locator("#t-contact")
    expect(field).to_have_attribute("dir", "rtl")
    field.fill("للأسئلة اتصلوا على +49 30 1234567 أو help@example.org")
    page.get_by_role("button", name="Save translation").click()
    preview = page.locator("#t-contact ~ .bidi-preview")
    expect(preview).to_contain_text("+49 30 1234567")
    # Each number or address reads left to right: its first character is leftmost.
    assert preview.evaluate(ORDER) == [["+49 30 1234567", True], ["help@example.org", True]]


def test_comment_with_a_phone_number_is_shown_in_order(new_page, server):
    page = new_page("samir@example.org")
    use_interface(page, "en")
    page.goto(f"{server}/concepts?language=ar&state=agreed")
    page.locator("table.concepts tbody a").nth(2).click()
    panel = page.locator("#lang-ar")
    panel.locator("summary", has_text="Dispute this rendering").click()
    comment = panel.locator("textarea[name=comment]")
    expect(comment).to_have_attribute("dir", "auto")
    comment.fill("الرقم +49 30 1234567 غير صحيح")
    assert comment.evaluate("c => getComputedStyle(c).direction") == "rtl"
    panel.get_by_role("button", name="Record dispute").click()
    shown = page.locator("#lang-ar .dispute p").first
    expect(shown).to_contain_text("+49 30 1234567")
    assert shown.evaluate(ORDER) == [["+49 30 1234567", True]]


@pytest.mark.parametrize("ui", ["en", "ar"])
def test_forbidden_page_is_a_real_page(english_again, new_page, server, ui):
    page = new_page("oskar@example.org", bypass_csp=True)
    use_interface(page, ui)
    if ui != "en":
        english_again.append("oskar@example.org")
    response = page.goto(f"{server}/admin/people")
    assert response.status == 403
    expect(page.locator("nav[aria-label]").first).to_be_visible()
    expect(page.locator(".roles-needed")).to_contain_text("Admin" if ui == "en" else "مدير النظام")
    expect(page.locator(".admins")).to_contain_text("Alex Admin")
    assert serious_violations(page) == []


@pytest.mark.parametrize("ui", ["en", "ar"])
def test_language_picker_finds_a_language_by_name(english_again, new_page, server, ui):
    page = new_page("anna@example.org", bypass_csp=True)
    use_interface(page, ui)
    if ui != "en":
        english_again.append("anna@example.org")
    page.goto(f"{server}/groups/new")
    option = page.locator('#language-options option[value="fa-AF"]')
    expect(option).to_have_text("Dari · دری" if ui == "en" else "الدارية · دری")
    assert serious_violations(page) == []
    page.fill("#name", f"Picker group {ui}")
    page.fill("#languages-1", "fa-AF")
    page.fill("#languages-2", "Tigrinya" if ui == "en" else "ትግርኛ")
    page.locator("form.stack button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/groups/\d+/concepts"))
    page.goto(page.url.replace("/concepts", "/edit"))
    expect(page.locator("#languages-1")).to_have_value("fa-AF")
    expect(page.locator("#languages-2")).to_have_value("ti")
    expect(page.locator(".language-picker")).to_contain_text("ትግርኛ")


@pytest.mark.parametrize("ui", ["en", "ar"])
def test_error_messages_and_phone_menu_are_accessible(english_again, new_page, server, ui):
    page = new_page("samir@example.org", width=360, bypass_csp=True)
    use_interface(page, ui)
    if ui != "en":
        english_again.append("samir@example.org")
    first_concept(page, server, "language=ar&state=agreed")
    page.locator(".menu-button").click()
    panel = page.locator("#lang-ar")
    panel.locator("summary").last.click()
    panel.locator("textarea[name=comment]").fill("x")
    end_session(page)
    panel.locator("form button[type=submit]").last.click()
    expect(panel.locator(".htmx-error")).to_be_visible()
    assert serious_violations(page) == []
    page.goto(f"{server}/no/such/page")
    assert serious_violations(page) == []
