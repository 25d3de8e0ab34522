"""Session kit links on the command line: ``kit link`` issues a link to a group's kit in
one language for a phone that does not sign in (printed once: only its hash is kept),
``kit revoke`` withdraws one."""

from __future__ import annotations

import click

from . import app_session, main


@main.group()
def kit() -> None:
    """Issue and withdraw links to a group's session kit."""


@kit.command("link")
@click.option("--group", "group_ref", required=True, help="The group's name or id.")
@click.option("--language", required=True, help="Target language tag, e.g. ar or fa-AF.")
@click.option("--days", type=click.IntRange(1, 366), default=None,
              help="Days the link stays valid (default: GLOSSARY_KIT_LINK_DAYS, 30).")
@click.option("--label", default="", help="A note for the staff, e.g. 'Tuesday room'.")
@click.option("--base-url", envvar="GLOSSARY_BASE_URL", default="",
              help="The server's address as phones reach it, e.g. https://terms.example.org "
                   "(default: GLOSSARY_BASE_URL; without it the path alone is printed).")
def kit_link(group_ref: str, language: str, days: int | None, label: str,
             base_url: str) -> None:
    """Issue a kit link and print it (it is shown only this once)."""
    from flask import url_for

    from ..errors import UserError
    from ..groups import find_group
    from ..kit.links import issue_link
    from ..languages import canonical_tag

    with app_session() as (app, session):
        try:
            group = find_group(session, group_ref)
            link, token = issue_link(session, group=group, language=canonical_tag(language),
                                     person=None, label=label,
                                     days=days or app.config["KIT_LINK_DAYS"])
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        with app.test_request_context():
            path = url_for("kit.link_page", token=token)
        click.echo(f"{group.name}: kit link {link.id} for {link.language}, valid until "
                   f"{link.expires_at:%Y-%m-%d %H:%M} UTC.")
        click.echo(base_url.rstrip("/") + path)


@kit.command("revoke")
@click.argument("link_id", type=int)
def kit_revoke(link_id: int) -> None:
    """Withdraw the kit link LINK_ID: phones that kept the kit delete it when next online."""
    from ..errors import UserError
    from ..kit.links import revoke_link
    from ..models.recordings import KitLink

    with app_session() as (_app, session):
        link = session.get(KitLink, link_id)
        if link is None:
            raise click.ClickException(f"No kit link {link_id}.")
        try:
            revoke_link(session, link=link, person=None)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Kit link {link_id} withdrawn.")
