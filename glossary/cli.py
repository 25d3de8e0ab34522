"""The ``glossary`` command line: init, demo, serve, user add, translations."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from sqlmodel import Session

from .config import ROOT


def _app():
    from . import create_app

    return create_app()


def _engine(app):
    return app.extensions["glossary_engine"]


def _init_database(app) -> None:
    from .migrate import upgrade

    upgrade(_engine(app))


@contextmanager
def app_session():
    """The app (with migrations applied), an app context and a database session, for
    commands: ``with app_session() as (app, session): ...``."""
    app = _app()
    _init_database(app)
    with app.app_context(), Session(_engine(app), expire_on_commit=False) as session:
        yield app, session


@click.group()
def main() -> None:
    """Agreed terminology for interpreted groups."""


@main.command()
def init() -> None:
    """Create the database, or upgrade its schema to the newest migration."""
    app = _app()
    _init_database(app)
    click.echo(f"Database ready: {_engine(app).url.render_as_string(hide_password=True)}")


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing when the demo is already loaded.")
def demo(if_empty: bool) -> None:
    """Load demo people, starter concepts and example renderings."""
    from .demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_loaded, load_demo

    app = _app()
    _init_database(app)
    with app.app_context(), Session(_engine(app), expire_on_commit=False) as session:
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
    app = _app()
    _init_database(app)
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
    from .errors import UserError
    from .people import create_person, person_fields

    app = _app()
    _init_database(app)
    with app.app_context(), Session(_engine(app), expire_on_commit=False) as session:
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
def export() -> None:
    """Write handouts, flyers, glossaries and reports to files."""


TRANSLATIONS = ROOT / "glossary" / "translations"
POT = TRANSLATIONS / "messages.pot"


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True,
                   cwd=ROOT)


@main.group()
def translations() -> None:
    """Extract, update and compile the interface's message catalogs."""


@translations.command("extract")
def translations_extract() -> None:
    """Collect every marked string into messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "-o", str(POT), ".")


@translations.command("update")
def translations_update() -> None:
    """Merge messages.pot into every language's catalog."""
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching")


@translations.command("init")
@click.argument("locale")
def translations_init(locale: str) -> None:
    """Start a catalog for a new interface language."""
    _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale)


@translations.command("compile")
def translations_compile() -> None:
    """Compile every catalog (.po) into the binary form the app reads (.mo)."""
    if any(Path(TRANSLATIONS).glob("*/LC_MESSAGES/messages.po")):
        _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


if __name__ == "__main__":
    main()
