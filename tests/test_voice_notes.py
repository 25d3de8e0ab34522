"""Voice notes: a flyer translation's paragraphs recorded (part of the signed text), and
the signed-off translation exported as one Ogg/Opus voice message."""

from __future__ import annotations

import io
import re
from pathlib import Path

import av
import pytest
from conftest import TODAY
from sqlmodel import select

from glossary import flyer_templates, flyers
from glossary.audio import earlier, store
from glossary.audio.voice_note import join_recordings
from glossary.models import AuditEvent
from glossary.models.flyers import Flyer
from glossary.models.recordings import Recording

VOICE = Path(__file__).parent / "data" / "audio" / "voice.wav"
LIMITS = store.AudioLimits()


@pytest.fixture
def team(make_person):
    return {"anna": make_person("anna", "facilitator"),
            "samir": make_person("samir", "mediator", "ar"),
            "oskar": make_person("oskar", "outreach")}


@pytest.fixture
def translation(db, team):
    template = flyer_templates.get_template("info-evening")
    flyer = flyers.create_flyer(db, name="Evening", template_key="info-evening", layout="a4",
                                fields={spec.key: spec.default for spec in template.fields},
                                person=team["oskar"], working="en")
    arabic = {spec.key: f"نص {spec.key}" for spec in template.fields}
    found = flyers.save_translation(db, flyer=flyer, language="ar", fields=arabic,
                                    seen_version=None, person=team["samir"], working="en")
    sign_both(db, found, team)
    return found


def sign_both(db, translation, team):
    for who, role in (("anna", "facilitator"), ("samir", "mediator")):
        fingerprint = flyers.translation_wording(db, translation).fingerprint
        flyers.sign_translation(db, translation=translation, person=team[who], role=role,
                                seen_fingerprint=fingerprint, today=TODAY, validity_months=24)


def duration(data: bytes) -> float:
    with av.open(io.BytesIO(data)) as container:
        assert container.streams.audio[0].codec_context.name == "opus"
        return float(container.duration) / 1_000_000


def test_joined_recordings_last_as_long_as_the_parts_and_pauses():
    part = store.convert(VOICE.read_bytes(), max_seconds=60).ogg
    joined = join_recordings([part, part], pause_ms=500)
    assert joined == join_recordings([part, part], pause_ms=500)
    assert 5.3 <= duration(joined) <= 5.7  # 2.5 + 0.5 + 2.5
    with pytest.raises(ValueError):
        join_recordings([])


def test_a_paragraph_recording_is_signed_text_and_makes_the_voice_note(app, client, auth, db,
                                                                       team, translation):
    app.config["WTF_CSRF_ENABLED"] = False
    before = flyers.translation_wording(db, translation)
    assert "audio" not in before.snapshot  # unrecorded translations keep their fingerprint
    blob = store.store_audio(db, data=VOICE.read_bytes(), limits=LIMITS)
    auth.login("samir@example.org")
    url = f"/flyers/{translation.flyer_id}/translations/ar"
    assert client.get(f"{url}/voice-note.ogg").status_code == 404  # nothing recorded yet
    page = client.get(f"{url}/recording/what").get_data(as_text=True)
    assert "نص what" in page and 'dir="rtl"' in page
    saved = client.post(f"{url}/recording/what/save",
                        data={"sha256": blob.sha256, "version": translation.version})
    assert saved.status_code == 302
    db.refresh(translation)
    assert translation.audio == {"what": blob.sha256}
    assert translation.state == "needs_review"
    assert flyers.translation_wording(db, translation).fingerprint != before.fingerprint
    recording = db.exec(select(Recording)).one()
    assert recording.slot == "flyer.paragraph" and recording.owner_id == translation.id
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "record")).one().after[
        "field"] == "what"
    refused = client.get(f"{url}/voice-note.ogg")
    assert refused.status_code == 403 and "signed-off" in refused.get_data(as_text=True)
    sign_both(db, translation, team)
    page = client.get(url).get_data(as_text=True)
    assert 'id="voice-note"' in page and f"/audio/{blob.sha256}.ogg" in page
    note = client.get(f"{url}/voice-note.ogg")
    assert note.status_code == 200 and note.mimetype == "audio/ogg"
    assert "voice-note.ogg" in note.headers["Content-Disposition"]
    assert 2.3 <= duration(note.data) <= 2.7


def test_only_the_translations_mediator_records_its_paragraphs(app, client, auth, db, team,
                                                              translation, make_person):
    app.config["WTF_CSRF_ENABLED"] = False
    make_person("olena", "mediator", "uk")
    blob = store.store_audio(db, data=VOICE.read_bytes(), limits=LIMITS)
    auth.login("olena@example.org")
    url = f"/flyers/{translation.flyer_id}/translations/ar/recording/what"
    response = client.post(f"{url}/save", data={"sha256": blob.sha256,
                                                "version": translation.version})
    assert response.status_code == 403
    assert re.search("own languages", response.get_data(as_text=True))
    db.refresh(translation)
    assert translation.audio is None and translation.state == "agreed"


def test_a_paragraph_changed_after_its_recording_is_marked(app, client, auth, db, team,
                                                          translation):
    blob = store.store_audio(db, data=VOICE.read_bytes(), limits=LIMITS)
    store.record_flyer_paragraph(db, translation=translation, field="what", sha256=blob.sha256,
                                 seen_version=translation.version, person=team["samir"])
    auth.login("samir@example.org")
    url = f"/flyers/{translation.flyer_id}/translations/ar"
    assert "recorded for an earlier wording" not in client.get(url).get_data(as_text=True)
    fields = dict(translation.fields) | {"what": "نص آخر"}
    flyers.save_translation(db, flyer=db.get(Flyer, translation.flyer_id), language="ar",
                            fields=fields, seen_version=translation.version,
                            person=team["samir"], working="en")
    db.refresh(translation)
    assert earlier.earlier_paragraphs(db, translation, slot=store.FLYER_PARAGRAPH,
                                    texts=translation.fields) == {"what"}
    page = client.get(url).get_data(as_text=True)
    assert page.count("recorded for an earlier wording") == 1
