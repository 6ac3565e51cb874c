"""Support's domain errors, each with a stable code."""

from __future__ import annotations

from emporos.core.errors import Conflict


class TicketIdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


class TicketAlreadyOpened(Conflict):
    """Another request with the same source (an Idempotency-Key, a case) opened the ticket first."""

    code = "ticket_already_opened"
