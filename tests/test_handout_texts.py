"""Handout texts of a group: starters and placeholders checked on save, translation and
the two-party sign-off bound to the exact text, session packs and readiness, and the
participant handouts (PDF read back with pdftotext, DOCX XML) in Arabic, Ukrainian,
Dari, Tigrinya and Urdu, with the DRAFT marks, easy read and the command line."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest
from conftest import TODAY, agree
from sqlmodel import select

from glossary import groups, handouts
from glossary.concepts import edit_term, parse_term, propose_term
from glossary.demo_handouts import RULES
from glossary.errors import Conflict, InputError, Refused
from glossary.exports import handouts as staff_handouts
from glossary.exports import participant
from glossary.exports.handout_texts import text_data, text_model
from glossary.handouts import frozen, translations
from glossary.handouts.markdown import paragraph_kind
from glossary.models import AuditEvent, Term
from glossary.models.handouts import HandoutSignature, HandoutText

ARABIC = re.compile(r"[\u0600-\u06ff]")
ETHIOPIC = re.compile(r"[\u1200-\u137f]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
SCRIPT = {"ar": ARABIC, "fa-AF": ARABIC, "ur": ARABIC, "ti": ETHIOPIC, "uk": CYRILLIC}
# A sentence per language for the paragraphs the tests translate mechanically.
SENTENCE = {"ur": "یہ گروپ کا اصول ہے", "ti": "እዚ ናይ ጉጅለ ሕጊ እዩ", "fa-AF": "این قاعدهٔ گروه است",
            "uk": "Це правило групи", "ar": "هذه قاعدة المجموعة"}


@pytest.fixture
def staff(make_person):
    return {"anna": make_person("anna", "facilitator"),
            "ben": make_person("ben", "facilitator"),
            "samir": make_person("samir", "mediator", "ar"),
            "olena": make_person("olena", "mediator", "uk"),
            "yonas": make_person("yonas", "mediator", "ti"),
            "mariam": make_person("mariam", "mediator", "fa-AF,ur")}


MEDIATOR = {"ar": "samir", "uk": "olena", "ti": "yonas", "fa-AF": "mariam", "ur": "mariam"}


@pytest.fixture
def concepts(db, staff, make_concept):
    """The concepts the ground-rules starter cites, agreed in every language (Dari:
    confidentiality only proposed), and domestic violence under a key unlike its
    wording, so that a printed key would show."""
    found = {
        "consent": make_concept("consent", key="consent", ar="الموافقة", uk="згода",
                                ti="ፍቓድ", ur="رضامندی", fa_AF="رضایت"),
        "anger": make_concept("anger", key="anger", domain="emotions", ar="الغضب", uk="гнів",
                              ti="ሕርቃን", ur="غصہ", fa_AF="خشم"),
        "confidentiality": make_concept("confidentiality", key="confidentiality",
                                        domain="programme-rules", ar="السرية",
                                        uk="конфіденційність", ti="ምስጢራዊነት", ur="رازداری",
                                        fa_AF="محرمیت"),
        "dv": make_concept("domestic violence", key="dv-key-7", domain="gender-relationships",
                           ar="العنف الأسري", uk="домашнє насильство", ti="ዓመጽ ኣብ ስድራ",
                           ur="گھریلو تشدد"),
    }
    propose_term(db, concept=found["anger"], language="ar", person=None, working="en",
                 data=parse_term({"text": "السخط", "status": "deprecated"}))
    anna = staff["anna"]
    for key in ("consent", "anger", "confidentiality"):
        for tag in ("ar", "uk", "ti", "ur", "fa-AF"):
            if (key, tag) != ("confidentiality", "fa-AF"):
                agree(db, found[key], tag, anna, staff[MEDIATOR[tag]])
    for tag in ("ar", "uk", "ti", "ur"):
        agree(db, found["dv"], tag, anna, staff[MEDIATOR[tag]])
    return found


@pytest.fixture
def group(db, staff, concepts):
    anna = staff["anna"]
    data = groups.GroupInput(
        name="Women's group", working_language="en", start_date=TODAY,
        languages=["ar", "uk", "fa-AF", "ti", "ur"], facilitator_ids=[anna.id],
        mediator_ids=[staff[n].id for n in ("samir", "olena", "yonas", "mariam")],
        audience="women who want to live without violence", meeting_day="on Mondays",
        meeting_time="10:00-12:00", place="Library, Park Road 3", contact="+49 30 7654321")
    found = groups.create_group(db, data=data, person=anna)
    groups.add_concepts(db, group=found, person=anna,
                        concept_ids=[c.id for c in concepts.values()])
    return found


def rules_text(db, group, staff):
    return handouts.create_text(db, group=group, kind="rules", person=staff["anna"])


def mechanical(text: HandoutText, language: str, *, skip: tuple[str, ...] = ()) -> dict:
    """A translation that keeps each part's markers and placeholders around a fixed
    sentence (enough for the check: every cited concept prints its agreed wording)."""
    parts = {}
    for key, source in translations.source_parts(text).items():
        if key in skip:
            continue
        kind, _body = paragraph_kind(source)
        marker = {"heading": "## ", "item": "- ", "body": ""}[kind] if key != "title" else ""
        tokens = " ".join(p.token for p in handouts.placeholders(source))
        parts[key] = f"{marker}{SENTENCE[language]} {tokens}".strip()
    return parts


def translate(db, text, language, staff, parts=None):
    return translations.save_translation(
        db, text=text, language=language, parts=parts or mechanical(text, language),
        seen_version=None, person=staff[MEDIATOR[language]])


def sign_both(db, translation, staff):
    for who, role in (("anna", "facilitator"), (MEDIATOR[translation.target_language],
                                                 "mediator")):
        translations.sign_translation(
            db, translation=translation, person=staff[who], role=role,
            seen_fingerprint=translations.translation_wording(db, translation).fingerprint,
            today=TODAY, validity_months=24)
    db.refresh(translation)
    return translation


def describe(tag):
    from glossary.languages import describe as names

    return names(tag, "en")


def handout(db, group, language, draft=False):
    pack = groups.create_pack(db, group=group, language=language, person=None, draft=draft)
    return staff_handouts.handout_for(pack, group_name=group.name,
                                      start_date=group.start_date, describe=describe)


def pdf_text(data: bytes, *, raw: bool = False) -> str:
    """The PDF's text; ``raw`` in the order it was laid out (pdftotext's reading order
    puts a line of tall Nastaliq after the smaller line below it)."""
    args = ["pdftotext", *(["-raw"] if raw else []), "-", "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()


def docx_xml(data: bytes, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part).decode("utf-8")


# --- texts and placeholders ---------------------------------------------------------


def test_a_starter_becomes_the_groups_own_text(db, group, staff):
    programme = handouts.create_text(db, group=group, kind="programme", person=staff["anna"])
    body = " ".join(p["text"] for p in programme.paragraphs)
    assert "women who want to live without violence" in body  # the audience, written in
    assert "on Mondays" in body
    assert "{{group:place}}" in body and "{{group:time}}" in body  # printed from the group
    assert "men who want to stop" not in body
    with pytest.raises(InputError):
        handouts.create_text(db, group=group, kind="programme", person=staff["anna"])
    with pytest.raises(Refused):
        handouts.create_text(db, group=group, kind="help", person=staff["samir"])


@pytest.mark.parametrize(("bad", "token"), [
    ("Call {{group:phone}} now.", "{{group:phone}}"),
    ("We talk about {{concept:no-such-key}}.", "{{concept:no-such-key}}"),
    ("See {{glossary}} here.", "{{glossary}}"),
    ("Unclosed {{concept:consent here.", "{{concept:consent here."),
])
def test_an_unknown_placeholder_is_refused_naming_the_paragraph(db, group, staff, bad, token):
    text = rules_text(db, group, staff)
    paragraphs = [dict(p) for p in text.paragraphs]
    paragraphs[2]["text"] = bad
    events = len(db.exec(select(AuditEvent)).all())
    with pytest.raises(InputError) as error:
        handouts.update_text(db, text=text, title=text.title, paragraphs=paragraphs,
                             next_id=text.next_id, seen_version=text.version,
                             person=staff["anna"])
    assert "paragraph 3" in str(error.value) and token in str(error.value)
    db.refresh(text)
    assert text.version == 1 and text.paragraphs[2]["text"] != bad
    assert len(db.exec(select(AuditEvent)).all()) == events


def test_an_unknown_placeholder_in_a_translation_is_refused(db, group, staff):
    text = rules_text(db, group, staff)
    parts = mechanical(text, "ar")
    parts["p4"] = "نص {{concept:nope}}"
    with pytest.raises(InputError, match="paragraph 4"):
        translate(db, text, "ar", staff, parts)
    assert translations.get_translation(db, text, "ar") is None


def test_editing_from_a_stale_page_is_a_conflict(db, group, staff):
    text = rules_text(db, group, staff)
    handouts.update_text(db, text=text, title="Rules", paragraphs=text.paragraphs,
                         next_id=text.next_id, seen_version=1, person=staff["anna"])
    with pytest.raises(Conflict):
        handouts.update_text(db, text=text, title="Other", paragraphs=text.paragraphs,
                             next_id=text.next_id, seen_version=1, person=staff["ben"])
    db.refresh(text)
    assert text.title == "Rules"


# --- translation and sign-off -------------------------------------------------------


def test_both_sign_then_either_side_changing_needs_review(db, group, staff):
    text = rules_text(db, group, staff)
    arabic = sign_both(db, translate(db, text, "ar", staff, dict(
        zip([k for _n, k in translations.numbered(text)], RULES["ar"], strict=False))), staff)
    assert arabic.state == "agreed"
    # The working-language side changes.
    paragraphs = [dict(p) for p in text.paragraphs]
    paragraphs[2]["text"] = "We listen to each other."
    handouts.update_text(db, text=text, title=text.title, paragraphs=paragraphs,
                         next_id=text.next_id, seen_version=text.version, person=staff["anna"])
    db.refresh(arabic)
    assert arabic.state == "needs_review"
    sign_both(db, arabic, staff)
    # The translation changes.
    parts = dict(arabic.paragraphs, p3="- نستمع إلى بعضنا.")
    arabic = translations.save_translation(db, text=text, language="ar", parts=parts,
                                           seen_version=arabic.version, person=staff["samir"])
    assert arabic.state == "needs_review"
    assert sign_both(db, arabic, staff).state == "agreed"


def test_a_cited_concepts_new_agreed_rendering_sends_it_back(db, group, staff, concepts):
    text = rules_text(db, group, staff)
    ukrainian = sign_both(db, translate(db, text, "uk", staff), staff)
    assert translations.live_state(db, ukrainian) == "agreed"
    term = db.exec(select(Term).where(Term.concept_id == concepts["anger"].id,
                                      Term.language == "uk")).one()
    edit_term(db, term=term, data=parse_term({"text": "злість"}), seen_version=term.version,
              person=staff["anna"], working="en")
    assert translations.live_state(db, ukrainian) != "agreed"
    agree(db, concepts["anger"], "uk", staff["anna"], staff["olena"])
    assert translations.live_state(db, ukrainian) == "needs_review"
    wording = translations.translation_wording(db, ukrainian)
    assert "злість" in " ".join(wording.snapshot["uk"].values())


def test_an_empty_paragraph_cannot_be_signed(db, group, staff):
    text = rules_text(db, group, staff)
    partial = translate(db, text, "ar", staff, mechanical(text, "ar", skip=("p3", "p8")))
    assert partial.state == "open"
    assert translations.empty_paragraphs(text, partial) == [3, 8]
    with pytest.raises(Refused, match="paragraph 3, paragraph 8"):
        translations.sign_translation(
            db, translation=partial, person=staff["anna"], role="facilitator",
            seen_fingerprint=translations.translation_wording(db, partial).fingerprint,
            today=TODAY, validity_months=24)
    assert db.exec(select(HandoutSignature)).all() == []


def test_a_text_edited_while_signing_gets_a_clear_message_and_nothing_is_saved(
        db, group, staff):
    text = rules_text(db, group, staff)
    arabic = translate(db, text, "ar", staff)
    seen = translations.translation_wording(db, arabic).fingerprint
    handouts.update_text(db, text=text, title="Rules of the group", paragraphs=text.paragraphs,
                         next_id=text.next_id, seen_version=text.version, person=staff["ben"])
    with pytest.raises(Conflict, match="changed while you were signing"):
        translations.sign_translation(db, translation=arabic, person=staff["anna"],
                                      role="facilitator", seen_fingerprint=seen, today=TODAY,
                                      validity_months=24)
    assert db.exec(select(HandoutSignature)).all() == []


def test_the_check_runs_as_typed_and_blocks_an_avoid_word(db, group, staff):
    text = rules_text(db, group, staff)
    typed = translations.check_typed(db, text=text, language="ar", key="p4",
                                     typed="- يمكننا الحديث عن السخط هنا.")
    assert any("avoid_used" in f.problems for f in typed)
    good = translations.check_typed(db, text=text, language="ar", key="p4",
                                    typed="- يمكننا الحديث عن {{concept:anger}} هنا.")
    assert good and not any(f.problems for f in good)
    parts = mechanical(text, "ar")
    parts["p4"] = "- يمكننا الحديث عن السخط هنا."
    arabic = translate(db, text, "ar", staff, parts)
    with pytest.raises(Refused, match="terminology check"):
        translations.sign_translation(
            db, translation=arabic, person=staff["anna"], role="facilitator",
            seen_fingerprint=translations.translation_wording(db, arabic).fingerprint,
            today=TODAY, validity_months=24)


def test_a_mediator_translates_only_into_their_languages(db, group, staff):
    text = rules_text(db, group, staff)
    with pytest.raises(Refused):
        translations.save_translation(db, text=text, language="ar", parts=mechanical(text, "ar"),
                                      seen_version=None, person=staff["olena"])


# --- packs and readiness ------------------------------------------------------------


def test_packs_without_texts_keep_their_content_and_hash(db, group, staff):
    content = groups.build_pack_content(db, group, "ar")
    assert "handouts" not in content
    pack = groups.create_pack(db, group=group, language="ar", person=None)
    assert pack.content_hash == groups.content_hash(content)
    rules_text(db, group, staff)
    assert groups.differs_from_pack(db, group, pack)  # the group now has a text


def test_readiness_blocks_a_pair_until_its_handouts_are_signed(db, group, staff):
    (pair,) = groups.readiness(db, group, ["ar"])
    assert pair.ready and pair.handouts == []
    text = rules_text(db, group, staff)
    (pair,) = groups.readiness(db, group, ["ar"])
    assert not pair.ready and [b.reason for b in pair.handouts] == ["Not translated yet."]
    with pytest.raises(Refused, match=r"handout texts are not translated into Arabic and "
                                      r"signed off \(Ground rules\)"):
        groups.create_pack(db, group=group, language="ar", person=None)
    arabic = translate(db, text, "ar", staff)
    (pair,) = groups.readiness(db, group, ["ar"])
    assert pair.handouts[0].state == "proposed" and "signatures" in pair.handouts[0].reason
    sign_both(db, arabic, staff)
    (pair,) = groups.readiness(db, group, ["ar"])
    assert pair.ready
    pack = groups.create_pack(db, group=group, language="ar", person=None)
    (frozen_rules,) = pack.content["handouts"]
    assert frozen_rules["state"] == "agreed" and frozen_rules["fingerprint"]
    assert frozen_rules["translation"] == arabic.paragraphs
    assert groups.pack_intact(pack)
    # The hash covers the texts: a changed translation differs from the pack.
    translations.save_translation(db, text=text, language="ar",
                                  parts=dict(arabic.paragraphs, p3="- نص آخر"),
                                  seen_version=arabic.version, person=staff["samir"])
    assert groups.differs_from_pack(db, group, pack)


def test_the_group_page_links_each_handout_blocker_to_its_fix(client, auth, db, group, staff):
    rules_text(db, group, staff)
    auth.login("anna@example.org")
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "handout text blocks this pair" in page
    assert f"/groups/{group.id}/handouts/rules/ar" in page


# --- printing -----------------------------------------------------------------------


def signed_group(db, group, staff, languages=("ar",)):
    text = rules_text(db, group, staff)
    for language in languages:
        sign_both(db, translate(db, text, language, staff), staff)
    return text


@pytest.mark.parametrize("language", ["ar", "uk", "ti", "ur"])
def test_final_pdf_prints_the_target_script_first_and_no_keys(db, group, staff, language):
    signed_group(db, group, staff, (language,))
    data = participant.render_participant(handout(db, group, language), kind="rules",
                                          fmt="pdf")
    text = pdf_text(data)
    first = next(line for line in pdf_text(data, raw=True).splitlines() if line.strip())
    assert SCRIPT[language].search(first), first
    assert "{{" not in text and "concept:" not in text and "dv-key" not in text
    assert "DRAFT" not in text
    assert "+49 30 7654321" in text  # the group's contact, printed from the group


def test_draft_pdf_marks_unagreed_places_and_drafts_in_both_languages(db, group, staff,
                                                                      concepts):
    text = rules_text(db, group, staff)
    paragraphs = [dict(p) for p in text.paragraphs]
    paragraphs.append({"id": "p99", "text": "We speak about {{concept:dv-key-7}}.",
                       "picture": ""})
    handouts.update_text(db, text=text, title=text.title, paragraphs=paragraphs,
                         next_id=100, seen_version=text.version, person=staff["anna"])
    translate(db, text, "fa-AF", staff, mechanical(text, "fa-AF", skip=("p5",)))
    h = handout(db, group, "fa-AF", draft=True)
    data = participant.render_participant(h, kind="rules", fmt="pdf")
    printed = pdf_text(data)
    assert "DRAFT" in printed
    assert "پیش" in printed  # پیش‌نویس: DRAFT in Dari
    assert "not agreed yet" in printed and "not translated yet" in printed
    assert "domestic violence" in printed and "confidentiality" in printed
    assert "dv-key-7" not in printed and "{{" not in printed
    docx = participant.render_participant(h, kind="rules", fmt="docx")
    header = "".join(docx_xml(docx, name) for name in zipfile.ZipFile(io.BytesIO(docx))
                     .namelist() if name.startswith("word/header"))
    assert "پیش" in header and "DRAFT" in header
    assert "dv-key-7" not in docx_xml(docx)


def test_ukrainian_draft_prints_draft_in_ukrainian(db, group, staff):
    text = rules_text(db, group, staff)
    translate(db, text, "uk", staff)
    printed = pdf_text(participant.render_participant(handout(db, group, "uk", draft=True),
                                                      kind="rules", fmt="pdf"))
    assert "ЧЕРНЕТКА" in printed and "DRAFT" in printed


def test_docx_puts_the_target_language_first_right_to_left(db, group, staff):
    signed_group(db, group, staff)
    h = handout(db, group, "ar")
    xml = docx_xml(participant.render_participant(h, kind="rules", fmt="docx"))
    arabic, english = xml.index("السرية"), xml.index("confidentiality")
    assert arabic < english
    assert "<w:bidi/>" in xml and "bidiVisual" not in xml
    columns = docx_xml(participant.render_participant(h, kind="rules", fmt="docx",
                                                      layout="columns"))
    assert "bidiVisual" in columns  # the facing columns run from the right


def test_easy_read_is_large_spaced_and_carries_the_chosen_pictograms(db, group, staff):
    text = signed_group(db, group, staff)
    paragraphs = [dict(p, picture="listen" if p["id"] == "p3" else "") for p in text.paragraphs]
    handouts.update_text(db, text=text, title=text.title, paragraphs=paragraphs,
                         next_id=text.next_id, seen_version=text.version, person=staff["anna"])
    sign_both(db, translations.get_translation(db, text, "ar"), staff)
    h = handout(db, group, "ar")
    data = text_data(h, text_model(h, "rules"), layout="lines", easy=True)
    bodies = [b["first"]["size"] for b in data["blocks"] if b["kind"] in ("body", "item")]
    assert bodies and min(bodies) >= 14
    assert [b["picture"] is not None for b in data["blocks"]].count(True) == 1
    plain = text_data(h, text_model(h, "rules"), layout="lines", easy=False)
    assert all(b["picture"] is None for b in plain["blocks"])
    docx = participant.render_participant(h, kind="rules", fmt="docx", easy=True)
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(docx)).namelist())
    assert 'w:line="360"' in docx_xml(docx) and 'w:sz w:val="30"' in docx_xml(docx)
    pdf = participant.render_participant(h, kind="rules", fmt="pdf", easy=True)
    assert ARABIC.search(pdf_text(pdf, raw=True).splitlines()[0])


def test_bad_print_requests_are_refused(db, group, staff):
    signed_group(db, group, staff)
    h = handout(db, group, "ar")
    with pytest.raises(InputError):
        participant.render_participant(h, kind="rules", fmt="odt")
    with pytest.raises(InputError):
        participant.render_participant(h, kind="rules", fmt="pdf", layout="diagonal")
    with pytest.raises(InputError):
        participant.render_participant(h, kind="glossary-for-staff", fmt="pdf")
    from glossary.errors import NotFound

    with pytest.raises(NotFound):
        participant.render_participant(h, kind="programme", fmt="pdf")


def test_cli_exports_a_participant_handout(db, group, staff, tmp_path, cli):
    signed_group(db, group, staff)
    groups.create_pack(db, group=group, language="ar", person=None)
    out = tmp_path / "rules.pdf"
    common = ["export", "handout", "--group", group.name, "--language", "ar"]
    result = cli(*common, "--kind", "rules", "--easy-read", "--format", "pdf", "-o", out)
    assert result.exit_code == 0, result.output
    assert ARABIC.search(pdf_text(out.read_bytes(), raw=True).splitlines()[0])
    result = cli(*common, "--kind", "programme", "--format", "docx")
    assert result.exit_code != 0 and "holds no" in result.output
    # The participant glossary: the agreed words, Arabic first, no concept keys.
    words = tmp_path / "words.pdf"
    result = cli(*common, "--kind", "participant", "--format", "pdf", "-o", words)
    assert result.exit_code == 0, result.output
    printed = pdf_text(words.read_bytes(), raw=True)
    assert ARABIC.search(printed.splitlines()[0])
    assert "consent" not in printed.split("\n", 1)[0]


# --- pages --------------------------------------------------------------------------


def test_facilitator_edits_and_a_bad_placeholder_is_shown_with_its_place(client, auth, db,
                                                                         group, staff):
    auth.login("anna@example.org")
    response = client.post(f"/groups/{group.id}/handouts/new", data={"kind": "rules"})
    assert response.status_code == 302
    text = handouts.get_text(db, group, "rules")
    form = {"title": "Rules", "version": text.version,
            **{f"text-{p['id']}": p["text"] for p in text.paragraphs}}
    form["text-p2"] = "Stays here: {{concept:confidentialty}}."
    response = client.post(f"/groups/{group.id}/handouts/rules", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "paragraph 2" in page
    assert "{{concept:confidentialty}}" in page
    form["text-p2"] = "Stays here: {{concept:confidentiality}}."
    form["new-1"] = "We switch off phones."
    form["picture-new-1"] = "clock"
    assert client.post(f"/groups/{group.id}/handouts/rules", data=form).status_code == 302
    db.refresh(text)
    assert text.paragraphs[-1] == {"id": "p10", "text": "We switch off phones.",
                                   "picture": "clock"}


def test_mediator_page_checks_a_paragraph_as_typed(client, auth, db, group, staff):
    rules_text(db, group, staff)
    auth.login("samir@example.org")
    page = client.get(f"/groups/{group.id}/handouts/rules/ar")
    assert page.status_code == 200 and 'hx-trigger="input changed' in page.get_data(as_text=True)
    fragment = client.post(f"/groups/{group.id}/handouts/rules/ar/check/p4",
                           data={"t-p4": "عن السخط"}).get_data(as_text=True)
    assert 'id="check-p4"' in fragment and "avoid" in fragment
    auth.login("olena@example.org")
    assert client.get(f"/groups/{group.id}/handouts/rules/ar").status_code == 403


def test_demo_handouts_are_signed_in_arabic_and_ukrainian_and_partial_in_dari(db):
    from glossary.demo import load_demo
    from glossary.models.groups import Group

    load_demo(db, today=TODAY)
    demo = db.exec(select(Group).where(Group.name == "Demo group")).one()
    for kind in ("rules", "programme"):
        text = handouts.get_text(db, demo, kind)
        assert text.is_demo
        for language in ("ar", "uk"):
            found = translations.get_translation(db, text, language)
            assert found.is_demo and translations.live_state(db, found) == "agreed"
    dari = translations.get_translation(db, handouts.get_text(db, demo, "rules"), "fa-AF")
    assert dari.state == "open" and translations.empty_paragraphs(
        handouts.get_text(db, demo, "rules"), dari)
    assert frozen.handout_blockers(db, "ar", handouts.texts_of(db, demo)) == []
    pack = groups.latest_pack(db, demo, "ar")
    assert {h["kind"] for h in pack.content["handouts"]} == {"rules", "programme"}


def test_group_form_validates_the_fields_handouts_print(db, staff):
    form = {"name": "G", "working_language": "en", "languages": "ar",
            "place": "x" * 301, "contact": "+49 30 1"}
    with pytest.raises(InputError) as error:
        groups.parse_group(form, session=db, default_working="en")
    assert error.value.field == "place"
    form["place"] = "Hall\u202e 3"  # a bidi override could spoof what a participant reads
    with pytest.raises(InputError) as error:
        groups.parse_group(form, session=db, default_working="en")
    assert error.value.field == "place"
    form["place"] = "Hall 3"
    data = groups.parse_group(form, session=db, default_working="en")
    created = groups.create_group(db, data=data, person=staff["anna"])
    assert (created.place, created.contact, created.audience) == ("Hall 3", "+49 30 1", "")
    assert handouts.group_values(created)["place"] == "Hall 3"


def test_easy_read_names_paragraphs_with_more_than_one_idea():
    from glossary.handouts.easy import long_paragraphs

    paragraphs = [{"text": "- We listen. We speak one at a time."},
                  {"text": "One. Two. Three."},
                  {"text": "هذه جملة. وهذه ثانية؟ وهذه ثالثة."},
                  {"text": " ".join(["word"] * 26)},
                  {"text": "We talk about {{concept:consent}} and {{concept:anger}}."}]
    assert long_paragraphs(paragraphs) == [2, 3, 4]


def test_readiness_reads_handout_translations_once_per_language(db, engine, group, staff):
    """Readiness looks up the group's texts once and each language's translations in one
    statement, however many texts the group has (the groups list asks it for every
    group)."""
    from sqlalchemy import event

    for kind in ("rules", "programme", "help"):
        handouts.create_text(db, group=group, kind=kind, person=staff["anna"])
    db.commit()
    seen: list[str] = []

    def before(_conn, _cursor, statement, _params, _context, _many):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        pairs = groups.readiness(db, group)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert [len(p.handouts) for p in pairs] == [3] * 5  # nothing translated yet
    lookups = [s for s in seen if "FROM handout_translation" in s.replace('"', "")]
    texts = [s for s in seen if "FROM handout_text" in s.replace('"', "")
             and "handout_translation" not in s]
    assert len(lookups) == 5 and len(texts) == 1
