"""The milestone messages, sent for real: e-mail to an SMTP server on loopback, SMS to a file."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import Client

from emporos.core import clock
from emporos.fulfillment.events import DelayCaseOpened, ShipmentCreated, ShipmentTracked
from emporos.fulfillment.models import DelayCase, Shipment
from emporos.notifications import handlers
from emporos.notifications.models import Message
from emporos.orders import links
from emporos.outbox.events import EventMeta
from emporos.outbox.models import Event
from emporos.outbox.services import emit
from tests.conftest import place, timeline_kinds
from tests.fulfillment.conftest import confirm, drain, order_of, ship
from tests.notifications.conftest import Inbox, SmsFile
from tests.shipping.conftest import greece  # noqa: F401  (the fixture: methods to ship with)

pytestmark = pytest.mark.usefixtures("greece")
ATHENS = ZoneInfo("Europe/Athens")
NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=ATHENS)
LINK = re.compile(r"http://127\.0\.0\.1:8000/status/([^/\s]+)/")


def tracked(shipment: Shipment, status: str) -> None:
    """What the tracking ingestion does when a parcel moves on: the status, and the event."""
    with transaction.atomic():
        previous = shipment.status
        Shipment.objects.filter(pk=shipment.pk).update(status=status, status_at=clock.now())
        emit(
            ShipmentTracked(
                order_id=shipment.order_id,
                shipment_id=shipment.pk,
                status=status,
                previous=previous,
                occurred_at=clock.now().isoformat(),
            )
        )


def place_and_ship(api: Client, **customer: Any) -> tuple[str, Shipment]:
    overrides: dict[str, Any] = {}
    if customer:
        overrides["customer"] = {
            "email": "maria@example.gr",
            "name": "Μαρία Παπαδοπούλου",
            "phone": "+306912345678",
            "language": "el",
            **customer,
        }
    number = place(api, **overrides)
    confirm(number)
    drain()
    response = ship(api, number, tracking_number="TRK0001")
    assert response.status_code == 201, response.content
    drain()
    return number, Shipment.objects.get(order=order_of(number))


def kinds(inbox: Inbox) -> list[str]:
    return [str(message["X-Emporos-Kind"]) for message in inbox.messages]


def test_placing_shipping_and_delivering_sends_exactly_the_milestones(
    api: Client, smtp: Inbox, sms_file: SmsFile
) -> None:
    with clock.frozen_at(NOON):
        number, shipment = place_and_ship(api)
        tracked(shipment, "in_transit")  # a scan in between: the status page only
        drain()
        tracked(shipment, "delivered")
        drain()

    order = order_of(number)
    assert kinds(smtp) == ["order_received", "shipped", "delivered"]
    for message in smtp.messages:
        assert message["To"] == "maria@example.gr"
        assert message["Message-ID"].endswith("@kalimera.example>")
        assert message["List-Unsubscribe"] is None  # transactional
        text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
        assert 'lang="el"' in html
        assert 'dir="ltr"' in html
        token = LINK.search(text).group(1)  # type: ignore[union-attr]
        assert links.order_for_token(token) == order
        assert f"/status/{token}/" in html
    shipped = smtp.messages[1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "TRK0001" in shipped
    assert [(line["to"], line["order"]) for line in sms_file.lines()] == [("+306912345678", number)]
    assert "TRK0001" in sms_file.lines()[0]["text"]
    assert list(Message.objects.order_by("pk").values_list("kind", "channel", "language", "status")) == [
        ("order_received", "email", "el", "sent"),
        ("shipped", "email", "el", "sent"),
        ("shipped", "sms", "el", "sent"),
        ("delivered", "email", "el", "sent"),
    ]
    assert timeline_kinds(order).count("notifications.message_sent") == 4
    assert timeline_kinds(order.customer).count("notifications.message_sent") == 4


def test_the_same_event_handled_twice_sends_once(api: Client, smtp: Inbox, sms_file: SmsFile) -> None:
    with clock.frozen_at(NOON):
        _number, _shipment = place_and_ship(api)
        stored = Event.objects.get(topic=ShipmentCreated.topic)
        again = ShipmentCreated.from_payload(
            stored.payload, meta=EventMeta(id=stored.pk, uuid=stored.uuid, created_at=stored.created_at)
        )
        with transaction.atomic():
            handlers.tell_shipped(again)
        drain()
        for message in Message.objects.all():  # and a message sent is never sent again
            handlers.services.send_message(message_id=message.pk)

    assert kinds(smtp) == ["order_received", "shipped"]
    assert len(sms_file.lines()) == 1
    assert Message.objects.filter(kind="shipped").count() == 2  # e-mail and SMS


def test_a_scan_storm_sends_no_more_than_the_budget(api: Client, smtp: Inbox, sms_file: SmsFile) -> None:
    with clock.frozen_at(NOON):
        _number, shipment = place_and_ship(api)
        for _ in range(30):
            tracked(shipment, "out_for_delivery")
        drain()

    emails = Message.objects.filter(channel="email")
    assert emails.filter(status="sent").count() == 5  # the budget: received, shipped, 3 of the 30
    assert emails.filter(status="suppressed", reason="budget").count() == 27
    assert len(smtp.messages) == 5
    assert len(sms_file.lines()) == 5  # shipped and 4 of the 30
    assert Message.objects.filter(channel="sms", status="suppressed", reason="budget").count() == 26


def test_quiet_hours_defer_until_morning_in_the_customers_zone(api: Client, smtp: Inbox) -> None:
    night = dt.datetime(2026, 12, 1, 22, 30, tzinfo=ATHENS)
    with clock.frozen_at(night):
        place(api)
        drain()
    message = Message.objects.get()
    assert (message.status, message.send_after) == ("deferred", dt.datetime(2026, 12, 2, 8, 0, tzinfo=ATHENS))
    assert smtp.messages == []

    with clock.frozen_at(dt.datetime(2026, 12, 2, 8, 1, tzinfo=ATHENS)):
        drain()
    assert kinds(smtp) == ["order_received"]
    assert Message.objects.get().status == "sent"


def test_a_problem_goes_at_night_and_once_per_case(api: Client, smtp: Inbox, sms_file: SmsFile) -> None:
    with clock.frozen_at(NOON):
        number, shipment = place_and_ship(api)
    night = dt.datetime(2026, 12, 2, 23, 0, tzinfo=ATHENS)
    with clock.frozen_at(night):
        case = DelayCase.objects.create(
            shipment=shipment, order=shipment.order, reason="exception", opened_at=clock.now()
        )
        for _ in range(2):  # the same case told twice
            with transaction.atomic():
                emit(
                    DelayCaseOpened(
                        order_id=shipment.order_id, shipment_id=shipment.pk, case_id=case.pk, reason="exception"
                    )
                )
        drain()

    problems = Message.objects.filter(kind="problem")
    assert sorted(problems.values_list("channel", "status")) == [("email", "sent"), ("sms", "sent")]
    assert kinds(smtp) == ["order_received", "shipped", "problem"]
    text = smtp.messages[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "ακύρωση όσων δεν έχουν παραδοθεί" in text  # the options, in the customer's Greek
    assert number in text


def test_hebrew_email_is_right_to_left(api: Client, smtp: Inbox) -> None:
    with clock.frozen_at(NOON):
        place(
            api,
            customer={"email": "yael@example.co.il", "name": "יעל כהן", "phone": "+972531234567", "language": "he"},
        )
        drain()
    html = smtp.messages[0].get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert 'lang="he"' in html
    assert 'dir="rtl"' in html
    assert "text-align:right" in html


def test_each_order_of_a_wave_hears_it_is_being_packed_once(api: Client, smtp: Inbox) -> None:
    from emporos.core.actor import Actor
    from emporos.fulfillment import waves

    morning = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ATHENS)
    with clock.frozen_at(morning):
        first = place(api)
        second = place(api)  # the same customer: two orders, two messages
        for number in (first, second):
            confirm(number)
        drain()
    with clock.frozen_at(NOON):
        waves.form_wave(cutoff_at=NOON, actor=Actor.system("waves"))
        drain()
        waves.form_wave(cutoff_at=NOON, actor=Actor.system("waves"))  # formed again: nothing new
        drain()

    packed = Message.objects.filter(kind="being_packed").order_by("order_id")
    assert [(m.order.display_number, m.status) for m in packed] == [(first, "sent"), (second, "sent")]
    assert kinds(smtp).count("being_packed") == 2


def test_a_milestone_heard_days_late_is_recorded_never_sent(api: Client, smtp: Inbox) -> None:
    with clock.frozen_at(NOON):
        _number, shipment = place_and_ship(api)
        # The carrier's delivery scan of three days ago reaches Emporos only now (typed in late).
        with transaction.atomic():
            emit(
                ShipmentTracked(
                    order_id=shipment.order_id,
                    shipment_id=shipment.pk,
                    status="delivered",
                    previous="in_transit",
                    occurred_at=(NOON - dt.timedelta(days=3)).isoformat(),
                )
            )
        drain()

    assert kinds(smtp) == ["order_received", "shipped"]
    late = Message.objects.get(kind="delivered")
    assert (late.status, late.reason) == ("skipped", "late")


def test_a_marketing_message_needs_consent_and_offers_unsubscribing(api: Client, smtp: Inbox) -> None:
    from emporos.customers.models import Customer
    from emporos.notifications import services
    from emporos.notifications.models import Consent

    with clock.frozen_at(NOON):
        number, _shipment = place_and_ship(api)
        order = order_of(number)
        first = services.queue_messages(
            event_uuid=uuid.uuid4(), order=order, kind="delivered", channels=["email"], is_marketing=True
        )
        Consent.objects.create(
            customer=Customer.objects.get(pk=order.customer_id), channel="email", country="GR", granted_at=NOON
        )
        second = services.queue_messages(
            event_uuid=uuid.uuid4(), order=order, kind="delivered", channels=["email"], is_marketing=True
        )
        drain()

    assert [(m.status, m.reason) for m in Message.objects.filter(pk__in=[m.pk for m in first + second])] == [
        ("suppressed", "consent"),
        ("sent", ""),
    ]
    marketing = smtp.messages[-1]
    assert str(marketing["List-Unsubscribe"]).strip().startswith("<mailto:")


def test_a_message_that_cannot_be_sent_is_failed_on_the_timeline(api: Client, smtp: Inbox, settings: Any) -> None:
    # SMSAPI without its token refuses every send; one attempt in all, so it gives up at once.
    settings.EMPOROS = {**settings.EMPOROS, "SMS_BACKEND": "smsapi", "OUTBOX_MAX_ATTEMPTS": 1}
    with clock.frozen_at(NOON):
        number, _shipment = place_and_ship(api)

    failed = Message.objects.get(kind="shipped", channel="sms")
    assert failed.status == "failed"
    assert "EMPOROS_SMSAPI_TOKEN" in failed.last_error
    assert kinds(smtp) == ["order_received", "shipped"]  # the e-mail went all the same
    assert timeline_kinds(order_of(number)).count("notifications.message_failed") == 1
