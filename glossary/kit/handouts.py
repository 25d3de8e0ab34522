"""The handout texts of a session kit (the ground rules, programme information ...), as
the pack froze them: each paragraph in the participants' language with the working
language under it, placeholders resolved from what the pack holds, and the recording of
the translated paragraph where the mediator made one."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import agreement as rules
from ..handouts.markdown import paragraph_kind
from ..handouts.translations import TITLE, resolve
from ..models.groups import SessionPack


@dataclass(frozen=True)
class KitParagraph:
    """One paragraph (or the title): its kind (title, heading, item, body), the text in
    the participants' language ("" while untranslated) and in the working language, and
    the hash of its recording (None without)."""

    kind: str
    target: str
    source: str
    audio: str | None = None


@dataclass(frozen=True)
class KitText:
    """One handout text of the kit."""

    kind: str
    paragraphs: list[KitParagraph] = field(default_factory=list)

    @property
    def title(self) -> KitParagraph:
        return self.paragraphs[0]


def _paragraph(raw_source: str, raw_target: str, *, text: dict, key: str) -> KitParagraph:
    concepts = text.get("concepts", {})
    values = text.get("values", {})
    # A draft pack may cite a concept not agreed in the language yet: its working-language
    # wording stands in rather than a key.
    theirs = {k: c.get("target") or c.get("source") for k, c in concepts.items()}
    ours = {k: c.get("source") for k, c in concepts.items()}
    kind, source = paragraph_kind(resolve(raw_source, ours, values))
    _kind, target = paragraph_kind(resolve(raw_target, theirs, values)) if raw_target \
        else (kind, "")
    return KitParagraph(kind="title" if key == TITLE else kind, target=target, source=source,
                        audio=(text.get("audio") or {}).get(key) if target else None)


def kit_texts(pack: SessionPack) -> list[KitText]:
    """The pack's handout texts with a translation, in the pack's order; a final pack
    only those signed off (a draft pack shows them all)."""
    found = []
    for text in pack.content.get("handouts", []):
        translation = text.get("translation") or {}
        if not any(translation.values()):
            continue
        if text.get("state") != rules.AGREED and not pack.draft:
            continue
        parts = [(TITLE, text.get("title", ""))] + [(p["id"], p["text"])
                                                    for p in text.get("paragraphs", [])]
        found.append(KitText(kind=text["kind"], paragraphs=[
            _paragraph(raw, translation.get(key, ""), text=text, key=key)
            for key, raw in parts]))
    return found


def handout_audio(pack: SessionPack) -> set[str]:
    """The recording hashes of the pack's handout texts the kit shows."""
    return {p.audio for text in kit_texts(pack) for p in text.paragraphs if p.audio}
