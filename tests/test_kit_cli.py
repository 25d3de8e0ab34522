"""Kit links on the command line: ``glossary kit link`` prints a working link once,
``glossary kit revoke`` withdraws it; bad input is refused with a message and nothing
is stored."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from glossary.errors import NotFound
from glossary.kit.links import resolve_link
from glossary.models import AuditEvent, utcnow
from glossary.models.recordings import KitLink
from tests.test_recordings import agreed, kit_group, staff

__all__ = ["agreed", "kit_group", "staff"]  # fixtures shared with tests/test_recordings.py


def issued_token(output: str) -> str:
    return re.search(r"/kit/t/([A-Za-z0-9_-]+)/$", output.strip()).group(1)


def test_a_link_is_printed_once_opens_the_kit_and_expires_when_asked(cli, client, db,
                                                                     kit_group):
    group, _blob = kit_group
    result = cli("kit", "link", "--group", "tuesday group", "--language", "ar", "--days", 2,
                 "--label", "Tuesday room", "--base-url", "https://terms.example.org/")
    assert result.exit_code == 0, result.output
    assert "Tuesday group: kit link" in result.output and "for ar" in result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("https://terms.example.org/kit/t/")
    token = issued_token(result.output)
    link = resolve_link(db, token)
    assert (link.group_id, link.language, link.label) == (group.id, "ar", "Tuesday room")
    assert link.created_by_id is None and token not in str(link.token_hash)
    expires = link.expires_at.replace(tzinfo=None)
    assert timedelta(days=1, hours=23) < expires - utcnow().replace(tzinfo=None) \
        <= timedelta(days=2)
    page = client.get(f"/kit/t/{token}/")
    assert page.status_code == 200 and "الموافقة" in page.get_data(as_text=True)
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "issue_kit_link")).one()
    assert event.entity_id == link.id and event.person_id is None


def test_without_base_url_the_path_is_printed_and_the_configured_days_apply(
        app, cli, db, kit_group, monkeypatch):
    monkeypatch.delenv("GLOSSARY_BASE_URL", raising=False)
    result = cli("kit", "link", "--group", str(kit_group[0].id), "--language", "uk")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("/kit/t/")
    link = resolve_link(db, issued_token(result.output))
    days = (link.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)).days
    assert days == app.config["KIT_LINK_DAYS"] - 1


def test_revoke_withdraws_the_link_at_once(cli, client, db, kit_group):
    token = issued_token(cli("kit", "link", "--group", "Tuesday group",
                             "--language", "ar").output)
    link_id = resolve_link(db, token).id
    result = cli("kit", "revoke", link_id)
    assert result.exit_code == 0 and f"Kit link {link_id} withdrawn." in result.output
    try:
        resolve_link(db, token)
    except NotFound:
        pass
    else:
        raise AssertionError("a withdrawn link still opens the kit")
    assert client.get(f"/kit/t/{token}/status.json").status_code == 410
    again = cli("kit", "revoke", link_id)
    assert again.exit_code != 0 and "already withdrawn" in again.output
    missing = cli("kit", "revoke", 9999)
    assert missing.exit_code != 0 and "No kit link 9999" in missing.output


def test_bad_input_is_refused_and_nothing_is_stored(cli, db, kit_group):
    wrong_language = cli("kit", "link", "--group", "Tuesday group", "--language", "ti")
    assert wrong_language.exit_code != 0
    assert "does not use this language" in wrong_language.output
    no_group = cli("kit", "link", "--group", "Nobody's group", "--language", "ar")
    assert no_group.exit_code != 0 and "No group is called" in no_group.output
    too_long = cli("kit", "link", "--group", "Tuesday group", "--language", "ar",
                   "--days", 0)
    assert too_long.exit_code != 0
    assert db.exec(select(KitLink)).all() == []
