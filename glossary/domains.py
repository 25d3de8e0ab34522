"""The names of the starter domains in the interface language.

Domains live in the database with the name they were created with (the starter list in
``data/terms/domains.csv`` is English). The seven starter domains are shown translated;
a domain an organisation added or renamed is shown as it was written.
"""

from __future__ import annotations

from .i18n import LazyText, _l

# Starter domain name (as in data/terms/domains.csv) -> translated name.
STARTER_NAMES: dict[str, LazyText] = {
    "Sexual violence": _l("Sexual violence"),
    "Body and sexual health": _l("Body and sexual health"),
    "Legal concepts": _l("Legal concepts"),
    "Gender roles and relationships": _l("Gender roles and relationships"),
    "Emotions and mental health": _l("Emotions and mental health"),
    "Programme rules": _l("Programme rules"),
    "Services and referral": _l("Services and referral"),
}


def domain_label(name: str | None) -> LazyText | str:
    """The name of a domain in the interface language (starter domains), or as stored."""
    if not name:
        return ""
    return STARTER_NAMES.get(name, name)
