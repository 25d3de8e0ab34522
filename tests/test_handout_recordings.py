"""Recordings of a handout translation's paragraphs: made by the mediator on the
translation page, part of the signed text only once they exist, and frozen into the
session pack with the text."""

from __future__ import annotations

import io
import re

from sqlmodel import select

from glossary import groups
from glossary.audio import earlier, store
from glossary.demo_handouts import RULES
from glossary.handouts import translations
from glossary.models import Recording
from tests.test_handout_texts import (
    concepts,
    group,
    rules_text,
    sign_both,
    staff,
    translate,
)
from tests.test_recordings import LIMITS, VOICE, wav

__all__ = ["concepts", "group", "staff"]  # fixtures shared with tests/test_handout_texts.py


def signed_rules(db, group, staff, language="ar"):
    text = rules_text(db, group, staff)
    keys = [k for _n, k in translations.numbered(text)]
    parts = dict(zip(keys, RULES[language], strict=False)) if language in RULES else None
    return text, sign_both(db, translate(db, text, language, staff, parts), staff)


def record(db, translation, person, key="p1", data=None):
    blob = store.store_audio(db, data=data or VOICE.read_bytes(), limits=LIMITS)
    store.record_handout_paragraph(db, translation=translation, key=key, sha256=blob.sha256,
                                   seen_version=translation.version, person=person)
    db.refresh(translation)
    return blob


def test_a_paragraph_recording_enters_the_signed_text_and_sends_it_to_review(
        db, group, staff):
    text, arabic = signed_rules(db, group, staff)
    wording = translations.translation_wording(db, arabic)
    assert "audio" not in wording.snapshot  # no recording: the fingerprint is as before
    assert arabic.state == "agreed"
    key = text.paragraphs[0]["id"]
    blob = record(db, arabic, staff["samir"], key=key)
    assert arabic.audio == {key: blob.sha256}
    after = translations.translation_wording(db, arabic)
    assert after.snapshot["audio"] == {key: blob.sha256}
    assert after.fingerprint != wording.fingerprint
    assert arabic.state == "needs_review"
    row = db.exec(select(Recording)).one()
    assert (row.slot, row.owner_id, row.part, row.language) == (
        "handout.paragraph", arabic.id, 1, "ar")
    assert sign_both(db, arabic, staff).state == "agreed"
    # A second paragraph's recording sits beside the first and needs signing again.
    title = record(db, arabic, staff["samir"], key="title", data=wav(1.0))
    assert arabic.audio == {key: blob.sha256, "title": title.sha256}
    assert arabic.state == "needs_review"


def test_only_the_languages_mediator_records_and_only_translated_paragraphs(
        db, group, staff):
    from glossary.errors import NotFound, Refused

    text, arabic = signed_rules(db, group, staff)
    key = text.paragraphs[0]["id"]
    for person, part, error in ((staff["olena"], key, Refused),
                                (staff["samir"], "p999", NotFound)):
        try:
            record(db, arabic, person, key=part)
        except error:
            pass
        else:
            raise AssertionError("recorded")
    db.refresh(arabic)
    assert arabic.audio is None and arabic.state == "agreed"
    assert db.exec(select(Recording)).all() == []


def test_the_pack_freezes_the_recordings_with_the_text_only_when_there_are_some(
        db, group, staff):
    text, arabic = signed_rules(db, group, staff)
    before = groups.build_pack_content(db, group, "ar")
    assert "audio" not in before["handouts"][0]
    key = text.paragraphs[0]["id"]
    blob = record(db, arabic, staff["samir"], key=key)
    sign_both(db, arabic, staff)
    content = groups.build_pack_content(db, group, "ar")
    assert content["handouts"][0]["audio"] == {key: blob.sha256}
    assert content["handouts"][0]["fingerprint"] == translations.translation_wording(
        db, arabic).fingerprint
    pack = groups.create_pack(db, group=group, language="ar", person=None)
    assert pack.content["handouts"][0]["audio"] == {key: blob.sha256}


def test_record_a_paragraph_through_the_translation_page(app, client, auth, db, group,
                                                         staff):
    app.config["WTF_CSRF_ENABLED"] = False
    text, ukrainian = signed_rules(db, group, staff, "uk")
    key = text.paragraphs[0]["id"]
    base = f"/groups/{group.id}/handouts/rules/uk"
    auth.login("olena@example.org")
    page = client.get(base).get_data(as_text=True)
    assert f"{base}/recording/{key}" in page and f"{base}/recording/title" in page
    recorder = client.get(f"{base}/recording/{key}").get_data(as_text=True)
    assert ukrainian.paragraphs[key] in recorder
    sent = client.post(f"{base}/recording/{key}", content_type="multipart/form-data",
                       data={"audio": (io.BytesIO(VOICE.read_bytes()), "voice.wav")})
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"',
                    sent.get_data(as_text=True)).group(1)
    saved = client.post(f"{base}/recording/{key}/save",
                        data={"sha256": sha, "version": ukrainian.version})
    assert saved.status_code == 302
    db.refresh(ukrainian)
    assert ukrainian.audio == {key: sha} and ukrainian.state == "needs_review"
    page = client.get(base).get_data(as_text=True)
    assert re.search(r'class="paragraph-recording">\s*<audio[^>]*aria-label="Recording: '
                     r'Paragraph 1".*?/audio/' + sha + r"\.ogg", page, re.S)
    # Another language's mediator may not; an unknown paragraph has no recorder.
    auth.logout()
    auth.login("samir@example.org")
    refused = client.post(f"{base}/recording/{key}/save",
                          data={"sha256": sha, "version": ukrainian.version})
    assert refused.status_code == 403
    assert client.get(f"{base}/recording/p999").status_code == 404


# --- the session kit -------------------------------------------------------------------


def offline_files(page: str) -> set[str]:
    """The recordings kit.js stores for offline use: every play button's sources."""
    pairs = re.findall(r'data-kit-play data-ogg="([^"]+)" data-m4a="([^"]+)"', page)
    return {url for pair in pairs for url in pair}


def test_the_kit_shows_the_rules_in_both_languages_with_their_recordings_offline(
        client, auth, db, group, staff):
    text, arabic = signed_rules(db, group, staff)
    first = text.paragraphs[0]["id"]
    blob = record(db, arabic, staff["samir"], key=first)
    sign_both(db, arabic, staff)
    groups.create_pack(db, group=group, language="ar", person=None)
    auth.login("anna@example.org")
    base = f"/kit/groups/{group.id}/ar/"
    page = client.get(base).get_data(as_text=True)
    section = page[page.index('data-kit-text="rules"'):page.index("</section>")]
    # The title and each paragraph in Arabic first, right to left, English smaller after.
    title = re.search(r'<h2 id="kit-text-rules-title" lang="ar" dir="rtl">([^<]+)</h2>',
                      section).group(1)
    assert title == arabic.paragraphs["title"]
    assert section.index(title) < section.index(f'lang="en" dir="ltr">{text.title}<')
    spoken = arabic.paragraphs[first].lstrip("-# ")
    assert section.index(spoken) < section.index('class="kit-para-source"', section.index(spoken))
    assert 'href="#kit-text-rules"' in page and "Ground rules" in page
    # The group's phone number keeps its order inside the Arabic text.
    assert '<bdi dir="ltr">+49 30 7654321</bdi>' in section
    # The recorded paragraph has a play button, the others none; its sound is kept offline.
    assert section.count("data-kit-play") == 1
    files = offline_files(page)
    assert {f"{base}audio/{blob.sha256}.ogg", f"{base}audio/{blob.sha256}.m4a"} <= files
    assert client.get(f"{base}audio/{blob.sha256}.ogg").status_code == 200
    assert client.get(f"{base}audio/{'0' * 64}.ogg").status_code == 404


def test_the_ukrainian_kit_shows_its_rules_without_recordings(client, auth, db, group,
                                                              staff):
    text, ukrainian = signed_rules(db, group, staff, "uk")
    groups.create_pack(db, group=group, language="uk", person=None)
    auth.login("anna@example.org")
    page = client.get(f"/kit/groups/{group.id}/uk/").get_data(as_text=True)
    section = page[page.index('data-kit-text="rules"'):page.index("</section>")]
    assert f'lang="uk" dir="ltr">{ukrainian.paragraphs["title"]}</h2>' in section
    assert re.search(r"[\u0400-\u04ff]", section) and "data-kit-play" not in section
    assert "{{" not in section  # every placeholder resolved from the pack


def test_a_recording_of_a_paragraph_changed_since_is_marked_on_the_page(
        app, client, auth, db, group, staff):
    text, arabic = signed_rules(db, group, staff)
    first, second = (p["id"] for p in text.paragraphs[:2])
    record(db, arabic, staff["samir"], key=first)
    record(db, arabic, staff["samir"], key=second, data=wav(1.0))
    base = f"/groups/{group.id}/handouts/rules/ar"
    auth.login("samir@example.org")
    page = client.get(base).get_data(as_text=True)
    assert "recorded for an earlier wording" not in page
    assert earlier.earlier_paragraphs(db, arabic, slot=store.HANDOUT_PARAGRAPH,
                                    texts=arabic.paragraphs) == set()
    # The first paragraph's translation changes; its recording still speaks the old one.
    parts = dict(arabic.paragraphs) | {first: arabic.paragraphs[first] + " جديد"}
    arabic = translations.save_translation(db, text=text, language="ar", parts=parts,
                                           seen_version=arabic.version,
                                           person=staff["samir"])
    assert earlier.earlier_paragraphs(db, arabic, slot=store.HANDOUT_PARAGRAPH,
                                    texts=arabic.paragraphs) == {first}
    page = client.get(base).get_data(as_text=True)
    marks = re.findall(r'id="t-(\w+)".*?(recorded for an earlier wording|class="field-label")',
                       page, re.S)
    assert [key for key, what in marks if what.startswith("recorded")] == [first]
    # Recorded again for the new text: the mark goes.
    record(db, arabic, staff["samir"], key=first, data=wav(1.2))
    assert "recorded for an earlier wording" not in client.get(base).get_data(as_text=True)
