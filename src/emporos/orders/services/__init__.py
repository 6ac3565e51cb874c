"""Writes of the orders domain: intake (a new order, exactly once), lifecycle (confirm, verify,
hold, release, cancel, complete, notes, overdue), payments and refunds. Each is one transaction with its
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
from emporos.orders.services.refunds import RefundResult, mark_bank_refunds_exported, record_refund
from emporos.orders.services.saved_views import delete_order_view, save_order_view
from emporos.orders.services.stock import (
    allocate_waiting,
    change_expected_date,
    mark_made,
    receive_stock,
    record_delivered,
    record_returned,
    release_preorders,
    ship_lines,
)

__all__ = [
    "RefundResult",
    "about_order",
    "add_note",
    "allocate_waiting",
    "cancel_order",
    "change_expected_date",
    "complete_order",
    "confirm_order",
    "delete_order_view",
    "flag_overdue_orders",
    "hold_order",
    "mark_bank_refunds_exported",
    "mark_made",
    "place_order",
    "receive_stock",
    "record_delivered",
    "record_outstanding_payment",
    "record_payment",
    "record_refund",
    "record_returned",
    "release_order",
    "release_preorders",
    "save_order_view",
    "ship_lines",
    "start_processing",
    "verify_order",
]
