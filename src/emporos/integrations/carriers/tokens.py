"""OAuth2 client-credentials tokens, kept per process until shortly before they expire."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

# A token is renewed this long before the carrier says it expires, so it never dies in flight.
TOKEN_MARGIN = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class AccessToken:
    value: str
    expires_at: dt.datetime


class TokenCache:
    """Access tokens per API URL and client id, shared by every adapter one process builds, so a
    worker asks the carrier for a token about once an hour rather than once a label."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], AccessToken] = {}
        self._lock = threading.Lock()

    def valid(self, key: tuple[str, str], *, at: dt.datetime) -> str | None:
        with self._lock:
            token = self._tokens.get(key)
        return token.value if token is not None and at < token.expires_at - TOKEN_MARGIN else None

    def keep(self, key: tuple[str, str], token: AccessToken) -> None:
        with self._lock:
            self._tokens[key] = token

    def forget(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._tokens.pop(key, None)
