"""The satisfaction check after delivery (L7): scheduled when the order's last parcel arrives, the
question queued only when the outbox delivers its due event (delivery + the shop's delay), one
check per order, the answer recorded by a service with its event, the report's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ValidationFailed
from emporos.feedback import selectors, services
from emporos.feedback.errors import AnswerClosed
from emporos.feedback.models import SatisfactionCheck
from emporos.fulfillment.carriers import TrackingStatus, TrackingUpdate
from emporos.fulfillment.models import Shipment
from emporos.fulfillment.tracking import record_tracking
from emporos.notifications.models import Channel, Kind, Message, MessageStatus
from emporos.outbox.models import Delivery
from tests.conftest import place
from tests.feedback.conftest import (
    DUE,
    asked,
    delivered_with_check,
    last_event_id,
    order_of,
    payloads,
    topics_since,
)
from tests.fulfillment.conftest import confirm, drain, ship
from tests.returns.conftest import CARRIER, DELIVERED, THURSDAY, delivered

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
CUSTOMER = Actor.customer("Μαρία Παπαδοπούλου", customer_id=1)


def satisfaction_messages() -> list[tuple[str, str, str]]:
    return list(Message.objects.filter(kind=Kind.SATISFACTION_CHECK).values_list("kind", "channel", "status"))


def test_the_check_is_scheduled_at_delivery_and_asked_only_when_its_delay_is_over(api: Client) -> None:
    check = delivered_with_check(api)

    assert (check.delivered_at, check.due_at, check.asked_at, check.score) == (DELIVERED, DUE, None, None)
    assert payloads("feedback.satisfaction_check_scheduled") == [
        {"check_id": check.pk, "order_id": check.order_id, "due_at": "2026-12-05T10:00:00+00:00"}
    ]
    due = Delivery.objects.get(handler="feedback.ask_satisfaction")
    assert (due.event.topic, due.due_at) == ("feedback.satisfaction_check_due", DUE)
    assert selectors.state_of(check) == selectors.CheckState.WAITING

    with clock.frozen_at(DUE - dt.timedelta(minutes=1)):
        drain()
    assert satisfaction_messages() == []

    check = asked(check)
    assert satisfaction_messages() == [(Kind.SATISFACTION_CHECK, Channel.EMAIL, MessageStatus.SENT)]
    assert check.asked_at == DUE
    assert selectors.state_of(check) == selectors.CheckState.ASKED


def test_the_delay_is_the_shops_setting(api: Client, settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "SATISFACTION_DELAY_HOURS": 3}

    check = delivered_with_check(api)

    assert check.due_at == DELIVERED + dt.timedelta(hours=3)
    assert Delivery.objects.get(handler="feedback.ask_satisfaction").due_at == DELIVERED + dt.timedelta(hours=3)


def test_switched_off_no_check_is_made(api: Client, settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "SATISFACTION_CHECKS": False}
    number = delivered(api)

    with clock.frozen_at(DELIVERED):
        drain()

    assert not SatisfactionCheck.objects.filter(order=order_of(number)).exists()
    assert payloads("feedback.satisfaction_check_scheduled") == []


def test_a_parcel_on_its_way_is_no_delivery(api: Client) -> None:
    with clock.frozen_at(THURSDAY):
        number = place(api)
        drain()
        confirm(number)
        assert ship(api, number).status_code == 201
    parcel = Shipment.objects.get(order=order_of(number))
    with clock.frozen_at(DELIVERED):
        record_tracking(
            carrier=parcel.carrier,
            updates=[
                TrackingUpdate(
                    event_id="ofd",
                    tracking_number=parcel.tracking_number,
                    status=TrackingStatus.OUT_FOR_DELIVERY,
                    occurred_at=DELIVERED,
                )
            ],
            actor=CARRIER,
        )
        drain()

    assert SatisfactionCheck.objects.count() == 0


def test_one_check_per_order_whatever_repeats(api: Client) -> None:
    check = delivered_with_check(api)
    before = last_event_id()

    again = services.schedule_check(order=check.order, delivered_at=DELIVERED, actor=Actor.system())

    assert again is None
    assert SatisfactionCheck.objects.filter(order=check.order).count() == 1
    assert topics_since(before) == []


def test_the_question_is_queued_once_even_when_the_due_event_comes_twice(api: Client) -> None:
    check = asked(delivered_with_check(api))
    first_asked = check.asked_at

    with clock.frozen_at(DUE + dt.timedelta(hours=1)):
        services.ask_check(check=check, event_uuid=Delivery.objects.get(handler="feedback.ask_satisfaction").event.uuid)

    check.refresh_from_db()
    assert check.asked_at == first_asked
    assert len(satisfaction_messages()) == 1


def test_a_question_days_late_is_skipped_not_sent(api: Client) -> None:
    check = delivered_with_check(api)

    with clock.frozen_at(DUE + dt.timedelta(days=4)):
        drain()

    check.refresh_from_db()
    assert satisfaction_messages() == [(Kind.SATISFACTION_CHECK, Channel.EMAIL, MessageStatus.SKIPPED)]
    assert check.asked_at is None
    with clock.frozen_at(DUE + dt.timedelta(days=4)):
        assert selectors.state_of(check) == selectors.CheckState.NOT_ASKED


def test_a_bad_answer_emits_its_event_with_the_exact_payload(api: Client) -> None:
    check = asked(delivered_with_check(api))
    before = last_event_id()

    with clock.frozen_at(DUE + dt.timedelta(hours=2)):
        services.answer_check(check=check, score=2, comment="  Το κουτί ήρθε σκισμένο.  ", actor=CUSTOMER)

    check.refresh_from_db()
    assert (check.score, check.comment, check.answer_channel) == (2, "Το κουτί ήρθε σκισμένο.", "portal")
    assert check.is_bad is True
    assert topics_since(before) == ["feedback.satisfaction_answered"]
    assert payloads("feedback.satisfaction_answered") == [
        {
            "check_id": check.pk,
            "order_id": check.order_id,
            "customer_id": check.customer_id,
            "score": 2,
            "is_bad": True,
            "has_comment": True,
            "is_change": False,
        }
    ]


@pytest.mark.parametrize(("score", "is_bad"), [(1, True), (2, True), (3, False), (5, False)], ids=str)
def test_bad_is_a_score_of_two_or_less(api: Client, score: int, is_bad: bool) -> None:
    check = asked(delivered_with_check(api))

    with clock.frozen_at(DUE):
        services.answer_check(check=check, score=score, comment="", actor=CUSTOMER)

    (payload,) = payloads("feedback.satisfaction_answered")
    assert (payload["score"], payload["is_bad"], payload["has_comment"]) == (score, is_bad, False)


def test_the_answer_can_be_changed_for_seven_days_then_it_stands(api: Client) -> None:
    check = asked(delivered_with_check(api))
    with clock.frozen_at(DUE):
        services.answer_check(check=check, score=5, comment="", actor=CUSTOMER)
    with clock.frozen_at(DUE + dt.timedelta(days=6)):
        services.answer_check(check=check, score=1, comment="Broke after a week.", actor=CUSTOMER)

    with clock.frozen_at(DUE + dt.timedelta(days=7, minutes=1)), pytest.raises(AnswerClosed):
        services.answer_check(check=check, score=4, comment="", actor=CUSTOMER)

    check.refresh_from_db()
    assert (check.score, check.comment) == (1, "Broke after a week.")
    assert (check.first_answered_at, check.answered_at) == (DUE, DUE + dt.timedelta(days=6))
    assert [(p["score"], p["is_bad"], p["is_change"]) for p in payloads("feedback.satisfaction_answered")] == [
        (5, False, False),
        (1, True, True),
    ]


@pytest.mark.parametrize(
    ("score", "comment", "field"),
    [(0, "", "score"), (6, "", "score"), (3, "x" * 2001, "comment"), (3, "bad\x00byte", "comment")],
    ids=["zero", "six", "long-comment", "control-character"],
)
def test_a_bad_answer_is_refused_and_nothing_changes(api: Client, score: int, comment: str, field: str) -> None:
    check = asked(delivered_with_check(api))
    before = last_event_id()

    with pytest.raises(ValidationFailed) as refused:
        services.answer_check(check=check, score=score, comment=comment, actor=CUSTOMER)

    assert [error.field for error in refused.value.errors] == [field]
    check.refresh_from_db()
    assert (check.score, check.answered_at) == (None, None)
    assert topics_since(before) == []


def test_the_answer_is_on_the_orders_timeline(api: Client) -> None:
    from tests.conftest import timeline

    check = asked(delivered_with_check(api))
    with clock.frozen_at(DUE):
        services.answer_check(check=check, score=2, comment="Late and dented.", actor=CUSTOMER)

    words = [entry.text for entry in timeline(check.order)]
    assert "The customer is not satisfied: 2 of 5 (bad). Get in touch today." in words
    assert any(text.startswith("Delivered in full: the customer will be asked how it went on ") for text in words)


def test_the_summary_counts_asked_answered_average_and_bad_share(api: Client) -> None:
    scores = [5, 4, 1, None]
    for index, score in enumerate(scores):
        check = asked(delivered_with_check(api, customer={**_customer(index)}))
        if score is not None:
            with clock.frozen_at(DUE):
                services.answer_check(check=check, score=score, comment="", actor=CUSTOMER)

    assert selectors.satisfaction_summary(DUE - dt.timedelta(days=1)) == (4, 3, Decimal("3.3"), Decimal("0.33"))
    assert selectors.satisfaction_summary(DUE + dt.timedelta(seconds=1)) == (0, 0, None, None)


def _customer(index: int) -> dict[str, str]:
    return {
        "email": f"customer{index}@example.gr",
        "name": f"Πελάτης {index}",
        "phone": f"+30691234567{index}",
        "language": "el",
    }
