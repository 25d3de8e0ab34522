"""The other slots of a rendering's recordings: the participants' explanation spoken by
the mediator (part of the signed wording, played on the concept page and in the
history, and in the session kit), and a wording recording kept but marked once the
text it speaks has been edited."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from glossary import agreement as rules
from glossary import groups
from glossary.audio import earlier, store
from glossary.concepts import edit_term, parse_term
from glossary.errors import InputError
from glossary.models import Agreement, Recording
from glossary.signoff import current_fingerprint
from tests.conftest import TODAY, agree
from tests.test_recordings import LIMITS, VOICE, staff, state, target_term, wav

__all__ = ["staff"]  # the fixture, shared with tests/test_recordings.py

ARABIC = "أن تقول نعم بحرية، ويمكنك أن تغيّر رأيك."
UKRAINIAN = "Сказати «так» вільно, без тиску."


@pytest.fixture
def explained(db, staff, make_concept):
    """consent agreed in Arabic and Ukrainian, each with an explanation."""
    concept = make_concept("consent", ar={"text": "الموافقة", "explanation": ARABIC},
                           uk={"text": "згода", "explanation": UKRAINIAN})
    agree(db, concept, "ar", staff["anna"], staff["samir"])
    agree(db, concept, "uk", staff["anna"], staff["olena"])
    return concept


def record(db, term, person, data=None, slot=store.TERM_WORDING):
    blob = store.store_audio(db, data=data or VOICE.read_bytes(), limits=LIMITS)
    store.record_term(db, term=term, sha256=blob.sha256, seen_version=term.version,
                      person=person, working="en", slot=slot)
    db.refresh(term)
    return blob


def test_an_explanation_recording_is_signed_wording_and_sends_the_pair_to_review(
        db, staff, explained):
    term = target_term(db, explained, "ar")
    agreement = db.exec(select(Agreement).where(Agreement.target_language == "ar")).one()
    before = current_fingerprint(db, agreement)
    blob = record(db, term, staff["samir"], slot=store.TERM_EXPLANATION)
    assert term.audio == {"explanation": blob.sha256}
    assert current_fingerprint(db, agreement) != before
    assert state(db, explained, "ar") == rules.NEEDS_REVIEW
    assert state(db, explained, "uk") == rules.AGREED
    row = db.exec(select(Recording)).one()
    assert (row.slot, row.owner_id) == ("term.explanation", term.id)
    # Both recordings side by side: the wording's does not replace the explanation's.
    wording = record(db, term, staff["samir"], data=wav(1.0))
    assert term.audio == {"explanation": blob.sha256, "wording": wording.sha256}


def test_a_rendering_without_explanation_has_none_to_record(db, staff, make_concept):
    concept = make_concept("consent", ar="الموافقة")
    term = target_term(db, concept, "ar")
    with pytest.raises(InputError, match="no explanation"):
        record(db, term, staff["samir"], slot=store.TERM_EXPLANATION)
    db.refresh(term)
    assert term.audio is None and db.exec(select(Recording)).all() == []


def test_record_the_explanation_through_the_pages(app, client, auth, db, staff, explained):
    app.config["WTF_CSRF_ENABLED"] = False
    term = target_term(db, explained, "uk")
    auth.login("olena@example.org")
    concept_page = client.get(f"/concepts/{explained.id}").get_data(as_text=True)
    assert f"/terms/{term.id}/recording/explanation" in concept_page
    page = client.get(f"/terms/{term.id}/recording/explanation").get_data(as_text=True)
    assert "Record the explanation for participants" in page and UKRAINIAN in page
    sent = client.post(f"/terms/{term.id}/recording/explanation",
                       content_type="multipart/form-data",
                       data={"audio": (io.BytesIO(VOICE.read_bytes()), "voice.wav")})
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"',
                    sent.get_data(as_text=True)).group(1)
    assert f"/terms/{term.id}/recording/explanation/save" in sent.get_data(as_text=True)
    saved = client.post(f"/terms/{term.id}/recording/explanation/save",
                        data={"sha256": sha, "version": term.version})
    assert saved.status_code == 302
    db.refresh(term)
    assert term.audio == {"explanation": sha}
    assert state(db, explained, "uk") == rules.NEEDS_REVIEW
    concept_page = client.get(f"/concepts/{explained.id}").get_data(as_text=True)
    panel = concept_page[concept_page.index('id="lang-uk"'):]
    assert re.search(r'class="explanation-recording">.*?/audio/' + sha + r"\.ogg",
                     panel, re.S)
    history = client.get(f"/concepts/{explained.id}/history").get_data(as_text=True)
    assert f"/audio/{sha}.ogg" in history and "Recording of the explanation" in history
    # Someone without the language may not: the page says so and nothing is saved.
    auth.logout()
    auth.login("samir@example.org")
    refused = client.post(f"/terms/{term.id}/recording/explanation/save",
                          data={"sha256": sha, "version": term.version})
    assert refused.status_code == 403
    # A rendering without an explanation has no explanation recorder.
    term.explanation = ""
    db.add(term)
    db.commit()
    assert client.get(f"/terms/{term.id}/recording/explanation").status_code == 404
    assert client.get(f"/terms/{term.id}/recording/nothing").status_code == 404


# --- a recording made for an earlier text ------------------------------------------------


def edit(db, term, person, **fields):
    data = {"text": term.text, "explanation": term.explanation} | fields
    edit_term(db, term=term, data=parse_term(data), seen_version=term.version,
              person=person, working="en")
    db.refresh(term)


def test_a_recording_of_an_earlier_text_is_kept_and_marked_until_recorded_again(
        app, client, auth, db, staff, explained):
    term = target_term(db, explained, "ar")
    spoken = record(db, term, staff["samir"])
    said = record(db, term, staff["samir"], data=wav(1.0), slot=store.TERM_EXPLANATION)
    assert earlier.earlier_wording(db, [term]) == {}
    # Editing the explanation leaves the wording's recording current.
    edit(db, term, staff["samir"], explanation=ARABIC + " دائمًا.")
    assert earlier.earlier_wording(db, [term]) == {term.id: {"explanation"}}
    edit(db, term, staff["samir"], text="القبول")
    assert term.audio == {"wording": spoken.sha256, "explanation": said.sha256}  # kept
    assert earlier.earlier_wording(db, [term]) == {term.id: {"wording", "explanation"}}
    auth.login("anna@example.org")
    page = client.get(f"/concepts/{explained.id}").get_data(as_text=True)
    panel = page[page.index('id="lang-ar"'):page.index('id="lang-uk"')]
    assert "recorded for an earlier wording" in panel
    assert "recorded for an earlier explanation" in panel
    assert "recorded for an earlier" not in page[page.index('id="lang-uk"'):]
    # Recorded again: the mark goes.
    record(db, term, staff["samir"], data=wav(1.5))
    assert earlier.earlier_wording(db, [term]) == {term.id: {"explanation"}}
    page = client.get(f"/concepts/{explained.id}").get_data(as_text=True)
    assert "recorded for an earlier wording" not in page
    # Edited away and back to the text it was recorded for: current again.
    edit(db, term, staff["samir"], text="موافقة")
    assert "wording" in earlier.earlier_wording(db, [term])[term.id]
    edit(db, term, staff["samir"], text="القبول")
    assert "wording" not in earlier.earlier_wording(db, [term])[term.id]


def test_the_kit_shows_the_explanation_with_its_recording_and_finds_it(
        client, auth, db, staff, explained):
    term = target_term(db, explained, "ar")
    said = record(db, term, staff["samir"], slot=store.TERM_EXPLANATION)
    agree(db, explained, "ar", staff["anna"], staff["samir"])
    data = groups.GroupInput(name="Tuesday group", working_language="en",
                             start_date=TODAY + timedelta(days=10), languages=["ar"],
                             facilitator_ids=[staff["anna"].id],
                             mediator_ids=[staff["samir"].id])
    group = groups.create_group(db, data=data, person=staff["anna"])
    groups.add_concepts(db, group=group, person=staff["anna"], concept_ids=[explained.id])
    groups.create_pack(db, group=group, language="ar", person=staff["anna"])
    auth.login("anna@example.org")
    page = client.get(f"/kit/groups/{group.id}/ar/").get_data(as_text=True)
    entry = page[page.index("data-kit-entry"):]
    assert re.search(r'class="kit-explanation" lang="ar" dir="rtl">' + re.escape(ARABIC),
                     entry)
    audio = f"/kit/groups/{group.id}/ar/audio/{said.sha256}.ogg"
    assert audio in entry
    # The search box finds the word by its explanation too.
    search = re.search(r'data-search="([^"]*)"', entry).group(1)
    assert "بحرية" in search
    # The explanation's recording is served through the kit (and kept for offline use:
    # kit.js keeps every play button's sound).
    assert client.get(audio).status_code == 200
    assert "data-kit-play" in entry


def test_the_trainers_view_lists_agreed_explanations_without_a_recording(
        client, auth, db, staff, make_person, make_concept, explained):
    from glossary.gaps.lists import unexplained, unrecorded

    # A rendering without an explanation has nothing to record for it: not listed.
    bare = make_concept("anger", ar="الغضب")
    agree(db, bare, "ar", staff["anna"], staff["samir"])
    term = target_term(db, explained, "ar")
    record(db, term, staff["samir"], slot=store.TERM_EXPLANATION)
    agree(db, explained, "ar", staff["anna"], staff["samir"])
    listed = unexplained(db, working="en", today=TODAY)
    assert [(e.concept_key, e.language) for e in listed] == [("consent", "uk")]
    # The wording's list is its own: the Arabic consent still lacks its wording's sound.
    assert ("consent", "ar") in {(e.concept_key, e.language)
                                 for e in unrecorded(db, working="en", today=TODAY)}
    make_person("tina", "trainer")
    auth.login("tina@example.org")
    page = client.get("/trainers/agreements").get_data(as_text=True)
    section = page[page.index('id="unexplained"'):]
    assert "Agreed without a recording of the explanation" in section
    assert "#lang-uk" in section and "#lang-ar" not in section


def test_the_api_links_the_explanations_recording(client, db, staff, make_person, explained):
    from glossary.api_tokens import issue_token

    term = target_term(db, explained, "uk")
    blob = record(db, term, staff["olena"], slot=store.TERM_EXPLANATION)
    agree(db, explained, "uk", staff["anna"], staff["olena"])
    _row, token = issue_token(db, person=staff["olena"], label="phone",
                              by=make_person("alex", "admin"))
    headers = {"Authorization": f"Bearer {token}"}
    found = client.get("/api/v1/glossary?target=uk", headers=headers).json
    rendering = found["concepts"][0]["target"][0]
    assert rendering["audio"] == {"explanation": blob.sha256}
    assert "audio_urls" not in rendering  # the wording has none
    links = rendering["explanation_audio_urls"]
    assert links["ogg"].endswith(f"/api/v1/audio/{blob.sha256}.ogg")
    assert links["m4a"].endswith(f"/api/v1/audio/{blob.sha256}.m4a")
    served = client.get(links["m4a"].split("localhost", 1)[-1], headers=headers)
    assert served.status_code == 200 and served.data == blob.m4a
