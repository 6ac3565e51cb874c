"""Refunds on the order page: who may, when, the form, the panel's total, and the cancel flow."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.orders.models import Order, Refund
from emporos.timeline.models import Entry
from tests.conftest import place

pytestmark = pytest.mark.django_db


def _order(number: str) -> Order:
    return Order.objects.get(number=int(number.removeprefix("EM-")))


def _details(body: str, action: str) -> str | None:
    match = re.search(rf'<details id="action-{re.escape(action)}"([^>]*)>(.*?)</details>', body, re.S)
    return match.group(0) if match else None


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def number(api: Client, catalog: None) -> str:
    """TEA-100 x2, paid by card: 43.30 EUR."""
    return place(api)


def test_support_records_a_partial_refund_and_the_panel_shows_the_refunded_total(make_staff: Any, number: str) -> None:
    support = make_staff("support")

    response = support.post(
        f"/orders/{number}/",
        {"action": "refund", "refund-amount": "10,00", "refund-reason": "goodwill", "refund-reference": "RF-1"},
    )

    assert (response.status_code, response["Location"]) == (303, f"/orders/{number}/")
    order = _order(number)
    assert (order.payment_status, order.amount_refunded) == ("partially_refunded", Decimal("10.00"))
    body = support.get(f"/orders/{number}/").content.decode()
    assert f"Refund of €10.00 recorded for {number}; the payment is now partly refunded." in body
    totals = _text(re.search(r'<dl class="facts" id="order-totals">(.*?)</dl>', body, re.S).group(1))  # type: ignore[union-attr]
    assert "Amount paid €43.30 Refunded €10.00 Outstanding €0.00" in totals
    panel = _details(body, "refund")
    assert panel is not None
    assert 'value="33.30"' in panel  # what is left to give back, in the form
    assert "Can be given back: €33.30" in _text(panel)
    assert Entry.objects.filter(kind="orders.refund_recorded").count() == 1


def test_a_refund_of_everything_left_refunds_the_order_and_the_form_goes(owner: Client, number: str) -> None:
    owner.post(f"/orders/{number}/", {"action": "refund", "refund-amount": "43.30", "refund-reason": "cancelled"})

    body = owner.get(f"/orders/{number}/").content.decode()

    assert _order(number).payment_status == "refunded"
    assert _details(body, "refund") is None


def test_warehouse_sees_no_refund_and_may_not_post_one(make_staff: Any, number: str) -> None:
    warehouse = make_staff("warehouse")

    assert _details(warehouse.get(f"/orders/{number}/").content.decode(), "refund") is None
    response = warehouse.post(
        f"/orders/{number}/", {"action": "refund", "refund-amount": "1.00", "refund-reason": "goodwill"}
    )

    assert response.status_code == 403
    assert Refund.objects.count() == 0


def test_an_unpaid_order_offers_no_refund(owner: Client, api: Client, catalog: None) -> None:
    number = place(api, payment={"method": "bank_transfer", "status": "pending"})

    assert _details(owner.get(f"/orders/{number}/").content.decode(), "refund") is None


def test_more_than_was_paid_is_refused_next_to_the_amount_at_the_orders_address(owner: Client, number: str) -> None:
    response = owner.post(
        f"/orders/{number}/", {"action": "refund", "refund-amount": "50,00", "refund-reason": "goodwill"}
    )

    assert response.status_code == 400
    assert response.wsgi_request.path == f"/orders/{number}/"
    panel = _details(response.content.decode(), "refund")
    assert panel is not None
    assert " open" in panel.split(">")[0]
    assert re.search(
        r'id="id_refund-amount".*?class="field__error"[^>]*>At most 43.30 EUR can be refunded', panel, re.S
    )
    assert 'value="50,00"' in panel  # what was typed stays
    assert Refund.objects.count() == 0


def test_a_refund_without_a_reason_is_refused_in_the_shops_words(owner: Client, number: str) -> None:
    response = owner.post(f"/orders/{number}/", {"action": "refund", "refund-amount": "1.00"})

    assert response.status_code == 400
    panel = _details(response.content.decode(), "refund")
    assert panel is not None
    assert re.search(r'id="id_refund-reason".*?class="field__error"[^>]*>Fill this in; it is needed\.', panel, re.S)


def test_cancelling_a_paid_order_leads_to_the_refund_filled_in_with_what_was_paid(owner: Client, number: str) -> None:
    response = owner.post(f"/orders/{number}/", {"action": "cancel", "cancel-reason": "Out of stock"})

    assert (response.status_code, response["Location"]) == (303, f"/orders/{number}/#action-refund")
    body = owner.get(f"/orders/{number}/").content.decode()
    assert "The customer paid €43.30 for this order: record the refund below once the money is sent back." in body
    assert 'id="refund-due"' in body
    assert 'href="#action-refund"' in body
    panel = _details(body, "refund")
    assert panel is not None
    assert " open" in panel.split(">")[0]
    assert 'value="43.30"' in panel
    assert re.search(r'<option value="cancelled" selected>', panel)

    owner.post(f"/orders/{number}/", {"action": "refund", "refund-amount": "43.30", "refund-reason": "cancelled"})

    body = owner.get(f"/orders/{number}/").content.decode()
    assert _order(number).payment_status == "refunded"
    assert 'id="refund-due"' not in body


def test_the_refund_form_shows_and_reads_amounts_in_greek(owner: Client, number: str) -> None:
    owner.post("/i18n/setlang/", {"language": "el", "next": "/"})
    owner.post(f"/orders/{number}/", {"action": "refund", "refund-amount": "16,50", "refund-reason": "goodwill"})

    body = owner.get(f"/orders/{number}/").content.decode()

    assert _order(number).amount_refunded == Decimal("16.50")
    panel = _details(body, "refund")
    assert panel is not None
    assert 'value="26,80"' in panel
    assert 'inputmode="decimal"' in panel
