"""A group's ground rules end to end in a real browser: the facilitator makes a new group
and adapts the ground rules for it, the mediator translates them into Arabic with the
terminology check running as they type, both sign, the facilitator freezes the pack and
prints the Arabic handout, which reads Arabic first and prints no key."""

import re
import subprocess

from playwright.sync_api import expect

from glossary.demo_handouts import RULES

from .conftest import shoot

ARABIC = re.compile(r"[\u0600-\u06ff]")


def add_concept(page, wording: str) -> None:
    form = page.locator("form", has=page.locator("option", has_text=wording))
    form.locator("select").select_option(label=wording)
    form.get_by_role("button", name="Add").click()


def test_adapt_translate_sign_freeze_and_print_arabic_rules(new_page, server, tmp_path):
    anna = new_page("anna@example.org")
    anna.goto(f"{server}/groups/new")
    anna.fill("#name", "Monday rules group")
    anna.fill("#languages-1", "ar")  # the first target-language field of the picker
    anna.fill("#audience", "fathers who want to change how they treat their family")
    anna.fill("#meeting_day", "on Mondays")
    anna.fill("#place", "Town Hall, Room 4")
    anna.fill("#contact", "+49 30 5550000")
    anna.get_by_label("Samir Mediator").check()
    anna.get_by_role("button", name="Save").click()
    for wording in ("confidentiality", "anger", "consent (sexual)"):
        add_concept(anna, wording)
    group_url = anna.url.rsplit("/concepts", 1)[0]

    # The facilitator makes the ground rules from the starter and adapts them.
    anna.goto(f"{group_url}/handouts")
    anna.select_option("#kind", "rules")
    anna.get_by_role("button", name="Make").click()
    expect(anna.locator("#title")).to_have_value("How we work together")
    anna.fill("#title", "Rules of the Monday group")
    anna.fill("#new-1", "We switch off our phones.")
    anna.select_option("#picture-new-1", "clock")
    anna.get_by_role("button", name="Save").click()
    expect(anna.locator("p.notice.success[role=status]")).to_contain_text("Saved")
    anna.fill("#text-p3", "Bad {{group:phone}} here")
    anna.get_by_role("button", name="Save").click()
    expect(anna.locator(".notice.error").first).to_contain_text("paragraph 3")
    expect(anna.locator(".notice.error").first).to_contain_text("{{group:phone}}")

    # The mediator translates paragraph by paragraph; the check runs as he types.
    samir = new_page("samir@example.org")
    samir.goto(f"{group_url}/handouts/rules/ar")
    lines = ["قواعد مجموعة يوم الاثنين", *RULES["ar"][1:], "نطفئ هواتفنا."]
    keys = ["title"] + [f"p{n}" for n in range(1, 11)]
    for key, line in zip(keys, lines, strict=True):
        samir.fill(f"#t-{key}", line)
    samir.locator("#t-p4").press_sequentially(" ")
    expect(samir.locator("#check-p4 .finding")).to_contain_text("الغضب")
    samir.get_by_role("button", name="Save translation").click()
    expect(samir.locator(".state").first).to_have_text("Proposed")
    samir.get_by_role("button", name="Sign as Mediator").click()
    expect(samir.locator("p.notice.success[role=status]")).to_contain_text("Signed")

    anna.goto(f"{group_url}/handouts/rules/ar")
    anna.get_by_role("button", name="Sign as Facilitator").click()
    expect(anna.locator(".state").first).to_have_text("Agreed")
    shoot(anna, "handout-rules-ar-agreed-1280")

    # Freeze the pack and print the Arabic handout.
    anna.goto(group_url)
    anna.get_by_role("button", name="Freeze session pack").click()
    expect(anna.locator("p.notice.success[role=status]")).to_contain_text("frozen")
    with anna.expect_download() as download:
        anna.locator(".pack-box a[href*='/handouts/packs/'][href$='/rules.pdf']").click()
    path = tmp_path / "rules-ar.pdf"
    download.value.save_as(path)
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                         check=True).stdout.decode()
    first = next(line for line in raw.splitlines() if line.strip())
    assert ARABIC.search(first), first
    assert "{{" not in raw and "DRAFT" not in raw
    assert "+49 30 5550000" in raw and "السرية" in raw


HANDOUT_PAGES = ["/groups/1/handouts", "/groups/1/handouts/rules",
                 "/groups/1/handouts/rules/ar", "/groups/1/handouts/rules/fa-AF",
                 "/groups/1/handouts/programme/ti", "/groups/1/edit"]


def test_handout_pages_are_accessible_and_fit_a_phone(new_page, server):
    from .test_interface import serious_violations

    page = new_page("anna@example.org", bypass_csp=True)
    found = {}
    for path in HANDOUT_PAGES:
        page.goto(server + path)
        violations = serious_violations(page)
        if violations:
            found[path] = violations
    assert not found, found
    phone = new_page("mariam@example.org", width=360)
    for path in ("/groups/1/handouts/rules/fa-AF", "/groups/1/handouts"):
        phone.goto(server + path)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    shoot(phone, "handout-translation-fa-AF-360")
