"""The "order received" request: one per order and channel, never for a day-old order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.notifications.models import Message
from emporos.orders.services.intake import AddressDraft, CustomerDraft, LineDraft, OrderDraft, place_order
from emporos.outbox.relay import deliver_due

pytestmark = pytest.mark.usefixtures("catalog")
PLACED = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def place() -> None:
    draft = OrderDraft(
        channel="web",
        currency="EUR",
        customer=CustomerDraft(email="yael@example.co.il", name="יעל כהן", phone="+972531234567", language="he"),
        lines=[LineDraft(sku="TEA-100", quantity=1, unit_price=Decimal("19.90"))],
        payment_method="bit",
        payment_status="paid",
        total=Decimal("19.90"),
        shipping_address=AddressDraft(
            name="יעל כהן", line1="הרצל 1", city="תל אביב", postal_code="6100000", country="IL"
        ),
        placed_at=PLACED,
    )
    with clock.frozen_at(PLACED):
        place_order(draft=draft, actor=Actor.system("tests"))


@pytest.mark.parametrize("channels", [["email"], ["email", "sms"]], ids=["email", "email-and-sms"])
def test_one_message_per_channel_in_the_customers_language(settings: object, channels: list[str]) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "ORDER_RECEIVED_CHANNELS": channels}  # type: ignore[attr-defined]
    place()

    with clock.frozen_at(PLACED + dt.timedelta(minutes=1)):
        deliver_due(worker_id="test")

    requests = Message.objects.order_by("channel")
    assert [(r.channel, r.language, r.status) for r in requests] == [(c, "he", "sent") for c in sorted(channels)]


def test_a_day_late_it_is_recorded_as_skipped_not_sent() -> None:
    place()

    with clock.frozen_at(PLACED + dt.timedelta(days=2)):
        deliver_due(worker_id="test")

    assert list(Message.objects.values_list("status", flat=True)) == ["skipped"]
