"""The desk's "there is no such ..." answer: one page, a way to search, a way back."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
