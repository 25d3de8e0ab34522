"""Hostile data for the sweep: markup payloads written into every free-text field the app
accepts, through the same domain functions the forms and the importer call.

Each payload is a different way of turning text into an element, an attribute or a
request: a script tag, an image with an error handler, an htmx element that would post on
load, a ``javascript:`` link, SVG with an onload handler and attribute break-outs. Every
one carries ``data-pwn`` (so an element made from it can be found) or calls ``pwned()``
(which the browser tests define to record the call), and the htmx ones point at
``/pwned`` (so a request made from them can be seen).
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, select

from glossary import flyer_templates, flyers, groups, signoff
from glossary.concepts import create_concept, parse_concept, parse_term, propose_term
from glossary.importers.plan import apply_import
from glossary.importers.saved_mappings import save_mapping
from glossary.importers.sources import Source
from glossary.kit.links import issue_link
from glossary.models import Concept, Domain, Group, Person
from glossary.people import create_person
from glossary.uploads import UploadLimits, store_upload

PAYLOADS = [
    "<script>pwned()</script>",
    "<img src=x onerror=pwned() data-pwn>",
    '<span hx-post="/pwned" hx-trigger="load" data-pwn>p</span>',
    '<a href="javascript:pwned()" data-pwn>j</a>',
    "<svg onload=pwned() data-pwn></svg>",
    '"><b data-pwn>x</b>',
    "'><i data-pwn hx-get=/pwned hx-trigger=load>x</i>",
]
# For fields of up to 120 characters (names).
SHORT = '<img src=x onerror=pwned() data-pwn><i hx-get=/pwned hx-trigger=load data-pwn>x</i>">'
FULL = "".join(PAYLOADS)
MARK = "data-pwn"

# field -> where it was written (for the README's count of fields tried).
FIELDS: list[str] = []


def hostile(label: str, payload: str = FULL) -> str:
    """A payload for one field, prefixed with a readable label."""
    FIELDS.append(label)
    return f"{label} {payload}"


def seed(session: Session, *, working: str = "en", today: date | None = None,
         tmp: Path) -> dict:
    """Write payloads into every free-text field, after the demo is loaded. Returns the
    ids of what was made (concept, group, flyer) for tests to open."""
    FIELDS.clear()
    today = today or date.today()
    people = {p.email: p for p in session.exec(select(Person))}
    anna, samir = people["anna@example.org"], people["samir@example.org"]
    domain = session.exec(select(Domain).order_by(Domain.position)).first()

    create_person(session, fields={"name": hostile("person name", SHORT),
                                   "email": "pwn@example.org", "roles": "mediator",
                                   "languages": "ar", "qualified": True,
                                   "training_date": today - timedelta(days=30)},
                  password="a long hostile passphrase", by=None)

    concept = create_concept(
        session,
        data=parse_concept({"key": "pwn-concept", "domain_id": domain.id,
                            "definition": hostile("definition"),
                            "facilitator_note": hostile("facilitator note"),
                            "sensitivity": "high"}, session=session),
        source_text=hostile("working wording", SHORT), working=working, person=anna)
    term = propose_term(session, concept=concept, language="ar", person=samir,
                        working=working,
                        data=parse_term({"text": hostile("rendering", SHORT),
                                         "back_translation": hostile("back-translation"),
                                         "usage_note": hostile("usage note"),
                                         "explanation": hostile("explanation")}))
    propose_term(session, concept=concept, language="ar", person=samir, working=working,
                 data=parse_term({"no_equivalent": "on",
                                  "paraphrase": hostile("paraphrase", SHORT),
                                  "status": "admitted"}))

    concepts = {c.key: c for c in session.exec(select(Concept))}
    disputed = signoff.get_or_create_agreement(session, concept_id=concepts["consent"].id,
                                               source=working, target="ar")
    signoff.raise_dispute(session, agreement=disputed, person=samir,
                          comment=hostile("dispute comment"))
    resolved = signoff.get_or_create_agreement(session, concept_id=concepts["rape"].id,
                                               source=working, target="ar")
    signoff.raise_dispute(session, agreement=resolved, person=anna,
                          comment=hostile("resolved dispute comment"))
    signoff.resolve_dispute(session, agreement=resolved, person=samir,
                            resolution=hostile("resolution"))

    demo_group = session.exec(select(Group).where(Group.name == "Demo group")).one()
    group = groups.create_group(session, person=anna, data=groups.GroupInput(
        name=hostile("group name", SHORT), working_language=working,
        start_date=today + timedelta(days=10), languages=["ar"],
        facilitator_ids=[anna.id], mediator_ids=[samir.id]))
    groups.add_concepts(session, group=group, person=anna,
                        concept_ids=[concept.id, concepts["consent"].id])
    groups.confirm(session, group=demo_group, language="ar", item="role_boundaries_briefed",
                   person=anna, note=hostile("checklist note"))

    template = flyer_templates.get_template("programme")
    fields = {spec.key: hostile(f"flyer {spec.key}", SHORT if spec.max_length <= 200 else FULL)
              for spec in template.fields}
    flyer = flyers.create_flyer(session, name=hostile("flyer name", SHORT),
                                template_key="programme", layout="a4", fields=fields,
                                person=people["oskar@example.org"], working=working)
    flyers.save_translation(session, flyer=flyer, language="ar", seen_version=None,
                            person=samir, working=working,
                            fields={key: hostile(f"flyer translation {key}",
                                                 SHORT if len(value) < 200 else FULL)
                                    for key, value in fields.items()})

    sheet = tmp / "hostile.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "domain", "term:en", "definition", "term:ar", "back:ar",
                         "note:ar"])
        writer.writerow(["pwn-imported", domain.key, hostile("imported wording", SHORT),
                         hostile("imported definition"), hostile("imported rendering", SHORT),
                         hostile("imported back-translation"), hostile("imported note")])
    apply_import(session, entries=Source(sheet, working=working), source=sheet.name,
                 person=anna, working=working)
    # The pwn concept agreed, so that the session kit (agreed words only) shows it.
    pair = signoff.get_or_create_agreement(session, concept_id=concept.id, source=working,
                                           target="ar")
    for person, role in ((anna, "facilitator"), (samir, "mediator")):
        signoff.sign(session, agreement=pair, person=person, role=role, today=today,
                     seen_fingerprint=signoff.current_fingerprint(session, pair),
                     validity_months=24)
    groups.create_pack(session, group=group, language="ar", person=anna, draft=True)
    _link, kit_token = issue_link(session, group=group, language="ar", person=anna, days=7,
                                  label=hostile("kit link label", SHORT))
    upload = _seed_import(session, anna, working=working, tmp=tmp)
    session.commit()
    return {"concept_id": concept.id, "group_id": group.id, "demo_group_id": demo_group.id,
            "flyer_id": flyer.id, "term_id": term.id, "flyer_field": template.fields[0].key,
            "kit_token": kit_token, "upload_token": upload, "fields": list(FIELDS)}


def _seed_import(session: Session, person: Person, *, working: str, tmp: Path) -> str:
    """A mapping saved under a payload name, and an import waiting for ``person`` whose
    header cells (and file name) are payloads: its preview starts with the mapping step.
    Returns the pending upload's token."""
    plain = tmp / "mapping.csv"
    plain.write_text("key,term:en,term:ar\nwater,water,ماء\n", encoding="utf-8")
    mapping = Source(plain, working=working).guess()
    assert mapping is not None
    save_mapping(session, name=hostile("saved mapping name", SHORT), mapping=mapping,
                 person=person)
    rows = [[hostile(f"column header {number}", SHORT) for number in range(3)],
            ["one", "two", "three"]]
    with (tmp / "headers.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return store_upload(session, person=person, name=hostile("import file name", SHORT) + ".csv",
                        fmt="csv", domain=None, data=(tmp / "headers.csv").read_bytes(),
                        limits=UploadLimits())
