"""What a page shows for signing off a text (a flyer or handout translation): who signed
the current wording, the roles the person may sign in now and why not in the others.
Flyer and handout translation pages share it, with ``partials/_text_signoff.html``."""

from __future__ import annotations

from flask import current_app, g
from sqlmodel import select

from .. import agreement as rules
from ..models import Person
from .helpers import today


def sign_context(db, *, tag: str, state: str, signatures: list, fingerprint: str) -> dict:
    """``sign_roles``, ``sign_refusals`` (readable reasons) and ``current_signatures``
    ((signature, signer's name) for the wording with ``fingerprint``)."""
    signed = [s for s in signatures if s.fingerprint == fingerprint]
    roles, refusals = rules.sign_options(
        g.person, target_language=tag, state=state, signatures=signed,
        current_fingerprint=fingerprint, today=today(),
        validity_months=current_app.config["TRAINING_VALIDITY_MONTHS"])
    names = {p.id: p.name for p in db.exec(select(Person).where(
        Person.id.in_([s.person_id for s in signed] or [0])))}
    return {"sign_roles": roles, "sign_refusals": [str(refusal) for refusal in refusals],
            "current_signatures": [(s, names.get(s.person_id, "?")) for s in signed]}
