"""Errors of the returns domain, each with a stable code an integrator can rely on."""

from __future__ import annotations

from emporos.core.errors import Conflict, NotFound


class ReturnNotFound(NotFound):
    code = "return_not_found"


class ReturnIdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


class ReturnNotOpen(Conflict):
    """The return was received, rejected or cancelled already: it cannot take this step."""

    code = "return_not_open"


class ReceivedDifferently(Conflict):
    """The return was received already with other quantities or conditions than this request says."""

    code = "received_differently"


class NothingToRefund(Conflict):
    code = "nothing_to_refund"


class WrongResolution(Conflict):
    """The step belongs to another resolution (an exchange step for a refund, store credit for an exchange)."""

    code = "wrong_resolution"


class ReturnNotReceived(Conflict):
    """The step waits for the returned goods: the return is not received yet."""

    code = "return_not_received"
