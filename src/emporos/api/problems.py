"""Errors as RFC 9457 problem details, with a stable `code` and the failing fields."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from emporos.api.parser import DuplicateKey, UnsupportedMediaType
from emporos.core.cursor import BadCursor
from emporos.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from emporos.inventory.errors import InsufficientStock

CONTENT_TYPE = "application/problem+json"


def _printable(value: str) -> str:
    """The text with anything UTF-8 cannot carry (a lone surrogate from a JSON escape) replaced."""
    return value.encode("utf-8", "replace").decode("utf-8")


def problem(
    status: int, code: str, title: str, detail: str, *, errors: list[dict[str, str]] | None = None, **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"https://emporos.dev/problems/{code.replace('_', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    # Readable Greek and Hebrew; anything UTF-8 cannot carry (a lone surrogate echoed) is replaced.
    content = json.dumps(body, ensure_ascii=False, cls=DjangoJSONEncoder).encode("utf-8", "replace")
    return HttpResponse(content, status=status, content_type=CONTENT_TYPE)


def field_problem(status: int, code: str, title: str, *, field: str, message: str) -> HttpResponse:
    """A problem about one field, e.g. a missing header or an out-of-range query parameter."""
    return problem(status, code, title, message, errors=[{"field": field, "code": code, "message": message}])


def _field_path(loc: list[Any] | tuple[Any, ...]) -> str:
    # Ninja prefixes the source ("body", "query") and the parameter name; the client knows neither.
    parts = [_printable(str(part)) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
        if parts and parts[0] in {"payload", "filters", "data"}:
            parts = parts[1:]
    return ".".join(parts) or "body"


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "This field is not part of the API; remove it (see /api/v1/docs)."
    if kind == "missing":
        return "This field is required."
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return "Give a whole number (a JSON number without quotes, e.g. 3)."
    if kind == "bool_type":
        return "Give true or false (without quotes)."
    return _printable(str(error.get("msg", "Invalid value.")))


def install(api: NinjaAPI) -> None:
    """Map every error an endpoint can meet to a problem response."""

    @api.exception_handler(ValidationError)
    def invalid_shape(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {
                "field": _field_path(error.get("loc", ())),
                "code": error.get("type", "invalid"),
                "message": _pydantic_message(error),
            }
            for error in exc.errors
        ]
        summary = "; ".join(f"{error['field']}: {error['message']}" for error in errors)
        return problem(422, "validation_failed", "The request has invalid fields", summary, errors=errors)

    @api.exception_handler(ValidationFailed)
    def invalid_values(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
        errors = [{"field": e.field, "code": e.code, "message": e.message} for e in exc.errors]
        return problem(422, exc.code, "The request has invalid fields", exc.message, errors=errors)

    @api.exception_handler(InsufficientStock)
    def out_of_stock(request: HttpRequest, exc: InsufficientStock) -> HttpResponse:
        shortage = exc.shortage
        return problem(
            409,
            exc.code,
            "Not enough stock",
            exc.message,
            errors=[{"field": "lines", "code": exc.code, "message": exc.message}],
            sku=shortage.sku,
            requested=shortage.requested,
            available=shortage.available,
        )

    @api.exception_handler(NotFound)
    def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return problem(404, exc.code, "Not found", exc.message)

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return problem(409, exc.code, "Conflict with the current state", exc.message)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return problem(422, exc.code, "The request cannot be carried out", exc.message)

    @api.exception_handler(BadCursor)
    def bad_cursor(request: HttpRequest, exc: BadCursor) -> HttpResponse:
        errors = [{"field": "cursor", "code": "bad_cursor", "message": str(exc)}]
        return problem(400, "bad_cursor", "Bad cursor", str(exc), errors=errors)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem(413, "body_too_large", "Request body too large", "The request body is over 1 MB; send less.")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(
            401,
            "unauthenticated",
            "API key missing or invalid",
            "Send a valid API key as 'Authorization: Bearer emp_...'; create one with 'emporos apikey create'.",
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(AuthorizationError)
    def forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return problem(403, "missing_scope", "Not allowed for this API key", str(exc.message))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if message.startswith("Cannot parse request body"):
            return _unreadable_body(exc.__cause__)
        return problem(exc.status_code, "http_error", message, message)


def _unreadable_body(cause: BaseException | None) -> HttpResponse:
    if isinstance(cause, UnsupportedMediaType):
        detail = f"The body is sent as {cause}; send JSON with the header Content-Type: application/json."
        return field_problem(
            415, "unsupported_media_type", "Unsupported media type", field="Content-Type", message=detail
        )
    if isinstance(cause, DuplicateKey):
        detail = f"{_printable(str(cause))} Send each key once."
        return field_problem(400, "duplicate_key", "Duplicate key", field=_printable(cause.key), message=detail)
    detail = "The body is not valid JSON; send a JSON object with Content-Type: application/json."
    return field_problem(400, "malformed_json", "Malformed JSON", field="body", message=detail)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under the API that names no operation (see /api/v1/docs for those that exist)."""
    return problem(404, "not_found", "Not found", "There is no such API path; see /api/v1/docs for the API's paths.")
