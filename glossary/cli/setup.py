"""Setting up and running: init, demo, serve and the staff accounts (``user add``)."""

from __future__ import annotations

import click

from . import _engine, app_session, main, new_app, release


@main.command()
def init() -> None:
    """Create the database, or upgrade its schema to the newest migration; prune the
    search change log and audio sent for listening back but never saved."""
    from sqlmodel import Session

    from ..audio.store import prune_audio
    from ..change_log import prune_changes

    app = new_app(migrate=True)
    with Session(_engine(app)) as session:
        prune_changes(session)
        prune_audio(session)
    click.echo(f"Database ready: {_engine(app).url.render_as_string(hide_password=True)}")
    release(app)


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing when the demo is already loaded.")
@click.option("--i-know-this-is-a-demo", "demo_anyway", is_flag=True,
              help="Load it even in production (GLOSSARY_PRODUCTION=1).")
def demo(if_empty: bool, demo_anyway: bool) -> None:
    """Load demo people, starter concepts and example renderings."""
    from ..demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_loaded, load_demo

    # Eight accounts with a published password have no place on a real instance.
    if new_app().config.get("PRODUCTION") and not demo_anyway:
        raise click.ClickException(
            "Refusing to load the demo in production: it adds eight accounts whose password "
            "is published. For real data: glossary import data/terms, then glossary user "
            "add ... --roles admin. (--i-know-this-is-a-demo loads it anyway.)")
    with app_session() as (app, session):
        if demo_loaded(session):
            if not if_empty:
                click.echo("Demo data is already loaded.")
        else:
            load_demo(session, working=app.config["WORKING_LANGUAGE"],
                      validity_months=app.config["TRAINING_VALIDITY_MONTHS"])
            click.echo("Demo data loaded (renderings are examples, not vetted translations).")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for _name, email, roles, langs, _days in DEMO_PEOPLE:
        extra = f" [{langs}]" if langs else ""
        click.echo(f"  {email:<22} {roles}{extra}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Apply migrations, then serve the app (development server)."""
    app = new_app(migrate=True)
    click.echo(f"Serving on http://{host}:{port}/")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@main.group()
def user() -> None:
    """Manage staff accounts."""


@user.command("add")
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--roles", required=True, help="Comma-separated: facilitator, mediator, "
              "outreach, trainer, admin.")
@click.option("--languages", default="", help="Comma-separated BCP 47 tags, e.g. ar,fa-AF.")
@click.option("--training-date", default="", help="SGBV training date, YYYY-MM-DD.")
@click.option("--qualified", is_flag=True, help="The mediator is a qualified interpreter.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def user_add(name, email, roles, languages, training_date, qualified, password) -> None:
    """Add a person with roles, languages and SGBV training date."""
    from ..errors import UserError
    from ..people import create_person, person_fields

    with app_session() as (_app_, session):
        try:
            fields = person_fields(session, {"name": name, "email": email,
                                             "training_date": training_date,
                                             "qualified": "1" if qualified else ""},
                                   roles=roles, langs=languages)
            person = create_person(session, fields=fields, password=password, by=None)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Added {person.name} <{person.email}> ({person.roles}).")


@main.group()
def sessions() -> None:
    """Sign-in sessions."""


@sessions.command("end")
@click.option("--all", "everyone", is_flag=True,
              help="End every session of every person: everyone signs in again.")
def sessions_end(everyone: bool) -> None:
    """End sign-in sessions (``--all``: every one, for example after a key rotation)."""
    if not everyone:
        raise click.UsageError("Say --all: this ends the sessions of everyone.")
    from .. import sessions as web_sessions
    from ..logs import security_event

    with app_session() as (_app_, session):
        ended = web_sessions.end_everyone(session)
        security_event("sessions ended", count=ended, by="command line")
    click.echo(f"Ended {ended} sessions: everyone must sign in again.")
