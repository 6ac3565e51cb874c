"""Errors of the outbox, each with a stable code."""

from __future__ import annotations

from collections.abc import Callable

from emporos.core.errors import Conflict, NotFound


class EmitOutsideTransaction(RuntimeError):
    """`emit` ran in autocommit mode, where a crash could keep the state and lose the event.
    A programming error, never an input error: no code, never shown to a client."""


class DeliveryNotFound(NotFound):
    code = "delivery_not_found"


class DeliveryNotDead(Conflict):
    code = "delivery_not_dead"


class RecordedFailure(Exception):
    """A handler's failure that leaves a record behind (a call outside that went wrong, logged).

    The relay rolls the handler's own writes back, then calls `record()` in the delivery's
    transaction, so the record commits with the retry or the dead letter. Raise it only for
    failures worth retrying; `record` must only write, never call out.
    """

    def __init__(self, message: str, *, record: Callable[[], None]) -> None:
        super().__init__(message)
        self.record = record
