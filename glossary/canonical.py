"""The one canonical form of what is hashed, frozen or sent: canonical JSON, its content
hash, and a term as a plain record.

Canonical JSON is JSON with the keys of every object sorted, no whitespace between
tokens, non-ASCII characters written as themselves (not ``\\u`` escapes) and encoded as
UTF-8: the same content always gives the same bytes, whatever the order it was built in.
The content hash is the SHA-256 of those bytes in lowercase hex, shortened where it is
read or printed by people (a session pack's 12 digits, a flyer fingerprint's 16).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Protocol

FULL_LENGTH = 64  # hex digits of an untruncated SHA-256
COMPACT = (",", ":")
# ``json.dumps``'s default separators. Flyer translation fingerprints have been taken over
# this spaced form from the start and are stored in every flyer signature; hashing them
# differently now would void every signature made, so they keep it (see glossary.flyers).
SPACED = (", ", ": ")


def canonical_json(payload: Any, *, separators: tuple[str, str] = COMPACT) -> bytes:
    """The canonical UTF-8 bytes of ``payload`` (sorted keys, no whitespace, non-ASCII
    kept as is). ``separators=SPACED`` gives the older form flyer fingerprints use.
    Raises ``TypeError`` for values JSON cannot hold."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False,
                      separators=separators).encode("utf-8")


def content_hash(payload: Any, *, length: int = FULL_LENGTH,
                 separators: tuple[str, str] = COMPACT) -> str:
    """SHA-256 of the canonical JSON of ``payload`` as its first ``length`` hex digits
    (all 64 by default): the same content, the same hash."""
    if not 1 <= length <= FULL_LENGTH:
        raise ValueError(f"length must be between 1 and {FULL_LENGTH}")
    digest = hashlib.sha256(canonical_json(payload, separators=separators)).hexdigest()
    return digest[:length]


class TermFields(Protocol):
    """What :func:`term_record` reads from a term (a ``Term`` row or a version of it)."""

    concept_id: int
    language: str
    version: int
    text: str
    status: str | None
    usage_register: str | None
    back_translation: str
    usage_note: str
    no_equivalent: bool
    paraphrase: str
    explanation: str


def term_record(term: TermFields, *, version: bool = True, place: bool = False) -> dict:
    """A term as a plain record: its wording (text, status, register, back-translation,
    usage note, no-equivalent flag, paraphrase; the participants' explanation and
    ``audio``, the SHA-256 of each recording by slot, only when there are some, so that
    every record, hash and signature taken before they existed stays the same), with its
    ``version`` number unless ``version=False`` (session packs, whose frozen form has
    none), and with its concept and language when ``place=True`` (audit events, which
    stand alone)."""
    record: dict[str, Any] = {
        "text": term.text,
        "status": term.status,
        "register": term.usage_register,
        "back_translation": term.back_translation,
        "usage_note": term.usage_note,
        "no_equivalent": term.no_equivalent,
        "paraphrase": term.paraphrase,
    }
    if term.explanation:
        record["explanation"] = term.explanation
    # Recordings enter the record only when there are some, so that every fingerprint,
    # pack hash and signature made before recordings existed stays as it was.
    audio = getattr(term, "audio", None)
    if audio:
        record["audio"] = dict(audio)
    if version:
        record["version"] = term.version
    if place:
        record["concept_id"] = term.concept_id
        record["language"] = term.language
    return record
