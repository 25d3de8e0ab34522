"""Agreed terminology for interpreted groups: the Flask application factory."""

from __future__ import annotations

import json
import logging
import os

from flask import Flask, g, render_template, request, session
from flask_babel import Babel
from flask_htmx import HTMX
from flask_wtf.csrf import CSRFError, CSRFProtect

from . import db, logs
from .config import DEFAULT_SECRET, ROOT, Config, instance_secret, placeholder_secret
from .errors import UserError
from .version import app_version

babel = Babel()
htmx = HTMX()
csrf = CSRFProtect()
log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)


def select_locale() -> str:
    """The interface language: the signed-in person's choice, else the browser's."""
    person = g.get("person")
    if person is not None and person.ui_locale:
        return person.ui_locale
    if request:
        chosen = session.get("ui_locale")
        if chosen:
            return chosen
        return request.accept_languages.best_match(Config.UI_LOCALES) or "en"
    return "en"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults from :class:`Config`, then ``test_config``."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    _choose_secret(app)
    if app.config.get("PRODUCTION") and len(app.config["SECRET_KEY"]) < 32:
        raise RuntimeError("Refusing to start in production mode with a SECRET_KEY shorter "
                           "than 32 characters (python3 -c 'import secrets; "
                           "print(secrets.token_hex(32))' makes one).")
    if app.config.get("PRODUCTION") and placeholder_secret(app.config["SECRET_KEY"]):
        raise RuntimeError("Refusing to start in production mode: SECRET_KEY looks like the "
                           "README's example, not a generated key (see Secrets in README).")
    if app.config.get("PROXY_HOPS"):
        # Behind a reverse proxy: take the client address, scheme, host and port from its
        # headers (sign-in limits per address, secure redirects, and the form check, which
        # compares the Referer with the public host and port).
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,
                                x_port=hops)
    os.makedirs(app.config["EXPORTS_DIR"], exist_ok=True)

    db.init_app(app)
    logs.init_app(app)
    from .views.session_store import ServerSessionInterface

    app.session_interface = ServerSessionInterface()
    babel.init_app(app, locale_selector=select_locale)
    htmx.init_app(app)
    csrf.init_app(app)

    from .views import register_blueprints

    register_blueprints(app)
    _register_handlers(app)
    return app


def _choose_secret(app: Flask) -> None:
    """The key that signs CSRF tokens and keys the sign-in counters: the configured one,
    else (outside production) the instance folder's own random key. The string older
    versions fell back to is published, so it is refused in every mode."""
    if app.config.get("SECRET_KEY") == DEFAULT_SECRET:
        raise RuntimeError("Refusing to start with the published default secret "
                           "'dev-only-change-me': set another SECRET_KEY or none.")
    if not app.config.get("SECRET_KEY"):
        if app.config.get("PRODUCTION"):
            raise RuntimeError("Refusing to start in production mode without a SECRET_KEY "
                               "(python3 -c 'import secrets; print(secrets.token_hex(32))' "
                               "makes one).")
        app.config["SECRET_KEY"] = instance_secret(app.config["INSTANCE_PATH"])


def _register_handlers(app: Flask) -> None:
    from .page_nonce import nonce_globals, send_nonce
    from .template_gettext import bound_gettext
    from .views.helpers import jinja_globals, load_person

    app.before_request(load_person)
    app.context_processor(jinja_globals)
    app.context_processor(bound_gettext)
    app.context_processor(nonce_globals)
    app.after_request(send_nonce)
    app.add_template_filter(
        lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True), "as_json")
    app.jinja_env.globals["app_version"] = app_version  # shown to admins in the footer

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.errorhandler(UserError)
    def user_error(error: UserError):
        db.get_session().rollback()
        template = "partials/_error.html" if htmx else "error.html"
        # htmx swaps only 2xx responses by default; the message must still be seen.
        status = 200 if htmx else error.status_code
        return render_template(template, message=str(error), status=error.status_code), status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        from flask_babel import gettext as _

        message = _("Your form expired or was sent from elsewhere. Reload the page and try again.")
        from .views.helpers import upload_interrupted

        if upload_interrupted():
            # The token could not be read because the upload carrying it was cut off.
            from .views.recordings import INTERRUPTED

            message = str(INTERRUPTED)
        _log_refused_form(error)
        return render_template("error.html", message=message, status=400), 400

    @app.errorhandler(404)
    def not_found(error):
        from flask_babel import gettext as _

        return render_template("error.html", message=_("Page not found."), status=404), 404

    @app.errorhandler(413)
    def too_large(error):
        from flask_babel import gettext as _

        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        message = _("The upload is too large: at most %(mb)d MB.", mb=limit)
        return render_template("error.html", message=message, status=413), 413


def _log_refused_form(error: CSRFError) -> None:
    """Log a refused form as a security event. A foreign Referer usually means the proxy
    does not pass the public host with its port: the line names both hosts and says so."""
    from urllib.parse import urlsplit

    fields = {"reason": error.description, "path": request.path, "host": request.host,
              "referrer_host": urlsplit(request.referrer or "").netloc or None}
    if request.referrer and "referrer does not match" in (error.description or ""):
        fields["hint"] = ("the Referer names another host than this request; behind a "
                          "proxy, pass the public host with its port (nginx: proxy_set_header "
                          "Host $http_host, X-Forwarded-Host $http_host)")
    logs.security_event("form refused", **fields)
