"""The hand-over interface: what Emporos sends a fulfillment service (3PL) and what it reads
back, and the registry of adapters by code (a location's `handover`).

An adapter is a pure translator, like a carrier adapter: it never touches the database. `send`
delivers one request (sending the same request again replaces it, so a retry is harmless);
`collect` returns the answers waiting, each tagged with its `source` (a file, a batch), and
`settle` is told, per source, whether its answers were applied or why not. A source's answers
are applied together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from emporos.core.errors import Conflict


@dataclass(frozen=True)
class HandoverLine:
    sku: str
    name: str
    quantity: int


@dataclass(frozen=True)
class ShipTo:
    name: str
    line1: str
    postal_code: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    company: str = ""
    line2: str = ""
    phone: str = ""
    pickup_point: str = ""  # a locker's or point's id, for locker methods


@dataclass(frozen=True)
class HandoverRequest:
    """One fulfillment order to ship. `request_id` is its public id: every answer names it."""

    request_id: str
    order_number: str  # "EM-10042"
    created_at: dt.datetime  # when the fulfillment order was formed, aware, UTC
    ship_to: ShipTo
    method: str  # the shop's shipping method code ("courier-standard", "boxnow-locker")
    lines: tuple[HandoverLine, ...]
    is_express: bool = False
    gift_wrap: bool = False
    gift_message: str = ""
    cash_on_delivery: Decimal | None = None  # what the courier collects, in `currency`
    currency: str = ""


class AnswerKind(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SHIPPED = "shipped"


@dataclass(frozen=True)
class HandoverAnswer:
    """What the 3PL said about a request. A shipped answer is one parcel: its tracking number
    and its lines (none: every unit of the request not shipped yet). `answer_id` names the
    answer in its source ("answers.csv:4") for reports."""

    request_id: str
    kind: AnswerKind
    source: str
    answer_id: str
    note: str = ""
    carrier: str = ""  # the 3PL's courier, as it names it ("ELTA Courier")
    tracking_number: str = ""
    lines: tuple[tuple[str, int], ...] = ()  # (SKU, quantity)


class HandoverAdapter(Protocol):
    code: str

    def send(self, request: HandoverRequest) -> None: ...

    def collect(self) -> list[HandoverAnswer]: ...

    def settle(self, source: str, problems: Sequence[str]) -> None:
        """Done with `source`: applied when `problems` is empty, else refused for them."""
        ...


class HandoverNotConfigured(Conflict):
    code = "handover_not_configured"


# A factory builds the adapter of one location, from its code and the settings in force.
_FACTORIES: dict[str, Callable[[str], HandoverAdapter]] = {}


def register(code: str, factory: Callable[[str], HandoverAdapter]) -> None:
    """Make a hand-over adapter known by its code (called from an app's ready())."""
    _FACTORIES[code] = factory


def known() -> list[str]:
    return sorted(_FACTORIES)


def adapter(code: str, *, location: str) -> HandoverAdapter:
    """The adapter `code` for the location coded `location`, built now (settings changed in
    tests are honoured)."""
    try:
        factory = _FACTORIES[code]
    except KeyError:
        raise HandoverNotConfigured(
            f"Location {location} hands over with {code!r}, which is unknown; use one of {', '.join(known()) or 'none'}."
        ) from None
    return factory(location)
