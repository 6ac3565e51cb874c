"""The desk's middleware, skipped by requests that are not for the desk.

The API (`/api/`, its OpenAPI page included) and the e-mail provider's webhook (`/anymail/`)
authenticate every request themselves (an API key, the webhook secret) and show no messages, so a
session, the signed-in user, flash messages and htmx details are work with no effect for them.
Everything that shapes their answers still runs for every request: security headers, static
files, the language from Accept-Language (and its Content-Language and Vary headers),
CommonMiddleware, X-Frame-Options, the shop's time zone and the API's own problem answers.
Django's CSRF middleware stays as it is for every request: its views are exempt (one attribute
read) and `check --deploy` wants that very class in MIDDLEWARE.

Each class here is the Django (or django-htmx) middleware of the same name, skipped on those
paths; being subclasses, Django's and the admin's checks still find them in MIDDLEWARE.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest
from django_htmx.middleware import HtmxMiddleware

# Paths whose requests carry their own credentials and never show a desk page.
NOT_FOR_THE_DESK = ("/api/", "/anymail/")


def is_for_the_desk(request: HttpRequest) -> bool:
    """False for the API and the mail webhook; True for every page a person opens."""
    return not request.path_info.startswith(NOT_FOR_THE_DESK)


class DeskOnly:
    """Runs the middleware it is mixed into only for requests for the desk."""

    get_response: Callable[[HttpRequest], Any]

    def __call__(self, request: HttpRequest) -> Any:
        if not is_for_the_desk(request):
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]


class DeskSessionMiddleware(DeskOnly, SessionMiddleware):
    pass


class DeskAuthenticationMiddleware(DeskOnly, AuthenticationMiddleware):
    pass


class DeskMessageMiddleware(DeskOnly, MessageMiddleware):
    pass


class DeskHtmxMiddleware(DeskOnly, HtmxMiddleware):
    pass
