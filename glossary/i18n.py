"""Translated messages that are safe wherever they are shown.

Flask-Babel's ``lazy_gettext`` returns a string that Jinja trusts as markup (it has
``__html__``), so ``lazy_gettext("Disputed: %(comment)s", comment=user_text)`` printed in
a template would put the user's text into the page unescaped. Every lazily translated
message of this app comes from :func:`_l` instead: the same lazy string, but one that a
template escapes like any other text. A message is text, never markup; values go in
through ``%(name)s`` and come out escaped with the rest. ``tests/test_markup.py`` fails
when a module imports Flask-Babel's ``lazy_gettext`` or marks something safe that is not
on its reviewed list.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape


class LazyText(LazyString):
    """A lazily translated message that templates escape (see the module docstring)."""

    def __html__(self) -> Markup:
        return escape(str(self))


def _l(message: str, /, **values) -> LazyText:
    """Mark ``message`` for translation, translated when it is shown, in the locale of the
    request that shows it; ``values`` fill its ``%(name)s`` placeholders."""
    return LazyText(gettext, message, **values)
