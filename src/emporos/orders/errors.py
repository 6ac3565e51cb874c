"""Errors of the orders domain, each with a stable code an integrator can rely on."""

from __future__ import annotations

from emporos.core.errors import Conflict, NotFound


class OrderChangedMeanwhile(Conflict):
    """Someone else changed the order between reading and writing it (the compare-and-set missed)."""

    code = "order_changed_meanwhile"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


class DuplicateExternalReference(Conflict):
    code = "duplicate_external_reference"


class AlreadyPaid(Conflict):
    code = "already_paid"


class NotCollectedByTheShop(Conflict):
    code = "not_collected_by_the_shop"


class StillWaiting(Conflict):
    """Lines still wait for stock, a release date or making; the order cannot be completed yet."""

    code = "lines_still_waiting"


class NothingToVerify(Conflict):
    code = "nothing_to_verify"


class NotOnHold(Conflict):
    code = "not_on_hold"


class OrderCancelled(Conflict):
    code = "order_cancelled"


class OrderNotFound(NotFound):
    code = "order_not_found"


class CannotShip(Conflict):
    """Units that cannot be handed over: more than is left, still waiting, or an order not being handled."""

    code = "cannot_ship"

    def __init__(self, message: str, *, sku: str | None) -> None:
        super().__init__(message)
        self.sku = sku


class NothingToMake(Conflict):
    code = "nothing_to_make"


class SavedViewNotFound(NotFound):
    code = "saved_view_not_found"


class NothingToRefund(Conflict):
    """No money received is left to give back (unpaid, only authorised, voided or refunded already)."""

    code = "nothing_to_refund"


class RefundIdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
