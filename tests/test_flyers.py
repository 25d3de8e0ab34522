"""Flyers: templates, citations of concepts, translations and their sign-off."""

import pytest
from conftest import TODAY
from sqlmodel import select

from glossary import flyer_templates, flyers, signoff
from glossary.concepts import edit_term, parse_term
from glossary.errors import Conflict, InputError, Refused
from glossary.models import Agreement, AuditEvent, Term


@pytest.fixture
def team(make_person):
    return {"anna": make_person("anna", "facilitator"),
            "samir": make_person("samir", "mediator", "ar"),
            "oskar": make_person("oskar", "outreach")}


def agree(db, concept, team, language="ar"):
    agreement = db.exec(select(Agreement).where(Agreement.concept_id == concept.id,
                                                Agreement.target_language == language)).one()
    for who, role in (("anna", "facilitator"), ("samir", "mediator")):
        signoff.sign(db, agreement=agreement, person=team[who], role=role,
                     seen_fingerprint=signoff.current_fingerprint(db, agreement),
                     today=TODAY, validity_months=24)
    return agreement


def new_flyer(db, team, **fields):
    template = flyer_templates.get_template("info-evening")
    values = {spec.key: spec.default for spec in template.fields} | fields
    return flyers.create_flyer(db, name="Evening", template_key="info-evening", layout="a4",
                               fields=values, person=team["oskar"], working="en")


def sign_both(db, translation, team):
    for who, role in (("anna", "facilitator"), ("samir", "mediator")):
        fp = flyers.translation_wording(db, translation).fingerprint
        flyers.sign_translation(db, translation=translation, person=team[who], role=role,
                                seen_fingerprint=fp, today=TODAY, validity_months=24)


def test_templates_are_files_with_named_fields():
    templates = flyer_templates.load_templates()
    assert {"programme", "info-evening"} <= set(templates)
    keys = [f.key for f in templates["programme"].fields]
    assert keys == ["title", "audience", "what", "where_when", "cost", "confidentiality",
                    "contact", "call_to_action"]


def test_citations_resolve_to_agreed_renderings_only(db, team, make_concept):
    consent = make_concept("consent", key="consent", ar="الموافقة")
    flyer = new_flyer(db, team, what="We talk about [[consent]].")
    text, missing = flyer_templates.rendered(db, flyer.fields, language="en", working="en")
    assert text["what"] == "We talk about consent." and missing == []
    _text, missing = flyer_templates.rendered(db, {"what": "عن [[consent]]"}, language="ar",
                                     working="en")
    assert missing == ["consent"]  # proposed, not agreed
    agree(db, consent, team)
    text, missing = flyer_templates.rendered(db, {"what": "عن [[consent]]"}, language="ar",
                                    working="en")
    assert text["what"] == "عن الموافقة" and missing == []


def test_unknown_citation_is_refused(db, team):
    with pytest.raises(InputError, match="No concept has the key “nope”"):
        new_flyer(db, team, what="[[nope]]")
    assert db.exec(select(AuditEvent).where(AuditEvent.entity == "flyer")).all() == []


def test_translation_sign_off_and_invalidation_by_either_side(db, team, make_concept):
    consent = make_concept("consent", key="consent", ar="الموافقة")
    agree(db, consent, team)
    flyer = new_flyer(db, team, what="We talk about [[consent]].")
    template = flyer_templates.get_template("info-evening")
    arabic = {spec.key: f"نص {spec.key}" for spec in template.fields}
    arabic["what"] = "نتحدث عن [[consent]]."
    translation = flyers.save_translation(db, flyer=flyer, language="ar", fields=arabic,
                                          seen_version=None, person=team["samir"],
                                          working="en")
    assert translation.state == "proposed"
    sign_both(db, translation, team)
    assert translation.state == "agreed"

    # Editing the source sends it back to review.
    flyers.update_flyer(db, flyer=flyer, fields=flyer.fields | {"title": "New title"},
                        layout="a4", seen_version=1, person=team["oskar"])
    db.refresh(translation)
    assert translation.state == "needs_review"
    sign_both(db, translation, team)
    assert translation.state == "agreed"

    # So does a change in the cited concept's agreed rendering.
    term = db.exec(select(Term).where(Term.language == "ar")).one()
    edit_term(db, term=term, data=parse_term({"text": "الرضا"}), seen_version=term.version,
              person=team["anna"], working="en")
    signoff_states = {a.state for a in db.exec(select(Agreement))}
    assert signoff_states == {"needs_review"}
    wording = flyers.translation_wording(db, translation)
    assert not wording.complete  # the citation has no agreed rendering now


def test_incomplete_translation_cannot_be_signed(db, team):
    flyer = new_flyer(db, team)
    translation = flyers.save_translation(db, flyer=flyer, language="ar",
                                          fields={"title": "أمسية"}, seen_version=None,
                                          person=team["samir"], working="en")
    assert translation.state == "open"
    with pytest.raises(Refused, match="no rendering to sign"):
        sign_both(db, translation, team)


def test_mediator_translates_only_own_language_and_stale_saves_conflict(db, team):
    flyer = new_flyer(db, team)
    with pytest.raises(Refused):
        flyers.save_translation(db, flyer=flyer, language="uk", fields={"title": "Вечір"},
                                seen_version=None, person=team["samir"], working="en")
    translation = flyers.save_translation(db, flyer=flyer, language="ar",
                                          fields={"title": "أمسية"}, seen_version=None,
                                          person=team["samir"], working="en")
    flyers.save_translation(db, flyer=flyer, language="ar", fields={"title": "أمسية ٢"},
                            seen_version=1, person=team["samir"], working="en")
    with pytest.raises(Conflict):
        flyers.save_translation(db, flyer=flyer, language="ar", fields={"title": "x"},
                                seen_version=1, person=team["samir"], working="en")
    db.refresh(translation)
    assert translation.fields == {"title": "أمسية ٢"} and translation.version == 2


def test_blocking_findings_refuse_signature(db, team, make_concept):
    flyer = new_flyer(db, team)
    template = flyer_templates.get_template("info-evening")
    translation = flyers.save_translation(
        db, flyer=flyer, language="ar", fields={s.key: "نص" for s in template.fields},
        seen_version=None, person=team["samir"], working="en")
    fp = flyers.translation_wording(db, translation).fingerprint
    with pytest.raises(Refused, match="avoid-term"):
        flyers.sign_translation(db, translation=translation, person=team["anna"],
                                role="facilitator", seen_fingerprint=fp, today=TODAY,
                                validity_months=24, blocking=["avoid-term"])
    assert flyers.signatures_of(db, translation.id) == []
