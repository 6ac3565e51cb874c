"""Errors of the fulfillment domain, each with a stable code."""

from __future__ import annotations

from emporos.core.errors import Conflict, NotFound


class NotHeld(Conflict):
    code = "not_held"


class NoSuchShipment(NotFound):
    code = "shipment_not_found"


class ShipmentIdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


class DownloadUnavailable(Conflict):
    """The link expired, its downloads are used up, or it was never valid."""

    code = "download_unavailable"


class NothingToPrint(Conflict):
    code = "nothing_to_print"


class NoSuchPackaging(NotFound):
    code = "packaging_not_found"


class NoSuchWave(NotFound):
    code = "wave_not_found"
