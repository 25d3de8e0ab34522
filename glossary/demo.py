"""Demo data: staff accounts, the starter concepts, and example renderings in Arabic,
Dari, Tigrinya and Ukrainian taken through every agreement state, the agreed Arabic ones
with explanations for participants (:mod:`glossary.demo_explanations`).

The renderings are examples of the workflow, not vetted translations; every one is
marked as demo data and the interface says so.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from . import signoff
from .concepts import edit_term, parse_term, propose_term
from .demo_explanations import with_explanation
from .demo_flyers import load_demo_flyer
from .importers.starter import load_starter
from .models import Concept, Person
from .people import create_person

DEMO_PASSWORD = "demo-password"

# (name, e-mail, roles, languages, days since SGBV training or None)
DEMO_PEOPLE = [
    ("Alex Admin", "admin@example.org", "admin,trainer", "", None),
    ("Anna Facilitator", "anna@example.org", "facilitator", "", 100),
    ("Ben Facilitator", "ben@example.org", "facilitator,trainer", "", 300),
    ("Samir Mediator", "samir@example.org", "mediator", "ar", 200),
    ("Mariam Mediator", "mariam@example.org", "mediator", "fa-AF,ps", 150),
    ("Olena Mediator", "olena@example.org", "mediator", "uk", 400),
    ("Yonas Mediator", "yonas@example.org", "mediator", "ti", 900),
    ("Oskar Outreach", "oskar@example.org", "outreach", "", None),
]

# concept key -> language -> list of rendering fields (the first is the one signed).
DEMO_RENDERINGS: dict[str, dict[str, list[dict]]] = {
    "consent": {
        "ar": [{"text": "الموافقة", "back_translation": "agreement, approval",
                "usage_note": "Add 'free' (الحرة) when speaking of sex."},
               {"text": "الرضا", "status": "admitted", "back_translation": "contentment, "
                "acceptance", "usage_note": "Also means resignation; use with care."}],
        "fa-AF": [{"text": "رضایت", "back_translation": "satisfaction, consent"}],
        "uk": [{"text": "згода", "back_translation": "agreement, consent"}],
        "ti": [{"text": "ፍቓድ", "back_translation": "permission",
                "usage_note": "Means permission as much as consent; explain."}],
    },
    "sexual-violence": {
        "ar": [{"text": "العنف الجنسي", "back_translation": "sexual violence",
                "register": "clinical"}],
        "fa-AF": [{"text": "خشونت جنسی", "back_translation": "sexual violence"}],
        "uk": [{"text": "сексуальне насильство", "back_translation": "sexual violence"}],
        "ti": [{"text": "ጾታዊ ዓመጽ", "back_translation": "gender violence"}],
    },
    "genitals": {
        "ar": [{"text": "الأعضاء التناسلية", "register": "clinical",
                "back_translation": "reproductive organs"}],
        "uk": [{"text": "статеві органи", "register": "clinical",
                "back_translation": "sex organs"}],
        "fa-AF": [{"text": "اعضای تناسلی", "register": "clinical",
                   "back_translation": "reproductive organs"}],
    },
    "restraining-order": {
        "ar": [{"text": "أمر الحماية", "back_translation": "protection order"}],
        "uk": [{"text": "обмежувальний припис", "back_translation": "restricting order"}],
        "fa-AF": [{"text": "حکم منع تماس", "back_translation": "order forbidding contact"}],
    },
    "residence-permit": {
        "ar": [{"text": "تصريح الإقامة", "back_translation": "residence permit"}],
        "uk": [{"text": "посвідка на проживання", "back_translation": "residence certificate"}],
        "fa-AF": [{"text": "اجازهٔ اقامت", "back_translation": "permission to reside"}],
    },
    "confidentiality": {
        "ar": [{"text": "السرية", "back_translation": "secrecy, confidentiality"}],
        "uk": [{"text": "конфіденційність", "back_translation": "confidentiality"}],
        "ti": [{"text": "ምስጢራዊነት", "back_translation": "secrecy"}],
    },
    "anger": {
        "ar": [{"text": "الغضب", "back_translation": "anger"}],
        "uk": [{"text": "гнів", "back_translation": "anger"}],
        "fa-AF": [{"text": "قهر", "register": "colloquial", "back_translation": "anger"}],
        "ti": [{"text": "ሕርቃን", "back_translation": "anger"}],
    },
    "shame": {
        "ar": [{"text": "الخجل", "back_translation": "embarrassment, shyness"},
               {"text": "العار", "status": "deprecated", "back_translation": "disgrace",
                "usage_note": "Ties shame to family honour; avoid."}],
        "uk": [{"text": "сором", "back_translation": "shame"}],
    },
    "domestic-violence": {
        "ar": [{"text": "العنف الأسري", "back_translation": "family violence"}],
        "uk": [{"text": "домашнє насильство", "back_translation": "domestic violence"}],
        "fa-AF": [{"text": "خشونت خانوادگی", "back_translation": "family violence"}],
    },
    "coercive-control": {
        "ar": [{"text": "السيطرة القسرية", "back_translation": "forced domination"}],
        "uk": [{"text": "примусовий контроль", "back_translation": "forced control"}],
        "fa-AF": [{"no_equivalent": "on",
                   "paraphrase": "کنترول همیشگی زندگی همسر با ترس و فشار",
                   "back_translation": "constant control of the spouse's life through fear "
                   "and pressure"}],
    },
    "rape": {
        "ar": [{"text": "الاغتصاب", "back_translation": "rape"}],
        "uk": [{"text": "зґвалтування", "back_translation": "rape"}],
    },
    "custody": {
        "ar": [{"text": "حضانة الأطفال", "back_translation": "care of children"}],
        "uk": [{"text": "опіка над дітьми", "back_translation": "guardianship of children"}],
    },
}

# Pairs left short of agreement, to show each state in the demo.
PROPOSED_ONLY = {("restraining-order", "fa-AF"), ("confidentiality", "ti"), ("anger", "ti"),
                 ("sexual-violence", "ti")}
NEEDS_REVIEW = {("anger", "fa-AF")}
DISPUTED = {("consent", "ti")}


def demo_loaded(session: Session) -> bool:
    """True when the demo accounts exist already."""
    return session.exec(select(Person).where(Person.email == DEMO_PEOPLE[0][1])).first() is not None


def load_demo(session: Session, *, working: str = "en", today: date | None = None,
              validity_months: int = 24) -> dict[str, Person]:
    """Create demo people, starter concepts and renderings in every agreement state.
    Returns the people by e-mail. Safe to call once; callers check :func:`demo_loaded`."""
    today = today or date.today()
    people = {}
    for name, email, roles, langs, days in DEMO_PEOPLE:
        fields = {"name": name, "email": email, "roles": roles, "languages": langs,
                  "qualified": "mediator" in roles,
                  "training_date": today - timedelta(days=days) if days is not None else None}
        people[email] = create_person(session, fields=fields, password=DEMO_PASSWORD, by=None)
    load_starter(session, working=working, is_demo=True)

    mediators = {lang: p for p in people.values() if p.has_role("mediator")
                 for lang in p.language_list}
    anna, ben = people["anna@example.org"], people["ben@example.org"]
    concepts = {c.key: c for c in session.exec(select(Concept))}
    for key, by_language in DEMO_RENDERINGS.items():
        concept = concepts[key]
        for language, renderings in by_language.items():
            for index, fields in enumerate(renderings):
                propose_term(session, concept=concept, language=language,
                             data=parse_term(with_explanation(key, language, index, fields)),
                             person=None, working=working, is_demo=True)
            pair = (key, language)
            if pair in PROPOSED_ONLY:
                continue
            agreement = signoff.get_or_create_agreement(session, concept_id=concept.id,
                                                        source=working, target=language)
            if pair in DISPUTED:
                signoff.raise_dispute(session, agreement=agreement, person=anna,
                                      comment="Means permission rather than consent; we need "
                                      "a rendering that conveys a free yes.")
                continue
            mediator = mediators[language]
            if language == "ti":
                continue  # the Tigrinya mediator's training has lapsed: nothing signed.
            for person, role in ((anna, "facilitator"), (mediator, "mediator")):
                signoff.sign(session, agreement=agreement, person=person, role=role,
                             seen_fingerprint=signoff.current_fingerprint(session, agreement),
                             today=today, validity_months=validity_months)
            if pair in NEEDS_REVIEW:
                term = signoff.terms_of(session, concept.id, language)[0]
                edit_term(session, term=term, data=parse_term(
                    {"text": "خشم", "back_translation": "anger, wrath",
                     "usage_note": "More formal than قهر."}),
                    seen_version=term.version, person=ben, working=working)
    _demo_group(session, people=people, concepts=concepts, working=working, today=today,
                validity_months=validity_months)
    load_demo_flyer(session, people=people, working=working, today=today,
                    validity_months=validity_months)
    session.commit()
    return people


def _demo_group(session: Session, *, people: dict[str, Person], concepts: dict[str, Concept],
                working: str, today: date, validity_months: int) -> None:
    """``Demo group``: English with Arabic, Dari, Tigrinya and Ukrainian, starting in two
    weeks. Arabic and Ukrainian are agreed throughout, with the ground rules and programme
    information translated and signed, and frozen into packs; Dari (a partial translation
    of the ground rules) and Tigrinya keep gaps. Some checklist items are confirmed, for
    Arabic all of them."""
    from . import groups
    from .demo_handouts import load_demo_handouts

    anna = people["anna@example.org"]
    mediators = [people[f"{name}@example.org"] for name in ("samir", "mariam", "olena", "yonas")]
    data = groups.GroupInput(name="Demo group", working_language=working,
                             start_date=today + timedelta(days=14),
                             languages=["ar", "fa-AF", "ti", "uk"], facilitator_ids=[anna.id],
                             mediator_ids=[p.id for p in mediators],
                             audience="men who have used violence in their family and want "
                             "to change", meeting_day="on Tuesdays", meeting_time="18:00-20:00",
                             place="Community Centre, Main Street 12",
                             contact="+49 30 1234567")
    group = groups.create_group(session, data=data, person=anna)
    groups.add_concepts(session, group=group, person=anna,
                        concept_ids=[concepts[key].id for key in DEMO_RENDERINGS])
    load_demo_handouts(session, group=group, people=people, today=today,
                       validity_months=validity_months)
    confirmed = {"ar": ("role_boundaries_briefed", "confidentiality_impartiality",
                        "no_children", "matching_checked"),
                 "uk": ("role_boundaries_briefed", "no_children")}
    for language, items in confirmed.items():
        for item in items:
            groups.confirm(session, group=group, language=language, item=item, person=anna,
                           note="Discussed at the briefing." if item == "matching_checked" else "")
        groups.create_pack(session, group=group, language=language, person=anna)
