"""Filled in by its page's work; see desk/urls.py."""

from django.http import HttpRequest, HttpResponse


def inventory_page(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def sku_page(request: HttpRequest, sku: str) -> HttpResponse:
    raise NotImplementedError
