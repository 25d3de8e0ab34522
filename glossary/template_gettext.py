"""``_``, ``gettext`` and ``ngettext`` for page templates, bound to the request's catalogue.

Flask-Babel gives templates callables that find the catalogue anew on every call (the
app context, the locale selector, the domain's cache): about 10 µs each, and a concept
page makes 60 such calls. Under load that was an eighth of the workers' time
(bench/RESULTS.md). :func:`bound_gettext` is a context processor: it finds the catalogue
once per rendered template and hands the template callables bound to it, which take
precedence over the environment's.

They follow the rules of Jinja's "newstyle" gettext, which the templates are written
for: a message is always a ``%``-format string filled from keyword arguments (``num``
is the count for ``ngettext``), and is marked safe when the template autoescapes, so
that the values put into it are escaped.
"""

from __future__ import annotations

from flask_babel import get_translations
from jinja2 import pass_context
from markupsafe import Markup


def _filled(context, text: str, values: dict) -> str:
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % values


def bound_gettext() -> dict:
    """Template names ``gettext`` and ``ngettext`` (``_`` calls ``gettext``) for the
    current request's locale."""
    catalogue = get_translations()

    @pass_context
    def gettext(context, message: str, /, **values):
        return _filled(context, catalogue.ugettext(message), values)

    @pass_context
    def ngettext(context, singular: str, plural: str, count: int, /, **values):
        values.setdefault("num", count)
        return _filled(context, catalogue.ungettext(singular, plural, count), values)

    return {"gettext": gettext, "ngettext": ngettext}
