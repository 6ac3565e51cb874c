"""The API answers a method it does not take with a problem document, as it answers everything."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from emporos.api.problems import CONTENT_TYPE, problem


class MethodNotAllowedProblem:
    """Ninja answers a wrong method with a bare text 405; say it as RFC 9457 with the Allow header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith(CONTENT_TYPE)
        ):
            return response
        allowed = response.get("Allow", "")
        replaced = problem(
            405,
            "method_not_allowed",
            "Method not allowed",
            f"{request.method} is not taken here; use {allowed or 'another method'} (see /api/v1/docs).",
        )
        if allowed:
            replaced["Allow"] = allowed
        return replaced
