"""A short per-process memory of active API keys, so a busy client's key is not read on every request.

A key found active is remembered by its hash for `TTL_SECONDS`; after that it is read again, so a
key revoked anywhere (another process, the CLI) is refused at most `TTL_SECONDS` later, and at once
in the process that revoked it (`forget`). Unknown and revoked keys are never remembered: a wrong
key is always read and refused. The remembered record is a frozen copy, and the caller checks its
scopes on every request.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from emporos.access.models import ApiKey

TTL_SECONDS = 5.0
# Enough for every key of a shop; past it, the expired entries go first, then all of them.
MAX_KEYS = 1024

# The clock of the cache: monotonic, so a change of the wall clock neither extends nor ends an
# entry. Tests replace it.
ticks = time.monotonic


@dataclass(frozen=True)
class ActiveKey:
    """What a request needs of an active API key."""

    name: str
    prefix: str
    scopes: frozenset[str]

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


_remembered: dict[str, tuple[float, ActiveKey]] = {}
_lock = threading.Lock()


def remembered(key_hash: str) -> ActiveKey | None:
    """The key remembered under `key_hash` if it was read less than TTL_SECONDS ago."""
    entry = _remembered.get(key_hash)
    if entry is None:
        return None
    expires_at, active = entry
    if ticks() >= expires_at:
        with _lock:
            if _remembered.get(key_hash) is entry:
                del _remembered[key_hash]
        return None
    return active


def remember(api_key: ApiKey) -> ActiveKey:
    """Remember an active key (just read from the database) for TTL_SECONDS."""
    active = ActiveKey(name=api_key.name, prefix=api_key.prefix, scopes=frozenset(api_key.scopes))
    now = ticks()
    with _lock:
        if len(_remembered) >= MAX_KEYS:
            for key_hash in [key_hash for key_hash, (expires_at, _) in _remembered.items() if now >= expires_at]:
                del _remembered[key_hash]
            if len(_remembered) >= MAX_KEYS:
                _remembered.clear()
        _remembered[api_key.key_hash] = (now + TTL_SECONDS, active)
    return active


def forget(key_hash: str) -> None:
    """Read the key again on its next use (it was revoked or changed in this process)."""
    with _lock:
        _remembered.pop(key_hash, None)


def forget_all() -> None:
    with _lock:
        _remembered.clear()
