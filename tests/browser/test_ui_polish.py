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


def test_sign_after_the_session_ended_says_so_in_arabic(new_page, server):
    page = new_page("anna@example.org")
    switch_interface(page, "ar")
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
def test_phone_pages_fit_360px_with_a_compact_header(new_page, server, ui):
    page = new_page("admin@example.org", width=360)
    if ui == "ar":
        page.set_viewport_size({"width": 1280, "height": 900})
        switch_interface(page, "ar")
        page.set_viewport_size({"width": 360, "height": 740})
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in PHONE_PAGES.items():
        page.goto(server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide at 360px ({ui})"
        header = page.locator("header.top").bounding_box()
        assert header["height"] <= 64, f"{path}: header {header['height']}px tall ({ui})"
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
