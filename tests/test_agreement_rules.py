"""The sign-off rules as pure functions, without database or HTTP."""

from dataclasses import dataclass, field
from datetime import date

import pytest

from glossary import agreement as rules
from glossary.errors import Conflict, Refused


@dataclass
class P:
    id: int
    roles: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    training_date: date | None = None

    @property
    def role_list(self):
        return self.roles

    @property
    def language_list(self):
        return self.languages


@dataclass
class T:
    id: int
    version: int
    language: str
    status: str = "preferred"
    no_equivalent: bool = False
    paraphrase: str = ""
    text: str = "x"


@dataclass
class S:
    person_id: int
    role: str
    fingerprint: str


TODAY = date(2026, 6, 1)
FP = rules.fingerprint([T(1, 1, "en")], [T(2, 1, "ar")])


def test_fingerprint_names_every_term_version_and_ignores_order():
    a = rules.fingerprint([T(1, 2, "en")], [T(5, 1, "ar"), T(3, 4, "ar")])
    b = rules.fingerprint([T(1, 2, "en")], [T(3, 4, "ar"), T(5, 1, "ar")])
    assert a == b == "en:1.2|ar:3.4,5.1"
    assert rules.fingerprint([T(1, 3, "en")], [T(3, 4, "ar"), T(5, 1, "ar")]) != a


@pytest.mark.parametrize(
    ("signatures", "dispute", "rendering", "expected"),
    [
        ([], False, False, "open"),
        ([], False, True, "proposed"),
        ([S(1, "facilitator", FP)], False, True, "proposed"),
        ([S(1, "facilitator", FP), S(2, "mediator", FP)], False, True, "agreed"),
        ([S(1, "facilitator", FP), S(1, "mediator", FP)], False, True, "proposed"),
        ([S(1, "facilitator", "old"), S(2, "mediator", "old")], False, True, "needs_review"),
        ([S(1, "facilitator", "old"), S(2, "mediator", "old"), S(1, "facilitator", FP)], False,
         True, "needs_review"),
        ([S(1, "facilitator", "old"), S(2, "mediator", "old"), S(1, "facilitator", FP),
          S(2, "mediator", FP)], False, True, "agreed"),
        ([S(1, "facilitator", FP), S(2, "mediator", FP)], True, True, "disputed"),
    ],
)
def test_derive_state(signatures, dispute, rendering, expected):
    state = rules.derive_state(rendering=rendering, signatures=signatures,
                               current_fingerprint=FP, open_dispute=dispute)
    assert state == expected


def test_avoid_only_is_no_rendering_but_a_paraphrase_is():
    assert not rules.has_rendering([T(1, 1, "ar", status="deprecated")])
    assert rules.has_rendering([T(1, 1, "ar", status="deprecated", no_equivalent=True,
                                  paraphrase="...")])
    assert rules.has_rendering([T(1, 1, "ar", status="admitted")])


def test_training_validity_counts_months_and_clamps_month_end():
    assert rules.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert rules.training_expiry(date(2024, 6, 1), 24) == date(2026, 6, 1)
    assert rules.training_current(date(2024, 6, 1), TODAY, 24)
    assert not rules.training_current(date(2024, 5, 31), TODAY, 24)
    assert not rules.training_current(None, TODAY, 24)


@pytest.mark.parametrize(
    ("person", "role", "reason"),
    [
        (P(1, ["outreach"]), "facilitator", "not registered as a facilitator"),
        (P(1, ["trainer"]), "trainer", "Only a facilitator and a mediator"),
        (P(1, ["facilitator"]), "mediator", "not registered as a mediator"),
        (P(1, ["mediator"], ["fa-AF"], date(2026, 1, 1)), "mediator", "for ar"),
        (P(1, ["mediator"], ["ar"], None), "mediator", "No SGBV training date"),
        (P(1, ["mediator"], ["ar"], date(2023, 1, 1)), "mediator", "lapsed on 2025-01-01"),
    ],
)
def test_check_can_sign_refuses_with_reason(person, role, reason):
    with pytest.raises(Refused, match=reason):
        rules.check_can_sign(person, role, target_language="ar", today=TODAY,
                             validity_months=24)


def test_check_can_sign_accepts_current_mediator_and_facilitator():
    rules.check_can_sign(P(1, ["mediator"], ["ar"], date(2025, 1, 1)), "mediator",
                         target_language="ar", today=TODAY, validity_months=24)
    rules.check_can_sign(P(2, ["facilitator"]), "facilitator", target_language="ar",
                         today=TODAY, validity_months=24)


def test_signature_refused_for_changed_wording_disputes_and_one_person_twice():
    kwargs = dict(person_id=1, role="mediator", signatures=[], current_fingerprint=FP)
    with pytest.raises(Conflict):
        rules.check_signature_allowed(state="proposed", seen_fingerprint="old", **kwargs)
    with pytest.raises(Refused, match="disputed"):
        rules.check_signature_allowed(state="disputed", seen_fingerprint=FP, **kwargs)
    with pytest.raises(Refused, match="no rendering"):
        rules.check_signature_allowed(state="open", seen_fingerprint=FP, **kwargs)
    kwargs["signatures"] = [S(1, "facilitator", FP)]
    with pytest.raises(Refused, match="other side"):
        rules.check_signature_allowed(state="proposed", seen_fingerprint=FP, **kwargs)
    kwargs["signatures"] = [S(1, "mediator", FP)]
    with pytest.raises(Refused, match="already signed"):
        rules.check_signature_allowed(state="proposed", seen_fingerprint=FP, **kwargs)


BOTH = P(7, ["facilitator", "mediator"], ["ar"], date(2026, 1, 1))


def options(person, state="proposed", signatures=(), language="ar"):
    roles, refusals = rules.sign_options(
        person, target_language=language, state=state, signatures=list(signatures),
        current_fingerprint=FP, today=TODAY, validity_months=24)
    return roles, [str(r) for r in refusals]


@pytest.mark.parametrize(
    ("person", "state", "signatures", "language", "roles"),
    [
        (BOTH, "proposed", [], "ar", ["facilitator", "mediator"]),
        (BOTH, "needs_review", [S(1, "mediator", "old")], "ar", ["facilitator", "mediator"]),
        # Not their language: no mediator button.
        (BOTH, "proposed", [], "uk", ["facilitator"]),
        # Someone else signed as facilitator: only the mediator side is left.
        (BOTH, "proposed", [S(1, "facilitator", FP)], "ar", ["mediator"]),
        # They signed one side: the other needs a second person.
        (BOTH, "proposed", [S(7, "facilitator", FP)], "ar", []),
        (BOTH, "agreed", [S(1, "facilitator", FP), S(2, "mediator", FP)], "ar", []),
        (BOTH, "open", [], "ar", []),
        (BOTH, "disputed", [], "ar", []),
        (P(8, ["outreach", "trainer"], ["ar"]), "proposed", [], "ar", []),
    ],
)
def test_sign_options_offer_only_the_roles_left_to_sign(person, state, signatures,
                                                         language, roles):
    assert options(person, state, signatures, language) == (roles, [])


def test_sign_options_explain_why_a_mediator_may_not_sign():
    lapsed = P(9, ["mediator"], ["ar"], date(2023, 1, 1))
    assert options(lapsed) == ([], ["Your SGBV training lapsed on 2025-01-01; a refresher is "
                                    "needed before you sign."])
    untrained = P(10, ["facilitator", "mediator"], ["ar"], None)
    roles, refusals = options(untrained)
    assert roles == ["facilitator"] and len(refusals) == 1 and "No SGBV training" in refusals[0]
