"""Session packs: frozen snapshots of a group's agreed wording for a language pair, in
canonical JSON, with the short hash printed on every page of their handouts."""

from __future__ import annotations

from flask_babel import get_locale, ngettext
from sqlmodel import Session, select

from .. import agreement as rules
from ..audit import record
from ..canonical import content_hash as canonical_hash
from ..canonical import term_record
from ..concepts import custom_languages
from ..errors import NotFound, Refused
from ..handouts import KIND_NAMES
from ..handouts.frozen import frozen_handouts
from ..i18n import LazyText, _l
from ..languages import describe
from ..models import Person
from ..models.groups import (
    Group,
    SessionPack,
)
from ..transaction import transactional
from . import (
    _check_organiser,
    group_languages,
)
from .readiness import _group_concepts, _pair_data

PACK_FORMAT = 1
HASH_LENGTH = 12


def _language_name(tag: str, custom: dict) -> str:
    """The name of ``tag`` in the interface language of the request."""
    return str(describe(tag, str(get_locale() or "en"), custom).name)


def content_hash(content: dict) -> str:
    """The short hash of a pack's content: the first 12 hex digits of the canonical
    content hash (:func:`glossary.canonical.content_hash`), as printed on handouts."""
    return canonical_hash(content, length=HASH_LENGTH)


def build_pack_content(session: Session, group: Group, language: str) -> dict:
    """What a pack of the group for ``language`` would hold now: every concept of the
    group in domain order with its working-language wording and definition, its state,
    and, only when agreed, the fingerprint of the signed wording and its renderings; and
    the group's handout texts with their translation, when it has any
    (:func:`glossary.handouts.frozen.frozen_handouts`)."""
    rows = _group_concepts(session, group)
    terms, agreements, _signatures, _disputes = _pair_data(
        session, group.working_language, [c.id for c, _d in rows], [language])
    source = group.working_language
    concepts = []
    for concept, domain in rows:
        agreement = agreements.get((concept.id, language))
        state = agreement.state if agreement else rules.OPEN
        source_terms, target_terms = terms[(concept.id, source)], terms[(concept.id, language)]
        entry = {"key": concept.key, "domain": domain.key, "domain_name": domain.name,
                 "source": [t.text for t in source_terms], "definition": concept.definition,
                 "state": state, "fingerprint": "", "renderings": []}
        if state == rules.AGREED:
            entry["fingerprint"] = rules.fingerprint(source_terms, target_terms)
            entry["renderings"] = [term_record(t, version=False) for t in target_terms]
        concepts.append(entry)
    content = {"format": PACK_FORMAT, "source_language": source, "target_language": language,
               "concepts": concepts}
    handouts = frozen_handouts(session, group, language)
    if handouts:  # only then: the hash of every pack without handout texts stays the same
        content["handouts"] = handouts
    return content


def pack_counts(content: dict) -> tuple[int, int]:
    """(agreed, needed) of a pack's content."""
    concepts = content.get("concepts", [])
    return sum(1 for c in concepts if c["state"] == rules.AGREED), len(concepts)


def _not_ready(missing: int, **values) -> str:
    """The refusal to freeze a pack with ``missing`` concepts not agreed (plural forms)."""
    return ngettext("Not ready: %(num)d of %(needed)d concepts is not agreed for %(language)s "
                    "(%(keys)s). Agree it first, or make a draft pack, which every page "
                    "marks as DRAFT.",
                    "Not ready: %(num)d of %(needed)d concepts are not agreed for %(language)s "
                    "(%(keys)s). Agree them first, or make a draft pack, which every page "
                    "marks as DRAFT.", missing, **values)


@transactional
def create_pack(session: Session, *, group: Group, language: str, person: Person | None,
                draft: bool = False) -> SessionPack:
    """Freeze the group's current wording for ``language`` into a pack.

    Raises :class:`Refused` when a concept is not agreed and ``draft`` is false (the
    message names them), when the group has no concepts, or when ``person`` is not a
    facilitator or admin. When the newest pack of the pair holds exactly this content
    with the same draft flag, that pack is returned instead of a copy."""
    _check_organiser(person)
    if language not in group_languages(session, group):
        raise NotFound(_l("The group does not use this language."))
    content = build_pack_content(session, group, language)
    agreed, needed = pack_counts(content)
    if needed == 0:
        raise Refused(_l("The group has no concepts yet; choose the concepts it needs first."))
    if agreed < needed and not draft:
        missing = [" / ".join(c["source"]) or c["key"] for c in content["concepts"]
                   if c["state"] != rules.AGREED]
        raise Refused(LazyText(
            _not_ready, len(missing), needed=needed,
            language=LazyText(_language_name, language, custom_languages(session)),
            keys=", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")))
    unsigned = [h["kind"] for h in content.get("handouts", []) if h["state"] != rules.AGREED]
    if unsigned and not draft:
        raise Refused(_l(
            "Not ready: handout texts are not translated into %(language)s and signed off "
            "(%(kinds)s). Finish them first, or make a draft pack, which every page marks "
            "as DRAFT.", language=LazyText(_language_name, language, custom_languages(session)),
            kinds=", ".join(str(KIND_NAMES.get(kind, kind)) for kind in unsigned)))
    digest = content_hash(content)
    last = latest_pack(session, group, language)
    if last is not None and last.content_hash == digest and last.draft == draft:
        return last
    pack = SessionPack(group_id=group.id, source_language=group.working_language,
                       target_language=language, draft=draft, content_hash=digest,
                       content=content, concept_count=needed, agreed_count=agreed,
                       created_by_id=person.id if person else None)
    session.add(pack)
    session.flush()
    record(session, person=person, action="freeze_pack", entity="session_pack",
           entity_id=pack.id, after={"group_id": group.id, "language": language,
                                     "hash": digest, "draft": draft,
                                     "agreed": agreed, "needed": needed})
    return pack


def latest_pack(session: Session, group: Group, language: str) -> SessionPack | None:
    """The newest pack of the group for a language, draft or not."""
    return session.exec(select(SessionPack).where(
        SessionPack.group_id == group.id, SessionPack.target_language == language)
        .order_by(SessionPack.id.desc())).first()


def packs_of(session: Session, group: Group) -> list[SessionPack]:
    """Every pack of the group, newest first."""
    return list(session.exec(select(SessionPack).where(SessionPack.group_id == group.id)
                             .order_by(SessionPack.id.desc())))


def get_pack(session: Session, group: Group, pack_id: int) -> SessionPack:
    """A pack of this group, or :class:`NotFound`."""
    pack = session.get(SessionPack, pack_id)
    if pack is None or pack.group_id != group.id:
        raise NotFound(_l("No such session pack."))
    return pack


def pack_intact(pack: SessionPack) -> bool:
    """True when the stored content still hashes to the pack's hash."""
    return content_hash(pack.content) == pack.content_hash


def differs_from_pack(session: Session, group: Group, pack: SessionPack) -> bool:
    """True when the group's wording for the pack's language is no longer what the pack
    froze (a rendering, signature state, definition or concept list changed)."""
    return content_hash(build_pack_content(session, group, pack.target_language)) != (
        pack.content_hash)
