"""A new instance (issue 20.2): before any target language, group or agreement exists,
every page opens for every role without a server error."""

from __future__ import annotations

import pytest

from glossary.models import ROLES

# Routes a GET request must not be sent to here: files served from disk.
SKIPPED = {"static"}


def _pages(app) -> list[str]:
    """Every route that answers GET and needs no value in its path."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments
                   and rule.endpoint not in SKIPPED})


@pytest.mark.parametrize("with_concepts", [False, True], ids=["nothing", "concepts-only"])
def test_every_page_opens_for_every_role_on_a_new_instance(app, client, auth, make_person,
                                                          make_concept, with_concepts):
    # The starter concepts loaded, no language, group or agreement yet; or not even those.
    if with_concepts:
        make_concept("Consent")
        make_concept("Rape", domain="sexual-violence")
    for role in ROLES:
        make_person(role, role)
    pages = _pages(app)
    assert "/trainers/" in pages and "/admin/people" in pages
    failures = []
    for role in (None, *ROLES):
        if role is None:
            auth.logout()
        else:
            auth.login(f"{role}@example.org")
        for page in pages:
            status = client.get(page).status_code
            if status >= 500:
                failures.append((role, page, status))
    assert failures == []
