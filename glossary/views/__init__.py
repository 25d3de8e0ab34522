"""Blueprints: thin views that parse input, call the domain modules and render."""


def register_blueprints(app) -> None:
    """Attach every blueprint to the app."""
    from . import admin, auth, concepts, signoff

    for module in (auth, concepts, signoff, admin):
        app.register_blueprint(module.bp)
