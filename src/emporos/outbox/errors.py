"""Errors of the outbox, each with a stable code."""

from __future__ import annotations

from emporos.core.errors import Conflict, NotFound


class EmitOutsideTransaction(RuntimeError):
    """`emit` ran in autocommit mode, where a crash could keep the state and lose the event.
    A programming error, never an input error: no code, never shown to a client."""


class DeliveryNotFound(NotFound):
    code = "delivery_not_found"


class DeliveryNotDead(Conflict):
    code = "delivery_not_dead"
