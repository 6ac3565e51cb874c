"""The signature on every request (docs/webhooks.md is the receiver's side).

`Emporos-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`: the key is
the endpoint's secret as UTF-8 bytes, the message the timestamp, a full stop and the exact body
bytes. Signing the time with the body lets a receiver refuse an old request played again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Emporos-Signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a label in front of each secret, not a secret
# A receiver refuses a request signed longer ago than this (the documented advice).
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """256 random bits, URL-safe, with a prefix that says what it is when found in a config file."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `"<timestamp>." + body` under `secret`."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret=secret, timestamp=timestamp, body=body)}"


def is_valid(*, secret: str, header: str, body: bytes, now: int, tolerance_seconds: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver checks: a `v1` that matches, signed no more than `tolerance_seconds` ago
    (or ahead). Emporos itself uses it in tests; docs/webhooks.md shows the same in a few lines."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance_seconds:
        return False
    expected = signature(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected, parts.get("v1", ""))
