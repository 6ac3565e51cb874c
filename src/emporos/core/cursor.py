"""Opaque cursors for keyset pagination: a signed, URL-safe token of the last row's sort key."""

from __future__ import annotations

from django.core import signing

_SALT = "emporos.cursor"


class BadCursor(ValueError):
    pass


def encode(values: list[str | int]) -> str:
    return signing.dumps(values, salt=_SALT, compress=True)


def decode(token: str, *, size: int) -> list[str | int]:
    try:
        values = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise BadCursor("The cursor is not one this server gave out; start again without it.") from None
    if not isinstance(values, list) or len(values) != size:
        raise BadCursor("The cursor belongs to another listing; start again without it.")
    return values
