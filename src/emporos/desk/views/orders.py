"""Filled in by its page's work; see desk/urls.py."""

from django.http import HttpRequest, HttpResponse


def orders_page(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def bulk_action(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
