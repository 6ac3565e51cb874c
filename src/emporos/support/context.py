"""What the desk shows beside a conversation: the customer with every address and number, their
orders, parcels, returns, the messages the shop sent them, and their earlier tickets (C6)."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.customers.models import ContactKind, ContactPoint, Customer
from emporos.fulfillment.models import Shipment
from emporos.notifications.models import Message as SentMessage
from emporos.orders.models import Order
from emporos.returns.models import Return
from emporos.support import macros
from emporos.support.models import Ticket

ORDERS_SHOWN = 10
MESSAGES_SHOWN = 15
TICKETS_SHOWN = 10


@dataclass(frozen=True)
class ParcelRow:
    shipment: Shipment
    tracking_link: str


@dataclass(frozen=True)
class CustomerContext:
    customer: Customer
    emails: list[str]
    phones: list[str]
    orders: list[Order]
    parcels: list[ParcelRow]
    returns: list[Return]
    messages: list[SentMessage]
    tickets: list[Ticket]


def _contacts(customer: Customer, kind: str, first: str) -> list[str]:
    values = [first] if first else []
    for value in (
        ContactPoint.objects.filter(customer=customer, kind=kind).order_by("created_at").values_list("value", flat=True)
    ):
        if value not in values:
            values.append(value)
    return values


def of_ticket(ticket: Ticket) -> CustomerContext:
    customer = ticket.customer
    orders = list(Order.objects.filter(customer=customer).order_by("-placed_at")[:ORDERS_SHOWN])
    order_ids = [order.pk for order in orders]
    if ticket.order_id is not None and ticket.order_id not in order_ids:
        order_ids.append(ticket.order_id)
    shipments = Shipment.objects.filter(order_id__in=order_ids).select_related("order").order_by("-created_at")
    return CustomerContext(
        customer=customer,
        emails=_contacts(customer, ContactKind.EMAIL, customer.email),
        phones=_contacts(customer, ContactKind.PHONE, customer.phone),
        orders=orders,
        parcels=[ParcelRow(shipment, macros.tracking_link(shipment)) for shipment in shipments],
        returns=list(
            Return.objects.filter(order__customer=customer).select_related("order", "refund").order_by("-created_at")
        ),
        messages=list(SentMessage.objects.filter(customer=customer).order_by("-created_at")[:MESSAGES_SHOWN]),
        tickets=list(
            Ticket.objects.filter(customer=customer).exclude(pk=ticket.pk).order_by("-created_at")[:TICKETS_SHOWN]
        ),
    )
