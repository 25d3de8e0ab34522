"""Custom languages through the domain function the admin page calls."""

from __future__ import annotations

import pytest
from sqlmodel import select

from glossary.errors import InputError
from glossary.languages import save_custom_language
from glossary.models import AuditEvent, Language


def test_save_custom_language_writes_and_audits(db, make_person):
    alex = make_person("alex", "admin")
    row = save_custom_language(db, tag="PRS", name=" Dari (Kabul) ", endonym="دری",
                               direction="rtl", person=alex)
    assert (row.tag, row.name, row.endonym, row.direction) == ("prs", "Dari (Kabul)", "دری",
                                                                "rtl")
    save_custom_language(db, tag="prs", name="Dari", endonym="", direction="rtl", person=alex)
    stored = db.get(Language, "prs")
    assert (stored.name, stored.endonym) == ("Dari", None)
    events = db.exec(select(AuditEvent).where(AuditEvent.entity == "language")).all()
    assert [e.after["name"] for e in events] == ["Dari (Kabul)", "Dari"]
    assert {e.person_id for e in events} == {alex.id}


@pytest.mark.parametrize(("tag", "name", "direction"), [
    ("not a tag", "X", "ltr"),
    ("prs", "", "ltr"),
    ("prs", "x" * 121, "ltr"),
    ("prs", "Dari", "ttb"),
])
def test_a_refused_language_writes_nothing(db, tag, name, direction):
    with pytest.raises(InputError):
        save_custom_language(db, tag=tag, name=name, endonym=None, direction=direction,
                             person=None)
    assert db.exec(select(Language)).all() == []
    assert db.exec(select(AuditEvent)).all() == []
