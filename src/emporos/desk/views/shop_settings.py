"""Filled in by its page's work; see desk/urls.py."""

from django.http import HttpRequest, HttpResponse


def settings_page(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
