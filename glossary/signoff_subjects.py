"""Signing off any subject (an agreement on a concept, a flyer translation): the wording
a signer sees (:class:`Wording`), what the steps need from a subject (:class:`Subject`),
storing its state, signing it, and the lock every change takes first.

Every change to a subject first bumps its ``lock_version`` with an UPDATE (:func:`lock`).
That takes the row lock on PostgreSQL and the write lock on SQLite before anything is
read, so two signatures arriving at once are applied one after the other, each seeing the
other's result, and end in one consistent state. The rules themselves (which state,
who may sign) are in :mod:`glossary.agreement`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import update
from sqlmodel import Session

from . import agreement as rules
from .audit import record
from .models import Person, utcnow


def lock(session: Session, row):
    """Take the row's (PostgreSQL) or the database's (SQLite) write lock by bumping its
    ``lock_version``, then reload it. Works for any table with that column."""
    table = type(row)
    session.execute(
        update(table).where(table.id == row.id).values(lock_version=table.lock_version + 1)
    )
    session.refresh(row)
    return row


@dataclass(frozen=True)
class Wording:
    """The exact wording of both sides of a subject, as a signer sees it."""

    fingerprint: str
    complete: bool  # there is something to sign
    snapshot: dict  # kept with each signature for the history


class SubjectRow(Protocol):
    """The row of a sign-off subject: an agreement or a flyer translation."""

    id: int | None
    state: str
    lock_version: int
    target_language: str
    agreed_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class Subject:
    """Something a facilitator and a mediator sign off (an agreement on a concept, a flyer
    translation), described by what the generic steps below need from it. ``row`` has
    ``id``, ``state``, ``lock_version``, ``target_language``, ``agreed_at`` and
    ``updated_at``."""

    row: SubjectRow
    entity: str
    wording: Callable[[Session], Wording]
    signatures: Callable[[Session], list]
    disputed: Callable[[Session], bool]
    new_signature: Callable[..., Any]  # a Signature or a FlyerSignature


def refresh_subject(session: Session, subject: Subject, *, person: Person | None) -> str:
    """Recompute and store the subject's state; record an audit event when it changes.
    The caller holds the lock (see :func:`lock`)."""
    return _store_state(session, subject, person=person, wording=subject.wording(session),
                        signatures=subject.signatures(session),
                        disputed=subject.disputed(session))


def _store_state(session: Session, subject: Subject, *, person: Person | None,
                 wording: Wording, signatures: list, disputed: bool) -> str:
    row = subject.row
    state = rules.derive_state(rendering=wording.complete, signatures=signatures,
                               current_fingerprint=wording.fingerprint, open_dispute=disputed)
    if state != row.state:
        record(session, person=person, action=f"{subject.entity}_state", entity=subject.entity,
               entity_id=row.id, before={"state": row.state}, after={"state": state})
        row.state = state
        row.agreed_at = utcnow() if state == rules.AGREED else row.agreed_at
        row.updated_at = utcnow()
        session.add(row)
    return state


def sign_subject(session: Session, subject: Subject, *, person: Person, role: str,
                 seen_fingerprint: str, today: date, validity_months: int):
    """Add ``person``'s signature in ``role`` to the wording identified by
    ``seen_fingerprint``. Raises :class:`Refused` or :class:`Conflict` with the reason
    when the rules in :mod:`glossary.agreement` forbid it (the caller rolls back).

    Under the lock nothing the decision depends on can change, so the wording, the
    signatures and the open dispute are read once."""
    row = subject.row
    rules.check_can_sign(person, role, target_language=row.target_language, today=today,
                         validity_months=validity_months)
    lock(session, row)
    wording = subject.wording(session)
    signatures = subject.signatures(session)
    disputed = subject.disputed(session)
    _store_state(session, subject, person=person, wording=wording, signatures=signatures,
                 disputed=disputed)
    rules.check_signature_allowed(
        person_id=person.id, role=role, state=row.state,
        signatures=signatures, current_fingerprint=wording.fingerprint,
        seen_fingerprint=seen_fingerprint,
    )
    signature = subject.new_signature(person_id=person.id, role=role,
                                      fingerprint=wording.fingerprint, wording=wording.snapshot)
    session.add(signature)
    session.flush()
    record(session, person=person, action="sign", entity=subject.entity, entity_id=row.id,
           after={"role": role, "fingerprint": wording.fingerprint,
                  "signature_id": signature.id})
    _store_state(session, subject, person=person, wording=wording,
                 signatures=[*signatures, signature], disputed=disputed)
    return signature


def subject_state(session: Session, subject: Subject) -> str:
    """The state the subject's wording, signatures and disputes give it now, without
    storing it (:func:`refresh_subject` stores it)."""
    wording = subject.wording(session)
    return rules.derive_state(rendering=wording.complete, signatures=subject.signatures(session),
                              current_fingerprint=wording.fingerprint,
                              open_dispute=subject.disputed(session))


def write_translation(session: Session, translation: Any, *, new: Callable[[], Any],
                      field: str, value: dict, seen_version: int | None,
                      person: Person | None, entity: str, language: str,
                      subject: Callable[[Any], Subject]) -> Any:
    """Save a translated text (a flyer's fields, a handout's paragraphs) the way both do:
    ``translation`` is the existing row or None (then ``new()`` makes one holding
    ``value``); an existing row gets ``value`` in ``field`` as a new version, only if it
    is still at ``seen_version`` (else :class:`glossary.errors.Conflict`, nothing
    written). Audited as ``translate`` on ``entity``; the sign-off state is refreshed
    (``subject`` gives the row's sign-off subject). Returns the row."""
    from .i18n import _l
    from .transaction import save_version

    who = person.id if person else None
    if translation is None:
        translation = new()
        session.add(translation)
        session.flush()
        before = None
    else:
        before = {field: getattr(translation, field), "version": translation.version}
        save_version(session, translation, seen_version=seen_version or 0,
                     conflict=_l("This translation was changed by someone else meanwhile. "
                                 "Your text is shown below; compare and save again."),
                     **{field: value}, updated_by_id=who)
    record(session, person=person, action="translate", entity=entity,
           entity_id=translation.id, before=before,
           after={field: value, "version": translation.version, "language": language})
    lock(session, translation)
    refresh_subject(session, subject(translation), person=person)
    return translation
