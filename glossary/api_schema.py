"""The JSON API's questions and answers as pydantic models: the one description from which
the OpenAPI document is generated (:func:`openapi_document`) and against which every
answer is checked before it is sent (:func:`checked`).

An answer that does not fit its model is a bug: :func:`checked` raises, the request is a
500 and the log says which field. The models forbid fields they do not name, so the
document cannot fall behind what the views return. The records themselves are built
elsewhere (:mod:`glossary.agreed`, :func:`glossary.canonical.term_record`); these models
only describe them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from .agreement import STATES
from .models import CONCEPT_STATUSES, REGISTERS, SENSITIVITIES, TERM_STATUSES
from .search import MATCH_KINDS
from .search.queries import FIELDS

SEARCH_MAX_LENGTH = 200
PACK_ID_MAX = 2**31 - 1  # a PostgreSQL integer
MATCHES = tuple(sorted(set(MATCH_KINDS)))  # exact, fuzzy, prefix
Timestamp = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
FullHash = Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
Tag = Annotated[str, Field(description="A language tag, e.g. ar, fa-AF or ti",
                           examples=["ar"])]


class Strict(BaseModel):
    """A record with exactly these fields."""

    model_config = ConfigDict(extra="forbid")


class Term(Strict):
    """A rendering (or the working-language term) as :func:`term_record` writes it."""

    text: str
    status: Literal[TERM_STATUSES] | None  # type: ignore[valid-type]
    # "register" is a BaseModel method's name: the field is named so only in JSON.
    usage_register: Literal[REGISTERS] | None = Field(  # type: ignore[valid-type]
        alias="register")
    back_translation: str
    usage_note: str
    no_equivalent: bool
    paraphrase: str
    # Only when the rendering has one: records without it keep their hashes.
    explanation: str | None = Field(default=None, min_length=1)
    # Recordings: the SHA-256 of each by slot ("wording", "explanation"), only when there
    # are some; the agreed glossary adds links to fetch them (not part of any hash):
    # ``audio_urls`` the wording's, ``explanation_audio_urls`` the explanation's.
    audio: dict[str, FullHash] | None = None
    audio_urls: dict[Literal["ogg", "m4a"], str] | None = None
    explanation_audio_urls: dict[Literal["ogg", "m4a"], str] | None = None
    version: int = Field(ge=1)


class AgreedConcept(Strict):
    """A concept agreed for the pair, with its terms on both sides."""

    key: str
    domain: str
    definition: str
    agreed_at: Timestamp | None
    source: list[Term]
    target: list[Term]


class AgreedGlossary(Strict):
    """Every concept agreed for working language -> target, and one hash over them."""

    source: Tag
    target: Tag
    count: int = Field(ge=0)
    content_hash: FullHash
    pack: None
    concepts: list[AgreedConcept]


class SessionPack(Strict):
    """A frozen session pack with the hash printed on its handouts."""

    source: Tag
    target: Tag
    pack: int = Field(ge=1)
    pack_hash: str
    created_at: Timestamp
    content: dict[str, Any]


class AgreementState(Strict):
    """Where the pair working language -> a target language stands."""

    state: Literal[STATES]  # type: ignore[valid-type]
    agreed_at: Timestamp | None


class ConceptDetail(Strict):
    """One concept: every rendering by language and every pair's agreement state."""

    key: str
    domain: str | None
    definition: str
    sensitivity: Literal[SENSITIVITIES]  # type: ignore[valid-type]
    status: Literal[CONCEPT_STATUSES]  # type: ignore[valid-type]
    working_language: Tag
    terms: dict[str, list[Term]]
    agreements: dict[str, AgreementState]


class SearchHit(Strict):
    """A concept found, with the text that matched and how."""

    key: str
    source: str
    language: str
    text: str
    field: Literal[FIELDS]  # type: ignore[valid-type]
    match: Literal[MATCHES]  # type: ignore[valid-type]
    score: float


class SearchResults(Strict):
    """The concepts best matching ``q``, best first."""

    q: str
    results: list[SearchHit] = Field(max_length=50)


class Error(Strict):
    """Why the request was refused."""

    error: str


class GlossaryQuery(Strict):
    """The parameters of ``/glossary``."""

    target: Tag | None = Field(None, description="Target language tag, e.g. ar or fa-AF")
    source: Tag | None = Field(None, description="Must be the working language (the default)")
    pack: int | None = Field(None, ge=1, le=PACK_ID_MAX,
                             description="A session pack id: its frozen content and hash")


class SearchQuery(Strict):
    """The parameters of ``/search``."""

    q: str = Field(min_length=1, max_length=SEARCH_MAX_LENGTH, description="The text sought")
    language: Tag | None = Field(None, description="Only renderings in this language")


def checked(model: type[BaseModel], data: dict) -> dict:
    """``data`` unchanged, once it is known to fit ``model`` (else ValidationError)."""
    model.model_validate(data)
    return data


@dataclass(frozen=True)
class Operation:
    """One GET endpoint: what it answers with, and on which errors."""

    summary: str
    answers: tuple[type[BaseModel], ...]
    errors: tuple[int, ...]
    query: type[BaseModel] | None = None
    path_parameters: tuple[str, ...] = ()
    public: bool = False
    # An answer that is a file rather than JSON: its media types.
    files: tuple[str, ...] = ()


OPERATIONS = {
    "/glossary": Operation("The agreed glossary for a language pair, or a session pack",
                           (AgreedGlossary, SessionPack), (400, 401, 404, 429),
                           query=GlossaryQuery),
    "/concepts/{key}": Operation("One concept, its renderings and agreement states",
                                 (ConceptDetail,), (401, 404, 429), path_parameters=("key",)),
    "/search": Operation("Concepts best matching the text (the search box's search)",
                         (SearchResults,), (400, 401, 429), query=SearchQuery),
    "/audio/{file}": Operation("A saved recording: <sha256>.ogg (Opus) or <sha256>.m4a (AAC)",
                               (), (401, 404, 429), path_parameters=("file",),
                               files=("audio/ogg", "audio/mp4")),
    "/openapi.json": Operation("This description", (), (429,), public=True),
}
ERROR_TEXT = {400: "The parameters are not valid", 401: "No valid API token",
              404: "Nothing with this key or id", 429: "Too many requests: wait and retry"}
ERROR_HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"},
                               "description": "Bearer realm=\"glossary\""}},
    429: {"Retry-After": {"schema": {"type": "string", "pattern": "^[0-9]+$"},
                          "description": "Seconds to wait"}},
}


def _parameters(model: type[BaseModel]) -> list[dict]:
    """Query parameters from a model's fields (an optional field is simply left out)."""
    schema = model.model_json_schema()
    parameters = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        choices = [p for p in prop.pop("anyOf", []) if p.get("type") != "null"]
        if choices:
            prop.update(choices[0])
        prop.pop("default", None)
        description = prop.pop("description", "")
        prop.pop("title", None)
        parameters.append({"name": name, "in": "query", "schema": prop,
                           "required": name in schema.get("required", ()),
                           "description": description})
    return parameters


def _operation(path: str, op: Operation) -> dict:
    json = "application/json"
    ok = [{"$ref": f"#/components/schemas/{m.__name__}"} for m in op.answers]
    answer = ({"schema": ok[0] if len(ok) == 1 else {"oneOf": ok}} if ok
              else {"schema": {"type": "object"}})
    content = ({media: {"schema": {"type": "string", "format": "binary"}} for media in op.files}
               if op.files else {json: answer})
    responses: dict[str, Any] = {"200": {"description": op.summary, "content": content}}
    for status in op.errors:
        responses[str(status)] = {"description": ERROR_TEXT[status], "content": {
            json: {"schema": {"$ref": "#/components/schemas/Error"}}}}
        if status in ERROR_HEADERS:
            responses[str(status)]["headers"] = ERROR_HEADERS[status]
    parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in op.path_parameters]
    if op.query is not None:
        parameters += _parameters(op.query)
    operation: dict[str, Any] = {"summary": op.summary, "operationId": path.strip("/")
                                 .replace("/", "_").replace("{", "").replace("}", "")
                                 .replace(".", "_"), "parameters": parameters,
                                 "responses": responses}
    if op.public:
        operation["security"] = []
    return {"get": operation}


def openapi_document(version: str = "1.0.0") -> dict:
    """The API described in OpenAPI 3.1, generated from the models above."""
    answers = {m for op in OPERATIONS.values() for m in op.answers} | {Error}
    _refs, schemas = models_json_schema(
        [(m, "serialization") for m in sorted(answers, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}")
    return {
        "openapi": "3.1.0",
        "info": {"title": "Agreed terms API", "version": version, "description":
                 "Read-only access to agreed renderings, for interpreters' apps and CAT "
                 "tools. Renderings are agreed by a facilitator and a mediator."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas["$defs"],
        },
        "paths": {path: _operation(path, op) for path, op in OPERATIONS.items()},
    }
