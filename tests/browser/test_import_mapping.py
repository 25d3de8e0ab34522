"""The import's column mapping in a real browser: a column whose language cannot be told
is asked for, the preview follows the choice in place (htmx), and the import writes what
the preview showed."""

from __future__ import annotations

from .conftest import shoot
from .test_interface import serious_violations

LIST = ("English,Dari,Column X,Notes\n"
        "mapping step check,بررسی مرحله نقشه,ምርመራ ደረጃ,from the browser test\n"
        "second mapping check,بررسی دوم,ካልኣይ ምርመራ,\n").encode()


def test_mapping_step_asks_updates_in_place_and_imports(new_page, server):
    page = new_page("anna@example.org", bypass_csp=True)
    page.goto(f"{server}/imports")
    page.set_input_files("#file", files=[{"name": "browser-list.csv", "mimeType": "text/csv",
                                          "buffer": LIST}])
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_url(f"{server}/imports/*")
    assert page.locator("#s0-c1-lang").input_value() == "fa-AF"
    assert page.locator("#s0-c3-role").input_value() == "note"
    assert "Choose the language of each column" in page.inner_text("#import-preview")
    assert page.locator("button.primary").is_disabled()
    assert not serious_violations(page)
    unknown = page.locator("#s0-c2-lang")
    assert unknown.input_value() == ""
    unknown.fill("ti")
    unknown.blur()  # "change": htmx posts the form and swaps the preview in place
    page.wait_for_selector("text=New renderings")
    url = page.url
    assert page.url == url and page.locator("h1").count() == 1
    tigrinya = page.locator('bdi[lang="ti"]', has_text="ምርመራ ደረጃ")
    assert tigrinya.count() == 1 and tigrinya.first.get_attribute("dir") == "ltr"
    dari = page.locator('bdi[lang="fa-AF"]', has_text="بررسی مرحله نقشه")
    assert dari.first.get_attribute("dir") == "rtl"
    assert page.locator("#s0-c2-lang").input_value() == "ti"
    assert page.locator("button.primary").is_enabled()
    assert not serious_violations(page)
    shoot(page, "import-mapping")
    page.click("button.primary")
    page.wait_for_url(f"{server}/imports")
    assert "Imported browser-list.csv" in page.inner_text("main")
    page.goto(f"{server}/search?q=mapping+step+check")
    assert "mapping step check" in page.inner_text("main")
