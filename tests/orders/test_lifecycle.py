"""Services on a placed order: each writes its status compare-and-set, a timeline row and an event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import Conflict, TransitionNotAllowed, ValidationFailed
from emporos.inventory.models import StockLevel
from emporos.orders import services
from emporos.orders.models import Order
from emporos.orders.services.intake import AddressDraft, CustomerDraft, LineDraft, OrderDraft, place_order
from emporos.orders.states import FulfillmentStatus, derive_fulfillment_status, queue_rank
from emporos.outbox import selectors as outbox
from emporos.outbox.models import Event
from tests.conftest import timeline, timeline_kinds

pytestmark = pytest.mark.usefixtures("catalog")
ACTOR = Actor.staff("eleni")


def draft(
    *,
    quantity: int = 2,
    method: str = "card",
    status: str = "paid",
    shipping: str = "courier-standard",
    placed_at: dt.datetime | None = None,
) -> OrderDraft:
    return OrderDraft(
        channel="web",
        currency="EUR",
        customer=CustomerDraft(email="nikos@example.gr", name="Νίκος Γεωργίου", phone="+306944000000", language="el"),
        lines=[LineDraft(sku="TEA-100", quantity=quantity, unit_price=Decimal("19.90"))],
        payment_method=method,
        payment_status=status,
        total=Decimal("19.90") * quantity + Decimal("3.50"),
        shipping_price=Decimal("3.50"),
        shipping_address=AddressDraft(
            name="Νίκος", line1="Τσιμισκή 5", city="Θεσσαλονίκη", postal_code="54624", country="GR"
        ),
        shipping_method=shipping,
        placed_at=placed_at,
    )


def placed(**kwargs: object) -> Order:
    return place_order(draft=draft(**kwargs), actor=ACTOR).order  # type: ignore[arg-type]


def last_event() -> Event | None:
    return Event.objects.order_by("-id").first()


def reserved() -> int:
    return StockLevel.objects.get(variant__sku="TEA-100").reserved


def test_confirm_then_process_then_complete_ships_the_stock() -> None:
    order = placed()
    since = last_event()

    services.confirm_order(order=order, actor=ACTOR)
    services.start_processing(order=order, actor=ACTOR)
    services.complete_order(order=order, actor=ACTOR)

    order.refresh_from_db()
    assert (order.status, order.fulfillment_status) == ("completed", "shipped")
    level = StockLevel.objects.get(variant__sku="TEA-100")
    assert (level.on_hand, level.reserved) == (8, 0)
    assert outbox.topics(since=since) == [
        "orders.order_confirmed",
        "orders.order_processing_started",
        "orders.order_completed",
    ]
    assert timeline_kinds(order) == [
        "orders.order_placed",
        "orders.order_confirmed",
        "orders.order_processing_started",
        "orders.order_completed",
    ]


def test_cancel_releases_reserved_stock_and_says_why() -> None:
    order = placed()
    assert reserved() == 2
    since = last_event()

    services.cancel_order(order=order, reason="Customer changed their mind", actor=ACTOR)

    assert reserved() == 0
    assert order.lines.get().stock_state == "released"
    assert outbox.topics(since=since) == ["orders.order_cancelled"]
    last = timeline(order)[-1]
    assert (last.text, last.note) == (
        "Order cancelled. Stock released for 1 line. A refund of €43.30 is due.",
        "Customer changed their mind",
    )


def test_a_cancelled_order_cannot_be_confirmed_and_nothing_changes() -> None:
    order = placed()
    services.cancel_order(order=order, reason="Fraud suspected", actor=ACTOR)
    since = last_event()

    with pytest.raises(TransitionNotAllowed, match="cannot go from cancelled to confirmed"):
        services.confirm_order(order=order, actor=ACTOR)

    assert outbox.topics(since=since) == []


def test_a_stale_copy_cannot_overwrite_a_newer_status() -> None:
    order = placed()
    stale = Order.objects.get(pk=order.pk)
    services.cancel_order(order=order, reason="Out of business", actor=ACTOR)

    with pytest.raises(Conflict, match="changed by someone else"):
        services.confirm_order(order=stale, actor=ACTOR)

    assert Order.objects.get(pk=order.pk).status == "cancelled"


def test_hold_and_release_return_to_the_previous_status() -> None:
    order = placed()
    services.confirm_order(order=order, actor=ACTOR)

    services.hold_order(order=order, reason="Address unclear", actor=ACTOR)
    assert (order.status, order.held_from_status) == ("on_hold", "confirmed")
    services.release_order(order=order, actor=ACTOR)

    order.refresh_from_db()
    assert (order.status, order.hold_reason) == ("confirmed", "")


def test_hold_needs_a_reason() -> None:
    order = placed()

    with pytest.raises(ValidationFailed) as raised:
        services.hold_order(order=order, reason="  ", actor=ACTOR)

    assert [e.field for e in raised.value.errors] == ["reason"]
    assert Order.objects.get(pk=order.pk).status == "placed"


def test_verification_records_the_call_and_marks_the_order_verified() -> None:
    order = placed()

    services.verify_order(order=order, outcome="confirmed", note="Spoke to Nikos", actor=ACTOR)

    order.refresh_from_db()
    assert order.verified_at is not None
    verification = order.verifications.get()
    assert (verification.outcome, verification.note, verification.actor) == (
        "confirmed",
        "Spoke to Nikos",
        "staff:eleni",
    )
    last = timeline(order)[-1]
    assert (last.text, last.note) == ("Verification call: Customer confirmed the details.", "Spoke to Nikos")


def test_no_answer_is_recorded_but_does_not_verify() -> None:
    order = placed()

    services.verify_order(order=order, outcome="no_answer", note="", actor=ACTOR)

    order.refresh_from_db()
    assert order.verified_at is None
    assert order.verifications.count() == 1


def test_cash_on_delivery_is_pending_until_collected_then_paid() -> None:
    order = placed(method="cash_on_delivery", status="pending")
    assert order.queue_rank == queue_rank(is_overdue=False, is_express=False, ready_to_ship=True)

    services.record_payment(order=order, amount=Decimal("20.00"), reference="courier", actor=ACTOR)
    assert order.payment_status == "pending"
    services.record_payment(order=order, amount=Decimal("23.30"), reference="courier", actor=ACTOR)

    order.refresh_from_db()
    assert (order.payment_status, order.amount_paid) == ("paid", Decimal("43.30"))


def test_paying_more_than_outstanding_is_refused() -> None:
    order = placed(method="bank_transfer", status="pending")

    with pytest.raises(ValidationFailed) as raised:
        services.record_payment(order=order, amount=Decimal("50.00"), actor=ACTOR)

    assert raised.value.errors[0].field == "amount"
    assert Order.objects.get(pk=order.pk).amount_paid == 0


def test_overdue_orders_are_flagged_once_with_an_event() -> None:
    # Monday 2026-11-23 09:00 Athens: due after 4 working hours, at 13:00 Athens (11:00 UTC).
    monday_morning = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
    with clock.frozen_at(monday_morning):
        order = placed(placed_at=monday_morning)
    assert order.due_by == dt.datetime(2026, 11, 23, 11, 0, tzinfo=dt.UTC)
    since = last_event()

    with clock.frozen_at(dt.datetime(2026, 11, 23, 10, 59, tzinfo=dt.UTC)):
        assert services.flag_overdue_orders() == 0
    with clock.frozen_at(dt.datetime(2026, 11, 23, 11, 1, tzinfo=dt.UTC)):
        assert services.flag_overdue_orders() == 1
        assert services.flag_overdue_orders() == 0

    order.refresh_from_db()
    assert order.queue_rank == queue_rank(is_overdue=True, is_express=False, ready_to_ship=True)
    assert outbox.topics(since=since) == ["orders.order_overdue"]


def test_working_hours_skip_the_night_and_the_weekend() -> None:
    friday_evening = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC)  # 16:00 in Athens
    with clock.frozen_at(friday_evening):
        order = placed(placed_at=friday_evening)

    # One hour on Friday, three on Monday from 09:00 Athens: Monday 12:00 Athens, 10:00 UTC.
    assert order.due_by == dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("ordered", "shipped", "delivered", "returned", "expected"),
    [
        (12, 0, 0, 0, FulfillmentStatus.UNFULFILLED),
        (12, 7, 0, 0, FulfillmentStatus.PARTIALLY_SHIPPED),
        (12, 12, 0, 0, FulfillmentStatus.SHIPPED),
        (12, 12, 12, 0, FulfillmentStatus.DELIVERED),
        (12, 12, 12, 3, FulfillmentStatus.PARTIALLY_RETURNED),
        (12, 12, 12, 12, FulfillmentStatus.RETURNED),
    ],
    ids=["nothing-shipped", "partly-shipped", "all-shipped", "delivered", "partly-returned", "returned"],
)
def test_fulfillment_status_is_derived_from_counts(
    ordered: int, shipped: int, delivered: int, returned: int, expected: FulfillmentStatus
) -> None:
    assert (
        derive_fulfillment_status(ordered=ordered, shipped=shipped, delivered=delivered, returned=returned) == expected
    )


def test_an_order_still_waiting_for_stock_cannot_be_completed() -> None:
    waiting = OrderDraft(
        channel="web",
        currency="EUR",
        customer=CustomerDraft(email="nikos@example.gr", name="Νίκος"),
        lines=[LineDraft(sku="MUG-1", quantity=3, unit_price=Decimal("12.00"))],
        payment_method="card",
        payment_status="paid",
        total=Decimal("36.00"),
        shipping_address=AddressDraft(
            name="Νίκος", line1="Τσιμισκή 5", city="Θεσσαλονίκη", postal_code="54624", country="GR"
        ),
    )
    order = place_order(draft=waiting, actor=ACTOR).order
    services.confirm_order(order=order, actor=ACTOR)
    since = last_event()

    with pytest.raises(Conflict, match="still waits for MUG-1"):
        services.complete_order(order=order, actor=ACTOR)

    assert Order.objects.get(pk=order.pk).status == "confirmed"
    assert outbox.topics(since=since) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda order: services.hold_order(order=order, reason="Wait\x00", actor=ACTOR), "reason"),
        (lambda order: services.cancel_order(order=order, reason="Dup\u202elicate", actor=ACTOR), "reason"),
        (lambda order: services.add_note(order=order, text="Fragile\x07", actor=ACTOR), "text"),
        (
            lambda order: services.verify_order(order=order, outcome="confirmed", note="\u2066x", actor=ACTOR),
            "note",
        ),
        (
            lambda order: services.record_payment(order=order, amount=Decimal(1), reference="T\nR", actor=ACTOR),
            "reference",
        ),
    ],
    ids=["hold-nul", "cancel-bidi", "note-bell", "verify-isolate", "payment-reference-newline"],
)
def test_services_refuse_control_and_bidi_characters_whoever_calls_them(change: Any, field: str) -> None:
    """The rule holds below the API and the desk: a task or a command gets the same refusal."""
    order = placed(method="bank_transfer", status="pending")
    since = last_event()

    with pytest.raises(ValidationFailed) as refused:
        change(order)

    assert [error.field for error in refused.value.errors] == [field]
    assert outbox.topics(since=since) == []
    assert Order.objects.get(pk=order.pk).status == "placed"


def test_a_release_note_with_a_nul_is_refused_and_the_order_stays_held() -> None:
    order = placed()
    services.hold_order(order=order, reason="Waiting", actor=ACTOR)

    with pytest.raises(ValidationFailed):
        services.release_order(order=order, note="ok\x00", actor=ACTOR)

    assert Order.objects.get(pk=order.pk).status == "on_hold"
