"""Writes of the orders domain: intake (a new order, exactly once), lifecycle (confirm, verify,
hold, release, cancel, complete, notes, overdue) and payments. Each is one transaction with its
timeline entry and its event."""

from emporos.orders.services._write import about_order
from emporos.orders.services.intake import place_order
from emporos.orders.services.lifecycle import (
    add_note,
    cancel_order,
    complete_order,
    confirm_order,
    flag_overdue_orders,
    hold_order,
    release_order,
    start_processing,
    verify_order,
)
from emporos.orders.services.payments import record_outstanding_payment, record_payment

__all__ = [
    "about_order",
    "add_note",
    "cancel_order",
    "complete_order",
    "confirm_order",
    "flag_overdue_orders",
    "hold_order",
    "place_order",
    "record_outstanding_payment",
    "record_payment",
    "release_order",
    "start_processing",
    "verify_order",
]
