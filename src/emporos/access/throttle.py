"""Failed sign-in throttling: too many failures lock the account name (and the address) a while.

Counted in the database, so every server process sees the same counts. Every authentication
path goes through it: `access.backends.ThrottledModelBackend` is the only authentication backend,
so the desk sign-in, the admin sign-in and any `authenticate()` call obey the same rules (ADR 0009).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import unicodedata

from django.db import transaction
from django.http import HttpRequest

from emporos.access.models import SignInFailure
from emporos.core import clock
from emporos.core.config import setting
from emporos.core.text import text_problem

WINDOW = dt.timedelta(minutes=15)
LOCK = dt.timedelta(minutes=15)
MAX_PER_USER = 5
MAX_PER_ADDRESS = 20


# Where the authentication backend leaves, on the request, how long a refused sign-in stays locked,
# so the sign-in form can say so (authenticate() swallows the backend's PermissionDenied).
_LOCKED_ATTRIBUTE = "emporos_sign_in_locked_for"


def client_address(request: HttpRequest) -> str:
    """The browser's address: REMOTE_ADDR, or behind EMPOROS_PROXY_HOPS trusted proxies the entry
    of X-Forwarded-For that the outermost trusted proxy added (a client cannot forge that one)."""
    hops = int(setting("PROXY_HOPS"))
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


def mark_locked(request: HttpRequest | None, locked: dt.timedelta) -> None:
    if request is not None:
        setattr(request, _LOCKED_ATTRIBUTE, locked)


def refused_as_locked(request: HttpRequest | None) -> dt.timedelta | None:
    """How long the sign-in refused in this request stays locked, or None when it was not refused so."""
    return getattr(request, _LOCKED_ATTRIBUTE, None) if request is not None else None


def _user_key(username: str) -> str:
    # The same folding Django applies before authenticating (NFKC), then case-insensitive, so
    # look-alike spellings of one name ("ｅleni", "ELENI") share one counter.
    # Characters no account name can hold (NUL, which PostgreSQL refuses to store, and the other
    # controls) become U+FFFD, so a mangled name still counts, as one name.
    folded = unicodedata.normalize("NFKC", username).strip().casefold()
    return "user:" + "".join("\ufffd" if text_problem(char) else char for char in folded)[:150]


def _address_key(address: str) -> str:
    """One counter per IPv4 address, per /64 for IPv6 (one household or server holds a whole /64)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if parsed.version == 6:
        return f"ip:{ipaddress.ip_network(f'{parsed}/64', strict=False)}"
    return f"ip:{parsed}"


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    keys = [(_user_key(username), MAX_PER_USER)]
    if key := _address_key(address):
        keys.append((key, MAX_PER_ADDRESS))
    return keys


def locked_for(username: str, address: str) -> dt.timedelta | None:
    """How long sign-in stays refused for this name or address, or None when it is open."""
    now = clock.now()
    keys = [key for key, _ in _keys(username, address)]
    until = [
        row.locked_until
        for row in SignInFailure.objects.filter(key__in=keys, locked_until__gt=now).only("locked_until")
        if row.locked_until is not None
    ]
    return max(until) - now if until else None


def record_failure(username: str, address: str) -> None:
    now = clock.now()
    with transaction.atomic():
        for key, limit in _keys(username, address):
            SignInFailure.objects.bulk_create([SignInFailure(key=key, window_started_at=now)], ignore_conflicts=True)
            row = SignInFailure.objects.select_for_update().get(key=key)
            if now - row.window_started_at > WINDOW:
                row.failures, row.window_started_at, row.locked_until = 0, now, None
            row.failures += 1
            if row.failures >= limit:
                row.locked_until = now + LOCK
            row.save()


def record_success(username: str) -> None:
    """A sign-in (or a password reset through the e-mailed link) clears the name's failures."""
    SignInFailure.objects.filter(key=_user_key(username)).delete()
