"""The one authentication backend: Django's model backend behind the failed sign-in throttle.

Being the backend (not a form) means every path that calls `authenticate()` is throttled: the
desk sign-in, the Django admin sign-in, the test client and anything added later (ADR 0009).
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from emporos.access import throttle


class ThrottledModelBackend(ModelBackend):
    """Refuses a locked name or address before checking the password; counts each failure."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = throttle.client_address(request) if request is not None else ""
        locked = throttle.locked_for(username, address)
        if locked is not None:
            throttle.mark_locked(request, locked)
            # Stops authenticate() at once: no later backend may let a locked name in.
            raise PermissionDenied("Too many failed sign-ins for this name or address.")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.record_failure(username, address)
        else:
            throttle.record_success(username)
        return user

    async def aauthenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        return await sync_to_async(self.authenticate)(request, username=username, password=password, **kwargs)
