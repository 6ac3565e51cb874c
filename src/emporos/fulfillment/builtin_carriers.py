"""Carriers Emporos answers itself: manual (the shop types the carrier's tracking number and
prints Emporos's own label) and demo (behaves like a real carrier for `make demo`)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from emporos.fulfillment.carriers import (
    Label,
    LabelRequest,
    RateQuote,
    RateRequest,
    TrackingUpdate,
    WebhookRejected,
)


class ManualCarrier:
    code = "manual"
    name = "Manual"
    prints_labels = False

    def rates(self, request: RateRequest) -> list[RateQuote]:
        return []  # the shop's own price tables answer quotes

    def create_label(self, request: LabelRequest) -> Label:
        return Label(tracking_number=request.tracking_number.strip())

    def cancel_label(self, *, tracking_number: str, carrier_reference: str) -> None:
        return None  # nothing was bought

    def tracking_url(self, tracking_number: str) -> str:
        return ""

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[TrackingUpdate]:
        raise WebhookRejected("The manual carrier sends no webhooks; post events to /api/v1/tracking/events.")


class DemoCarrier(ManualCarrier):
    """Numbers like a courier's ("DM" and 10 digits, stable per parcel), a public-looking
    tracking page, and labels printed by Emporos."""

    code = "demo"
    name = "Demo Express"

    def create_label(self, request: LabelRequest) -> Label:
        digest = hashlib.sha256(request.idempotency_key.encode()).hexdigest()
        number = "DM" + str(int(digest[:12], 16))[:10].rjust(10, "0")
        return Label(tracking_number=number, carrier_reference=request.idempotency_key)

    def tracking_url(self, tracking_number: str) -> str:
        return f"https://track.example.com/{tracking_number}"
