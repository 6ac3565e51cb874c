"""The order page (C6) and its actions, the verification call (L3) among them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.inventory.selectors import stock_for_sku
from emporos.orders.models import Order, Verification
from emporos.timeline.models import Entry
from tests.conftest import place

pytestmark = pytest.mark.django_db


def _row(body: str, sku: str) -> str:
    """The table row of one line, by its SKU."""
    match = re.search(rf'<tr data-sku="{re.escape(sku)}">(.*?)</tr>', body, re.S)
    assert match is not None, f"no line {sku}"
    return match.group(1)


def _details(body: str, action: str) -> str:
    match = re.search(rf'<details id="action-{re.escape(action)}"([^>]*)>(.*?)</details>', body, re.S)
    assert match is not None, f"no action {action}"
    return match.group(0)


def _order(number: str) -> Order:
    return Order.objects.get(number=int(number.removeprefix("EM-")))


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def number(api: Client, catalog: None) -> str:
    """TEA-100 x2, paid by card: 43.30 EUR, 2 units reserved in athens."""
    return place(api)


def test_page_shows_lines_stock_states_totals_gift_and_customer_note(owner: Client, api: Client, catalog: None) -> None:
    number = place(
        api,
        lines=[
            {"sku": "TEA-100", "quantity": 2, "unit_price": "19.90"},
            {"sku": "MUG-1", "quantity": 2, "unit_price": "12.00"},
            {"sku": "BOOK-1", "quantity": 1, "unit_price": "25.00"},
        ],
        gift_wrap=True,
        gift_wrap_price="2.00",
        gift_message="Χρόνια πολλά, Νίκο!",
        customer_note="Please ring the bell twice.",
        payment={"method": "bank_transfer", "status": "pending"},
        total="94.30",
    )

    response = owner.get(f"/orders/{number}/")

    assert response.status_code == 200
    assert response.context["section"] == "orders"
    body = response.content.decode()
    tea = _text(_row(body, "TEA-100"))
    assert tea == "TEA-100 mountain-tea TEA-100 2 0 €19.90 €39.80 Reserved at athens"  # 2 ordered, 0 shipped
    assert "Waiting for stock" in _row(body, "MUG-1")
    assert "at " not in _text(_row(body, "MUG-1")).split("€")[-1]
    assert _text(_row(body, "BOOK-1")).endswith("Pre-order until 15 Jan 2027")
    totals = _text(re.search(r'<dl class="facts" id="order-totals">(.*?)</dl>', body, re.S).group(1))  # type: ignore[union-attr]
    assert totals == (
        "Method Bank transfer Payment Payment pending Subtotal €88.80 Shipping cost €3.50 Gift wrap €2.00 "
        "Tax (included) €0.00 Total €94.30 Amount paid €0.00 Outstanding €94.30"
    )
    assert "Χρόνια πολλά, Νίκο!" in body
    assert '<p class="order-note__text">Please ring the bell twice.</p>' in body
    assert 'href="mailto:maria@example.gr"' in body
    assert 'href="tel:+306912345678"' in body
    assert "Ελληνικά" in body
    assert "Ερμού 10" in body
    assert "No separate billing address." in body


def test_page_offers_only_what_the_state_allows(owner: Client, number: str) -> None:
    body = owner.get(f"/orders/{number}/").content.decode()
    shown = re.findall(r'<details id="action-([a-z-]+)"', body)
    # Paid in full: no payment to record; placed: not yet processing, not on hold.
    assert shown == ["confirm", "verify", "hold", "refund", "note", "cancel"]
    assert 'data-confirm="Cancel order' in _details(body, "cancel")
    assert "button--danger" in _details(body, "cancel")
    assert "Reserved stock goes back" in _details(body, "cancel")


def test_verify_adds_a_verification_and_a_timeline_entry(owner: Client, number: str) -> None:
    response = owner.post(
        f"/orders/{number}/verify/", {"verify-outcome": "corrected", "verify-note": "Floor 3, not 2."}
    )

    assert response.status_code == 303
    assert response["Location"] == f"/orders/{number}/"
    call = Verification.objects.get()
    assert (call.outcome, call.note, call.actor) == ("corrected", "Floor 3, not 2.", "staff:owner-user")
    body = owner.get(f"/orders/{number}/").content.decode()
    assert f"Verification call recorded for {number}: Details corrected with the customer." in body
    calls = _text(re.search(r'id="verifications">(.*?)</section>', body, re.S).group(1))  # type: ignore[union-attr]
    assert "owner-user Details corrected with the customer Floor 3, not 2." in calls
    timeline = _text(re.search(r'id="order-timeline">(.*?)</ol>', body, re.S).group(1))  # type: ignore[union-attr]
    # Newest first: the call above the placing of the order.
    assert timeline.index("Verification call: Details corrected") < timeline.index("Order placed (Web shop)")


def test_verify_with_an_unknown_outcome_is_refused_next_to_the_field(owner: Client, number: str) -> None:
    entries = Entry.objects.count()

    response = owner.post(f"/orders/{number}/verify/", {"verify-outcome": "maybe", "verify-note": "?"})

    assert response.status_code == 400
    panel = _details(response.content.decode(), "verify")
    assert " open" in panel.split(">")[0]
    assert re.search(
        r'id="id_verify-outcome".*?class="field__error"[^>]*>Choose one of the options in the list\.', panel, re.S
    )
    assert Verification.objects.count() == 0
    assert Entry.objects.count() == entries


def test_cancel_releases_the_reserved_stock(owner: Client, number: str) -> None:
    assert stock_for_sku("TEA-100").reserved == 2

    response = owner.post(f"/orders/{number}/cancel/", {"cancel-reason": "Customer changed their mind"})

    assert response.status_code == 303
    order = _order(number)
    assert (order.status, order.cancel_reason) == ("cancelled", "Customer changed their mind")
    assert stock_for_sku("TEA-100").reserved == 0
    body = owner.get(f"/orders/{number}/").content.decode()
    assert "its reserved stock is back on the shelves" in body
    assert "Customer changed their mind" in body
    # Paid by card: the refund is what is left to do, open and filled in with what was paid.
    assert re.findall(r'<details id="action-([a-z-]+)"', body) == ["refund", "note"]


def test_cancel_without_a_reason_is_refused_and_changes_nothing(owner: Client, number: str) -> None:
    entries = Entry.objects.count()

    response = owner.post(f"/orders/{number}/cancel/", {"cancel-reason": "  "})

    assert response.status_code == 400
    panel = _details(response.content.decode(), "cancel")
    assert re.search(r'id="id_cancel-reason".*?class="field__error"[^>]*>Say why, in a few words', panel, re.S)
    assert _order(number).status == "placed"
    assert stock_for_sku("TEA-100").reserved == 2
    assert Entry.objects.count() == entries


def test_confirming_twice_is_a_conflict_with_a_clear_message(owner: Client, number: str) -> None:
    assert owner.post(f"/orders/{number}/confirm/").status_code == 303

    response = owner.post(f"/orders/{number}/confirm/")

    assert response.status_code == 409
    panel = _details(response.content.decode(), "confirm")
    assert 'class="alert alert--error"' in panel
    assert f"Order {number} is Confirmed now, so this is no longer possible." in panel
    assert Entry.objects.filter(kind="orders.order_confirmed").count() == 1


def test_record_payment_more_than_outstanding_is_refused_next_to_the_amount(
    owner: Client, api: Client, catalog: None
) -> None:
    number = place(api, payment={"method": "bank_transfer", "status": "pending"})
    page = owner.get(f"/orders/{number}/").content.decode()
    assert 'value="43.30"' in _details(page, "record-payment")

    response = owner.post(f"/orders/{number}/record-payment/", {"record-payment-amount": "50.00"})

    assert response.status_code == 400
    panel = _details(response.content.decode(), "record-payment")
    assert re.search(
        r'id="id_record-payment-amount".*?class="field__error"[^>]*>Only 43.30 EUR is outstanding', panel, re.S
    )
    assert _order(number).amount_paid == 0


def test_record_payment_in_full_marks_the_order_paid(owner: Client, api: Client, catalog: None) -> None:
    number = place(api, payment={"method": "bank_transfer", "status": "pending"})

    response = owner.post(
        f"/orders/{number}/record-payment/", {"record-payment-amount": "43.30", "record-payment-reference": "TR-7"}
    )

    assert response.status_code == 303
    order = _order(number)
    assert (order.amount_paid, order.payment_status) == (Decimal("43.30"), "paid")
    body = owner.get(f"/orders/{number}/").content.decode()
    assert f"Payment of €43.30 recorded for {number}." in body
    assert 'id="action-record-payment"' not in body


def test_hold_then_release(owner: Client, number: str) -> None:
    response = owner.post(f"/orders/{number}/hold/", {"hold-reason": "Address unclear"})
    assert response.status_code == 303
    body = owner.get(f"/orders/{number}/").content.decode()
    assert "Address unclear" in re.search(r'id="hold-reason">(.*?)</div>', body, re.S).group(1)  # type: ignore[union-attr]
    assert re.findall(r'<details id="action-([a-z-]+)"', body) == ["verify", "release", "refund", "note", "cancel"]

    response = owner.post(f"/orders/{number}/release/", {"release-note": "Customer called back"})

    assert response.status_code == 303
    order = _order(number)
    assert (order.status, order.hold_reason) == ("placed", "")
    body = owner.get(f"/orders/{number}/").content.decode()
    assert "Released from hold, back to “Placed”." in body
    assert "Customer called back" in body


def test_confirm_process_and_hand_over(make_staff: Any, number: str) -> None:
    warehouse = make_staff("warehouse")
    assert warehouse.post(f"/orders/{number}/confirm/").status_code == 303
    assert warehouse.post(f"/orders/{number}/start-processing/").status_code == 303
    body = warehouse.get(f"/orders/{number}/").content.decode()
    assert 'data-confirm="Mark order' in _details(body, "complete")

    response = warehouse.post(f"/orders/{number}/complete/")

    assert response.status_code == 303
    assert _order(number).status == "completed"
    tea = stock_for_sku("TEA-100")
    assert (tea.on_hand, tea.reserved) == (8, 0)


def test_warehouse_may_not_cancel(make_staff: Any, number: str) -> None:
    warehouse = make_staff("warehouse")
    body = warehouse.get(f"/orders/{number}/").content.decode()
    assert 'id="action-cancel"' not in body
    assert 'id="action-verify"' not in body

    response = warehouse.post(f"/orders/{number}/cancel/", {"cancel-reason": "no"})

    assert response.status_code == 403
    assert _order(number).status == "placed"


def test_unknown_order_is_a_friendly_404(owner: Client) -> None:
    response = owner.get("/orders/EM-99999/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "There is no order EM-99999." in body
    assert 'action="/orders/"' in body
    assert 'name="q" value="EM-99999"' in body


def test_unknown_action_is_404_and_a_visit_to_an_action_leads_to_the_order(owner: Client, number: str) -> None:
    assert owner.post(f"/orders/{number}/ship-to-mars/").status_code == 404
    response = owner.get(f"/orders/{number}/confirm/")
    assert (response.status_code, response["Location"]) == (303, f"/orders/{number}/#action-confirm")
    assert _order(number).status == "placed"


# The delivery promise is one of them; the order's fulfilment parts and its parcels two more (their
# lines come with them once there are any: tests/desk/test_fulfillment_pages.py counts those), and
# its returns one more (with their refunds), and its satisfaction check one more.
PAGE_QUERIES = 12


def test_page_queries_do_not_grow_with_lines_or_history(
    owner: Client, api: Client, catalog: None, django_assert_num_queries: Any
) -> None:
    small = place(api)
    big = place(
        api,
        lines=[
            {"sku": "TEA-100", "quantity": 1, "unit_price": "19.90"},
            {"sku": "TEA-250", "quantity": 1, "unit_price": "19.90"},
            {"sku": "MUG-1", "quantity": 1, "unit_price": "12.00"},
            {"sku": "ICON-1", "quantity": 1, "unit_price": "80.00"},
            {"sku": "BOOK-1", "quantity": 1, "unit_price": "25.00"},
        ],
        total="160.30",
    )
    for text in ("First", "Second", "Third"):
        owner.post(f"/orders/{big}/note/", {"note-text": text})
    owner.post(f"/orders/{big}/verify/", {"verify-outcome": "no_answer"})
    owner.post(f"/orders/{big}/verify/", {"verify-outcome": "confirmed"})
    owner.get(f"/orders/{small}/")  # the shop's settings, now cached

    with django_assert_num_queries(PAGE_QUERIES):
        owner.get(f"/orders/{small}/")
    with django_assert_num_queries(PAGE_QUERIES):
        response = owner.get(f"/orders/{big}/")
    assert len(re.findall(r"<tr data-sku=", response.content.decode())) == 5
    assert len(response.context["timeline"]) == 6


def test_page_links_to_what_the_customer_sees(owner: Client, number: str) -> None:
    from emporos.orders import links

    body = owner.get(f"/orders/{number}/").content.decode()
    path = re.search(r'id="status-page-link" href="([^"]+)"|href="([^"]+)" id="status-page-link"', body)
    assert path is not None
    token = (path.group(1) or path.group(2)).removeprefix("/status/").rstrip("/")
    assert links.order_for_token(token).display_number == number
    assert Client().get(path.group(1) or path.group(2)).status_code == 200
