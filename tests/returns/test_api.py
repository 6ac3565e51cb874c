"""The returns API: the shapes integrators rely on, refusals that name the line and the rule, and
a receipt that is safe to send again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from emporos.core import clock
from emporos.inventory.models import StockLevel, StockMovement
from emporos.orders.models import Order
from emporos.returns.models import Return
from tests.returns.conftest import SOON, ask, delivered, receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
ONE_TEA = {
    "lines": [{"sku": "TEA-100", "quantity": 1, "reason": "wrong_size", "condition": "unopened"}],
    "resolution": "refund",
}


def test_a_return_within_the_withdrawal_period_is_approved_with_its_deadline_and_label(api: Client) -> None:
    number = delivered(api)
    with clock.frozen_at(SOON):
        response = ask(api, number, ONE_TEA)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["status"], body["deadline"]) == ("withdrawal", "approved", "2026-12-22")
    assert body["number"] == f"{number}-R1"
    assert body["label_url"].startswith("http://")
    assert body["label_url"].endswith("/label.pdf")
    assert [(line["sku"], line["quantity"], line["reason"], line["condition"]) for line in body["lines"]] == [
        ("TEA-100", 1, "wrong_size", "unopened")
    ]


def test_receiving_restocks_refunds_and_a_second_receipt_changes_nothing(api: Client) -> None:
    number = delivered(api)
    with clock.frozen_at(SOON):
        return_id = ask(api, number, ONE_TEA).json()["id"]
    before = StockLevel.objects.get(variant__sku="TEA-100").on_hand
    lines = [{"sku": "TEA-100", "quantity": 1, "condition": "unopened", "restock": True}]
    first = receive(api, return_id, lines)
    again = receive(api, return_id, lines)
    assert first.status_code == again.status_code == 200, first.content
    assert first.json()["status"] == "received"
    assert (first.json()["refund"]["amount"], first.json()["refund"]["status"]) == ("19.90", "issued")
    assert again.json()["refund"] == first.json()["refund"]
    assert StockLevel.objects.get(variant__sku="TEA-100").on_hand == before + 1
    assert StockMovement.objects.filter(reason="returned", reference=f"{number}-R1").count() == 1
    order = api.get(f"/api/v1/orders/{number}").json()
    assert (order["payment_status"], order["amount_refunded"]) == ("partially_refunded", "19.90")
    assert [(r["amount"], r["status"], r["provider"]) for r in order["refunds"]] == [("19.90", "issued", "manual")]
    assert order["lines"][0]["quantity_returned"] == 1
    assert order["fulfillment_status"] == "partially_returned"


def test_more_than_delivered_is_refused_naming_the_line_and_nothing_is_written(api: Client) -> None:
    number = delivered(api)
    body = {"lines": [{"sku": "TEA-100", "quantity": 3, "reason": "wrong_size", "condition": "unopened"}]}
    with clock.frozen_at(SOON):
        response = ask(api, number, body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("lines[0].quantity", "more_than_returnable")]
    assert not Return.objects.exists()


def test_a_withdrawal_past_its_period_is_refused_but_a_defect_is_a_conformity_claim(api: Client) -> None:
    number = delivered(api)
    late = dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC)
    with clock.frozen_at(late):
        refused = ask(api, number, ONE_TEA)
        defect = ask(
            api,
            number,
            {"lines": [{"sku": "TEA-100", "quantity": 1, "reason": "defective", "condition": "opened"}]},
        )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "withdrawal_period_over"
    assert defect.status_code == 201, defect.content
    assert defect.json()["kind"] == "conformity"


def test_the_same_key_returns_the_first_return_and_another_body_is_a_conflict(api: Client) -> None:
    number = delivered(api)
    with clock.frozen_at(SOON):
        first = ask(api, number, ONE_TEA, key="k-1")
        again = ask(api, number, ONE_TEA, key="k-1")
        other = ask(api, number, {**ONE_TEA, "resolution": "store_credit"}, key="k-1")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert again.json()["id"] == first.json()["id"]
    assert Return.objects.count() == 1


def test_a_line_not_delivered_is_refused(api: Client) -> None:
    from tests.conftest import place

    number = place(api)
    response = ask(api, number, ONE_TEA)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "not_delivered"
    assert Order.objects.get(number=int(number[3:])).amount_refunded == Decimal("0.00")


def test_a_rejected_return_frees_its_units_and_cannot_be_received(api: Client) -> None:
    from emporos.core.actor import Actor
    from emporos.returns import services

    number = delivered(api)
    with clock.frozen_at(SOON):
        first = ask(
            api, number, {"lines": [{"sku": "TEA-100", "quantity": 2, "reason": "wrong_size", "condition": "unopened"}]}
        )
        ret = Return.objects.get(public_id=first.json()["id"])
        services.reject_return(ret=ret, reason="Φορεμένο", actor=Actor.staff("eleni"))
        again = ask(
            api, number, {"lines": [{"sku": "TEA-100", "quantity": 2, "reason": "wrong_size", "condition": "unopened"}]}
        )
    assert again.status_code == 201, again.content
    refused = receive(
        api, first.json()["id"], [{"sku": "TEA-100", "quantity": 2, "condition": "used", "restock": False}]
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "return_not_open"


def test_a_full_withdrawal_gives_back_the_outbound_shipping_and_a_part_does_not(api: Client) -> None:
    number = delivered(api)
    part = {"lines": [{"sku": "TEA-100", "quantity": 1, "reason": "changed_my_mind", "condition": "unopened"}]}
    with clock.frozen_at(SOON):
        first = ask(api, number, part).json()
        second = ask(api, number, part).json()
    # The customer paid 3.50 for the courier; the cheapest standard option (a locker) was 2.90.
    assert (first["shipping_refund"], second["shipping_refund"]) == ("0.00", "2.90")
    received = receive(api, second["id"], [{"sku": "TEA-100", "quantity": 1, "condition": "unopened", "restock": True}])
    assert received.json()["refund"]["amount"] == "22.80"  # 19.90 and 2.90 of the shipping


def test_an_israeli_withdrawal_keeps_the_cancellation_fee_and_a_defect_none(api: Client) -> None:
    address = {"name": "Noa Levi", "line1": "Herzl 1", "city": "Haifa", "postal_code": "3100001", "country": "IL"}
    number = delivered(api, currency="ILS", shipping_address=address, shipping_price="0.00", total="39.80")
    with clock.frozen_at(SOON):
        changed = ask(api, number, ONE_TEA).json()
        defect = ask(
            api, number, {"lines": [{"sku": "TEA-100", "quantity": 1, "reason": "defective", "condition": "opened"}]}
        ).json()
    assert (changed["kind"], changed["fee"]) == ("withdrawal", "0.99")  # 5% of 19.90, rounded down
    assert (defect["kind"], defect["fee"]) == ("conformity", "0.00")


def test_a_line_no_longer_tied_to_a_location_goes_back_to_the_first_active_one(api: Client) -> None:
    from emporos.orders.models import OrderLine

    number = delivered(api)
    OrderLine.objects.filter(order__number=int(number[3:])).update(reserved_location=None)
    with clock.frozen_at(SOON):
        return_id = ask(api, number, ONE_TEA).json()["id"]
    first = StockLevel.objects.filter(variant__sku="TEA-100").order_by("location__priority", "location_id").first()
    assert first is not None
    before = first.on_hand
    response = receive(api, return_id, [{"sku": "TEA-100", "quantity": 1, "condition": "unopened", "restock": True}])
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert first.on_hand == before + 1


def test_downloaded_digital_content_cannot_be_withdrawn_from(api: Client) -> None:
    from django.core.files.base import ContentFile

    from emporos.catalog.models import DigitalAsset, Variant
    from emporos.fulfillment.models import Download
    from tests.conftest import place
    from tests.fulfillment.conftest import confirm, drain

    asset = DigitalAsset(variant=Variant.objects.get(sku="EBOOK-1"), filename="g.pdf", download_limit=2, link_days=7)
    asset.file.save("g.pdf", ContentFile(b"%PDF-1.4 guide"), save=True)
    with clock.frozen_at(SOON):
        number = place(
            api,
            lines=[{"sku": "EBOOK-1", "quantity": 1, "unit_price": "9.99"}],
            shipping_price="0.00",
            total="9.99",
            shipping_address=None,
        )
        confirm(number)
        drain()
        assert Download.objects.update(downloads=1) == 1
        body = {"lines": [{"sku": "EBOOK-1", "quantity": 1, "reason": "changed_my_mind", "condition": "unopened"}]}
        response = ask(api, number, body)
    assert response.status_code == 422, response.content
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("lines[0].sku", "digital_downloaded")]
