"""Concurrent edits and signatures, on whichever database the suite runs against."""

import threading

from conftest import TODAY
from sqlmodel import Session, select

from glossary import signoff
from glossary.concepts import edit_term, parse_term
from glossary.errors import Conflict
from glossary.models import Agreement, AuditEvent, Person, Signature, Term


def run_together(*jobs):
    """Start every job at the same moment in its own thread; return results or errors."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def runner(index, job):
        barrier.wait()
        try:
            results[index] = job()
        except Exception as exc:  # collected for the assertions
            results[index] = exc

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_simultaneous_edits_one_wins_the_other_is_told(engine, db, make_concept,
                                                           make_person):
    anna = make_person("anna", "facilitator")
    ben = make_person("ben", "facilitator")
    concept = make_concept("consent", ar="الموافقة")
    term_id = db.exec(select(Term.id).where(Term.concept_id == concept.id,
                                            Term.language == "ar")).one()

    def edit(person_id, text):
        def job():
            with Session(engine, expire_on_commit=False) as session:
                term = session.get(Term, term_id)
                person = session.get(Person, person_id)
                return edit_term(session, term=term, data=parse_term({"text": text}),
                                 seen_version=1, person=person, working="en").text
        return job

    results = run_together(edit(anna.id, "الرضا"), edit(ben.id, "القبول"))
    conflicts = [r for r in results if isinstance(r, Conflict)]
    saved = [r for r in results if isinstance(r, str)]
    assert len(conflicts) == 1 and len(saved) == 1, results
    with Session(engine) as session:
        term = session.get(Term, term_id)
        assert (term.text, term.version) == (saved[0], 2)
        attempt = session.exec(select(AuditEvent).where(AuditEvent.action == "edit_conflict")).one()
        assert {attempt.after["text"], term.text} == {"الرضا", "القبول"}


def test_two_simultaneous_signatures_end_agreed(engine, db, make_concept, make_person):
    anna = make_person("anna", "facilitator")
    samir = make_person("samir", "mediator", "ar")
    concept = make_concept("consent", ar="الموافقة")
    agreement_id = db.exec(select(Agreement.id).where(Agreement.concept_id == concept.id)).one()

    def sign(person_id, role):
        def job():
            with Session(engine, expire_on_commit=False) as session:
                agreement = session.get(Agreement, agreement_id)
                person = session.get(Person, person_id)
                fp = signoff.current_fingerprint(session, agreement)
                session.rollback()
                return signoff.sign(session, agreement=agreement, person=person, role=role,
                                    seen_fingerprint=fp, today=TODAY, validity_months=24).id
        return job

    for _round in range(3):
        results = run_together(sign(anna.id, "facilitator"), sign(samir.id, "mediator"))
        assert all(isinstance(r, int) for r in results), results
        with Session(engine) as session:
            agreement = session.get(Agreement, agreement_id)
            assert agreement.state == "agreed"
            assert len(session.exec(select(Signature)).all()) == 2
            states = session.exec(select(AuditEvent).where(
                AuditEvent.action == "agreement_state").order_by(AuditEvent.id)).all()
            assert [e.after["state"] for e in states][-1] == "agreed"
        # Reset for the next round: remove the signatures and go back to proposed.
        with Session(engine) as session:
            for s in session.exec(select(Signature)):
                session.delete(s)
            agreement = session.get(Agreement, agreement_id)
            agreement.state = "proposed"
            session.add(agreement)
            session.commit()


def test_the_same_role_signed_twice_at_once_keeps_one(engine, db, make_concept, make_person):
    samir = make_person("samir", "mediator", "ar")
    concept = make_concept("consent", ar="الموافقة")
    agreement_id = db.exec(select(Agreement.id).where(Agreement.concept_id == concept.id)).one()

    def sign():
        with Session(engine, expire_on_commit=False) as session:
            agreement = session.get(Agreement, agreement_id)
            person = session.get(Person, samir.id)
            fp = signoff.current_fingerprint(session, agreement)
            session.rollback()
            return signoff.sign(session, agreement=agreement, person=person, role="mediator",
                                seen_fingerprint=fp, today=TODAY, validity_months=24).id

    results = run_together(sign, sign)
    assert sum(isinstance(r, int) for r in results) == 1, results
    with Session(engine) as session:
        assert len(session.exec(select(Signature)).all()) == 1
