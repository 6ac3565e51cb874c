"""Lines accepted without stock in hand: backorders served in the order they were placed (I1),
pre-orders released on their date, made-to-order lines marked made, digital lines at once (F7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from emporos.catalog.models import DigitalAsset, Variant
from emporos.core import clock
from emporos.fulfillment import digital
from emporos.fulfillment.errors import DownloadUnavailable
from emporos.fulfillment.models import Download, FulfillmentOrder, HoldReason, Status
from emporos.inventory.services import AdjustmentDraft
from emporos.orders.models import OrderLine
from emporos.orders.services import mark_made, receive_stock, release_preorders
from tests.conftest import place, timeline_kinds
from tests.fulfillment.conftest import STAFF, confirm, drain, order_of, ship

pytestmark = pytest.mark.django_db


def _mug_order(api: Client, quantity: int, placed_at: str) -> str:
    total = f"{12 * quantity:.2f}"
    return place(
        api,
        lines=[{"sku": "MUG-1", "quantity": quantity, "unit_price": "12.00"}],
        shipping_price="0.00",
        total=total,
        placed_at=placed_at,
    )


def _state(number: str, sku: str) -> str:
    return OrderLine.objects.get(order=order_of(number), sku=sku).stock_state


def test_two_backordered_orders_are_served_in_the_order_they_were_placed(api: Client, catalog: None) -> None:
    # The one mug in stock goes to the first order; the next two wait.
    taken = _mug_order(api, 1, "2026-11-29T08:00:00Z")
    first = _mug_order(api, 2, "2026-11-29T09:00:00Z")
    second = _mug_order(api, 1, "2026-11-29T10:00:00Z")
    assert (_state(taken, "MUG-1"), _state(first, "MUG-1"), _state(second, "MUG-1")) == (
        "reserved",
        "backordered",
        "backordered",
    )

    # One unit arrives: the earlier order needs two, so it keeps its place and the later one waits too.
    receive_stock(drafts=[AdjustmentDraft(sku="MUG-1", location="athens", reason="received", delta=1)], actor=STAFF)
    assert (_state(first, "MUG-1"), _state(second, "MUG-1")) == ("backordered", "backordered")

    receive_stock(drafts=[AdjustmentDraft(sku="MUG-1", location="athens", reason="received", delta=1)], actor=STAFF)
    assert (_state(first, "MUG-1"), _state(second, "MUG-1")) == ("reserved", "backordered")

    receive_stock(drafts=[AdjustmentDraft(sku="MUG-1", location="athens", reason="received", delta=5)], actor=STAFF)
    assert _state(second, "MUG-1") == "reserved"
    assert "orders.line_allocated" in timeline_kinds(order_of(first))


def test_stock_received_through_the_api_serves_waiting_lines(api: Client, catalog: None) -> None:
    _mug_order(api, 1, "2026-11-29T08:00:00Z")
    waiting = _mug_order(api, 1, "2026-11-29T09:00:00Z")
    response = api.post(
        "/api/v1/stock/adjustments",
        {"adjustments": [{"sku": "MUG-1", "location": "athens", "reason": "received", "delta": 3}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert _state(waiting, "MUG-1") == "reserved"


def test_a_preorder_waits_for_its_date_and_is_then_released(api: Client, catalog: None) -> None:
    number = place(
        api,
        lines=[{"sku": "BOOK-1", "quantity": 1, "unit_price": "25.00"}],
        shipping_price="0.00",
        total="25.00",
    )
    confirm(number)
    drain()
    (fo,) = FulfillmentOrder.objects.filter(order=order_of(number))
    assert (fo.status, fo.fulfill_on) == (Status.SCHEDULED, dt.date(2027, 1, 15))
    assert ship(api, number, [("BOOK-1", 1)]).status_code == 409

    assert release_preorders(today=dt.date(2027, 1, 14), actor=STAFF) == []
    assert _state(number, "BOOK-1") == "preorder"

    (released,) = release_preorders(today=dt.date(2027, 1, 15), actor=STAFF)
    assert released.sku == "BOOK-1"
    assert _state(number, "BOOK-1") == "ready"
    drain()
    assert FulfillmentOrder.objects.get(order=order_of(number), status=Status.OPEN).lines.count() == 1
    assert ship(api, number, [("BOOK-1", 1)]).status_code == 201
    assert order_of(number).fulfillment_status == "shipped"


def test_a_made_to_order_line_waits_until_staff_mark_it_made(api: Client, catalog: None) -> None:
    number = place(
        api, lines=[{"sku": "ICON-1", "quantity": 1, "unit_price": "80.00"}], shipping_price="0.00", total="80.00"
    )
    order = confirm(number)
    drain()
    (fo,) = FulfillmentOrder.objects.filter(order=order)
    assert (fo.status, fo.hold_reason) == (Status.ON_HOLD, HoldReason.BEING_MADE)
    line = OrderLine.objects.get(order=order)
    mark_made(order=order, line_id=line.pk, actor=STAFF)
    drain()
    assert FulfillmentOrder.objects.get(order=order, status=Status.OPEN).mode == "made_to_order"
    assert ship(api, number, [("ICON-1", 1)]).status_code == 201


def test_an_unpaid_order_waits_for_its_payment(api: Client, catalog: None) -> None:
    number = place(api, payment={"method": "bank_transfer", "status": "pending"})
    order = confirm(number)
    drain()
    (fo,) = FulfillmentOrder.objects.filter(order=order)
    assert (fo.status, fo.hold_reason) == (Status.ON_HOLD, HoldReason.AWAITING_PAYMENT)
    paid = api.post(f"/api/v1/orders/{number}/payments", {"amount": "43.30"}, content_type="application/json")
    assert paid.status_code == 200, paid.content
    drain()
    fo.refresh_from_db()
    assert fo.status == Status.OPEN


def test_a_digital_line_is_delivered_at_once_and_its_link_expires(api: Client, catalog: None) -> None:
    ebook = Variant.objects.get(sku="EBOOK-1")
    asset = DigitalAsset(variant=ebook, filename="tea-guide.pdf", download_limit=2, link_days=7)
    asset.file.save("tea-guide.pdf", ContentFile(b"%PDF-1.4 the tea guide"), save=True)
    start = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    with clock.frozen_at(start):
        number = place(
            api,
            lines=[{"sku": "EBOOK-1", "quantity": 1, "unit_price": "9.99"}],
            shipping_price="0.00",
            total="9.99",
            shipping_address=None,
        )
        confirm(number)
        drain()
    order = order_of(number)
    assert order.fulfillment_status == "delivered"
    assert order.status == "completed"
    download = Download.objects.get(order_line__order=order)
    assert download.expires_at == start + dt.timedelta(days=7)
    link = digital.signed_token(download)

    with clock.frozen_at(start + dt.timedelta(days=1)):
        opened, _ = digital.open_download(signed=link)
        assert opened.pk == download.pk
    with clock.frozen_at(start + dt.timedelta(days=8)), pytest.raises(DownloadUnavailable, match="expired"):
        digital.open_download(signed=link)
    with pytest.raises(DownloadUnavailable, match="not valid"):
        digital.open_download(signed=link[:-2] + "xx")
    assert "fulfillment.digital_delivered" in timeline_kinds(order)


def test_a_download_link_counts_its_downloads(api: Client, catalog: None) -> None:
    ebook = Variant.objects.get(sku="EBOOK-1")
    asset = DigitalAsset(variant=ebook, filename="guide.pdf", download_limit=2)
    asset.file.save("guide.pdf", ContentFile(b"guide"), save=True)
    number = place(
        api,
        lines=[{"sku": "EBOOK-1", "quantity": 1, "unit_price": "9.99"}],
        shipping_price="0.00",
        total="9.99",
        shipping_address=None,
    )
    confirm(number)
    drain()
    link = digital.signed_token(Download.objects.get())
    digital.open_download(signed=link)
    digital.open_download(signed=link)
    with pytest.raises(DownloadUnavailable, match="used as many times"):
        digital.open_download(signed=link)


def test_the_customers_link_downloads_the_file_until_it_expires(api: Client, catalog: None) -> None:
    ebook = Variant.objects.get(sku="EBOOK-1")
    asset = DigitalAsset(variant=ebook, filename="οδηγός.pdf", download_limit=1)
    asset.file.save("guide.pdf", ContentFile(b"%PDF-1.4 guide"), save=True)
    number = place(
        api,
        lines=[{"sku": "EBOOK-1", "quantity": 1, "unit_price": "9.99"}],
        shipping_price="0.00",
        total="9.99",
        shipping_address=None,
    )
    confirm(number)
    drain()
    path = digital.link_path(Download.objects.get())
    customer = Client()
    response = customer.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 guide"  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]
    again = customer.get(path, headers={"Accept-Language": "el"})
    assert again.status_code == 410
    assert "lang='el'" in again.content.decode()
    assert customer.get(path[:-3] + "xyz/").status_code == 410


def test_a_new_release_date_reaches_the_waiting_preorders_as_an_event(api: Client, catalog: None) -> None:
    number = place(
        api,
        lines=[{"sku": "BOOK-1", "quantity": 1, "unit_price": "25.00"}],
        shipping_price="0.00",
        total="25.00",
    )
    drain()
    response = api.post(
        "/api/v1/products",
        {
            "products": [
                {
                    "code": "book",
                    "name": "Book",
                    "fulfillment_mode": "preorder",
                    "release_on": "2027-02-01",
                    "variants": [{"sku": "BOOK-1", "name": "book BOOK-1", "price": "25.00"}],
                }
            ]
        },
        content_type="application/json",
    )
    assert response.status_code in {200, 201}, response.content
    drain()
    assert OrderLine.objects.get(order=order_of(number)).available_on == dt.date(2027, 2, 1)
    assert "orders.expected_date_changed" in timeline_kinds(order_of(number))
    drain()
    assert timeline_kinds(order_of(number)).count("orders.expected_date_changed") == 1
