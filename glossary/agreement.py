"""Sign-off rules: who may sign, what a signature is bound to, and the state of an
agreement. Pure functions over plain values; no database, no request.

An agreement (one concept, one language pair) holds only while one facilitator AND one
mediator (two different people) have signed the wording exactly as it stands now. The
wording is identified by a *fingerprint*: every term of the concept in the source and the
target language with its version number. Any edit changes the fingerprint, so the
signatures made before it no longer count and the agreement needs review; they stay in
the history with the wording they were bound to.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from .dates import ShownDate
from .errors import Conflict, Refused
from .i18n import _l
from .text import is_visible

# The states of an agreement (and of a flyer translation), defined here once: the models,
# the lists, the exports and the templates take them and their labels from this module.
OPEN, PROPOSED, AGREED, NEEDS_REVIEW, DISPUTED = (
    "open",
    "proposed",
    "agreed",
    "needs_review",
    "disputed",
)
STATES = (OPEN, PROPOSED, AGREED, NEEDS_REVIEW, DISPUTED)
STATE_LABELS = {
    OPEN: _l("No rendering"),
    PROPOSED: _l("Proposed"),
    AGREED: _l("Agreed"),
    NEEDS_REVIEW: _l("Needs review"),
    DISPUTED: _l("Disputed"),
}

# The roles staff hold; the first two are the two sides of every sign-off.
FACILITATOR, MEDIATOR = "facilitator", "mediator"
ROLES = (FACILITATOR, MEDIATOR, "outreach", "trainer", "admin")
SIGNING_ROLES = (FACILITATOR, MEDIATOR)
ROLE_LABELS = {
    FACILITATOR: _l("Facilitator"),
    MEDIATOR: _l("Mediator"),
    "outreach": _l("Outreach"),
    "trainer": _l("Trainer"),
    "admin": _l("Admin"),
}
# The signing roles as named inside a sentence.
ROLE_NAMES = {FACILITATOR: _l("facilitator"), MEDIATOR: _l("mediator")}


class SignerLike(Protocol):
    id: int | None
    training_date: date | None

    @property
    def role_list(self) -> list[str]: ...

    @property
    def language_list(self) -> list[str]: ...


class TermLike(Protocol):
    id: int | None
    version: int
    language: str


class SignatureLike(Protocol):
    person_id: int
    role: str
    fingerprint: str


def add_months(day: date, months: int) -> date:
    """``day`` plus a number of months, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def training_expiry(training_date: date | None, validity_months: int) -> date | None:
    """The last day on which SGBV training taken on ``training_date`` is current."""
    if training_date is None:
        return None
    return add_months(training_date, validity_months)


def training_current(training_date: date | None, today: date, validity_months: int) -> bool:
    """True when training was taken and has not yet lapsed on ``today``."""
    expiry = training_expiry(training_date, validity_months)
    return expiry is not None and today <= expiry


def fingerprint(source_terms: Iterable[TermLike], target_terms: Iterable[TermLike]) -> str:
    """Identify the exact wording of both sides: ``en:3.1,4.2|ar:7.5`` lists each term id
    with its version, per side, sorted so that the order of loading does not matter."""

    def side(terms: Iterable[TermLike]) -> str:
        terms = sorted(terms, key=lambda t: t.id or 0)
        lang = terms[0].language if terms else ""
        return lang + ":" + ",".join(f"{t.id}.{t.version}" for t in terms)

    return side(source_terms) + "|" + side(target_terms)


def has_rendering(target_terms: Iterable) -> bool:
    """True when the target side has a usable rendering: one that is not "avoid", or a
    "no direct equivalent" entry carrying its paraphrase. A text made only of invisible
    characters (stored before they were refused) is no rendering: nobody can sign it."""
    return any(
        (t.status != "deprecated" or (t.no_equivalent and t.paraphrase)) and is_visible(t.text)
        for t in target_terms
    )


def current_signatures(
    signatures: Iterable[SignatureLike], current_fingerprint: str
) -> list[SignatureLike]:
    """The signatures bound to the wording as it stands now."""
    return [s for s in signatures if s.fingerprint == current_fingerprint]


def derive_state(
    *,
    rendering: bool,
    signatures: Iterable[SignatureLike],
    current_fingerprint: str,
    open_dispute: bool,
) -> str:
    """The state of an agreement.

    - ``disputed`` while an objection is unresolved, whatever was signed;
    - ``open`` when there is no rendering to agree on;
    - ``agreed`` when a facilitator and a mediator (two different people) signed the
      current wording;
    - ``needs_review`` when someone signed an earlier wording and the pair of current
      signatures is not complete;
    - ``proposed`` otherwise (a rendering, not yet signed by both).
    """
    if open_dispute:
        return DISPUTED
    if not rendering:
        return OPEN
    signatures = list(signatures)
    current = current_signatures(signatures, current_fingerprint)
    facilitators = {s.person_id for s in current if s.role == FACILITATOR}
    mediators = {s.person_id for s in current if s.role == MEDIATOR}
    if any(f != m for f in facilitators for m in mediators):
        return AGREED
    if len(current) < len(signatures):
        return NEEDS_REVIEW
    return PROPOSED


def check_can_sign(
    person: SignerLike,
    role: str,
    *,
    target_language: str,
    today: date,
    validity_months: int,
) -> None:
    """Raise :class:`Refused` with the reason when ``person`` may not sign as ``role``.

    Only facilitators and mediators sign, each in a role they hold. A mediator signs only
    for a language they are registered for and only while their SGBV training is current
    (training date plus ``validity_months``).
    """
    if role not in SIGNING_ROLES:
        raise Refused(_l("Only a facilitator and a mediator can sign an agreement."))
    if role not in person.role_list:
        if role == FACILITATOR:
            raise Refused(_l("You are not registered as a facilitator, so you cannot sign as one."))
        raise Refused(_l("You are not registered as a mediator, so you cannot sign as one."))
    if role == MEDIATOR:
        if target_language not in person.language_list:
            raise Refused(
                _l(
                    "You are not registered as a mediator for %(language)s.",
                    language=target_language,
                )
            )
        expiry = training_expiry(person.training_date, validity_months)
        if expiry is None:
            raise Refused(
                _l("No SGBV training date is recorded for you; a mediator signs only when trained.")
            )
        if today > expiry:  # the expiry day itself still counts, as in training_current
            raise Refused(
                _l(
                    "Your SGBV training lapsed on %(date)s; a refresher is needed before you sign.",
                    date=ShownDate(expiry),
                )
            )


def check_can_dispute(person: SignerLike, *, target_language: str) -> None:
    """Raise :class:`Refused` when ``person`` may not raise a (blocking) dispute on the
    pair working language -> ``target_language``.

    Facilitators and admins may, and mediators registered for the language, *whether or
    not their SGBV training is current*. Decided (issue 13.8): training gates approval,
    not caution. A dispute only stops a wording from being used until a facilitator or a
    mediator has looked at it again, and a signature by a mediator with current training
    is still needed to agree it; a mediator who sees a harmful rendering must be heard
    even while a refresher is due. (Facilitators, who may dispute too, have no training
    date at all.)"""
    roles = set(person.role_list)
    if roles & {"facilitator", "admin"}:
        return
    if "mediator" in roles and target_language in person.language_list:
        return
    raise Refused(_l("Only a facilitator or a mediator of this language can dispute."))


def check_signature_allowed(
    *,
    person_id: int | None,
    role: str,
    state: str,
    signatures: Iterable[SignatureLike],
    current_fingerprint: str,
    seen_fingerprint: str,
) -> None:
    """Raise when a signature may not be added now: the wording changed since the signer
    saw it (:class:`Conflict`), the agreement is disputed or has nothing to sign, the
    same person already signed the other side of this wording, or already signed it."""
    if seen_fingerprint != current_fingerprint:
        raise Conflict(
            _l("The wording changed after you opened it. Read it again before you sign.")
        )
    if state == DISPUTED:
        raise Refused(_l("This agreement is disputed; resolve the dispute before signing."))
    if state == OPEN:
        raise Refused(_l("There is no rendering to sign yet."))
    for s in current_signatures(signatures, current_fingerprint):
        if s.person_id == person_id and s.role != role:
            raise Refused(
                _l("You already signed the other side; a second person must sign as %(role)s.",
                   role=ROLE_NAMES.get(role, role))
            )
        if s.person_id == person_id and s.role == role:
            raise Refused(_l("You have already signed this wording."))


def sign_options(
    person: SignerLike,
    *,
    target_language: str,
    state: str,
    signatures: Iterable[SignatureLike],
    current_fingerprint: str,
    today: date,
    validity_months: int,
) -> tuple[list[str], list[Refused]]:
    """The roles ``person`` may sign in now, and why they may not sign in the others
    they hold: ``(roles, refusals)``, by the same rules as :func:`check_can_sign` and
    :func:`check_signature_allowed`.

    A role is left out silently when there is nothing for this person to do in it: they
    do not hold it (or, as a mediator, not for this language), someone has already
    signed the current wording in it, they signed it themselves, or there is nothing to
    sign (open, disputed). A refusal is given when they could sign but may not (no
    training date, training lapsed), so they know what to fix."""
    current = current_signatures(signatures, current_fingerprint)
    roles: list[str] = []
    refusals: list[Refused] = []
    for role in SIGNING_ROLES:
        if role not in person.role_list:
            continue
        if role == MEDIATOR and target_language not in person.language_list:
            continue
        if any(s.role == role for s in current):
            continue
        try:
            check_signature_allowed(person_id=person.id, role=role, state=state,
                                    signatures=current, current_fingerprint=current_fingerprint,
                                    seen_fingerprint=current_fingerprint)
        except (Refused, Conflict):
            continue
        try:
            check_can_sign(person, role, target_language=target_language, today=today,
                           validity_months=validity_months)
        except Refused as refusal:
            refusals.append(refusal)
        else:
            roles.append(role)
    return roles, refusals
