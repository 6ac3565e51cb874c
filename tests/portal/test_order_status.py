"""The customer's order status page by its signed link: a split shipment's parcels apart, each
with its carrier facts and milestones, the lines still waiting, in the customer's language; a
tampered or expired link refused with the lookup form."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client
from django.utils.html import strip_tags

from emporos.customers.models import Customer
from emporos.fulfillment.models import Shipment, ShipmentStatus
from emporos.fulfillment.status_page import overall_state, status_page
from emporos.orders import links
from emporos.shop import selectors as shop_selectors
from emporos.shop.models import ShopSettings
from tests.portal.conftest import SplitOrder

pytestmark = pytest.mark.django_db(transaction=False)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html)).strip()


def get(path: str, **headers: str) -> Any:
    return Client().get(path, headers=headers)


def test_the_page_of_a_split_shipment_shows_each_parcel_apart_and_what_waits(split_order: SplitOrder) -> None:
    path = links.status_path(split_order.order)
    response = get(f"{path}?lang=en")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    text = text_of(html)
    number = split_order.order.display_number
    assert f'<h1>Order <bdi dir="ltr" class="ltr">{number}</bdi></h1>' in html
    assert "Your parcel is ready for pickup." in text  # the most urgent news of the two parcels

    parcels = re.findall(
        r'<section class="card parcel[^"]*" id="parcel-(\d)" [^>]*data-tracking-number="([^"]+)"', html
    )
    assert parcels == [("1", "BN1234567890"), ("2", "ACS-77001122")]
    first, second = html.split('id="parcel-1"')[1].split('id="parcel-2"')
    second, waiting = second.split('id="waiting"')

    assert "Parcel 1 of 2" in first
    assert 'data-pickup-code="483920"' in first
    assert "Collect it by 6 Dec 2026." in text_of(first)
    assert "BN-ATH-042" in first
    assert 'href="https://boxnow.gr/en/?track=BN1234567890" target="_blank" rel="noopener noreferrer"' in first
    assert re.findall(r'<li data-sku="([^"]+)"><span class="qty">(\d+)', first) == [("TEA-100", "2")]
    steps = re.findall(r'class="step[^"]*" data-code="([a-z_]+)"', first.split("<details")[0])
    assert steps == ["shipped", "available_for_pickup"]
    scans = re.findall(r'data-code="([a-z_]+)"', first.split("<details")[1])
    assert scans == ["available_for_pickup", "in_transit", "picked_up"]  # newest first
    assert "Κέντρο διαλογής Αθήνας" in first
    assert '<p class="step__note" dir="auto">Στο locker</p>' in first

    assert "Parcel 2 of 2" in second
    assert "ACS Courier" in second
    assert "Out for delivery" in second
    assert 'data-flag="signature"' in second
    assert "Expected delivery 3 Dec 2026" in text_of(second)
    assert "data-pickup-code" not in second
    assert re.findall(r'<li data-sku="([^"]+)"><span class="qty">(\d+)', second) == [("TEA-250", "1")]

    assert re.findall(r'<li data-sku="([^"]+)" data-reason="([a-z_]+)"><span class="qty">(\d+)', waiting) == [
        ("MUG-1", "backordered", "3"),
        ("BOOK-1", "preorder", "1"),
    ]
    assert "Pre-order · expected 15 Jan 2027" in text_of(waiting)


def test_the_page_holds_nothing_for_staff_eyes(split_order: SplitOrder) -> None:
    order = split_order.order
    type(order).objects.filter(pk=order.pk).update(hold_reason="Suspicious address, call first")
    html = get(f"{links.status_path(order)}?lang=en").content.decode()
    assert "Suspicious" not in html
    assert "packer" not in html  # the staff member who shipped it (tests.fulfillment.conftest.STAFF)
    assert "tests" not in text_of(html).lower().split()


def test_the_page_speaks_the_customers_language_and_hebrew_right_to_left(split_order: SplitOrder) -> None:
    path = links.status_path(split_order.order)
    greek = get(path, **{"Accept-Language": "en"})  # Μαρία ordered in Greek: her language wins
    assert greek["Content-Language"] == "el"
    assert '<html lang="el" dir="ltr">' in greek.content.decode()

    Customer.objects.filter(pk=split_order.order.customer_id).update(language="he")
    hebrew = get(path).content.decode()
    assert '<html lang="he" dir="rtl">' in hebrew
    assert '<bdi dir="ltr" class="ltr">BN1234567890</bdi>' in hebrew  # numbers stay left to right
    assert '<a href="?lang=el" hreflang="el" lang="el" dir="ltr">' in hebrew  # the picker

    chosen = get(f"{path}?lang=pl")
    assert chosen["Content-Language"] == "pl"
    assert get(f"{path}?lang=xx")["Content-Language"] == "he"  # junk: the customer's language


def test_the_shops_contact_is_on_the_page(split_order: SplitOrder) -> None:
    ShopSettings.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Τσάι του Βουνού",
            "email": "hello@tsai.example.gr",
            "city": "Αθήνα",
            "address_line": "Ερμού 10",
            "postal_code": "10563",
            "time_zone": "Europe/Athens",
            "currency": "EUR",
            "languages": ["el", "en"],
            "business_days": [1, 2, 3, 4, 5],
            "opens_at": "09:00",
            "closes_at": "17:00",
            "overdue_hours": 8,
        },
    )
    shop_selectors.forget()
    html = get(links.status_path(split_order.order)).content.decode()
    assert 'href="mailto:hello@tsai.example.gr"' in html
    assert "Ερμού 10" in html


def test_the_status_words_follow_the_parcels(split_order: SplitOrder) -> None:
    order = split_order.order
    assert status_page(order).state == "available_for_pickup"
    Shipment.objects.filter(pk=split_order.second.pk).update(status=ShipmentStatus.EXCEPTION)
    page = status_page(order)
    assert page.state == "problem"
    # No stored event said so: the parcel's own status still shows as a step.
    assert [m.code for m in page.parcels[1].milestones] == ["shipped", "out_for_delivery", "exception"]


@pytest.mark.parametrize(
    ("parcels", "waiting", "expected"),
    [
        ([], False, "received"),
        (["label_created"], False, "shipped"),
        (["label_created"], True, "partly_shipped"),
        (["delivered", "in_transit"], False, "partly_delivered"),
        (["delivered", "delivered"], False, "delivered"),
        (["delivered"], True, "partly_delivered"),
        (["in_transit", "available_for_pickup"], False, "available_for_pickup"),
        (["delivered", "delivery_attempted"], False, "problem"),
    ],
    ids=["nothing-yet", "shipped", "partly", "one-of-two", "all", "delivered-rest-waits", "pickup", "attempt"],
)
def test_overall_state(parcels: list[str], waiting: bool, expected: str) -> None:
    assert overall_state(order_status="processing", parcels=parcels, waiting=waiting) == expected


def test_a_cancelled_order_says_so() -> None:
    assert overall_state(order_status="cancelled", parcels=["in_transit"], waiting=True) == "cancelled"


def test_the_page_reads_in_a_fixed_number_of_queries(
    split_order: SplitOrder, django_assert_max_num_queries: Any
) -> None:
    path = links.status_path(split_order.order)
    # The order, its lines, parcels and their events, the shop, its returns (what may come back),
    # and its chat conversation (none yet).
    with django_assert_max_num_queries(10):
        assert get(path).status_code == 200


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.replace(":", ":x", 1),
        lambda token: "1",
        lambda token: "Ω" * 300,
        lambda token: "..%00",
    ],
    ids=["last-char", "inserted", "a-bare-id", "long-junk", "nul"],
)
def test_a_tampered_link_is_refused_with_the_lookup_form(split_order: SplitOrder, mangle: Any) -> None:
    token = mangle(links.status_token(split_order.order))
    response = get(f"/status/{token}/?lang=en")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-reason="invalid"' in html
    assert "This link does not work" in html
    assert '<form class="lookup" method="post" action="/status/?lang=en"' in html
    assert split_order.order.display_number not in html


def test_an_expired_link_is_refused_with_the_lookup_form(
    split_order: SplitOrder, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    made = time.time() - 366 * 86400
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: made)
        token = links.status_token(split_order.order)
    response = get(f"/status/{token}/", **{"Accept-Language": "el"})
    assert response.status_code == 410
    html = response.content.decode()
    assert 'data-reason="expired"' in html
    assert '<html lang="el" dir="ltr">' in html
    assert split_order.order.display_number not in html


def test_the_status_page_takes_only_get(split_order: SplitOrder) -> None:
    assert Client().post(links.status_path(split_order.order)).status_code == 405
