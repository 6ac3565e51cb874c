"""What the support mailbox poller and the SMTP listener hand each message to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Accept(Protocol):
    """Store a raw message first, then process it; idempotent per Message-ID.

    Returning means the message is safe: only then is it marked read (IMAP) or answered 250 (SMTP).
    """

    def __call__(self, raw: bytes, *, source: str, recipients: Sequence[str] = ()) -> object: ...


def default_accept() -> Accept:
    """The support desk's own `emporos.support.inbound.accept`, imported only when a message comes."""
    from emporos.support.inbound import accept

    return accept
