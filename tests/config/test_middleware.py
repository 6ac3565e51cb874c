"""The API and the mail webhook skip the desk's middleware; their answers keep every header."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from emporos.config import middleware

DESK_ONLY = [
    middleware.DeskSessionMiddleware,
    middleware.DeskAuthenticationMiddleware,
    middleware.DeskMessageMiddleware,
    middleware.DeskHtmxMiddleware,
]
# What each leaves on a request it handles.
MARK = {
    middleware.DeskSessionMiddleware: "session",
    middleware.DeskAuthenticationMiddleware: "user",
    middleware.DeskMessageMiddleware: "_messages",
    middleware.DeskHtmxMiddleware: "htmx",
}


def attributes_seen(middleware_class: type, path: str) -> set[str]:
    """Which of the marks the view saw on the request, behind every desk-only middleware up to this one."""
    seen: set[str] = set()

    def view(request: HttpRequest) -> HttpResponse:
        seen.update(mark for mark in MARK.values() if hasattr(request, mark))
        return HttpResponse("ok")

    handler = view
    chain = DESK_ONLY[: DESK_ONLY.index(middleware_class) + 1]
    for each in reversed(chain):
        handler = each(handler)
    handler(RequestFactory().get(path))
    return seen & {MARK[each] for each in chain}


@pytest.mark.parametrize("middleware_class", DESK_ONLY, ids=lambda each: each.__name__)
@pytest.mark.parametrize("path", ["/api/v1/orders", "/api/v1/docs", "/anymail/postmark/inbound/"])
def test_requests_not_for_the_desk_skip_it(middleware_class: type, path: str) -> None:
    assert attributes_seen(middleware_class, path) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("middleware_class", DESK_ONLY, ids=lambda each: each.__name__)
@pytest.mark.parametrize("path", ["/", "/orders/", "/admin/", "/status/abc/", "/apis"])
def test_desk_and_customer_pages_still_get_it(middleware_class: type, path: str) -> None:
    chain = DESK_ONLY[: DESK_ONLY.index(middleware_class) + 1]
    assert attributes_seen(middleware_class, path) == {MARK[each] for each in chain}


SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Vary": "Accept-Language",
}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("get", "/api/v1/orders/queue", 401), ("put", "/api/v1/orders/queue", 405), ("get", "/api/nothing", 404)],
    ids=["unauthenticated", "method", "not-found"],
)
def test_api_answers_keep_their_headers_and_set_no_cookie_for_a_signed_in_person(
    owner: Client, method: str, path: str, status: int
) -> None:
    response = getattr(owner, method)(path, headers={"Accept-Language": "el"})

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert {name: response.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert response["Content-Language"] == "el"
    assert "Set-Cookie" not in response
    assert not response.cookies


@pytest.mark.django_db
def test_the_api_docs_page_opens_without_a_session() -> None:
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content
    assert not response.cookies
