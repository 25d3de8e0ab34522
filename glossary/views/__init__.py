"""Blueprints: thin views that parse input, call the domain modules and render."""


def register_blueprints(app) -> None:
    """Attach every blueprint to the app."""
    from . import admin, api, auth, concepts, flyers, groups, imports, ops, signoff, trainers
    from . import search as search_views

    for module in (ops, auth, concepts, signoff, admin, trainers, imports, api,
                   search_views, groups, flyers):
        app.register_blueprint(module.bp)
    from .notices import init_app as init_notices

    init_notices(app)
