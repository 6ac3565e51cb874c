"""Who read an article, without knowing who they are: a random key in a signed cookie.

`visitor_key(request)` reads the key (or makes one, remembered on the request) and
`remember_visitor(request, response)` sets the cookie on the answer when the key is new. The key
is random, carries no personal data, and is HttpOnly and SameSite=Lax.
"""

from __future__ import annotations

import secrets

from django.core import signing
from django.http import HttpRequest
from django.http.response import HttpResponseBase

COOKIE = "emporos_visitor"
SALT = "emporos.help.visitor"
MAX_AGE_SECONDS = 365 * 24 * 3600
_NEW = "_emporos_new_visitor"


def visitor_key(request: HttpRequest) -> str:
    """The visitor's key from the signed cookie; a new random one when there is none (or it was tampered with)."""
    fresh = getattr(request, _NEW, None)
    if isinstance(fresh, str):
        return fresh
    try:
        stored = request.get_signed_cookie(COOKIE, salt=SALT)
    except (KeyError, signing.BadSignature):
        stored = ""
    if stored and len(stored) <= 64:
        return str(stored)
    key = secrets.token_urlsafe(24)
    setattr(request, _NEW, key)
    return key


def remember_visitor(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Set the cookie on `response` when this request made a new key; otherwise leave it alone."""
    fresh = getattr(request, _NEW, None)
    if isinstance(fresh, str):
        response.set_signed_cookie(
            COOKIE,
            fresh,
            salt=SALT,
            max_age=MAX_AGE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
