"""The carrier interface: what Emporos asks of a carrier, and the registry of adapters.

An adapter turns these calls into a carrier's API (BOX NOW, InPost ShipX: `emporos.integrations`)
or answers them itself (manual, demo). Adapters are pure translators: they never touch the
database; the fulfillment services store what they answer. Each is built by a factory from the
environment (`EMPOROS_<CARRIER>_*`), so tests and the demo never need credentials, and a live
client without credentials refuses with CarrierNotConfigured instead of calling out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from emporos.core.errors import Conflict, DomainError


class TrackingStatus(StrEnum):
    """Every carrier's statuses map onto these (the next issue's tracking events use them)."""

    LABEL_CREATED = "label_created"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERY_ATTEMPTED = "delivery_attempted"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"


@dataclass(frozen=True)
class PostalAddress:
    name: str
    line1: str
    postal_code: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    line2: str = ""
    phone: str = ""  # E.164 when known
    email: str = ""
    company: str = ""


@dataclass(frozen=True)
class Parcel:
    weight_grams: int
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0


@dataclass(frozen=True)
class RateRequest:
    service: str  # the carrier's service code as the shipping method names it ("locker", "courier"...)
    sender: PostalAddress
    recipient: PostalAddress
    parcel: Parcel
    currency: str


@dataclass(frozen=True)
class RateQuote:
    service: str
    price: Decimal
    currency: str
    transit_days_min: int | None = None
    transit_days_max: int | None = None


@dataclass(frozen=True)
class LabelRequest:
    """One parcel to label. `reference` is what the shop prints and searches by (the order
    number and the parcel's place, "EM-10042/2"); `idempotency_key` is the shipment's uuid, sent
    where the carrier takes one so a retried request never buys two labels."""

    reference: str
    idempotency_key: str
    service: str
    sender: PostalAddress
    recipient: PostalAddress
    parcel: Parcel
    pickup_point: str = ""  # a locker's or point's id, for locker services
    cash_on_delivery: Decimal | None = None  # the amount the carrier collects, in `currency`
    currency: str = "EUR"
    signature_required: bool = False
    presence_required: bool = False
    tracking_number: str = ""  # manual carrier: typed by staff; others ignore it
    description: str = ""  # contents, for the carrier's records
    declared_value: Decimal | None = None  # the contents' value in `currency` (invoice value, insurance)
    label_format: str = "pdf"  # "pdf" or "zpl" (a thermal printer), for carriers that print labels


@dataclass(frozen=True)
class Label:
    tracking_number: str
    carrier_reference: str = ""  # the carrier's own id of the shipment (to cancel, to fetch again)
    pdf: bytes | None = None  # the carrier's label, when it supplies one; else Emporos prints its own
    zpl: str | None = None
    tracking_url: str = ""


@dataclass(frozen=True)
class TrackingUpdate:
    """One carrier event, normalised; `raw` keeps the carrier's own words."""

    event_id: str
    tracking_number: str
    status: TrackingStatus
    occurred_at: dt.datetime
    location: str = ""
    description: str = ""
    raw: Mapping[str, object] = field(default_factory=dict)
    carrier_reference: str = ""  # the carrier's own id of the shipment, when the event names it
    pickup_code: str = ""  # available_for_pickup at a locker or store: the code that opens it
    pickup_until: dt.date | None = None  # ...and the last day the parcel waits there


@dataclass(frozen=True)
class PolledParcel:
    """A parcel Emporos asks a polling carrier about: its number, when it left and how."""

    tracking_number: str
    shipped_at: dt.datetime
    service: str = ""
    carrier_reference: str = ""


class CarrierError(DomainError):
    """The carrier refused or failed; the message says what it said and what to do."""

    code = "carrier_error"
    # Whether the same call may succeed later unchanged (the carrier was down or silent).
    retryable = False


class CarrierUnavailable(CarrierError):
    """The carrier failed on its side (5xx) or did not answer: asking again later may succeed."""

    retryable = True


class CarrierNotConfigured(Conflict):
    code = "carrier_not_configured"


class WebhookRejected(DomainError):
    """A webhook that is not the carrier's shape (or not signed right: WebhookSignatureInvalid)."""

    code = "webhook_rejected"


class WebhookSignatureInvalid(WebhookRejected):
    """A webhook whose signature or shared secret does not verify: not sent by the carrier."""

    code = "webhook_signature_invalid"


class Carrier(Protocol):
    code: str
    name: str
    # Whether the carrier supplies labels (False: Emporos prints its own 4x6 label).
    prints_labels: bool

    def rates(self, request: RateRequest) -> list[RateQuote]: ...

    def create_label(self, request: LabelRequest) -> Label: ...

    def cancel_label(self, *, tracking_number: str, carrier_reference: str) -> None: ...

    def tracking_url(self, tracking_number: str) -> str: ...

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[TrackingUpdate]: ...


class PollingCarrier(Carrier, Protocol):
    """A carrier that does not push its events: Emporos asks it every few minutes (the
    fulfillment.poll_carriers job). An adapter implements `poll` only when it is one."""

    def poll(self, parcels: Sequence[PolledParcel]) -> list[TrackingUpdate]:
        """Every event known for these parcels (replays are harmless: each is stored once)."""
        ...


class ReturningCarrier(Carrier, Protocol):
    """A carrier that sells prepaid return labels: the customer sends the parcel back to the shop.
    An adapter implements `create_return_label` only when its API offers returns."""

    def create_return_label(self, request: LabelRequest) -> Label:
        """A label from `request.sender` (the customer) to `request.recipient` (the shop);
        `reference` is the return's number and `idempotency_key` the return's public id."""
        ...


def supports_returns(adapter: Carrier) -> bool:
    """Whether the carrier's own prepaid return label can be bought (else Emporos prints its own)."""
    return callable(getattr(adapter, "create_return_label", None))


def polls(adapter: Carrier) -> bool:
    """Whether Emporos must ask this carrier for events (it has `poll`) rather than wait for them."""
    return callable(getattr(adapter, "poll", None))


_FACTORIES: dict[str, Callable[[], Carrier]] = {}


def register(code: str, factory: Callable[[], Carrier]) -> None:
    """Make a carrier known by its code (called from an app's ready())."""
    _FACTORIES[code] = factory


def known() -> list[str]:
    return sorted(_FACTORIES)


def carrier(code: str) -> Carrier:
    """The adapter for `code`, built now (so settings changed in tests are honoured)."""
    try:
        factory = _FACTORIES[code]
    except KeyError:
        raise CarrierNotConfigured(f"Unknown carrier {code!r}; use one of {', '.join(known()) or 'none'}.") from None
    return factory()
