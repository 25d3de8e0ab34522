"""Blueprints: thin views that parse input, call the domain modules and render."""

from werkzeug.routing import IntegerConverter

# The largest id a column can hold on every database the app runs on (PostgreSQL's
# INTEGER); a larger number in a URL names nothing.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a number beyond :data:`MAX_ID` does not match, so
    the answer is 404, not a database error (a 23-digit id overflowed SQLite's integers
    and PostgreSQL's INTEGER, a 500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_blueprints(app) -> None:
    """Attach every blueprint to the app (ids in URLs bounded by :class:`IdConverter`)."""
    from . import (
        admin,
        api,
        auth,
        concepts,
        flyers,
        groups,
        handouts,
        imports,
        kit,
        ops,
        recordings,
        signoff,
        trainers,
    )
    from . import search as search_views

    app.url_map.converters["int"] = IdConverter
    for module in (ops, auth, concepts, signoff, admin, trainers, imports, api,
                   search_views, groups, flyers, handouts, recordings, kit):
        app.register_blueprint(module.bp)
    from .notices import init_app as init_notices

    init_notices(app)
