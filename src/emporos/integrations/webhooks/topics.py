"""The topics an endpoint may subscribe to: the public facts a storefront acts on, in one place.

Each is an outbox topic, sent under the same name. `ping` is sent only when an owner asks for a
test request, whatever the endpoint subscribed to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from emporos.fulfillment.events import (
    DelayCaseClosed,
    DelayCaseOpened,
    ShipmentCreated,
    ShipmentTracked,
)
from emporos.orders.events import OrderCancelled, OrderCompleted, OrderConfirmed, OrderPlaced
from emporos.outbox.events import DomainEvent

PING = "ping"


@dataclass(frozen=True)
class Topic:
    event_class: type[DomainEvent]
    label: Promise

    @property
    def name(self) -> str:
        return self.event_class.topic


OFFERED: tuple[Topic, ...] = (
    Topic(OrderPlaced, _("An order was placed")),
    Topic(OrderConfirmed, _("An order was confirmed")),
    Topic(OrderCancelled, _("An order was cancelled")),
    Topic(OrderCompleted, _("An order was completed")),
    Topic(ShipmentCreated, _("A parcel was shipped (carrier and tracking number)")),
    Topic(ShipmentTracked, _("A parcel moved on (out for delivery, ready for pickup, delivered, a problem)")),
    Topic(DelayCaseOpened, _("A parcel will likely be late")),
    Topic(DelayCaseClosed, _("A delay was settled")),
)

OFFERED_NAMES: tuple[str, ...] = tuple(topic.name for topic in OFFERED)


def label_of(name: str) -> str:
    for topic in OFFERED:
        if topic.name == name:
            return str(topic.label)
    return name
