"""The ``glossary`` command line: the ``main`` group and the helpers its commands share.

The commands live in topic modules, imported at the bottom to register them on ``main``.
They reach the app through :func:`app_session` and :func:`new_app`. Run from a shell, each
command makes its app from the environment; run through Flask's test runner
(``app.test_cli_runner().invoke(main, [...])``) it uses that runner's app instead, so
tests run commands against their own database and configuration.
"""

from __future__ import annotations

from contextlib import contextmanager

import click
from sqlmodel import Session

_APPS: list = []


def _app():
    from flask.cli import ScriptInfo

    from .. import create_app

    context = click.get_current_context(silent=True)
    given = context.find_object(ScriptInfo) if context is not None else None
    if given is not None:  # Flask's CLI runner passes its app this way
        return given.load_app()
    app = create_app()
    _APPS.append(app)
    return app


def _dispose_engines() -> None:
    """Close the pooled connections of every app a command created."""
    while _APPS:
        _APPS.pop().extensions["glossary_engine"].dispose()


def _engine(app):
    return app.extensions["glossary_engine"]


def release(app) -> None:
    """Close the pooled connections of an app this command made, now rather than at
    garbage collection. A test runner's app is left as its owner has it: its test may
    hold a connection of the same pool."""
    if any(made is app for made in _APPS):
        _engine(app).dispose()


def _init_database(app) -> None:
    from ..migrate import upgrade

    upgrade(_engine(app))


def new_app(*, migrate: bool = False):
    """A fresh app for one command, its schema upgraded first when ``migrate``."""
    app = _app()
    if migrate:
        _init_database(app)
    return app


@contextmanager
def app_session():
    """The app (with migrations applied), an app context and a database session, for
    commands: ``with app_session() as (app, session): ...``."""
    app = _app()
    try:
        _init_database(app)
        with app.app_context(), Session(_engine(app), expire_on_commit=False) as session:
            yield app, session
    finally:
        release(app)


def _print_version(ctx: click.Context, _param, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from ..version import app_version

    click.echo(f"glossary {app_version()}")
    ctx.exit()


@click.group()
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help="Print the version (and git commit) and exit.")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Agreed terminology for interpreted groups."""
    ctx.call_on_close(_dispose_engines)


from . import exports, groups, kit, lookup, setup, transfer, translations  # noqa: E402,F401
