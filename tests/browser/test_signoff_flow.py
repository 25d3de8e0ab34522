"""The sign-off flow end to end in a real browser, two people in two browser contexts."""

import re

from playwright.sync_api import expect

from .conftest import shoot


def open_concept(page, server, english: str):
    page.goto(f"{server}/concepts?q={english}")
    page.get_by_role("link", name=english, exact=True).click()


def test_propose_sign_both_sides_in_place_then_edit_needs_review(new_page, server):
    samir = new_page("samir@example.org")
    anna = new_page("anna@example.org")

    # The mediator proposes an Arabic rendering for a concept that has none.
    open_concept(samir, server, "penis")
    samir.select_option("#add-language", "ar")
    samir.get_by_role("button", name="Propose").click()
    samir.fill("#text", "القضيب")
    samir.select_option("#register", "clinical")
    samir.fill("#back_translation", "the rod (anatomical term)")
    samir.get_by_role("button", name="Save").click()
    panel = samir.locator("#lang-ar")
    expect(panel.locator(".state")).to_have_text("Proposed")
    expect(panel.locator(".term-text")).to_have_attribute("dir", "rtl")

    # The facilitator signs; the panel changes in place, without a page load.
    open_concept(anna, server, "penis")
    anna.evaluate("window.__noReload = true")
    anna.locator("#lang-ar").get_by_role("button", name="Sign as Facilitator").click()
    expect(anna.locator("#lang-ar .notice.success")).to_have_text("Signed.")
    expect(anna.locator("#announcer")).to_have_text("Arabic: Signed.")
    assert anna.evaluate("document.activeElement.textContent") == "Signed."
    assert anna.evaluate("window.__noReload") is True
    expect(anna.locator("#lang-ar .signatures")).to_contain_text("Anna Facilitator")

    # The mediator signs with the keyboard alone.
    samir.reload()
    samir.evaluate("window.__noReload = true")
    button = samir.locator("#lang-ar").get_by_role("button", name="Sign as Mediator")
    for _ in range(80):
        samir.keyboard.press("Tab")
        if samir.evaluate("document.activeElement.textContent.trim()") == "Sign as Mediator":
            break
    else:
        raise AssertionError("the sign button cannot be reached with the keyboard")
    samir.keyboard.press("Enter")
    expect(samir.locator("#lang-ar .state")).to_have_text("Agreed")
    expect(button).to_have_count(0)
    assert samir.evaluate("window.__noReload") is True
    shoot(samir, "signoff-agreed-1280")

    # An edit sends it back to review.
    samir.locator("#lang-ar").get_by_role("link", name=re.compile("Edit rendering")).click()
    samir.fill("#text", "العضو الذكري")
    samir.get_by_role("button", name="Save").click()
    expect(samir.locator("#lang-ar .state")).to_have_text("Needs review")
    expect(samir.locator("#lang-ar .earlier")).to_contain_text("2 earlier signatures")
    samir.get_by_role("link", name="History").first.click()
    expect(samir.locator("tr.signature")).to_have_count(2)
    expect(samir.locator("tr.term-version")).to_contain_text(["العضو الذكري", "القضيب"])
