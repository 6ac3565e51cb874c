"""Carriers Emporos answers itself: manual (the shop types the carrier's tracking number and
prints Emporos's own label) and demo (behaves like a real carrier for `make demo`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Mapping, Sequence

from emporos.core import clock
from emporos.fulfillment.carriers import (
    Label,
    LabelRequest,
    PolledParcel,
    RateQuote,
    RateRequest,
    TrackingStatus,
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
        raise WebhookRejected(f"The {self.code} carrier sends no webhooks; post its events to /api/v1/tracking/events.")


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

    def poll(self, parcels: Sequence[PolledParcel]) -> list[TrackingUpdate]:
        """The events of each parcel's journey that are due by now (the core clock)."""
        now = clock.now()
        return [update for parcel in parcels for update in journey(parcel) if update.occurred_at <= now]


S = TrackingStatus
_DEPOTS = ("Αθήνα", "Θεσσαλονίκη", "Πάτρα", "Ηράκλειο", "Λάρισα", "Βόλος", "Ιωάννινα", "Kraków", "Warszawa")
_COURIER = {
    "normal": 0.62,  # picked up, sorted, out for delivery and delivered the next working day
    "slow": 0.12,  # three to four days without a scan between the hubs
    "exception": 0.10,  # the address needed checking for two days, then delivered
    "failed_attempt": 0.13,  # nobody at home; delivered on the second attempt the next day
    "lost": 0.03,  # no scan after the depot, ever: the shop has to chase it
}
_LOCKER = {"normal": 0.85, "slow": 0.10, "exception": 0.05}


def journey_kind(parcel: PolledParcel) -> str:
    """Which of the demo's journeys this parcel takes (stable per tracking number)."""
    draw = _rng(parcel.tracking_number).random()
    shares = _LOCKER if _is_pickup(parcel) else _COURIER
    for kind, share in shares.items():
        draw -= share
        if draw < 0:
            return kind
    return "normal"


def journey(parcel: PolledParcel) -> list[TrackingUpdate]:
    """The whole journey of a demo parcel, deterministic per tracking number, timed from when it left."""
    rng = _rng(parcel.tracking_number)
    rng.random()  # the draw journey_kind made
    kind = journey_kind(parcel)
    depot = rng.choice(_DEPOTS)
    steps: list[tuple[S, float, str, str]] = [
        (S.PICKED_UP, rng.uniform(1.5, 4), "Picked up from the sender", "Αθήνα"),
        (S.IN_TRANSIT, rng.uniform(5, 7), "Arrived at the sorting centre", "Ασπρόπυργος"),
        (S.IN_TRANSIT, rng.uniform(12, 15), "Left the sorting centre", "Ασπρόπυργος"),
    ]
    gap = rng.uniform(70, 90) if kind == "slow" else 0.0
    arrive = 19 + gap + rng.uniform(0, 2)
    steps.append((S.IN_TRANSIT, arrive, "Arrived at the delivery depot", depot))
    if kind == "lost":
        return _updates(parcel, rng, steps)
    if kind == "exception":
        steps += [
            (S.EXCEPTION, arrive + 3, "Address incomplete: the courier could not find the street number", depot),
            (S.IN_TRANSIT, arrive + 50, "Address confirmed with the recipient", depot),
        ]
        arrive += 50
    if _is_pickup(parcel):
        point = "store" if parcel.service == "pickup" else "locker"
        steps.append((S.AVAILABLE_FOR_PICKUP, arrive + rng.uniform(2, 4), f"Placed in the {point}", depot))
        steps.append((S.DELIVERED, arrive + rng.uniform(6, 60), f"Collected from the {point}", depot))
    else:
        steps.append((S.OUT_FOR_DELIVERY, arrive + rng.uniform(4, 6), "Out for delivery with the courier", depot))
        if kind == "failed_attempt":
            steps += [
                (S.DELIVERY_ATTEMPTED, arrive + 9, "Recipient not at home; a notice was left", depot),
                (S.OUT_FOR_DELIVERY, arrive + 29, "Second delivery attempt", depot),
            ]
            arrive += 24
        steps.append((S.DELIVERED, arrive + rng.uniform(7, 11), "Delivered to the recipient", depot))
    return _updates(parcel, rng, steps)


def _updates(parcel: PolledParcel, rng: random.Random, steps: list[tuple[S, float, str, str]]) -> list[TrackingUpdate]:
    code = f"{rng.randint(0, 999999):06d}"
    updates = []
    for index, (status, hours, description, location) in enumerate(steps, start=1):
        moment = (parcel.shipped_at + dt.timedelta(hours=hours)).replace(microsecond=0)
        pickup = status == S.AVAILABLE_FOR_PICKUP
        updates.append(
            TrackingUpdate(
                event_id=f"{parcel.tracking_number}-{index}",
                tracking_number=parcel.tracking_number,
                status=status,
                occurred_at=moment,
                location=location,
                description=description,
                raw={"code": f"DX{index:02d}", "status": str(status), "text": description},
                pickup_code=code if pickup else "",
                pickup_until=(moment + dt.timedelta(days=3)).date() if pickup else None,
            )
        )
    return updates


def _rng(tracking_number: str) -> random.Random:
    return random.Random(int(hashlib.sha256(tracking_number.encode()).hexdigest()[:12], 16))  # noqa: S311


def _is_pickup(parcel: PolledParcel) -> bool:
    return parcel.service in {"locker", "pickup"}
