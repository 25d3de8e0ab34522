"""The one canonical JSON and content hash, pinned by fixed vectors written here (computed
once with ``printf ... | sha256sum``, not with the code under test), and session packs
frozen before it existed still verifying."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from glossary import flyer_templates, flyers, groups
from glossary.canonical import SPACED, canonical_json, content_hash, term_record
from glossary.models import Term
from glossary.models.groups import SessionPack

DATA = Path(__file__).parent / "data"
# Keys out of order, nesting, a literal, and non-ASCII in keys and values.
VECTOR = {"é": "ع", "b": [1, "ü"], "a": {"z": None, "y": True}}
VECTOR_JSON = '{"a":{"y":true,"z":null},"b":[1,"ü"],"é":"ع"}'
VECTOR_SHA256 = "371ce5aa89b2fbd62b24c70e20813765a5481e52556712d7aa03caf9923bcefe"
# The same content with json.dumps's default separators (flyer fingerprints).
VECTOR_SPACED_SHA256 = "167fd51345b30f9419c245badc1c71a3aa5d45c573864d1fa80134fb2bd86e25"


def test_canonical_json_sorts_keys_drops_whitespace_and_keeps_unicode():
    assert canonical_json(VECTOR) == VECTOR_JSON.encode("utf-8")
    assert canonical_json(VECTOR) == (b'{"a":{"y":true,"z":null},"b":[1,"\xc3\xbc"],'
                                      b'"\xc3\xa9":"\xd8\xb9"}')


def test_content_hash_of_the_fixed_vector():
    assert content_hash(VECTOR) == VECTOR_SHA256
    assert content_hash(dict(reversed(list(VECTOR.items())))) == VECTOR_SHA256


@pytest.mark.parametrize("length", [12, 16, 64])
def test_content_hash_is_a_prefix_of_the_full_digest(length):
    assert content_hash(VECTOR, length=length) == VECTOR_SHA256[:length]


def test_spaced_form_for_flyer_fingerprints():
    assert content_hash(VECTOR, length=16, separators=SPACED) == VECTOR_SPACED_SHA256[:16]


@pytest.mark.parametrize("length", [0, 65])
def test_content_hash_refuses_impossible_lengths(length):
    with pytest.raises(ValueError):
        content_hash(VECTOR, length=length)


def test_a_pack_frozen_before_the_canonical_module_still_verifies():
    # Content and hash of a draft pack made by the code of main at 1fde15b, stored as is.
    frozen = json.loads((DATA / "pack_frozen_2026-12.json").read_text(encoding="utf-8"))
    assert frozen["content_hash"] == "059941047149"
    pack = SessionPack(group_id=1, source_language="en", target_language="ar", draft=True,
                       content_hash=frozen["content_hash"], content=frozen["content"],
                       concept_count=3, agreed_count=2)
    assert groups.content_hash(frozen["content"]) == "059941047149"
    assert groups.pack_intact(pack)
    pack.content["concepts"][0]["renderings"][0]["text"] = "الرضا"
    assert not groups.pack_intact(pack)


def test_one_term_record_for_packs_the_api_and_the_audit_log():
    term = Term(id=7, concept_id=3, language="ar", version=2, text="الموافقة",
                status="preferred", usage_register="neutral", back_translation="agreement",
                usage_note="", no_equivalent=False, paraphrase="")
    wording = {"text": "الموافقة", "status": "preferred", "register": "neutral",
               "back_translation": "agreement", "usage_note": "", "no_equivalent": False,
               "paraphrase": ""}
    assert term_record(term, version=False) == wording
    assert term_record(term) == {**wording, "version": 2}
    assert term_record(term, place=True) == {**wording, "version": 2, "concept_id": 3,
                                             "language": "ar"}


def test_flyer_fingerprints_keep_the_form_their_signatures_were_taken_in(db, make_person):
    # The digest as the code before glossary.canonical computed it, written out here:
    # json.dumps with its default (spaced) separators, 16 hex digits.
    oskar = make_person("oskar", "outreach")
    samir = make_person("samir", "mediator", "ar")
    template = flyer_templates.get_template("info-evening")
    flyer = flyers.create_flyer(db, name="Evening", template_key="info-evening", layout="a4",
                                fields={f.key: f.default for f in template.fields},
                                person=oskar, working="en")
    translation = flyers.save_translation(
        db, flyer=flyer, language="ar", fields={f.key: f"نص {f.key}" for f in template.fields},
        seen_version=None, person=samir, working="en")
    wording = flyers.translation_wording(db, translation)
    old_digest = hashlib.sha256(json.dumps(wording.snapshot, sort_keys=True,
                                           ensure_ascii=False).encode()).hexdigest()[:16]
    assert wording.fingerprint.endswith("|" + old_digest)
