"""The desk's "there is no such ..." answer (one page, a way to search, a way back), and the way an
address that only takes a post answers a visit."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render

View = TypeVar("View", bound=Callable[..., HttpResponse])


def not_found(
    request: HttpRequest,
    *,
    section: str,
    title: str,
    message: str,
    link_url: str,
    link_text: str,
    search_url: str = "",
    search_label: str = "",
    search_value: str = "",
) -> HttpResponse:
    context = {
        "section": section,
        "title": title,
        "message": message,
        "link_url": link_url,
        "link_text": link_text,
        "search_url": search_url,
        "search_label": search_label,
        "search_value": search_value,
    }
    return render(request, "desk/not_found.html", context, status=404)


def post_only(back: Callable[..., str]) -> Callable[[View], View]:
    """For an address that only takes a post: a visit (a reload, a language switch, a bookmark)
    is led to the page the form lives on, `back(request, **the address's arguments)`, never a
    bare "method not allowed"."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in {"GET", "HEAD"}:
                return HttpResponseRedirect(back(request, *args, **kwargs), status=303)
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return cast(View, guarded)

    return decorate
