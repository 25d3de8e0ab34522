"""Languages by BCP 47 tag: names, endonyms and text direction from Babel (CLDR), with
languages CLDR lacks added by the organisation with an explicit name and direction
(:func:`save_custom_language`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from sqlmodel import Session

from .audit import record
from .errors import InputError
from .i18n import _l
from .models import Language, Person
from .text import choice, clean_text
from .transaction import transactional

DIRECTIONS = ("ltr", "rtl")

TAG_PATTERN = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class LanguageInfo:
    """How a language is named and written."""

    tag: str
    name: str
    endonym: str
    direction: str

    @property
    def rtl(self) -> bool:
        """True for right-to-left scripts (Arabic, Persian, Pashto, Urdu, Sorani ...)."""
        return self.direction == "rtl"


def canonical_tag(tag: str) -> str:
    """Return the tag in canonical case (``fa-af`` -> ``fa-AF``, ``sr-cyrl`` ->
    ``sr-Cyrl``), or raise :class:`InputError` when it is not shaped like BCP 47."""
    tag = (tag or "").strip().replace("_", "-")
    if not TAG_PATTERN.match(tag):
        raise InputError(_l("“%(tag)s” is not a language tag such as ar, fa-AF or ti.", tag=tag))
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


@lru_cache(maxsize=512)
def _cldr_locale(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return None


def in_cldr(tag: str) -> bool:
    """True when Babel knows the tag, so its name and direction need not be entered."""
    return _cldr_locale(tag) is not None


@lru_cache(maxsize=4096)
def _cldr_info(tag: str, ui_locale: str) -> LanguageInfo | None:
    locale = _cldr_locale(tag)
    if locale is None:
        return None
    key = tag.replace("-", "_")
    try:
        ui = Locale.parse(ui_locale)
    except (UnknownLocaleError, ValueError):
        ui = Locale("en")
    name = ui.languages.get(key) or locale.get_display_name(ui) or tag
    endonym = locale.languages.get(key) or locale.get_display_name(locale) or tag
    return LanguageInfo(tag, name, endonym, locale.text_direction)


def describe(tag: str, ui_locale: str = "en", custom: dict | None = None) -> LanguageInfo:
    """Name, endonym and direction of ``tag`` as shown to someone reading ``ui_locale``.

    ``custom`` maps tags to :class:`glossary.models.Language` rows; their explicit name,
    endonym or direction wins over CLDR's. An unknown tag is described by the tag itself,
    left to right, so that nothing fails to display.
    """
    row = (custom or {}).get(tag)
    info = _cldr_info(tag, ui_locale)
    if row is None:
        return info or LanguageInfo(tag, tag, tag, "ltr")
    return LanguageInfo(
        tag,
        row.name or (info.name if info else tag),
        row.endonym or (info.endonym if info else row.name or tag),
        row.direction or (info.direction if info else "ltr"),
    )


@lru_cache(maxsize=16)
def _cldr_choices(ui_locale: str) -> tuple[LanguageInfo, ...]:
    """Every language (or regional variety, such as ``fa-AF`` Dari) CLDR names in
    ``ui_locale`` and holds data for, so that its endonym and direction are known."""
    try:
        ui = Locale.parse(ui_locale)
    except (UnknownLocaleError, ValueError):
        ui = Locale("en")
    found = []
    for key in ui.languages:
        tag = str(key).replace("_", "-")
        if TAG_PATTERN.match(tag) and (info := _cldr_info(tag, ui_locale)) is not None:
            found.append(info)
    return tuple(found)


def choices(ui_locale: str, custom: dict | None = None) -> list[LanguageInfo]:
    """The languages a picker offers, sorted by their name in ``ui_locale``: CLDR's and
    the organisation's own (whose name and direction win)."""
    by_tag = {info.tag: info for info in _cldr_choices(ui_locale)}
    for tag in custom or {}:
        by_tag[tag] = describe(tag, ui_locale, custom)
    return sorted(by_tag.values(), key=lambda info: (info.name.casefold(), info.tag))


def validate_tag(tag: str, custom: dict | None = None) -> str:
    """Return the canonical tag when CLDR or the organisation's own list knows it, else
    raise :class:`InputError` saying how to add it."""
    tag = canonical_tag(tag)
    if tag in (custom or {}) or in_cldr(tag):
        return tag
    raise InputError(
        _l(
            "Unknown language “%(tag)s”. An admin can add it with a name and text direction.",
            tag=tag,
        )
    )


@transactional
def save_custom_language(session: Session, *, tag: str, name: str | None,
                         endonym: str | None, direction: str | None,
                         person: Person | None) -> Language:
    """Add the organisation's own entry for ``tag``, or change it, and commit: a name
    (required), an endonym (optional) and a text direction (``ltr`` or ``rtl``), which
    win over CLDR's (see :func:`describe`). Raises :class:`InputError` for a tag not
    shaped like BCP 47, an empty or too long name, or another direction; nothing is
    written then."""
    tag = canonical_tag(tag)
    name = clean_text(name, label=_l("Name"), max_length=120)
    endonym = clean_text(endonym, label=_l("Own name"), max_length=120, required=False) or None
    direction = choice(direction, DIRECTIONS, label=_l("Direction"))
    row = session.get(Language, tag) or Language(tag=tag)
    row.name, row.endonym, row.direction = name, endonym, direction
    session.add(row)
    record(session, person=person, action="save", entity="language", entity_id=None,
           after={"tag": tag, "name": name, "direction": direction})
    return row
