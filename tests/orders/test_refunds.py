"""Refunds: money given back, checked against what was received, the payment status derived."""

from __future__ import annotations

from decimal import Decimal

import pytest

from emporos.core.actor import Actor
from emporos.core.errors import ValidationFailed
from emporos.orders import services
from emporos.orders.errors import NothingToRefund, RefundIdempotencyKeyReused
from emporos.orders.models import Order, Refund
from emporos.orders.states import PaymentStatus, derive_refund_status
from emporos.outbox import selectors as outbox
from tests.conftest import timeline
from tests.orders.test_lifecycle import last_event, placed

pytestmark = pytest.mark.usefixtures("catalog")
SUPPORT = Actor.staff("eleni")


@pytest.mark.parametrize(
    ("paid", "refunded", "expected"),
    [
        ("43.30", "0", PaymentStatus.PAID),
        ("43.30", "0.01", PaymentStatus.PARTIALLY_REFUNDED),
        ("43.30", "43.29", PaymentStatus.PARTIALLY_REFUNDED),
        ("43.30", "43.30", PaymentStatus.REFUNDED),
    ],
    ids=["nothing-back", "a-cent-back", "all-but-a-cent", "everything-back"],
)
def test_the_payment_status_follows_from_the_amounts(paid: str, refunded: str, expected: PaymentStatus) -> None:
    assert derive_refund_status(amount_paid=Decimal(paid), amount_refunded=Decimal(refunded)) == expected


def test_a_partial_refund_then_the_rest_refunds_the_payment() -> None:
    order = placed()  # 43.30 EUR paid by card
    since = last_event()

    first = services.record_refund(
        order=order, amount=Decimal("10.00"), reason="goodwill", reference="CARD-R1", note="Late parcel", actor=SUPPORT
    )
    assert first.created
    assert (first.order.payment_status, first.order.amount_refunded) == ("partially_refunded", Decimal("10.00"))
    second = services.record_refund(order=first.order, amount=Decimal("33.30"), reason="returned_goods", actor=SUPPORT)

    stored = Order.objects.get(pk=order.pk)
    assert (stored.payment_status, stored.amount_paid, stored.amount_refunded) == (
        "refunded",
        Decimal("43.30"),
        Decimal("43.30"),
    )
    refunds = list(Refund.objects.filter(order=order).order_by("id").values_list("amount", "reason", "reference"))
    assert refunds == [(Decimal("10.00"), "goodwill", "CARD-R1"), (Decimal("33.30"), "returned_goods", "")]
    assert second.refund.actor == "staff:eleni"
    assert outbox.topics(since=since) == ["orders.refund_recorded", "orders.refund_recorded"]
    entries = timeline(order)[-2:]
    assert [(entry.text, entry.note) for entry in entries] == [
        (
            "Refund of €10.00 recorded (goodwill gesture, reference CARD-R1); the payment is now partly refunded.",
            "Late parcel",
        ),
        ("Refund of €33.30 recorded (goods returned); the payment is now refunded.", ""),
    ]


def test_the_timeline_entry_reads_in_the_readers_language() -> None:
    order = placed()
    services.record_refund(order=order, amount=Decimal("43.30"), reason="cancelled", actor=SUPPORT)

    english, greek = timeline(order)[-1], timeline(order, language="el")[-1]

    assert english.text == "Refund of €43.30 recorded (order cancelled); the payment is now refunded."
    assert "43,30" in greek.text  # Babel's Greek money; the words come from the catalog when translated


@pytest.mark.parametrize(
    ("amount", "code"),
    [("43.31", "too_much"), ("0", "invalid_amount"), ("-1", "invalid_amount"), ("1.001", "invalid_amount")],
    ids=["more-than-paid", "zero", "negative", "three-decimals"],
)
def test_a_bad_amount_is_refused_naming_the_amount_and_nothing_changes(amount: str, code: str) -> None:
    order = placed()
    since = last_event()

    with pytest.raises(ValidationFailed) as raised:
        services.record_refund(order=order, amount=Decimal(amount), reason="goodwill", actor=SUPPORT)

    assert [(e.field, e.code) for e in raised.value.errors] == [("amount", code)]
    stored = Order.objects.get(pk=order.pk)
    assert (stored.payment_status, stored.amount_refunded) == ("paid", Decimal("0.00"))
    assert Refund.objects.count() == 0
    assert outbox.topics(since=since) == []


def test_more_than_is_left_after_a_refund_is_refused_with_what_is_left() -> None:
    order = placed()
    services.record_refund(order=order, amount=Decimal("40.00"), reason="goodwill", actor=SUPPORT)

    with pytest.raises(ValidationFailed) as raised:
        services.record_refund(order=order, amount=Decimal("3.31"), reason="goodwill", actor=SUPPORT)

    assert raised.value.errors[0].message == (
        "At most 3.30 EUR can be refunded: 43.30 received, 40.00 given back already."
    )
    assert Order.objects.get(pk=order.pk).amount_refunded == Decimal("40.00")


def test_a_stale_copy_cannot_refund_twice_the_same_money() -> None:
    order = placed()
    stale = Order.objects.get(pk=order.pk)
    services.record_refund(order=order, amount=Decimal("43.30"), reason="cancelled", actor=SUPPORT)

    with pytest.raises(NothingToRefund, match="no money received left to give back"):
        services.record_refund(order=stale, amount=Decimal("43.30"), reason="cancelled", actor=SUPPORT)

    assert Refund.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "status"), [("bank_transfer", "pending"), ("card", "authorized")], ids=["unpaid", "authorised-only"]
)
def test_an_order_without_money_received_has_nothing_to_refund(method: str, status: str) -> None:
    order = placed(method=method, status=status)

    with pytest.raises(NothingToRefund):
        services.record_refund(order=order, amount=Decimal("1.00"), reason="goodwill", actor=SUPPORT)

    assert Refund.objects.count() == 0


def test_reason_reference_and_note_are_checked_together() -> None:
    order = placed()

    with pytest.raises(ValidationFailed) as raised:
        services.record_refund(
            order=order, amount=Decimal("1.00"), reason="whim", reference="x" * 101, note="a\x00b", actor=SUPPORT
        )

    assert sorted(e.field for e in raised.value.errors) == ["note", "reason", "reference"]
    assert Refund.objects.count() == 0


def test_the_same_key_returns_the_first_refund_and_another_request_with_it_is_refused() -> None:
    order = placed()
    kwargs = {"amount": Decimal("5.00"), "reason": "goodwill", "actor": SUPPORT, "idempotency_key": "k-1"}

    first = services.record_refund(order=order, fingerprint="a", **kwargs)  # type: ignore[arg-type]
    again = services.record_refund(order=order, fingerprint="a", **kwargs)  # type: ignore[arg-type]

    assert (first.created, again.created, again.refund.pk) == (True, False, first.refund.pk)
    assert Order.objects.get(pk=order.pk).amount_refunded == Decimal("5.00")
    with pytest.raises(RefundIdempotencyKeyReused):
        services.record_refund(order=order, fingerprint="b", **kwargs)  # type: ignore[arg-type]


def test_a_cancelled_paid_order_is_refunded_in_full() -> None:
    order = placed()
    services.cancel_order(order=order, reason="Out of stock", actor=SUPPORT)

    result = services.record_refund(order=order, amount=order.refundable, reason="cancelled", actor=SUPPORT)

    assert (result.order.status, result.order.payment_status) == ("cancelled", "refunded")
