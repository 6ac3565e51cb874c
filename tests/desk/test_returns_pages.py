"""The returns desk: the queue (oldest first, late refunds marked, a scanned number opens the
return), receiving and refunding on the return's page, the owner's return settings, and the report."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.inventory.models import StockLevel
from emporos.orders.models import Order, Refund
from emporos.outbox.models import Event
from emporos.returns import services
from emporos.returns.models import Return, ReturnPolicy, SkuExemption
from emporos.shop import selectors as shop_settings
from tests.returns.conftest import ask, delivered

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
SOON = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 12, 9, 9, 0, tzinfo=dt.UTC)
ONE_TEA = {
    "lines": [{"sku": "TEA-100", "quantity": 1, "reason": "wrong_size", "condition": "unopened"}],
    "resolution": "refund",
}


def asked(api: Client, number: str, body: dict[str, Any] = ONE_TEA, *, at: dt.datetime = SOON) -> Return:
    with clock.frozen_at(at):
        response = ask(api, number, body)
    assert response.status_code == 201, response.content
    return Return.objects.get(public_id=response.json()["id"])


def page_of(ret: Return) -> str:
    return f"/returns/{ret.public_id}/"


def receive_post(ret: Return, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"action": "receive"}
    for line in ret.lines.all():
        data[f"line-{line.pk}-quantity"] = fields.get("quantity", line.quantity)
        data[f"line-{line.pk}-condition"] = fields.get("condition", "unopened")
        if fields.get("restock", True):
            data[f"line-{line.pk}-restock"] = "on"
    return data


def queue_rows(body: str) -> list[str]:
    return re.findall(r'<tr data-return="([^"]+)"', body)


# --- the queue ------------------------------------------------------------------------------------


def test_the_queue_lists_open_returns_oldest_first_and_marks_a_late_refund(api: Client, owner: Client) -> None:
    first = asked(api, delivered(api))
    second = asked(api, delivered(api), at=LATER)
    # The first parcel was scanned on its way back: its refund can be withheld no longer.
    services.record_first_scan(ret=first, carrier="manual", at=LATER, actor=Actor.system("carrier"))

    with clock.frozen_at(dt.datetime(2026, 12, 28, 9, 0, tzinfo=dt.UTC)):
        body = owner.get("/returns/").content.decode()

    assert queue_rows(body) == [first.display_number, second.display_number]
    rows = body.split("<tr data-return=")[1:]
    assert "data-breached" in rows[0]
    assert "Refund late" in rows[0]
    assert "data-breached" not in rows[1]
    assert "May wait for the parcel" in rows[1]
    assert "22 Dec 2026" in rows[0]  # 14 days after the notice of 8 December


def test_a_scanned_return_number_opens_the_return(api: Client, owner: Client) -> None:
    ret = asked(api, delivered(api))

    response = owner.get("/returns/", {"q": f" {ret.display_number.lower()} "})

    assert response.status_code == 303
    assert response["Location"] == page_of(ret)


def test_received_returns_are_behind_a_filter(api: Client, owner: Client) -> None:
    ret = asked(api, delivered(api))
    services.receive_return(
        ret=ret, lines=[services.ReceivedLine("TEA-100", 1, "unopened", True)], actor=Actor.system("test")
    )

    assert queue_rows(owner.get("/returns/").content.decode()) == []
    assert queue_rows(owner.get("/returns/", {"shown": "received"}).content.decode()) == [ret.display_number]
    assert queue_rows(owner.get("/returns/", {"shown": "all"}).content.decode()) == [ret.display_number]


def test_the_queue_asks_the_database_the_same_number_of_times_for_many_returns(
    api: Client, owner: Client, django_assert_num_queries: Any
) -> None:
    asked(api, delivered(api))
    shop_settings.current()
    # Session, user, staff role; the bank refunds due; the page of returns (with orders, customers, refunds).
    with django_assert_num_queries(5):
        assert len(queue_rows(owner.get("/returns/").content.decode())) == 1
    for _ in range(3):
        asked(api, delivered(api))
    with django_assert_num_queries(5):
        assert len(queue_rows(owner.get("/returns/").content.decode())) == 4


# --- the return's page ----------------------------------------------------------------------------


def test_receiving_on_the_page_restocks_and_issues_the_refund(api: Client, make_staff: Any) -> None:
    number = delivered(api)
    ret = asked(api, number)
    warehouse = make_staff("warehouse")
    before = StockLevel.objects.get(variant__sku="TEA-100").on_hand

    response = warehouse.post(page_of(ret), receive_post(ret))

    assert response.status_code == 303
    assert response["Location"] == page_of(ret)
    assert StockLevel.objects.get(variant__sku="TEA-100").on_hand == before + 1
    ret.refresh_from_db()
    assert ret.status == "received"
    assert ret.refund is not None
    assert ret.refund.amount == Decimal("19.90")
    body = warehouse.get(page_of(ret)).content.decode()
    assert "received." in body
    assert "€19.90" in body
    assert 'id="receive-form"' not in body
    order_body = warehouse.get(f"/orders/{number}/").content.decode()
    assert f'href="{page_of(ret)}"' in order_body
    assert 'data-kind="returns.return_received"' in order_body
    customer = Order.objects.get(number=int(number.removeprefix("EM-"))).customer
    customer_body = warehouse.get(f"/customers/{customer.public_id}/").content.decode()
    assert f"Return {ret.display_number} received" in customer_body


def test_a_refused_receipt_shows_the_page_again_with_the_error_next_to_the_line(api: Client, owner: Client) -> None:
    ret = asked(api, delivered(api))

    response = owner.post(page_of(ret), receive_post(ret, quantity=3))

    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(
        r'class="field__error"[^>]*>Return EM-\d+-R1 sends back 1 unit of SKU TEA-100: give 0 or 1, not 3\.', body
    )
    assert 'value="3"' in body  # what was typed stays
    ret.refresh_from_db()
    assert ret.status == "approved"


def test_support_cannot_receive_and_warehouse_cannot_refund(api: Client, make_staff: Any) -> None:
    ret = asked(api, delivered(api))
    support, warehouse = make_staff("support"), make_staff("warehouse")

    assert support.post(page_of(ret), receive_post(ret)).status_code == 403
    assert warehouse.post(page_of(ret), {"action": "refund"}).status_code == 403
    assert 'id="receive-form"' not in support.get(page_of(ret)).content.decode()
    assert 'id="refund-form"' not in warehouse.get(page_of(ret)).content.decode()
    assert not Refund.objects.exists()


def test_an_unknown_return_is_a_page_that_says_so(owner: Client) -> None:
    response = owner.get("/returns/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "There is no such return" in response.content.decode()


def test_the_label_is_a_pdf_for_staff_only(api: Client, owner: Client) -> None:
    ret = asked(api, delivered(api))
    response = owner.get(f"{page_of(ret)}label.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert Client().get(f"{page_of(ret)}label.pdf").status_code == 302


# --- settings -------------------------------------------------------------------------------------


def policy_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": "policy",
        "policy-voluntary_days": "30",
        "policy-reasons": ["wrong_size", "defective"],
        "policy-auto_refund": "never",
        "policy-return_shipping_paid_by": "customer",
        "policy-return_shipping_fee": "4,50",
        "policy-return_carrier": "manual",
        "policy-customers_informed": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_saved_settings_are_used_a_person_then_issues_the_refund(api: Client, owner: Client) -> None:
    response = owner.post("/settings/returns/", policy_post())
    assert response.status_code == 303
    policy = ReturnPolicy.objects.get()
    assert (policy.voluntary_days, policy.reasons, policy.auto_refund) == (30, ["wrong_size", "defective"], "never")
    assert (policy.return_shipping_paid_by, policy.return_shipping_fee) == ("customer", Decimal("4.50"))
    assert Event.objects.filter(topic="returns.policy_changed").count() == 1

    ret = asked(api, delivered(api))
    assert owner.post(page_of(ret), receive_post(ret)).status_code == 303
    ret.refresh_from_db()
    assert ret.refund is None  # the rule says a person refunds
    body = owner.get(page_of(ret)).content.decode()
    assert 'id="refund-form"' in body

    response = owner.post(page_of(ret), {"action": "refund", "refund-amount": ""})

    assert response.status_code == 303
    ret.refresh_from_db()
    assert ret.refund is not None
    assert ret.refund.amount == Decimal("15.40")
    assert 'id="refund-form"' not in owner.get(page_of(ret)).content.decode()


def test_bad_settings_are_refused_next_to_the_field(owner: Client) -> None:
    response = owner.post("/settings/returns/", policy_post(**{"policy-voluntary_days": "400", "policy-reasons": None}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert body.count('class="field__error"') == 2
    assert not ReturnPolicy.objects.exists()


def test_settings_are_the_owners(make_staff: Any) -> None:
    assert make_staff("support").get("/settings/returns/").status_code == 403


def test_an_exempt_sku_refuses_a_withdrawal_but_not_a_defect(api: Client, owner: Client) -> None:
    response = owner.post(
        "/settings/returns/", {"action": "exemption", "exemption-sku": "TEA-100", "exemption-exemption": "perishable"}
    )
    assert response.status_code == 303
    assert SkuExemption.objects.get().exemption == "perishable"
    number = delivered(api)

    with clock.frozen_at(SOON):
        refused = ask(api, number, ONE_TEA)
        defect = ask(
            api,
            number,
            {"lines": [{"sku": "TEA-100", "quantity": 1, "reason": "defective", "condition": "opened"}]},
        )

    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["errors"]] == ["lines[0].sku"]
    assert defect.status_code == 201
    response = owner.post("/settings/returns/", {"action": "remove-exemption", "sku": "TEA-100"})
    assert response.status_code == 303
    assert not SkuExemption.objects.exists()


# --- the report -----------------------------------------------------------------------------------


def test_the_report_counts_exactly(api: Client, owner: Client) -> None:
    first = delivered(api)  # 2 x TEA-100 each
    second = delivered(api)
    delivered(api)
    asked(api, first)
    asked(
        api,
        second,
        {"lines": [{"sku": "TEA-100", "quantity": 2, "reason": "not_as_described", "condition": "opened"}]},
    )

    with clock.frozen_at(SOON):
        response = owner.get("/returns/report/", {"starts": "2026-12-01", "ends": "2026-12-31"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "3 of 6 units delivered were sent back" in body
    row = re.search(r'<tr data-sku="TEA-100">(.*?)</tr>', body, re.S)
    assert row
    assert re.findall(r'<td class="num"[^>]*>([^<]+)</td>', row.group(1)) == ["6", "3", "50%"]
    reasons = re.findall(r'<tr data-reason="([a-z_]+)"><th scope="row">[^<]+</th><td class="num">(\d+)</td>', body)
    assert reasons == [("not_as_described", "2"), ("wrong_size", "1")]
    assert body.count('class="day-chart__bar"') == 2


def test_a_period_ending_before_it_starts_is_refused(owner: Client) -> None:
    response = owner.get("/returns/report/", {"starts": "2026-12-31", "ends": "2026-12-01"})
    assert response.status_code == 400
    assert "swap the dates" in response.content.decode()


def test_the_order_page_lists_its_returns(api: Client, owner: Client) -> None:
    number = delivered(api)
    ret = asked(api, number)
    body = owner.get(f"/orders/{number}/").content.decode()
    assert f'<tr data-return="{ret.display_number}">' in body
    assert Order.objects.count() == 1
