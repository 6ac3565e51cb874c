"""Settings → Messages, the template editor with its previews, the message log and a message's
page, reached from the order's and the customer's timeline."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from emporos.core import clock
from emporos.desk.language_names import language_label
from emporos.notifications import policy
from emporos.notifications.models import Message, TemplateOverride
from tests.conftest import place
from tests.fulfillment.conftest import drain, order_of

NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/Athens"))


def test_the_owner_saves_the_budget_and_quiet_hours(owner: Client) -> None:
    page = owner.get("/settings/messages/")
    assert page.status_code == 200
    assert 'data-kind="problem"' in page.content.decode()

    refused = owner.post("/settings/messages/", {"messages_per_order_day": "0", "quiet_hours": "late"})
    assert refused.status_code == 400
    assert "21:00-08:00" in refused.content.decode()

    saved = owner.post("/settings/messages/", {"messages_per_order_day": "3", "quiet_hours": "22:00-07:30"})
    assert saved.status_code == 303
    assert (policy.current().messages_per_order_day, policy.current().quiet_hours_text) == (3, "22:00-07:30")


def test_a_template_is_edited_previewed_in_every_language_and_refused_with_an_unknown_placeholder(
    owner: Client,
) -> None:
    url = "/settings/messages/shipped/email/he/"
    page = owner.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    for language in ("en", "el", "pl", "he"):
        assert f'data-language="{language}"' in body
    assert 'data-language="he" lang="he" dir="rtl"' in body

    refused = owner.post(url, {"subject": "{order_number}", "body": "{parcel_code}"})
    assert refused.status_code == 400
    assert "{parcel_code}" in refused.content.decode()
    assert not TemplateOverride.objects.exists()

    saved = owner.post(url, {"subject": "ההזמנה {order_number} יצאה", "body": "שלום {customer_name}"})
    assert saved.status_code == 303
    assert TemplateOverride.objects.get().subject == "ההזמנה {order_number} יצאה"
    assert owner.get("/settings/messages/nope/email/he/").status_code == 404


def test_the_log_filters_and_opens_each_message_from_the_timeline(api: Client, owner: Client, catalog: None) -> None:
    with clock.frozen_at(NOON):
        number = place(api)
        drain()
    message = Message.objects.get()

    log = owner.get("/messages/", {"kind": "order_received", "status": "sent", "q": number})
    assert log.status_code == 200
    assert str(message.uuid) in log.content.decode()
    assert str(message.uuid) not in owner.get("/messages/", {"status": "suppressed"}).content.decode()

    opened = owner.get(f"/messages/{message.uuid}/")
    assert opened.status_code == 200
    assert message.subject in opened.content.decode()
    assert f"<dt>Language</dt><dd>{language_label(message.language)}</dd>" in opened.content.decode()
    link = f'href="/messages/{message.uuid}/"'
    assert link in owner.get(f"/orders/{number}/").content.decode()
    customer = order_of(number).customer
    assert link in owner.get(f"/customers/{customer.public_id}/").content.decode()


def test_the_log_needs_a_signed_in_member_of_staff(client: Client, db: None) -> None:
    assert client.get("/messages/").status_code == 302


@pytest.mark.parametrize("role", ["warehouse"])
def test_settings_are_the_owners(make_staff: object, role: str) -> None:
    staff = make_staff(role)  # type: ignore[operator]
    assert staff.get("/settings/messages/").status_code == 403


def test_message_settings_name_each_language_in_the_readers_language(owner: Client) -> None:
    owner.cookies["django_language"] = "pl"
    body = owner.get("/settings/messages/").content.decode()
    assert 'Grecki · <bdi lang="el">Ελληνικά</bdi>' in body
    assert 'Hebrajski · <bdi lang="he">עברית</bdi>' in body
    page = owner.get("/settings/messages/order_received/email/he/").content.decode()
    assert '<h3>Hebrajski · <bdi lang="he">עברית</bdi></h3>' in page
