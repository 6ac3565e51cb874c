"""Dates and times on staff pages are shown in the shop's time zone."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from emporos.shop import selectors as shop


class ShopTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(shop.time_zone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
