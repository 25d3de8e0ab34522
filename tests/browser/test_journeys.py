"""Issue 18 journeys in a real browser on the demo data: a mediator starts a language
the concept has none in yet, sees the concept beside the form and a confirmation; the
"similar wording" hint says why; a new API token is copied with the button."""

from playwright.sync_api import expect

from .conftest import shoot


def open_concept(page, server, english: str):
    page.goto(f"{server}/concepts?q={english}&language=")
    page.get_by_role("link", name=english, exact=True).click()


def test_mediator_starts_pashto_with_the_concept_beside_the_form(new_page, server):
    mariam = new_page("mariam@example.org")
    open_concept(mariam, server, "rape")  # Arabic and Ukrainian only
    own = mariam.locator("#add-language optgroup").first.locator("option")
    assert own.evaluate_all("options => options.map(o => o.value)") == ["fa-AF", "ps"]
    expect(mariam.locator("#add-language-help")).to_contain_text("No rendering yet in")
    mariam.select_option("#add-language", "ps")
    mariam.get_by_role("button", name="Propose").click()
    aside = mariam.locator("aside.term-beside")
    expect(aside).to_contain_text("rape")
    expect(aside.locator('bdi[lang="ar"]')).to_have_attribute("dir", "rtl")
    expect(aside.locator('bdi[lang="uk"]')).to_have_text("зґвалтування")
    mariam.fill("#text", "جنسي تېری")
    shoot(mariam, "journeys-propose-pashto")
    mariam.get_by_role("button", name="Save").click()
    expect(mariam.locator("main > .notice.success").first).to_contain_text(
        "Your rendering in Pashto is saved")
    expect(mariam.locator("#lang-ps .state")).to_have_text("Proposed")


def test_similar_wording_hint_says_why_and_skips_another_word(new_page, server):
    samir = new_page("samir@example.org")
    open_concept(samir, server, "rape within marriage")
    samir.select_option("#add-language", "ar")
    samir.get_by_role("button", name="Propose").click()
    expect(samir.get_by_role("link", name="Cancel")).to_be_visible()
    hints = samir.locator("#text-duplicates")
    samir.fill("#text", "غضب")
    expect(hints).to_contain_text("الغضب")
    expect(hints).to_contain_text("the same word with an article, prefix or ending")
    samir.fill("#text", "القضيب")  # penis: another word than الغضب (anger)
    expect(hints).not_to_contain_text("الغضب")


def test_new_token_is_copied_with_the_button(new_page, server, browser):
    admin = new_page("admin@example.org")
    admin.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                    origin=server)
    admin.goto(f"{server}/imports/tokens")
    admin.fill("#label", "phone")
    admin.get_by_role("button", name="Create token").click()
    button = admin.get_by_role("button", name="Copy")
    expect(button).to_be_visible()
    token = admin.locator("#new-token").input_value()
    button.click()
    expect(admin.locator("#copy-status")).to_have_text("Copied.")
    assert admin.evaluate("navigator.clipboard.readText()") == token
    admin.locator("#new-token").focus()
    assert admin.evaluate("document.getSelection().toString() || "
                          "(document.activeElement.selectionEnd - "
                          "document.activeElement.selectionStart)") in (token, len(token))
