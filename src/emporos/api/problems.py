"""Errors as RFC 9457 problem details, with a stable `code` and the failing fields."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from emporos.core.cursor import BadCursor
from emporos.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from emporos.inventory.errors import InsufficientStock

CONTENT_TYPE = "application/problem+json"


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
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE, json_dumps_params={"ensure_ascii": False})


def field_problem(status: int, code: str, title: str, *, field: str, message: str) -> HttpResponse:
    """A problem about one field, e.g. a missing header or an out-of-range query parameter."""
    return problem(status, code, title, message, errors=[{"field": field, "code": code, "message": message}])


def _field_path(loc: list[Any] | tuple[Any, ...]) -> str:
    # Ninja prefixes the source ("body", "query") and the parameter name; the client knows neither.
    parts = [str(part) for part in loc]
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
    return str(error.get("msg", "Invalid value."))


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
            detail = "The body is not valid JSON; send a JSON object with Content-Type: application/json."
            return field_problem(400, "malformed_json", "Malformed JSON", field="body", message=detail)
        return problem(exc.status_code, "http_error", message, message)
