"""The JSON API against its own OpenAPI document (issue #19): the document is generated
from the response models (glossary/api_schema.py), and schemathesis sends generated
requests to every operation and fails on any answer the document does not allow (an
undocumented status, field, type or header, or a server error).

Bounded for CI: a fixed number of examples per operation, derandomized (the same
requests every run), no example database.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError
from schemathesis import checks
from test_tbx import agree

from glossary import api_schema
from glossary.api_tokens import issue_token
from glossary.canonical import term_record
from glossary.models import Term

EXAMPLES = 30
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance,
          checks.response_headers_conformance]


@pytest.fixture
def api(app, db, make_person, make_concept):
    """An app with agreed concepts in several scripts and a token; the per-token limit
    raised so that generated requests are not refused as too many."""
    app.config["API_MAX_PER_MINUTE"] = app.config["API_MAX_PER_ADDRESS_PER_MINUTE"] = 10**6
    anna = make_person("anna", "facilitator")
    samir = make_person("samir", "mediator", "ar,ti")
    consent = make_concept("consent", key="consent",
                           ar={"text": "الموافقة", "back_translation": "approval"},
                           ti="ፍቓድ", uk="згода", fa_AF="رضایت")
    make_concept("anger", key="anger", domain="emotions", ar="الغضب")
    agree(db, consent, "ar", anna, samir)
    agree(db, consent, "ti", anna, samir)
    _row, token = issue_token(db, person=samir, label="schemathesis", by=None)
    return {"Authorization": f"Bearer {token}"}


def test_the_document_is_generated_from_the_models(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert set(schemas) >= {"AgreedGlossary", "SessionPack", "ConceptDetail", "SearchResults",
                            "Term", "Error"}
    # The term record's fields are those canonical.term_record writes, no more, no less.
    # (the explanation is written only when set, so the model has it as optional).
    # (the explanation and recordings are written only when set: optional in the model;
    # the agreed glossary adds links to the recordings).
    assert set(schemas["Term"]["properties"]) == set(term_record(Term(
        concept_id=1, language="ar", text="x", version=1, explanation="y",
        audio={"wording": "a" * 64}))) | {"audio_urls", "explanation_audio_urls"}
    assert "explanation" not in schemas["Term"]["required"]
    assert schemas["Term"]["additionalProperties"] is False
    search = document["paths"]["/search"]["get"]
    q = next(p for p in search["parameters"] if p["name"] == "q")
    assert q["required"] and q["schema"]["maxLength"] == api_schema.SEARCH_MAX_LENGTH
    glossary = document["paths"]["/glossary"]["get"]["responses"]["200"]
    assert glossary["content"]["application/json"]["schema"]["oneOf"] == [
        {"$ref": "#/components/schemas/AgreedGlossary"},
        {"$ref": "#/components/schemas/SessionPack"}]
    assert "Retry-After" in document["paths"]["/search"]["get"]["responses"]["429"]["headers"]


def test_an_answer_that_breaks_its_model_is_refused():
    good = {"q": "x", "results": [{"key": "consent", "source": "consent", "language": "en",
                                   "text": "consent", "field": "term", "match": "exact",
                                   "score": 100.0}]}
    assert api_schema.checked(api_schema.SearchResults, good) is good
    for broken in ({**good, "extra": 1},
                   {"q": "x", "results": [{**good["results"][0], "match": "guess"}]},
                   {"q": "x", "results": [{**good["results"][0], "score": "high"}]}):
        with pytest.raises(ValidationError):
            api_schema.checked(api_schema.SearchResults, broken)


def test_every_operation_answers_as_its_document_says(app, api):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every operation but the document itself (schemathesis leaves that one out).
    assert {op.path for op in operations} == set(api_schema.OPERATIONS) - {"/openapi.json"}
    seen: dict[str, set[int]] = {}

    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def conforms(case):
            response = case.call_and_validate(headers=api, checks=CHECKS)
            seen.setdefault(case.path, set()).add(response.status_code)

        conforms()
    # The generated requests reached real answers, not only refusals.
    assert 200 in seen["/search"] and 200 in seen["/glossary"]
    assert 400 in seen["/glossary"] and 404 in seen["/concepts/{key}"]
