"""The session kit: one page for a phone with a group's agreed words for one language,
taken from the language's newest session pack (never from the live glossary, so the
phone shows what was frozen and printed), with their recordings; installable and usable
offline (``static/js/kit.js`` and the service worker ``static/js/kit-sw.js``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from .. import agreement as rules
from ..groups.packs import latest_pack
from ..models.groups import Group, SessionPack
from .handouts import handout_audio


@dataclass(frozen=True)
class KitEntry:
    """One agreed concept as the kit shows it."""

    key: str
    domain: str
    source: list[str]
    # text, no_equivalent, paraphrase, explanation; audio and explanation_audio (sha or None)
    renderings: list[dict]

    @property
    def search_text(self) -> str:
        """Everything a search box may find the entry by."""
        words = [*self.source, self.key]
        for rendering in self.renderings:
            words += [rendering["text"], rendering["paraphrase"], rendering["explanation"]]
        return " ".join(w for w in words if w)


def kit_entries(pack: SessionPack) -> list[KitEntry]:
    """The agreed concepts of a pack, in the pack's order."""
    entries = []
    for concept in pack.content.get("concepts", []):
        if concept.get("state") != rules.AGREED:
            continue
        renderings = [{"text": r.get("text", ""), "no_equivalent": bool(r.get("no_equivalent")),
                       "paraphrase": r.get("paraphrase", ""),
                       "explanation": r.get("explanation", ""),
                       "audio": (r.get("audio") or {}).get("wording"),
                       "explanation_audio": (r.get("audio") or {}).get("explanation")}
                      for r in concept.get("renderings", [])
                      if r.get("status") != "deprecated"]
        entries.append(KitEntry(key=concept["key"], domain=concept.get("domain_name", ""),
                                source=list(concept.get("source", [])), renderings=renderings))
    return entries


def pack_audio(pack: SessionPack) -> frozenset[str]:
    """Every recording hash a pack holds (its words' and its handout texts'): the only
    audio its kit serves."""
    words = {sha for entry in kit_entries(pack) for r in entry.renderings
             for sha in (r["audio"], r["explanation_audio"]) if sha}
    return frozenset(words | handout_audio(pack))


# Packs never change: the recordings of each pack content (by its hash) are read once.
_AUDIO_BY_HASH: dict[str, frozenset[str]] = {}


def kit_audio(session: Session, group: Group, language: str) -> frozenset[str]:
    """The recording hashes of the kit's pack. A phone asks for every recording of the
    kit in a row: only the newest pack's id and hash are read on each request."""
    newest = session.exec(select(SessionPack.id, SessionPack.content_hash).where(
        SessionPack.group_id == group.id, SessionPack.target_language == language)
        .order_by(col(SessionPack.id).desc())).first()
    if newest is None:
        return frozenset()
    pack_id, digest = newest
    found = _AUDIO_BY_HASH.get(digest)
    if found is None:
        pack = session.get(SessionPack, pack_id)
        found = pack_audio(pack) if pack else frozenset()
        if len(_AUDIO_BY_HASH) >= 64:
            _AUDIO_BY_HASH.clear()
        _AUDIO_BY_HASH[digest] = found
    return found


def kit_pack(session: Session, group: Group, language: str) -> SessionPack | None:
    """The pack a kit shows: the newest of the group for the language (None if none)."""
    return latest_pack(session, group, language)
