"""Read-only JSON API for interpreters' apps and CAT tools, under ``/api/v1/``.

Every call but the OpenAPI description needs ``Authorization: Bearer <token>``, a
per-person token an admin creates (and can revoke) on the API tokens page. Only GET: the
blueprint is exempt from CSRF because nothing here changes anything.

- ``/glossary?target=ar`` : the agreed renderings for the pair working language -> ar,
  with a content hash; ``&pack=<id>`` returns a frozen session pack instead, with its
  hash;
- ``/concepts/<key>`` : one concept, every rendering, every pair's agreement state;
- ``/search?q=...`` : the concepts best matching the text, through the same search as
  the search box (typos, prefixes, attached forms, every script);
- ``/audio/<sha256>.ogg`` (or ``.m4a``): a saved recording, linked from each agreed
  rendering that has one (``audio_urls``; the explanation's: ``explanation_audio_urls``);
- ``/openapi.json`` : this API described in OpenAPI 3.1.
"""

from __future__ import annotations

import logging
import math
import re
from datetime import timedelta

from flask import Blueprint, current_app, g, jsonify, request, url_for
from sqlmodel import select

from .. import api_schema as schema
from .. import csrf, ratelimit
from ..agreed import agreed_glossary, concept_record
from ..api_tokens import authenticate
from ..audio.store import get_audio
from ..concepts import custom_languages
from ..db import get_session
from ..errors import InputError
from ..languages import canonical_tag, validate_tag
from ..logs import security_event
from ..models.groups import SessionPack
from ..models.recordings import Recording
from ..search import search as search_glossary
from .recordings import serve_audio

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
SEARCH_LIMIT = 50


def _error(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="glossary"'
    return response


@bp.before_request
def require_token():
    """Every endpoint but the description needs a valid, unrevoked token; calls are
    limited per token and per address (429 with Retry-After)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    limited = _rate_limited(token.strip() if scheme.lower() == "bearer" else "")
    if limited is not None:
        return limited
    if request.endpoint == "api.openapi":
        return None
    person = authenticate(get_session(), token.strip()) if scheme.lower() == "bearer" else None
    if person is None:
        security_event("api token refused", supplied=bool(token.strip()))
        return _error(401, "A valid API token is needed: Authorization: Bearer <token>.")
    security_event("api token used", level=logging.INFO, person=person.id, path=request.path)
    g.api_person = person
    return None


def _rate_limited(token: str):
    """A 429 response when this token or this address has used up its calls for the
    minute (counted in the database, across workers: glossary.ratelimit), else None."""
    config = current_app.config
    attempt = ratelimit.begin_attempt(
        get_session(), account=ratelimit.api_account(token), address=request.remote_addr or "",
        secret=config["SECRET_KEY"], limits=ratelimit.Limits.for_api(config),
        keep=timedelta(seconds=config["LOGIN_WINDOW_SECONDS"]))
    if attempt.allowed:
        return None
    seconds = math.ceil(attempt.retry_after.total_seconds())
    response = _error(429, f"Too many requests: try again in {seconds} seconds.")
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.after_request
def no_store(response):
    """Glossary data is not cached by intermediaries."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/glossary")
def glossary():
    """The agreed glossary for a language pair (or a session pack)."""
    working = current_app.config["WORKING_LANGUAGE"]
    if request.args.get("pack"):
        return _pack(request.args["pack"])
    try:
        target = canonical_tag(request.args.get("target", ""))
        source = canonical_tag(request.args.get("source") or working)
    except InputError:
        return _error(400, "Give target=<language tag>, e.g. target=ar.")
    if source != working:
        return _error(400, f"Agreements are made from the working language ({working}).")
    try:
        validate_tag(target, custom_languages(get_session()))
    except InputError:
        return _error(400, f"Unknown language: {target}. Give a language tag such as ar, "
                           "fa-AF or ti (an admin adds languages that CLDR does not know).")
    found = agreed_glossary(get_session(), working=working, target=target)
    for entry in found["concepts"]:
        for term in entry["target"]:
            _link_audio(term)
    return jsonify(schema.checked(schema.AgreedGlossary, found))


def _link_audio(term: dict) -> None:
    """Add links (Ogg/Opus and MPEG-4/AAC) to a term record's recordings: ``audio_urls``
    for the wording's, ``explanation_audio_urls`` for the explanation's, each only when
    there is one; the links are not part of the content hash, which covers the audio's
    own hash."""
    for key, name in (("wording", "audio_urls"), ("explanation", "explanation_audio_urls")):
        sha = (term.get("audio") or {}).get(key)
        if sha:
            term[name] = {ext: url_for("api.audio", file=f"{sha}.{ext}", _external=True)
                          for ext in ("ogg", "m4a")}


AUDIO_FILE = re.compile(r"^([0-9a-f]{64})\.(ogg|m4a)$")


@bp.get("/audio/<file>")
def audio(file: str):
    """A saved recording, ``<sha256>.ogg`` or ``<sha256>.m4a`` (audio sent but never saved
    into a rendering is not served)."""
    named = AUDIO_FILE.match(file)
    db = get_session()
    if named is None or db.exec(select(Recording.id).where(
            Recording.audio_sha256 == named.group(1))).first() is None:
        return _error(404, "No such recording.")
    return serve_audio(get_audio(db, named.group(1)), named.group(2))


def _pack(pack_id: str):
    """A frozen session pack, with the hash printed on its handouts."""
    number = int(pack_id) if pack_id.isdecimal() else 0
    pack = get_session().get(SessionPack, number) if 0 < number <= schema.PACK_ID_MAX else None
    if pack is None or pack.draft:
        return _error(404, "No such session pack.")
    return jsonify(schema.checked(schema.SessionPack, {
        "source": pack.source_language, "target": pack.target_language, "pack": pack.id,
        "pack_hash": pack.content_hash, "created_at": pack.created_at.isoformat(),
        "content": pack.content}))


@bp.get("/concepts/<key>")
def concept(key: str):
    """One concept with every rendering and every pair's agreement state."""
    found = concept_record(get_session(), key=key,
                           working=current_app.config["WORKING_LANGUAGE"])
    if found is None:
        return _error(404, "No such concept.")
    return jsonify(schema.checked(schema.ConceptDetail, found))


@bp.get("/search")
def search():
    """The concepts best matching ``q``, best first, through the same search as the
    search box (:mod:`glossary.search`): exact and prefix matches, attached forms, then
    typos; over source terms, renderings, back-translations and definitions."""
    text = (request.args.get("q") or "").strip()
    if not text or len(text) > schema.SEARCH_MAX_LENGTH:
        return _error(400, f"Give q=<text> (at most {schema.SEARCH_MAX_LENGTH} characters).")
    language = request.args.get("language") or None
    if language:
        try:
            language = canonical_tag(language)
        except InputError:
            return _error(400, "language must be a language tag such as ar, fa-AF or ti.")
    hits = search_glossary(get_session(), text, working=current_app.config["WORKING_LANGUAGE"],
                           language=language, limit=SEARCH_LIMIT)
    return jsonify(schema.checked(schema.SearchResults, {"q": text, "results": [
        {"key": hit.concept_key, "source": hit.source_text, "language": hit.language,
         "text": hit.text, "field": hit.field, "match": hit.match,
         "score": round(hit.score, 1)} for hit in hits]}))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (public: it holds no data), generated from
    the models every answer is checked against (glossary/api_schema.py)."""
    return jsonify(schema.openapi_document())
