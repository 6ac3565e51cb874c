"""The OpenAPI document tells every answer an operation can give.

Django Ninja documents what each endpoint declares; the answers that come from the API as a whole
(authentication, the body's media type and size, malformed JSON, invalid parameters) are added
here from the shape of each operation, and every problem is documented under its own media type,
application/problem+json (RFC 9457).
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from emporos.api.problems import CONTENT_TYPE
from emporos.api.schemas import Problem
from emporos.core.text import SINGLE_LINE_PATTERN

_REF = "#/components/schemas/{model}"
_PROBLEM = {"$ref": _REF.format(model="Problem")}

DESCRIPTIONS = {
    400: "Bad request: malformed JSON, a key given twice in one object, a cursor this server did not give "
    "out, or a missing Idempotency-Key",
    401: "The API key is missing or invalid",
    403: "The API key lacks this operation's scope",
    404: "Not found",
    409: "Conflict with the current state",
    413: "The body is over 1 MB",
    415: "The body is not sent as application/json",
    422: "Invalid input: `errors` names each field, with a stable code and how to fix it",
}

# Headers an operation cannot do without. They are optional to the parser only so that their
# absence is answered with the API's own problem (400) rather than a generic one.
REQUIRED_HEADERS = {
    "Idempotency-Key": {
        "description": "A key you choose for this order (a UUID) and send again with every retry of it: "
        "the same key and body return the stored order, another body with the key is refused (409).",
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": SINGLE_LINE_PATTERN},
    }
}


class DocumentedAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists every problem response of every operation."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        problem = Problem.model_json_schema(ref_template=_REF)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        for methods in schema["paths"].values():
            for operation in methods.values():
                document_problems(operation)
        return schema


def document_problems(operation: dict[str, Any]) -> None:
    """Add the problem responses the operation's shape implies; serve problems as problem+json."""
    parameters = operation.get("parameters", [])
    statuses = set()
    if operation.get("security"):
        statuses |= {401, 403}
    if "requestBody" in operation:
        statuses |= {400, 413, 415, 422}
    if parameters:
        statuses.add(422)
    for parameter in parameters:
        if parameter["in"] == "path":
            statuses.add(404)
        if parameter["name"] == "cursor":
            statuses.add(400)
        if parameter["in"] == "header" and parameter["name"] in REQUIRED_HEADERS:
            parameter.update(REQUIRED_HEADERS[parameter["name"]], required=True)
            statuses.add(400)
    responses = operation["responses"]
    for status in sorted(statuses):
        if status not in responses and str(status) not in responses:
            responses[status] = {"description": DESCRIPTIONS[status], "content": {CONTENT_TYPE: {"schema": _PROBLEM}}}
    for status, response in responses.items():
        content = response.get("content", {})
        if any(media.get("schema") == _PROBLEM for media in content.values()):
            response["description"] = DESCRIPTIONS.get(int(status), response.get("description", ""))
            response["content"] = {CONTENT_TYPE: {"schema": _PROBLEM}}
