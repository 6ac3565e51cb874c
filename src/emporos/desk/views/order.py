"""Filled in by its page's work; see desk/urls.py."""

from django.http import HttpRequest, HttpResponse


def order_page(request: HttpRequest, number: str) -> HttpResponse:
    raise NotImplementedError


def order_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    raise NotImplementedError
