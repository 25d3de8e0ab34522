"""The concept list and the audit log page by the configured sizes."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from glossary.config import Config
from glossary.models import AuditEvent


def test_default_page_sizes():
    assert (Config.PAGE_SIZE, Config.AUDIT_PAGE_SIZE) == (25, 50)


def test_concept_list_and_audit_log_use_the_configured_page_sizes(app, client, auth, db,
                                                                   make_person, make_concept):
    make_person("alex", "admin,facilitator")
    for n in range(7):
        make_concept(f"term {n}")  # one audit event each
    app.config.update(PAGE_SIZE=3, AUDIT_PAGE_SIZE=2)
    auth.login("alex@example.org")
    assert "Page 1 of 3" in client.get("/concepts").get_data(as_text=True)
    events = db.exec(select(func.count()).select_from(AuditEvent)).one()
    assert events >= 7
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert f"Page 1 of {(events + 1) // 2}" in audit
