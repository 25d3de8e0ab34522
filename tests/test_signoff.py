"""Sign-off in the database: states, history, audit, refusals that change nothing."""

import pytest
from conftest import TODAY
from sqlmodel import select

from glossary import signoff
from glossary.concepts import edit_term, parse_term
from glossary.errors import Conflict, Refused
from glossary.models import Agreement, AuditEvent, Signature, Term, TermVersion


def agreement_for(db, concept, language="ar"):
    return db.exec(select(Agreement).where(Agreement.concept_id == concept.id,
                                           Agreement.target_language == language)).one()


def sign(db, agreement, person, role):
    return signoff.sign(db, agreement=agreement, person=person, role=role,
                        seen_fingerprint=signoff.current_fingerprint(db, agreement),
                        today=TODAY, validity_months=24)


@pytest.fixture
def pair(make_person):
    return make_person("anna", "facilitator"), make_person("samir", "mediator", "ar")


def test_proposed_to_agreed_to_needs_review_keeps_both_signed_versions(db, make_concept, pair):
    anna, samir = pair
    concept = make_concept("consent", ar="الموافقة")
    agreement = agreement_for(db, concept)
    assert agreement.state == "proposed"
    sign(db, agreement, anna, "facilitator")
    assert agreement.state == "proposed"
    sign(db, agreement, samir, "mediator")
    assert agreement.state == "agreed"

    term = db.exec(select(Term).where(Term.language == "ar")).one()
    edit_term(db, term=term, data=parse_term({"text": "الرضا"}), seen_version=1, person=anna,
              working="en")
    db.refresh(agreement)
    assert agreement.state == "needs_review"
    signatures = db.exec(select(Signature).order_by(Signature.id)).all()
    assert [s.wording["ar"][0]["text"] for s in signatures] == ["الموافقة", "الموافقة"]
    versions = db.exec(select(TermVersion).where(TermVersion.term_id == term.id)
                       .order_by(TermVersion.version)).all()
    assert [(v.version, v.text) for v in versions] == [(1, "الموافقة"), (2, "الرضا")]

    sign(db, agreement, anna, "facilitator")
    assert agreement.state == "needs_review"
    sign(db, agreement, samir, "mediator")
    assert agreement.state == "agreed"
    assert {s.wording["ar"][0]["text"] for s in db.exec(select(Signature))} == {"الموافقة", "الرضا"}


def test_editing_the_source_wording_also_needs_review(db, make_concept, pair):
    anna, samir = pair
    concept = make_concept("consent", ar="الموافقة", uk="згода")
    for language, mediator in (("ar", samir),):
        agreement = agreement_for(db, concept, language)
        sign(db, agreement, anna, "facilitator")
        sign(db, agreement, mediator, "mediator")
    source = db.exec(select(Term).where(Term.language == "en")).one()
    edit_term(db, term=source, data=parse_term({"text": "consent (sexual)"}), seen_version=1,
              person=anna, working="en")
    assert agreement_for(db, concept, "ar").state == "needs_review"
    assert agreement_for(db, concept, "uk").state == "proposed"


def test_one_person_cannot_sign_both_sides(db, make_concept, make_person):
    both = make_person("kim", "facilitator,mediator", "ar")
    agreement = agreement_for(db, make_concept("consent", ar="الموافقة"))
    sign(db, agreement, both, "facilitator")
    with pytest.raises(Refused, match="other side"):
        sign(db, agreement, both, "mediator")
    assert len(db.exec(select(Signature)).all()) == 1
    assert agreement.state == "proposed"


def test_mediator_refused_for_other_language_or_lapsed_training(db, make_concept, make_person):
    agreement = agreement_for(db, make_concept("consent", ar="الموافقة"))
    dari = make_person("mariam", "mediator", "fa-AF")
    lapsed = make_person("yonas", "mediator", "ar", trained_days_ago=800)
    with pytest.raises(Refused, match="for ar"):
        sign(db, agreement, dari, "mediator")
    with pytest.raises(Refused, match="lapsed"):
        sign(db, agreement, lapsed, "mediator")
    assert db.exec(select(Signature)).all() == []


def test_signing_a_wording_that_changed_since_seen_is_refused(db, make_concept, pair):
    anna, samir = pair
    concept = make_concept("consent", ar="الموافقة")
    agreement = agreement_for(db, concept)
    seen = signoff.current_fingerprint(db, agreement)
    term = db.exec(select(Term).where(Term.language == "ar")).one()
    edit_term(db, term=term, data=parse_term({"text": "الرضا"}), seen_version=1, person=anna,
              working="en")
    with pytest.raises(Conflict):
        signoff.sign(db, agreement=agreement, person=samir, role="mediator",
                     seen_fingerprint=seen, today=TODAY, validity_months=24)
    assert db.exec(select(Signature)).all() == []


def test_dispute_blocks_agreement_until_resolved(db, make_concept, pair):
    anna, samir = pair
    agreement = agreement_for(db, make_concept("consent", ar="الموافقة"))
    sign(db, agreement, anna, "facilitator")
    signoff.raise_dispute(db, agreement=agreement, person=samir, comment="Means approval only.")
    assert agreement.state == "disputed"
    with pytest.raises(Refused, match="disputed"):
        sign(db, agreement, samir, "mediator")
    signoff.resolve_dispute(db, agreement=agreement, person=anna, resolution="Keep, add a note.")
    assert agreement.state == "proposed"
    sign(db, agreement, samir, "mediator")
    assert agreement.state == "agreed"


def test_every_change_and_signature_writes_an_audit_event(db, make_concept, pair):
    anna, samir = pair
    agreement = agreement_for(db, make_concept("consent", ar="الموافقة"))
    sign(db, agreement, anna, "facilitator")
    sign(db, agreement, samir, "mediator")
    actions = [(e.action, e.person_id) for e in db.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert ("create", None) in actions and ("propose", None) in actions
    assert ("sign", anna.id) in actions and ("sign", samir.id) in actions
    states = [e.after["state"] for e in db.exec(select(AuditEvent).where(
        AuditEvent.action == "agreement_state").order_by(AuditEvent.id))]
    assert states == ["proposed", "agreed"]


def test_a_second_save_on_an_old_version_is_refused_and_both_texts_kept(db, make_concept, pair):
    anna, _samir = pair
    ben_concept = make_concept("consent", ar="الموافقة")
    term = db.exec(select(Term).where(Term.concept_id == ben_concept.id,
                                      Term.language == "ar")).one()
    edit_term(db, term=term, data=parse_term({"text": "الرضا"}), seen_version=1, person=anna,
              working="en")
    with pytest.raises(Conflict, match="changed by Anna meanwhile") as caught:
        edit_term(db, term=term, data=parse_term({"text": "القبول"}), seen_version=1,
                  person=anna, working="en")
    assert caught.value.current.text == "الرضا"
    assert caught.value.attempted.text == "القبول"
    db.refresh(term)
    assert term.text == "الرضا" and term.version == 2
    conflict = db.exec(select(AuditEvent).where(AuditEvent.action == "edit_conflict")).one()
    assert conflict.after["text"] == "القبول" and conflict.before["text"] == "الرضا"
