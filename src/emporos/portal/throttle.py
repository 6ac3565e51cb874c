"""The order lookup's rate limit: a few wrong (number, e-mail) pairs per client address and per
order number in a window, then a pause, so no order can be found by trying.

Counted in the database (the sign-in throttle's table, `access.SignInFailure`, with keys of its
own), so every server process sees the same counts.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math

from django.db import transaction

from emporos.access.models import SignInFailure
from emporos.core import clock
from emporos.orders.numbers import parse_number

WINDOW = dt.timedelta(minutes=15)
LOCK = dt.timedelta(minutes=15)
MAX_TRIES = 5


def _keys(*, address: str, number: str) -> list[str]:
    keys = []
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parsed = None
    if parsed is not None:
        # One counter per IPv4 address, per /64 for IPv6 (a household holds a whole /64).
        network = ipaddress.ip_network(f"{parsed}/64", strict=False) if parsed.version == 6 else parsed
        keys.append(f"lookup-ip:{network}")
    order_number = parse_number(number)
    if order_number is not None:
        keys.append(f"lookup-order:{order_number}")
    return keys


def locked_for(*, address: str, number: str) -> dt.timedelta | None:
    """How long lookups stay refused for this address or order number, or None when open."""
    now = clock.now()
    until = [
        row.locked_until
        for row in SignInFailure.objects.filter(key__in=_keys(address=address, number=number), locked_until__gt=now)
        if row.locked_until is not None
    ]
    return max(until) - now if until else None


def record_failure(*, address: str, number: str) -> None:
    """Count one wrong pair; the MAX_TRIES-th within WINDOW locks the address and the number for LOCK."""
    now = clock.now()
    with transaction.atomic():
        for key in _keys(address=address, number=number):
            SignInFailure.objects.bulk_create([SignInFailure(key=key, window_started_at=now)], ignore_conflicts=True)
            row = SignInFailure.objects.select_for_update().get(key=key)
            if now - row.window_started_at > WINDOW:
                row.failures, row.window_started_at, row.locked_until = 0, now, None
            row.failures += 1
            if row.failures >= MAX_TRIES:
                row.locked_until = now + LOCK
            row.save()


def minutes(wait: dt.timedelta) -> int:
    """A wait in whole minutes, rounded up (never 0)."""
    return max(math.ceil(wait.total_seconds() / 60), 1)


# --- messages to the shop --------------------------------------------------------------------------

# Sent messages per client address in a window: a person writes a few, a script writes hundreds.
SUBMISSION_WINDOW = dt.timedelta(minutes=15)
SUBMISSION_LIMITS = {"contact": 5, "chat": 40}


def _address_key(kind: str, address: str) -> str | None:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    network = ipaddress.ip_network(f"{parsed}/64", strict=False) if parsed.version == 6 else parsed
    return f"{kind}-ip:{network}"


def submissions_locked_for(*, kind: str, address: str) -> dt.timedelta | None:
    """How long this address may send no more `kind` ("contact" or "chat") messages, or None."""
    key = _address_key(kind, address)
    now = clock.now()
    row = SignInFailure.objects.filter(key=key, locked_until__gt=now).first() if key else None
    return row.locked_until - now if row is not None and row.locked_until is not None else None


def record_submission(*, kind: str, address: str) -> None:
    """Count one message sent; the last one allowed within SUBMISSION_WINDOW locks the address
    until the window ends."""
    key = _address_key(kind, address)
    if key is None:
        return
    now = clock.now()
    with transaction.atomic():
        SignInFailure.objects.bulk_create([SignInFailure(key=key, window_started_at=now)], ignore_conflicts=True)
        row = SignInFailure.objects.select_for_update().get(key=key)
        if now - row.window_started_at > SUBMISSION_WINDOW:
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= SUBMISSION_LIMITS[kind]:
            row.locked_until = row.window_started_at + SUBMISSION_WINDOW
        row.save()
