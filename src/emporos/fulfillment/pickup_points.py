"""Moving an order to another locker or pickup point, while that is still the shop's to decide.

Before the first label the point is only a fact of the order: it changes, and the label bought
later names the new point. Once a parcel has a label, the label and the carrier's system name the
old point, and the carriers we integrate offer no API to move a parcel; the customer can move it
in the carrier's app. So the change is refused then, with that said.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import Conflict, ErrorCollector
from emporos.core.text import check_text
from emporos.fulfillment import events
from emporos.fulfillment.models import Shipment, ShipmentStatus
from emporos.orders.models import Order
from emporos.orders.services import about_order
from emporos.orders.states import OrderStatus
from emporos.shipping.models import Method, MethodKind
from emporos.timeline import services as timeline

POINT_KINDS = (MethodKind.LOCKER, MethodKind.PICKUP)


class NotAPickupOrder(Conflict):
    code = "not_a_pickup_order"


class ParcelAlreadyLabelled(Conflict):
    code = "parcel_already_labelled"


def goes_to_a_point(order: Order) -> bool:
    """Whether the order is delivered to a locker or pickup point (its method's kind, or a point
    on its address for methods no longer in the catalog)."""
    if (order.shipping_address or {}).get("pickup_point"):
        return True
    return Method.objects.filter(code=order.shipping_method, kind__in=POINT_KINDS).exists()


def may_change(order: Order) -> bool:
    """Whether the desk should offer the change at all."""
    return (
        order.status not in {OrderStatus.CANCELLED, OrderStatus.COMPLETED}
        and goes_to_a_point(order)
        and not Shipment.objects.filter(order=order).exclude(status=ShipmentStatus.CANCELLED).exists()
    )


def change_pickup_point(*, order: Order, point: str, actor: Actor, note: str = "") -> Order:
    """Send `order` to the pickup point `point` (the carrier's id of the locker or store)."""
    cleaned = point.strip()
    errors = ErrorCollector()
    if not cleaned:
        errors.add("point", "required", _("Enter the id of the locker or pickup point, as the carrier writes it."))
    else:
        check_text(errors, "point", cleaned, max_length=100, multiline=False)
    check_text(errors, "note", note.strip(), max_length=500)
    errors.raise_if_any()
    with transaction.atomic():
        # Shipment creation locks the order too, so a label is never bought for the point left behind.
        order = Order.objects.select_for_update().get(pk=order.pk)
        parcel = Shipment.objects.filter(order=order).exclude(status=ShipmentStatus.CANCELLED).first()
        if parcel is not None:
            raise ParcelAlreadyLabelled(
                _(
                    "Parcel %(parcel)s already has its label, so the carrier now decides where it waits. "
                    "The customer can move it to another point in the carrier's app."
                )
                % {"parcel": parcel.reference}
            )
        if order.status in {OrderStatus.CANCELLED, OrderStatus.COMPLETED}:
            raise Conflict(
                _("Order %(number)s is cancelled or completed; its pickup point no longer changes.")
                % {"number": order.display_number}
            )
        if not goes_to_a_point(order):
            raise NotAPickupOrder(
                _("Order %(number)s goes to an address, not to a locker or pickup point.")
                % {"number": order.display_number}
            )
        address = dict(order.shipping_address or {})
        previous = str(address.get("pickup_point", ""))
        if previous == cleaned:
            errors.add("point", "unchanged", _("The order already goes to this point."))
            errors.raise_if_any()
        address["pickup_point"] = cleaned
        Order.objects.filter(pk=order.pk).update(shipping_address=address, updated_at=clock.now())
        order.shipping_address = address
        timeline.record(
            event=events.PickupPointChanged(order_id=order.pk, previous=previous, point=cleaned),
            about=about_order(order),
            actor=actor,
            facts={"number": order.display_number, "previous": previous, "point": cleaned, "note": note.strip()},
        )
    return order
