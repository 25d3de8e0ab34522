"""The fixed words a participant handout prints in the participants' language ("DRAFT",
"not agreed yet", the glossary's title), from ``data/handouts/phrases.toml``.

The app's own translations cover the staff's interface languages only; participants read
Dari, Tigrinya, Pashto... So these few phrases are data that a mediator of the language
confirms (``confirmed = true``); the demo's are marked unconfirmed demo examples. A tag is
looked up as written, then by its language alone (``fa-AF``, then ``fa``); a language the
table lacks but the interface is translated into falls back to that translation.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _

from ..config import ROOT

PHRASES_FILE = ROOT / "data" / "handouts" / "phrases.toml"
KEYS = ("title", "draft", "not_agreed")


@dataclass(frozen=True)
class Phrases:
    """The phrases of one language; None where the language has none."""

    tag: str | None
    title: str | None = None
    draft: str | None = None
    not_agreed: str | None = None
    confirmed: bool = False


@lru_cache(maxsize=4)
def _table(path: Path) -> dict[str, dict]:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def _catalogue_phrases(tag: str) -> Phrases:
    """The interface's own translation of the phrases, for a language it is translated
    into (German, French, Italian, Arabic); no phrases for any other."""
    from flask import current_app

    locale = tag.split("-")[0].lower()
    if locale == "en" or locale not in current_app.config["UI_LOCALES"]:
        return Phrases(None)
    with force_locale(locale):
        return Phrases(locale, title=_("Words for participants"), draft=_("DRAFT"),
                       not_agreed=_("not agreed yet"), confirmed=True)


def phrases_for(tag: str, *, path: Path = PHRASES_FILE) -> Phrases:
    """The phrases for language ``tag`` (see the module docstring for the lookup)."""
    table = {key.lower(): value for key, value in _table(path).items()}
    for candidate in (tag.lower(), tag.split("-")[0].lower()):
        entry = table.get(candidate)
        if entry:
            return Phrases(candidate, confirmed=bool(entry.get("confirmed", False)),
                           **{key: entry.get(key) or None for key in KEYS})
    return _catalogue_phrases(tag)
