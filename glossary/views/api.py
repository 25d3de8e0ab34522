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
  rendering that has one (``audio_urls``);
- ``/openapi.json`` : this API described in OpenAPI 3.1.
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta

from flask import Blueprint, current_app, g, jsonify, request, url_for
from sqlmodel import select

from .. import csrf, ratelimit
from ..agreed import agreed_glossary, concept_record
from ..api_tokens import authenticate
from ..audio.store import get_audio
from ..db import get_session
from ..errors import InputError
from ..languages import canonical_tag
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
    found = agreed_glossary(get_session(), working=working, target=target)
    for entry in found["concepts"]:
        for term in entry["target"]:
            _link_audio(term)
    return jsonify(found)


def _link_audio(term: dict) -> None:
    """Add ``audio_urls`` (Ogg/Opus and MPEG-4/AAC) to a term record with a recording;
    the links are not part of the content hash, which covers the audio's own hash."""
    sha = (term.get("audio") or {}).get("wording")
    if sha:
        term["audio_urls"] = {ext: url_for("api.audio", sha256=sha, ext=ext, _external=True)
                              for ext in ("ogg", "m4a")}


@bp.get("/audio/<sha256>.<any(ogg, m4a):ext>")
def audio(sha256: str, ext: str):
    """A saved recording (audio sent but never saved into a rendering is not served)."""
    db = get_session()
    if db.exec(select(Recording.id).where(Recording.audio_sha256 == sha256)).first() is None:
        return _error(404, "No such recording.")
    return serve_audio(get_audio(db, sha256), ext)


def _pack(pack_id: str):
    """A frozen session pack, with the hash printed on its handouts."""
    try:
        pack = get_session().get(SessionPack, int(pack_id))
    except ValueError:
        pack = None
    if pack is None or pack.draft:
        return _error(404, "No such session pack.")
    return jsonify({"source": pack.source_language, "target": pack.target_language,
                    "pack": pack.id, "pack_hash": pack.content_hash,
                    "created_at": pack.created_at.isoformat(), "content": pack.content})


@bp.get("/concepts/<key>")
def concept(key: str):
    """One concept with every rendering and every pair's agreement state."""
    found = concept_record(get_session(), key=key,
                           working=current_app.config["WORKING_LANGUAGE"])
    if found is None:
        return _error(404, "No such concept.")
    return jsonify(found)


@bp.get("/search")
def search():
    """The concepts best matching ``q``, best first, through the same search as the
    search box (:mod:`glossary.search`): exact and prefix matches, attached forms, then
    typos; over source terms, renderings, back-translations and definitions."""
    text = (request.args.get("q") or "").strip()
    if not text or len(text) > 200:
        return _error(400, "Give q=<text> (at most 200 characters).")
    language = request.args.get("language") or None
    if language:
        try:
            language = canonical_tag(language)
        except InputError:
            return _error(400, "language must be a language tag such as ar, fa-AF or ti.")
    hits = search_glossary(get_session(), text, working=current_app.config["WORKING_LANGUAGE"],
                           language=language, limit=SEARCH_LIMIT)
    return jsonify({"q": text, "results": [
        {"key": hit.concept_key, "source": hit.source_text, "language": hit.language,
         "text": hit.text, "field": hit.field, "match": hit.match,
         "score": round(hit.score, 1)} for hit in hits]})


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (public: it holds no data)."""
    return jsonify(openapi_document())


def openapi_document() -> dict:
    """The API described in OpenAPI 3.1."""
    error = {"$ref": "#/components/responses/Error"}
    term = {"type": "object", "properties": {
        name: {"type": kind} for name, kind in (
            ("text", "string"), ("status", "string"), ("register", "string"),
            ("back_translation", "string"), ("usage_note", "string"),
            ("no_equivalent", "boolean"), ("paraphrase", "string"), ("version", "integer"),
            ("audio", "object"), ("audio_urls", "object"))}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Agreed terms API", "version": "1.0.0", "description":
                 "Read-only access to agreed renderings, for interpreters' apps and CAT "
                 "tools. Renderings are agreed by a facilitator and a mediator."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Term": term},
            "responses": {"Error": {"description": "An error", "content": {
                "application/json": {"schema": {"type": "object", "properties": {
                    "error": {"type": "string"}}}}}}},
        },
        "paths": {
            "/glossary": {"get": {
                "summary": "The agreed glossary for a language pair, or a session pack",
                "parameters": [
                    {"name": "target", "in": "query", "schema": {"type": "string"},
                     "description": "Target language tag, e.g. ar or fa-AF"},
                    {"name": "source", "in": "query", "schema": {"type": "string"},
                     "description": "Must be the working language (the default)"},
                    {"name": "pack", "in": "query", "schema": {"type": "integer"},
                     "description": "A session pack id: its frozen content and hash"}],
                "responses": {"200": {"description": "Agreed concepts with a content hash"},
                              "400": error, "401": error, "404": error}}},
            "/concepts/{key}": {"get": {
                "summary": "One concept, its renderings and agreement states",
                "parameters": [{"name": "key", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The concept"}, "401": error,
                              "404": error}}},
            "/search": {"get": {
                "summary": "Concepts best matching the text (the search box's search)",
                "parameters": [
                    {"name": "q", "in": "query", "required": True,
                     "schema": {"type": "string"}},
                    {"name": "language", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "Up to 50 concepts"}, "400": error,
                              "401": error}}},
            "/audio/{file}": {"get": {
                "summary": "A saved recording, as linked from audio_urls",
                "parameters": [{"name": "file", "in": "path", "required": True,
                                "schema": {"type": "string"},
                                "description": "<sha256>.ogg (Opus) or <sha256>.m4a (AAC)"}],
                "responses": {"200": {"description": "The audio"}, "401": error,
                              "404": error}}},
            "/openapi.json": {"get": {"summary": "This description", "security": [],
                                      "responses": {"200": {"description": "OpenAPI"}}}},
        },
    }
