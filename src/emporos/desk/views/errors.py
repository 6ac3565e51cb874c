"""The answers Django gives on its own (a form sent without its safety token, a request it cannot
read, a page nobody may open, a failure of ours), in the desk's look and the reader's language.

The API answers with problem details instead (its own handlers, and `server_error` here for a
failure nobody caught).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _


def _page(
    request: HttpRequest, *, status: int, title: str, message: str, link_url: str, link_text: str
) -> HttpResponse:
    context = {"title": title, "message": message, "link_url": link_url, "link_text": link_text, "status": status}
    return render(request, "desk/error.html", context, status=status)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form was open too long (or signed out meanwhile); say how to go on."""
    return _page(
        request,
        status=403,
        title=_("This form has expired"),
        message=_(
            "The page was open for a long time, or you signed in or out in another tab, so it could not be "
            "sent safely. Nothing was changed. Open the page again and send the form once more."
        ),
        link_url=request.path,
        link_text=_("Open the page again"),
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        status=400,
        title=_("This request could not be read"),
        message=_(
            "The address or the form sent was damaged or too large. Nothing was changed. Start again from the queue."
        ),
        link_url=reverse("desk:queue"),
        link_text=_("Go to the queue"),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        status=403,
        title=_("Not allowed"),
        message=_("Your role cannot do this. Ask the shop owner if you need it."),
        link_url=reverse("desk:queue"),
        link_text=_("Back to the queue"),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """A failure of ours. The page asks the database for nothing (it may be the cause)."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "type": "about:blank",
                "title": "Server error",
                "status": 500,
                "detail": "Something went wrong on our side; nothing was changed. Try again in a moment.",
                "code": "server_error",
            },
            status=500,
            content_type="application/problem+json",
        )
    return HttpResponse(loader.get_template("500.html").render(), status=500)
