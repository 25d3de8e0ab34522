"""Done-when of issue 16, in Chromium with a fake microphone: the mediator records a
rendering, both people sign, the pack is frozen, the kit opens through a kit link on a
phone that does not sign in, the phone goes offline, the kit reloads and plays the
recording; a new recording sends the pair back to needs review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import BROWSER_ARGS, chromium_path, page_opener, shoot

VOICE = Path(__file__).resolve().parents[1] / "data" / "audio" / "voice.wav"
WORD = "كلمة التسجيل"
EXPLANATION = "كلمة نقولها بصوت عالٍ في المجموعة."


@pytest.fixture(scope="module")
def microphone_browser(playwright_driver):
    """Chromium whose microphone plays tests/data/audio/voice.wav, and which may play
    audio without a click (the test presses play through script)."""
    instance = playwright_driver.chromium.launch(
        executable_path=chromium_path(), headless=True,
        args=[*BROWSER_ARGS, "--use-fake-ui-for-media-stream",
              "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-audio-capture={VOICE}",
              "--autoplay-policy=no-user-gesture-required"])
    yield instance
    instance.close()


@pytest.fixture
def person_page(microphone_browser, server):
    contexts: list = []
    yield page_opener(microphone_browser, server, contexts)
    for context in contexts:
        context.close()


def record(page, server, concept_url: str, link: str = "record") -> None:
    """On the concept page, open the recorder of the Arabic rendering (or of its
    explanation: ``link``), record about two seconds from the fake microphone, listen
    back and save."""
    page.goto(concept_url)
    page.locator("#lang-ar").get_by_role("link", name=link).first.click()
    expect(page.locator("[data-recorder]")).to_be_visible()
    page.get_by_role("button", name="Record").click()
    expect(page.locator("[data-record-status]")).to_contain_text("Recording")
    page.wait_for_timeout(2500)  # let the fake microphone speak (not an assertion)
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("#listen-back audio")).to_be_visible()
    page.get_by_role("button", name="Save this recording").click()
    page.wait_for_url(re.compile(r"/concepts/\d+"))


def sign(page, concept_url: str, role: str) -> None:
    page.goto(concept_url)
    page.locator("#lang-ar").get_by_role("button", name=f"Sign as {role}").click()
    expect(page.locator("#lang-ar .notice.success")).to_have_text("Signed.")


def test_record_sign_freeze_open_the_kit_offline_and_play(person_page, server):
    anna = person_page("anna@example.org")
    samir = person_page("samir@example.org")

    # A concept of its own, proposed in Arabic by the mediator.
    anna.goto(f"{server}/concepts/new")
    anna.fill("#key", "kit-recorded-word")
    anna.fill("#source_text", "recorded word")
    anna.get_by_role("button", name="Save").click()
    concept_url = anna.url.split("#")[0]
    samir.goto(concept_url)
    samir.select_option("#add-language", "ar")
    samir.get_by_role("button", name="Propose").click()
    samir.fill("#text", WORD)
    samir.fill("#explanation", EXPLANATION)
    samir.get_by_role("button", name="Save").click()

    # The mediator records it from the microphone, and its explanation; the panel plays
    # both.
    record(samir, server, concept_url)
    record(samir, server, concept_url, link="Record the explanation of")
    panel = samir.locator("#lang-ar")
    said = re.search(r"([0-9a-f]{64})", panel.locator(".explanation-recording source").first
                     .get_attribute("src")).group(1)
    expect(panel.locator("audio.recording source").first).to_have_attribute(
        "src", re.compile(r"/audio/[0-9a-f]{64}\.ogg$"))
    sha = re.search(r"([0-9a-f]{64})", panel.locator("audio.recording source").first
                    .get_attribute("src")).group(1)

    sign(anna, concept_url, "Facilitator")
    sign(samir, concept_url, "Mediator")
    expect(samir.locator("#lang-ar .state")).to_have_text("Agreed")

    # A group for Arabic with that concept; the facilitator freezes its pack.
    anna.goto(f"{server}/groups/new")
    anna.fill("#name", "Kit test group")
    anna.fill("#working_language", "en")
    anna.fill("#languages-1", "ar")
    anna.get_by_label("Anna Facilitator").check()
    anna.get_by_label(re.compile("Samir")).check()
    anna.get_by_role("button", name="Save").click()
    expect(anna.locator("main")).to_contain_text("Concepts the group needs")
    group_url = anna.url.split("#")[0].removesuffix("/concepts")
    select = anna.locator("select[name=concept_id]").filter(
        has=anna.locator("option", has_text="recorded word"))
    select.select_option(label="recorded word")
    select.locator("xpath=ancestor::form").get_by_role("button").click()
    anna.goto(group_url)
    anna.get_by_role("button", name="Freeze session pack").click()
    expect(anna.locator(".notice.success")).to_contain_text("Session pack")
    pack_hash = anna.locator(".pack-box code").first.inner_text()

    # A kit link for a phone that does not sign in.
    anna.get_by_role("link", name="Session kits").first.click()
    anna.select_option("#kit-language", "ar")
    anna.get_by_role("button", name="Make a kit link").click()
    link = anna.locator("#issued-url").input_value()
    assert "/kit/t/" in link

    phone = person_page(None, width=360)
    phone.goto(link)
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("[data-kit-pack-hash]")).to_have_text(pack_hash)
    expect(phone.locator("body")).to_have_attribute("data-kit-ready", "offline")
    shoot(phone, "session-kit-online")

    phone.context.set_offline(True)
    phone.reload()
    expect(phone.locator(".kit-word")).to_have_text(WORD)
    expect(phone.locator("[data-kit-pack-hash]")).to_have_text(pack_hash)
    phone.locator("[data-kit-filter]").fill("recorded")
    expect(phone.locator("[data-kit-entry]")).to_be_visible()
    expect(phone.locator(".kit-explanation")).to_have_text(EXPLANATION)
    phone.locator("[data-kit-filter]").fill("بصوت")  # a word of the explanation only
    expect(phone.locator("[data-kit-entry]")).to_be_visible()
    phone.locator("[data-kit-filter]").fill("zzz-nothing")
    expect(phone.locator("[data-kit-entry]")).to_be_hidden()
    phone.locator("[data-kit-filter]").fill("")
    # One shared player; each word has a real button, named in the interface language
    # and played from the keyboard.
    assert phone.locator("audio").count() == 1
    button = phone.get_by_role("button", name=f"Listen: {WORD}")
    assert sha in button.get_attribute("data-ogg")
    explained = phone.get_by_role("button", name=f"Listen to the explanation: {WORD}")
    assert said in explained.get_attribute("data-ogg")
    kept = phone.evaluate("""() => caches.open(document.body.dataset.kitCache)
        .then(cache => cache.keys()).then(keys => keys.map(k => k.url))""")
    assert any(url.endswith(f"{sha}.ogg") for url in kept)
    assert any(url.endswith(f"{said}.ogg") for url in kept)
    expect(button).to_have_attribute("aria-pressed", "false")
    phone.evaluate("""() => {
        const player = document.querySelector('[data-kit-player]');
        window.kitPlayed = new Promise((resolve, reject) => {
            player.addEventListener('ended', () => resolve(true), {once: true});
            player.addEventListener('error', () => reject(new Error('audio error')),
                                    {once: true});
        });
    }""")
    button.focus()
    phone.keyboard.press("Enter")
    phone.evaluate("() => window.kitPlayed")
    played = phone.evaluate("""() => {
        const audio = document.querySelector('[data-kit-player]');
        return {ended: audio.ended, time: audio.currentTime, state: audio.readyState,
                src: audio.currentSrc};
    }""")
    assert played["ended"] and played["time"] > 1.5 and played["state"] >= 2
    assert played["src"].endswith(f"{sha}.ogg")
    expect(button).to_have_attribute("aria-pressed", "false")
    shoot(phone, "session-kit-offline")

    # A new recording is a new wording: the pair needs review again.
    record(samir, server, concept_url)
    expect(samir.locator("#lang-ar .state")).to_have_text("Needs review")

    # Agreed again and frozen again: back online, the kept kit says a newer pack exists,
    # and updating it shows the new pack.
    sign(anna, concept_url, "Facilitator")
    sign(samir, concept_url, "Mediator")
    anna.goto(group_url)
    anna.get_by_role("button", name="Freeze session pack").click()
    new_hash = anna.locator(".pack-box code").first.inner_text()
    assert new_hash != pack_hash
    phone.context.set_offline(False)
    phone.reload()
    expect(phone.locator("[data-kit-pack-hash]")).to_have_text(pack_hash)
    expect(phone.locator("[data-kit-newer]")).to_be_visible()
    phone.get_by_role("button", name="Update the kit").click()
    expect(phone.locator("[data-kit-pack-hash]")).to_have_text(new_hash)
    expect(phone.locator("[data-kit-newer]")).to_be_hidden()


def test_kit_pages_have_no_serious_accessibility_violations(person_page, server):
    """The demo group's kits (Arabic right to left, Ukrainian; with their ground rules),
    its kit links page and a recorder page, checked with axe (the page's CSP set aside
    only to load axe)."""
    from .test_interface import serious_violations

    page = person_page("anna@example.org", bypass_csp=True, width=360)
    page.goto(f"{server}/concepts/1")
    page.locator("#lang-ar").get_by_role("link", name="record").first.click()
    found = {"recorder": serious_violations(page)}
    for path in ("/groups/1/kit", "/kit/groups/1/ar/", "/kit/groups/1/uk/"):
        page.goto(server + path)
        found[path] = serious_violations(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    assert not any(found.values()), found
    page.goto(f"{server}/kit/groups/1/ar/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.locator("[data-kit-entry]").count() > 3
    # The demo's signed ground rules, Arabic first and right to left, English after.
    rules = page.locator("[data-kit-text=rules]")
    expect(rules.locator("h2")).to_have_attribute("dir", "rtl")
    expect(rules.locator(".kit-para-target").first).to_have_attribute("lang", "ar")
    expect(rules.locator(".kit-para-source").first).to_have_attribute("lang", "en")
    shoot(page, "session-kit-rules")
