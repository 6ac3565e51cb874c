"""Pages that never dead-end: a refused action shows the order at its own address, and a visit to
an address that only takes a post (a reload, a language switch, a bookmark) leads to its page."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from tests.conftest import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpaid(api: Client, catalog: None) -> str:
    """43.30 EUR by bank transfer, nothing received yet."""
    return place(api, payment={"method": "bank_transfer", "status": "pending"})


def _next_of_the_language_form(body: str) -> str:
    match = re.search(r'<form class="langform".*?name="next" value="([^"]*)"', body, re.S)
    assert match is not None
    return match.group(1)


def test_a_bad_payment_shows_the_order_at_its_own_address_and_the_language_switch_stays_there(
    owner: Client, unpaid: str
) -> None:
    page = owner.get(f"/orders/{unpaid}/").content.decode()
    form = re.search(r'<details id="action-record-payment".*?<form method="post" action="([^"]+)"', page, re.S)
    assert form is not None
    assert form.group(1) == f"/orders/{unpaid}/"

    refused = owner.post(f"/orders/{unpaid}/", {"action": "record-payment", "record-payment-amount": "12,3,4"})

    assert refused.status_code == 400
    body = refused.content.decode()
    assert re.search(r'id="id_record-payment-amount".*?class="field__error"[^>]*>Write a number', body, re.S)
    assert _next_of_the_language_form(body) == f"/orders/{unpaid}/"
    switched = owner.post("/i18n/setlang/", {"language": "el", "next": _next_of_the_language_form(body)}, follow=True)
    assert switched.redirect_chain == [(f"/orders/{unpaid}/", 302)]
    assert switched.status_code == 200
    assert '<html lang="el"' in switched.content.decode()


def test_after_a_refusal_at_an_actions_own_address_the_language_switch_leads_to_the_order(
    owner: Client, unpaid: str
) -> None:
    refused = owner.post(f"/orders/{unpaid}/record-payment/", {"record-payment-amount": "999"})
    assert refused.status_code == 400
    next_path = _next_of_the_language_form(refused.content.decode())
    assert next_path == f"/orders/{unpaid}/record-payment/"

    switched = owner.post("/i18n/setlang/", {"language": "pl", "next": next_path}, follow=True)

    assert switched.redirect_chain == [
        (f"/orders/{unpaid}/record-payment/", 302),
        (f"/orders/{unpaid}/#action-record-payment", 303),
    ]
    assert switched.status_code == 200
    assert '<html lang="pl"' in switched.content.decode()


def test_a_reload_of_a_refused_action_is_the_same_refusal_not_a_405(owner: Client, unpaid: str) -> None:
    data = {"action": "record-payment", "record-payment-amount": "50.00"}
    first = owner.post(f"/orders/{unpaid}/", data)
    again = owner.post(f"/orders/{unpaid}/", data)

    assert (first.status_code, again.status_code) == (400, 400)
    assert "Only 43.30 EUR is outstanding on this order." in again.content.decode()


def test_an_unknown_action_posted_to_the_order_is_404(owner: Client, unpaid: str) -> None:
    assert owner.post(f"/orders/{unpaid}/", {"action": "ship-to-mars"}).status_code == 404


PART, WAVE, PARCEL, ENDPOINT = (uuid.UUID(int=n) for n in (1, 2, 3, 4))


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/orders/{number}/confirm/", "/orders/{number}/#action-confirm"),
        ("/orders/{number}/record-payment/", "/orders/{number}/#action-record-payment"),
        (f"/orders/{{number}}/fulfillment/{PART}/hold/", "/orders/{number}/#fulfillment"),
        (f"/orders/{{number}}/fulfillment/{PART}/release/", "/orders/{number}/#fulfillment"),
        ("/orders/{number}/lines/7/made/", "/orders/{number}/#fulfillment"),
        ("/fulfillment/waves/", "/fulfillment/"),
        (f"/fulfillment/waves/{WAVE}/labels/", f"/fulfillment/waves/{WAVE}/"),
        (f"/shipments/{PARCEL}/delay/close/", f"/shipments/{PARCEL}/"),
        ("/settings/fulfillment/packaging/BOX-S/active/", "/settings/fulfillment/packaging/BOX-S/"),
        (f"/settings/webhooks/{ENDPOINT}/secret/", f"/settings/webhooks/{ENDPOINT}/"),
        (f"/settings/webhooks/{ENDPOINT}/active/", f"/settings/webhooks/{ENDPOINT}/"),
        (f"/settings/webhooks/{ENDPOINT}/rotate/", f"/settings/webhooks/{ENDPOINT}/"),
        (f"/settings/webhooks/{ENDPOINT}/ping/", f"/settings/webhooks/{ENDPOINT}/"),
        (f"/settings/webhooks/{ENDPOINT}/delete/", f"/settings/webhooks/{ENDPOINT}/"),
        ("/settings/webhooks/dead/5/replay/", "/settings/webhooks/"),
        ("/orders/bulk/", "/orders/"),
        ("/orders/views/", "/orders/"),
        ("/orders/views/3/delete/", "/orders/"),
        ("/settings/staff/4/role/", "/settings/staff/4/"),
        ("/settings/staff/4/active/", "/settings/staff/4/"),
        ("/settings/staff/4/link/", "/settings/staff/4/"),
        (
            "/settings/messages/order_shipped/email/el/reset/",
            "/settings/messages/order_shipped/email/el/",
        ),
    ],
    ids=lambda value: value.split("/")[-2] if value.endswith("/") else value,
)
def test_a_visit_to_a_post_only_address_leads_to_its_page(owner: Client, unpaid: str, path: str, page: str) -> None:
    response = owner.get(path.format(number=unpaid))

    assert (response.status_code, response["Location"]) == (303, page.format(number=unpaid))


def test_the_order_fulfilment_addresses_lead_to_a_page_that_opens(owner: Client, unpaid: str) -> None:
    response = owner.get(f"/orders/{unpaid}/lines/7/made/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(f"/orders/{unpaid}/#fulfillment", 303)]
