"""Flyer templates from ``data/flyers/``, their working-language fields, and the
citations of glossary concepts in field texts (see :mod:`glossary.flyers` for flyers,
their translations and sign-off).

A field's text may cite a concept as ``[[concept-key]]``. The working-language text shows
the concept's wording; a translation shows the rendering agreed for that language pair
(or its paraphrase when there is no direct equivalent). A citation with no agreed
rendering cannot be resolved: the translation is incomplete and cannot be signed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, select

from . import agreement as rules
from .config import ROOT
from .errors import InputError, NotFound
from .i18n import _l
from .models import Agreement, Concept, Term
from .normalise import without_qualifier
from .text import clean_text

TEMPLATE_DIR = ROOT / "data" / "flyers"
LAYOUTS = ("a4", "a5-bilingual")
CITATION = re.compile(r"\[\[([a-z0-9][a-z0-9_.-]{0,119})\]\]")


@dataclass(frozen=True)
class FieldSpec:
    """One named field of a flyer template."""

    key: str
    label: str
    max_length: int = 500
    multiline: bool = False
    default: str = ""


@dataclass(frozen=True)
class FlyerTemplate:
    """A flyer template file: its fields in print order."""

    key: str
    name: str
    description: str
    fields: tuple[FieldSpec, ...]


def load_templates() -> dict[str, FlyerTemplate]:
    """Every template in ``data/flyers/*.toml`` by file name (read fresh each time, so an
    edited file takes effect without a restart)."""
    templates = {}
    for path in sorted(TEMPLATE_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        fields = tuple(FieldSpec(key=f["key"], label=f.get("label", f["key"]),
                                 max_length=int(f.get("max_length", 500)),
                                 multiline=bool(f.get("multiline", False)),
                                 default=f.get("default", ""))
                       for f in data.get("fields", []))
        templates[path.stem] = FlyerTemplate(path.stem, data.get("name", path.stem),
                                             data.get("description", ""), fields)
    return templates


def get_template(key: str) -> FlyerTemplate:
    """The template with this key, or :class:`NotFound`."""
    template = load_templates().get(key)
    if template is None:
        raise NotFound(_l("There is no flyer template “%(key)s”.", key=key))
    return template


def parse_fields(template: FlyerTemplate, form: Mapping, *, required: bool) -> dict[str, str]:
    """Validated field texts from a form; with ``required`` every field needs text."""
    return {
        spec.key: clean_text(form.get(spec.key), label=spec.label, field=spec.key,
                             max_length=spec.max_length, required=required,
                             multiline=spec.multiline)
        for spec in template.fields
    }


def cited_keys(fields: Mapping[str, str]) -> list[str]:
    """The concept keys cited in the fields, in order of first appearance."""
    keys: dict[str, None] = {}
    for text in fields.values():
        for match in CITATION.finditer(text or ""):
            keys.setdefault(match.group(1))
    return list(keys)


def check_citations(session: Session, fields: Mapping[str, str]) -> None:
    """Refuse a citation of a concept key that does not exist."""
    keys = cited_keys(fields)
    if not keys:
        return
    known = set(session.exec(select(Concept.key).where(Concept.key.in_(keys))))
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise InputError(_l("No concept has the key “%(key)s”; cite concepts as [[key]].",
                            key=unknown[0]))


def concept_wordings(session: Session, keys: list[str], *, language: str,
                     working: str) -> dict[str, str | None]:
    """What each cited concept says in ``language``: the working-language wording, or
    the rendering agreed for ``working`` -> ``language`` (its paraphrase when there is no
    direct equivalent). None when nothing is agreed."""
    if not keys:
        return {}
    concepts = {c.id: c.key for c in session.exec(select(Concept).where(Concept.key.in_(keys)))}
    result: dict[str, str | None] = dict.fromkeys(keys)
    if language != working:
        agreed = set(session.exec(select(Agreement.concept_id).where(
            Agreement.concept_id.in_(list(concepts) or [0]),
            Agreement.source_language == working, Agreement.target_language == language,
            Agreement.state == rules.AGREED)))
    terms = session.exec(select(Term).where(Term.concept_id.in_(list(concepts) or [0]),
                                            Term.language == language).order_by(Term.id))
    for term in terms:
        key = concepts[term.concept_id]
        if result[key] is not None or term.status == "deprecated":
            continue
        if language != working and term.concept_id not in agreed:
            continue
        if language == working:
            # "consent (sexual)" reads as "consent" in running text.
            result[key] = without_qualifier(term.text) or term.text
        else:
            result[key] = term.paraphrase if term.no_equivalent and term.paraphrase else term.text
    return result


def resolve(text: str, wordings: Mapping[str, str | None]) -> str:
    """``text`` with each ``[[key]]`` replaced by its wording (left as is when None)."""
    return CITATION.sub(lambda m: wordings.get(m.group(1)) or m.group(0), text or "")


def rendered(session: Session, fields: Mapping[str, str], *, language: str,
             working: str) -> tuple[dict[str, str], list[str]]:
    """The fields with citations resolved for ``language``, and the cited keys that have
    no agreed wording there."""
    keys = cited_keys(fields)
    wordings = concept_wordings(session, keys, language=language, working=working)
    return ({k: resolve(v, wordings) for k, v in fields.items()},
            [k for k in keys if wordings.get(k) is None])
