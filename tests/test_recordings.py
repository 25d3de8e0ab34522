"""Recordings of renderings: conversion, storage by content, the signed wording covering
the audio, the recorder page, playback where renderings are shown, refusals of bad
input, and the session kit with its links."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import av
import pytest
from sqlmodel import select

from glossary import agreement as rules
from glossary import groups
from glossary.audio import store
from glossary.audio.convert import convert
from glossary.canonical import term_record
from glossary.errors import InputError, NotFound
from glossary.kit.links import issue_link, resolve_link, revoke_link
from glossary.models import Agreement, AuditEvent, Term, TermVersion
from glossary.models.recordings import AudioBlob, KitLink, Recording
from glossary.signoff import current_fingerprint
from tests.conftest import TODAY, agree

VOICE = Path(__file__).parent / "data" / "audio" / "voice.wav"
LIMITS = store.AudioLimits(seconds=60, megabytes=10)


@pytest.fixture
def staff(make_person):
    return {"anna": make_person("anna", "facilitator"),
            "samir": make_person("samir", "mediator", "ar"),
            "olena": make_person("olena", "mediator", "uk")}


@pytest.fixture
def agreed(db, staff, make_concept):
    """consent agreed in Arabic (right to left) and Ukrainian (Cyrillic)."""
    concept = make_concept("consent", ar="الموافقة", uk="згода")
    agree(db, concept, "ar", staff["anna"], staff["samir"])
    agree(db, concept, "uk", staff["anna"], staff["olena"])
    return concept


def target_term(db, concept, language) -> Term:
    return db.exec(select(Term).where(Term.concept_id == concept.id,
                                      Term.language == language)).one()


def state(db, concept, language) -> str:
    return db.exec(select(Agreement.state).where(Agreement.concept_id == concept.id,
                                                 Agreement.target_language == language)).one()


def wav(seconds: float, rate: int = 16_000) -> bytes:
    """A silent-ish WAV of ``seconds`` (a small ramp, so it is not pure silence)."""
    import struct
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(rate)
        target.writeframes(b"".join(struct.pack("<h", (i % 200) * 40)
                                    for i in range(int(rate * seconds))))
    return out.getvalue()


# --- conversion -------------------------------------------------------------------------


def test_conversion_gives_opus_in_ogg_and_aac_in_mp4_the_same_bytes_every_time():
    first = convert(VOICE.read_bytes(), max_seconds=60)
    again = convert(VOICE.read_bytes(), max_seconds=60)
    assert first.ogg == again.ogg and first.sha256 == again.sha256
    assert first.ogg.startswith(b"OggS") and b"OpusHead" in first.ogg[:200]
    assert b"ftyp" in first.m4a[:16]
    assert 2400 <= first.duration_ms <= 2600
    for data, codec in ((first.ogg, "opus"), (first.m4a, "aac")):
        with av.open(io.BytesIO(data)) as container:
            stream = container.streams.audio[0]
            assert stream.codec_context.name == codec
            assert stream.codec_context.channels == 1


def test_conversion_reads_its_own_output_and_other_rates():
    converted = convert(wav(1.5, rate=8000), max_seconds=60)
    assert 1400 <= converted.duration_ms <= 1600
    assert convert(converted.m4a, max_seconds=60).duration_ms >= 1400


@pytest.mark.parametrize("data", [b"", b"not audio at all, just text" * 50,
                                  b"%PDF-1.7\n" + b"0" * 4000])
def test_what_is_not_audio_is_refused(data):
    with pytest.raises(InputError) as caught:
        convert(data, max_seconds=60)
    assert "not a sound recording" in str(caught.value) or "empty" in str(caught.value)


def test_over_the_length_limit_is_refused():
    with pytest.raises(InputError, match="at most 2 seconds"):
        convert(wav(3.5), max_seconds=2)


def test_a_recording_cut_off_half_way_stores_nothing(db):
    whole = convert(VOICE.read_bytes(), max_seconds=60).m4a
    with pytest.raises(InputError):
        store.store_audio(db, data=whole[: len(whole) // 3], limits=LIMITS)
    assert db.exec(select(AudioBlob)).all() == []


def test_over_the_size_limit_is_refused_before_decoding(db):
    with pytest.raises(InputError, match="at most 1 MB"):
        store.store_audio(db, data=b"\0" * (1024 * 1024 + 1),
                          limits=store.AudioLimits(seconds=60, megabytes=1))
    assert db.exec(select(AudioBlob)).all() == []


# --- the signed wording -----------------------------------------------------------------


def test_a_recording_makes_a_new_version_and_sends_the_pair_to_review(db, staff, agreed):
    term = target_term(db, agreed, "ar")
    before = term_record(term)
    agreement = db.exec(select(Agreement).where(Agreement.target_language == "ar")).one()
    old_fingerprint = current_fingerprint(db, agreement)
    assert "audio" not in before  # records without recordings are unchanged
    blob = store.store_audio(db, data=VOICE.read_bytes(), limits=LIMITS)
    store.record_term(db, term=term, sha256=blob.sha256, seen_version=term.version,
                      person=staff["samir"], working="en")
    db.refresh(term)
    assert term.audio == {"wording": blob.sha256}
    assert term_record(term)["audio"] == {"wording": blob.sha256}
    assert current_fingerprint(db, agreement) != old_fingerprint
    assert state(db, agreed, "ar") == rules.NEEDS_REVIEW
    assert state(db, agreed, "uk") == rules.AGREED
    version = db.exec(select(TermVersion).where(TermVersion.term_id == term.id,
                                                TermVersion.version == term.version)).one()
    assert version.audio == {"wording": blob.sha256}
    recording = db.exec(select(Recording)).one()
    assert (recording.slot, recording.owner_id, recording.person_id) == (
        "term.wording", term.id, staff["samir"].id)
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "record")).one()
    assert event.after["sha256"] == blob.sha256 and event.entity_id == term.id
    # Signing again agrees the wording with its recording; the signature keeps its hash.
    agree(db, agreed, "ar", staff["anna"], staff["samir"])
    assert state(db, agreed, "ar") == rules.AGREED


def test_identical_audio_is_stored_once(db):
    first = store.store_audio(db, data=VOICE.read_bytes(), limits=LIMITS)
    second = store.store_audio(db, data=VOICE.read_bytes(), limits=LIMITS)
    assert first.sha256 == second.sha256
    assert len(db.exec(select(AudioBlob)).all()) == 1


def test_a_mediator_records_only_for_own_languages(db, staff, agreed):
    term = target_term(db, agreed, "uk")
    blob = store.store_audio(db, data=VOICE.read_bytes(), limits=LIMITS)
    with pytest.raises(Exception, match="own languages"):
        store.record_term(db, term=term, sha256=blob.sha256, seen_version=term.version,
                          person=staff["samir"], working="en")
    db.refresh(term)
    assert term.audio is None and state(db, agreed, "uk") == rules.AGREED


def test_unsaved_audio_is_pruned_after_a_day_saved_audio_is_kept(db, staff, agreed):
    kept = store.store_audio(db, data=VOICE.read_bytes(), limits=LIMITS)
    term = target_term(db, agreed, "ar")
    store.record_term(db, term=term, sha256=kept.sha256, seen_version=term.version,
                      person=staff["samir"], working="en")
    store.store_audio(db, data=wav(1.0), limits=LIMITS)
    later = kept.created_at + timedelta(days=2)
    assert store.prune_audio(db, now=later) == 1
    assert [b.sha256 for b in db.exec(select(AudioBlob))] == [kept.sha256]


# --- pages ------------------------------------------------------------------------------


def upload(client, term_id, data, name="voice.wav"):
    return client.post(f"/terms/{term_id}/recording", content_type="multipart/form-data",
                       data={"audio": (io.BytesIO(data), name)})


def test_record_listen_back_and_save_through_the_pages(app, client, auth, db, staff, agreed):
    app.config["WTF_CSRF_ENABLED"] = False
    term = target_term(db, agreed, "ar")
    auth.login("samir@example.org")
    page = client.get(f"/terms/{term.id}/recording").get_data(as_text=True)
    assert "recorder.js" in page and 'name="audio"' in page and "الموافقة" in page
    assert "<script>" not in page  # no inline script (CSP)
    sent = upload(client, term.id, VOICE.read_bytes())
    body = sent.get_data(as_text=True)
    assert sent.status_code == 200
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', body).group(1)
    assert f"/audio/{sha}.ogg" in body and f"/audio/{sha}.m4a" in body
    assert db.exec(select(Recording)).all() == []  # listened back, not yet saved
    played = client.get(f"/audio/{sha}.ogg", headers={"Range": "bytes=0-99"})
    assert played.status_code == 206 and played.data.startswith(b"OggS")
    assert len(played.data) == 100
    saved = client.post(f"/terms/{term.id}/recording/save",
                        data={"sha256": sha, "version": term.version})
    assert saved.status_code == 302
    concept_page = client.get(f"/concepts/{agreed.id}").get_data(as_text=True)
    assert f"/audio/{sha}.ogg" in concept_page and 'type="audio/mp4"' in concept_page
    assert state(db, agreed, "ar") == rules.NEEDS_REVIEW
    history = client.get(f"/concepts/{agreed.id}/history").get_data(as_text=True)
    assert f"/audio/{sha}.ogg" in history


def test_audio_is_for_staff_only(client, db, staff, agreed):
    blob = store.store_audio(db, data=VOICE.read_bytes(), limits=LIMITS)
    response = client.get(f"/audio/{blob.sha256}.ogg")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("locale", ["en", "de", "ar"])
def test_bad_files_get_a_translated_message_and_nothing_is_stored(app, client, auth, db,
                                                                  staff, agreed, locale):
    app.config["WTF_CSRF_ENABLED"] = False
    term = target_term(db, agreed, "ar")
    auth.login("samir@example.org")
    client.post("/interface-language", data={"ui_locale": locale})
    response = upload(client, term.id, b"GIF89a" + b"\0" * 500, name="picture.gif")
    assert response.status_code == 400
    message = re.search(r'id="audio-error">([^<]+)<', response.get_data(as_text=True)).group(1)
    expected = {"en": "not a sound recording", "de": "Tonaufnahme", "ar": "تسجيل"}[locale]
    assert expected in message
    assert db.exec(select(AudioBlob)).all() == [] and db.exec(select(Recording)).all() == []


# Werkzeug leaves the spool of the cut-off part for the garbage collector to close.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_interrupted_upload_is_refused(app, client, auth, db, staff, agreed):
    app.config["WTF_CSRF_ENABLED"] = False
    term = target_term(db, agreed, "ar")
    auth.login("samir@example.org")
    boundary = "XyZ"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"audio\"; "
            f"filename=\"voice.wav\"\r\nContent-Type: audio/wav\r\n\r\n").encode()
    body = head + VOICE.read_bytes()[:5000]  # cut off: no closing boundary, short body
    response = client.post(f"/terms/{term.id}/recording", input_stream=io.BytesIO(body),
                           content_type=f"multipart/form-data; boundary={boundary}",
                           headers={"Content-Length": str(len(body) + 100_000)})
    assert response.status_code == 400
    assert "interrupted" in response.get_data(as_text=True)
    assert db.exec(select(AudioBlob)).all() == []
    # With the form check on, the token itself is lost with the cut-off body: the message
    # still says what happened.
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/terms/{term.id}/recording", input_stream=io.BytesIO(body),
                           content_type=f"multipart/form-data; boundary={boundary}",
                           headers={"Content-Length": str(len(body) + 100_000)})
    assert response.status_code == 400
    assert "interrupted" in response.get_data(as_text=True)


# --- the session kit --------------------------------------------------------------------


@pytest.fixture
def kit_group(db, staff, agreed):
    term = target_term(db, agreed, "ar")
    blob = store.store_audio(db, data=VOICE.read_bytes(), limits=LIMITS)
    store.record_term(db, term=term, sha256=blob.sha256, seen_version=term.version,
                      person=staff["samir"], working="en")
    agree(db, agreed, "ar", staff["anna"], staff["samir"])
    data = groups.GroupInput(name="Tuesday group", working_language="en",
                             start_date=TODAY + timedelta(days=10), languages=["ar", "uk"],
                             facilitator_ids=[staff["anna"].id],
                             mediator_ids=[staff["samir"].id, staff["olena"].id])
    group = groups.create_group(db, data=data, person=staff["anna"])
    groups.add_concepts(db, group=group, person=staff["anna"], concept_ids=[agreed.id])
    for language in ("ar", "uk"):
        groups.create_pack(db, group=group, language=language, person=staff["anna"])
    return group, blob


def test_the_pack_freezes_the_recording_hash(db, kit_group):
    group, blob = kit_group
    pack = groups.latest_pack(db, group, "ar")
    assert pack.content["concepts"][0]["renderings"][0]["audio"] == {"wording": blob.sha256}
    assert "audio" not in groups.latest_pack(db, group, "uk").content["concepts"][0][
        "renderings"][0]


def test_staff_kit_page_is_right_to_left_with_audio_hash_and_no_external_requests(
        client, auth, db, kit_group):
    group, blob = kit_group
    auth.login("anna@example.org")
    response = client.get(f"/kit/groups/{group.id}/ar/")
    page = response.get_data(as_text=True)
    pack = groups.latest_pack(db, group, "ar")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page
    assert pack.content_hash in page and "الموافقة" in page and "consent" in page
    assert f"/kit/groups/{group.id}/ar/audio/{blob.sha256}.ogg" in page
    assert 'rel="manifest"' in page and "kit.js" in page and "htmx" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    manifest = client.get(f"/kit/groups/{group.id}/ar/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    assert manifest.json["dir"] == "rtl" and manifest.json["scope"] == "/kit/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest.json["icons"]}
    for icon in manifest.json["icons"]:
        with client.get(icon["src"]) as response:
            assert response.status_code == 200
    status = client.get(f"/kit/groups/{group.id}/ar/status.json").json
    assert status["hash"] == pack.content_hash
    worker = client.get("/kit/sw.js")
    assert worker.mimetype == "text/javascript" and b"caches" in worker.data
    audio = client.get(f"/kit/groups/{group.id}/ar/audio/{blob.sha256}.m4a")
    assert audio.status_code == 200 and audio.mimetype == "audio/mp4"
    # Audio outside the pack is not served through the kit.
    assert client.get(f"/kit/groups/{group.id}/uk/audio/{blob.sha256}.ogg").status_code == 404


def test_kit_links_expire_and_can_be_withdrawn(app, client, db, staff, kit_group):
    group, blob = kit_group
    link, token = issue_link(db, group=group, language="uk", person=staff["anna"], days=30)
    stored = db.exec(select(KitLink)).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    page = client.get(f"/kit/t/{token}/").get_data(as_text=True)
    assert '<html lang="uk" dir="ltr">' in page and "згода" in page
    assert resolve_link(db, token).id == link.id
    with pytest.raises(NotFound):
        resolve_link(db, token, now=stored.expires_at + timedelta(seconds=1))
    revoke_link(db, link=link, person=staff["anna"])
    assert client.get(f"/kit/t/{token}/").status_code == 404
    assert client.get(f"/kit/t/{token}/status.json").status_code == 410
    assert client.get(f"/kit/t/{token}/audio/{blob.sha256}.ogg").status_code == 404
    actions = [e.action for e in db.exec(select(AuditEvent).where(
        AuditEvent.entity == "kit_link"))]
    assert actions == ["issue_kit_link", "revoke_kit_link"]


def test_a_facilitator_issues_a_link_on_the_page_and_a_mediator_cannot(app, client, auth, db,
                                                                       staff, kit_group):
    app.config["WTF_CSRF_ENABLED"] = False
    group, _blob = kit_group
    auth.login("samir@example.org")
    assert client.post(f"/groups/{group.id}/kit", data={"language": "ar"}).status_code == 403
    auth.login("anna@example.org")
    page = client.post(f"/groups/{group.id}/kit", data={"language": "ar", "label": "Room 2"})
    url = re.search(r'value="http://localhost(/kit/t/[^"/]+/)"[^>]*id="issued-url"',
                    page.get_data(as_text=True)).group(1)
    auth.logout()
    assert "الموافقة" in client.get(url).get_data(as_text=True)


# --- everywhere else --------------------------------------------------------------------


def test_backups_carry_the_audio_and_restore_it(app, db, staff, kit_group, tmp_path):
    from glossary import create_app
    from glossary.backup import create_backup, restore_backup

    _group, blob = kit_group
    archive = tmp_path / "backup.zip"
    create_backup(app.extensions["glossary_engine"], archive)
    restored = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
                           "EXPORTS_DIR": str(tmp_path / "exports"), "TODAY": TODAY})
    engine = restored.extensions["glossary_engine"]
    restore_backup(engine, archive)  # states recomputed from the restored rows: all agree
    from sqlmodel import Session

    with Session(engine) as session:
        copy = session.get(AudioBlob, blob.sha256)
        assert copy.ogg == blob.ogg and copy.m4a == blob.m4a
        assert session.exec(select(Recording)).one().audio_sha256 == blob.sha256
        term = session.exec(select(Term).where(Term.language == "ar")).one()
        assert term.audio == {"wording": blob.sha256}
        assert session.exec(select(Agreement.state).where(
            Agreement.target_language == "ar")).one() == rules.AGREED
    engine.dispose()


def test_the_api_links_the_audio_of_agreed_renderings(client, db, staff, make_person,
                                                      kit_group):
    from glossary.api_tokens import issue_token

    _group, blob = kit_group
    _row, token = issue_token(db, person=staff["samir"], label="phone",
                              by=make_person("alex", "admin"))
    headers = {"Authorization": f"Bearer {token}"}
    found = client.get("/api/v1/glossary?target=ar", headers=headers).json
    rendering = found["concepts"][0]["target"][0]
    assert rendering["audio"] == {"wording": blob.sha256}
    assert rendering["audio_urls"]["ogg"].endswith(f"/api/v1/audio/{blob.sha256}.ogg")
    assert "explanation_audio_urls" not in rendering  # no explanation recorded
    audio = client.get(f"/api/v1/audio/{blob.sha256}.ogg", headers=headers)
    assert audio.status_code == 200 and audio.data == blob.ogg
    assert client.get(f"/api/v1/audio/{blob.sha256}.ogg").status_code == 401
    unsaved = store.store_audio(db, data=wav(1.0), limits=LIMITS)
    assert client.get(f"/api/v1/audio/{unsaved.sha256}.ogg",
                      headers=headers).status_code == 404
    uk = client.get("/api/v1/glossary?target=uk", headers=headers).json
    assert "audio_urls" not in uk["concepts"][0]["target"][0]


def test_the_trainers_view_lists_agreed_renderings_without_a_recording(client, auth, db, staff,
                                                                       make_person, kit_group):
    from glossary.gaps.lists import unrecorded

    make_person("tina", "trainer")
    listed = unrecorded(db, working="en", today=TODAY)
    assert [(e.concept_key, e.language) for e in listed] == [("consent", "uk")]
    auth.login("tina@example.org")
    page = client.get("/trainers/agreements").get_data(as_text=True)
    section = page[page.index('id="unrecorded"'):]
    assert "Agreed without a recording" in section and "#lang-uk" in section
    assert "#lang-ar" not in section


def test_search_results_and_the_check_page_play_recordings(app, client, auth, db, staff,
                                                          kit_group):
    app.config["WTF_CSRF_ENABLED"] = False
    _group, blob = kit_group
    auth.login("anna@example.org")
    results = client.get("/search?q=الموافقة").get_data(as_text=True)
    assert f"/audio/{blob.sha256}.ogg" in results
    checked = client.post("/check", data={"target_language": "ar",
                                          "source_text": "Ask for consent first.",
                                          "target_text": "اطلب الموافقة أولا."})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and f"/audio/{blob.sha256}.m4a" in page
    plain = client.post("/check", data={"target_language": "uk",
                                        "source_text": "Ask for consent first.",
                                        "target_text": "Спитай згоди."}).get_data(as_text=True)
    assert "/audio/" not in plain


def test_a_kit_links_token_never_reaches_the_request_log(client, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="glossary")
    client.get("/kit/t/secret-token-value/status.json")
    lines = [r for r in caplog.records if r.getMessage() == "request"]
    assert lines and lines[-1].fields["path"] == "/kit/t/<token>/status.json"
    assert not any("secret-token-value" in str(getattr(r, "fields", "")) for r in lines)
