"""The error half of the API's contract, added to the OpenAPI document that django-ninja draws
from the typed operations.

Every operation can meet some errors whatever it does: a database briefly away (503), a body that
is not JSON (400) or too large (413), parameters of the wrong shape (422), a missing token (401).
Writing them by hand on fifty operations would drift; they are derived here from what the
operation takes (path parameters, a body, a security requirement), and every error answer is
documented with the media type the platform really sends: application/problem+json (RFC 9457).
"""

from copy import deepcopy
from http import HTTPStatus

from egov.core.problems import MEDIA_TYPE

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
BODY_METHODS = {"post", "put", "patch"}
# The platform refuses a NUL character anywhere in a request (PostgreSQL cannot store it): said
# in the schema, on every free text, so that a client knows it before it is told 400 or 422.
NO_NUL = "^[^\\x00]*$"


def _problem(status: int, headers: dict | None = None) -> dict:
    answer: dict = {
        "description": HTTPStatus(status).phrase,
        "content": {MEDIA_TYPE: {"schema": PROBLEM_REF}},
    }
    if headers:
        answer["headers"] = headers
    return answer


def _errors_an_operation_can_meet(method: str, path: str, operation: dict) -> dict[int, dict]:
    errors: dict[int, dict] = {503: _problem(503, RETRY_AFTER)}
    parameters = operation.get("parameters", [])
    body = operation.get("requestBody")
    if parameters or body:
        # 422: a value of the wrong shape; 400: an address or body the platform refuses to read
        # at all (a NUL character, a broken upload, a body that is not JSON).
        errors[422] = _problem(422)
        errors[400] = _problem(400)
    if "{" in path:
        errors[404] = _problem(404)
    if body or method in BODY_METHODS:
        errors[400] = _problem(400)
        errors[413] = _problem(413)
    if body and "multipart/form-data" in body.get("content", {}):
        errors[415] = _problem(415)
    security = operation.get("security")
    if security and {} not in security:
        errors[401] = _problem(401)
    return errors


def _without_nul(node) -> None:
    """Adds the pattern to every free-text string schema below ``node``."""
    if isinstance(node, dict):
        free_text = (
            node.get("type") == "string"
            and not {"format", "enum", "pattern", "const"} & node.keys()
        )
        if free_text:
            node["pattern"] = NO_NUL
        for value in node.values():
            _without_nul(value)
    elif isinstance(node, list):
        for value in node:
            _without_nul(value)


def complete(schema: dict) -> dict:
    """The OpenAPI document with every error answer an operation can give, as problem+json,
    and the platform-wide refusal of NUL characters in its text fields."""
    schema = deepcopy(schema)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            # django-ninja keys the responses by int, JSON by str: one kind, to sort them.
            responses = {
                str(code): answer for code, answer in operation.get("responses", {}).items()
            }
            for code, answer in list(responses.items()):
                content = answer.get("content", {})
                if int(code) >= 400 and "application/json" in content:
                    content[MEDIA_TYPE] = content.pop("application/json")
            # An operation of another party's protocol (a gateway's notice) takes whatever it
            # is sent and says what was wrong in its own answer.
            # (Its own copy: django-ninja shares one dict between a component and the
            # parameters drawn from it.)
            for part in ("parameters", "requestBody"):
                if part in operation:
                    operation[part] = deepcopy(operation[part])
                    if not operation.get("x-answers-every-request"):
                        _without_nul(operation[part])
            for status, answer in _errors_an_operation_can_meet(method, path, operation).items():
                responses.setdefault(str(status), answer)
            responses["503"].setdefault("headers", RETRY_AFTER)
            operation["responses"] = dict(sorted(responses.items()))
    answers = {"Problem", "FieldError"}  # what the platform says, not what it is sent
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        if name not in answers:
            _without_nul(component)
    return schema
