"""Filled in by its page's work; see desk/urls.py."""

from uuid import UUID

from django.http import HttpRequest, HttpResponse


def customer_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    raise NotImplementedError
