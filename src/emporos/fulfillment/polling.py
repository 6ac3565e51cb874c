"""Asking carriers that do not push their events (those with `poll`): every parcel still on its
way, a batch at a time (`EMPOROS_TRACKING_POLL_BATCH`), each answer through `record_tracking`."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from emporos.core.actor import Actor
from emporos.core.config import setting
from emporos.core.errors import DomainError
from emporos.fulfillment import carriers
from emporos.fulfillment.carriers import PolledParcel
from emporos.fulfillment.models import Shipment
from emporos.fulfillment.tracking import SETTLED, record_tracking

log = logging.getLogger(__name__)


@dataclass
class Polled:
    parcels: int = 0
    accepted: int = 0
    failed_carriers: int = 0


def poll_carriers(*, actor: Actor, codes: list[str] | None = None) -> Polled:
    """Ask each polling carrier (or those in `codes`) about its parcels not settled yet. The carrier
    is asked outside any transaction; a carrier that fails is logged and the others still run."""
    result = Polled()
    for code in codes or carriers.known():
        try:
            adapter = carriers.carrier(code)
        except DomainError:
            continue
        if not carriers.polls(adapter):
            continue
        rows = list(
            Shipment.objects.filter(carrier=code)
            .exclude(status__in=SETTLED)
            .exclude(tracking_number="")
            .order_by("pk")
            .values_list("tracking_number", "created_at", "carrier_service", "carrier_reference")
        )
        size = max(int(setting("TRACKING_POLL_BATCH")), 1)
        for start in range(0, len(rows), size):
            batch = [
                PolledParcel(tracking_number=number, shipped_at=at, service=service, carrier_reference=reference)
                for number, at, service, reference in rows[start : start + size]
            ]
            try:
                updates = adapter.poll(batch)  # type: ignore[attr-defined]
            except DomainError:
                log.exception("Polling carrier %s failed", code)
                result.failed_carriers += 1
                break
            result.parcels += len(batch)
            result.accepted += record_tracking(carrier=code, updates=updates, actor=actor).accepted
    return result
