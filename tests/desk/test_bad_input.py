"""The staff desk answers bad input with a message next to the field, never a 500.

The desk calls the same services as the API, so the rules are the same (emporos.core.text); these
are the desk's regression tests for issue 7, section 5. On PostgreSQL a NUL used to reach the
database and fail the page.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.catalog.models import Product, Variant
from emporos.inventory.models import StockLevel, StockMovement
from emporos.orders.events import NoteAdded
from emporos.orders.models import Order
from emporos.shop.models import ShopSettings
from emporos.timeline.models import Entry
from tests.conftest import place

pytestmark = pytest.mark.usefixtures("catalog")


def field_error(body: str, field_id: str) -> str:
    found = re.search(rf'<p class="field__error" id="{field_id}_error">(.*?)</p>', body, re.S)
    assert found, f"no error next to {field_id}"
    return found.group(1)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("q=%00", "q"),
        ("q=Ma%E2%80%AEria", "q"),
        ("channel=%00", "channel"),
        ("shipping_method=we%01b", "shipping_method"),
    ],
)
def test_order_search_with_a_control_character_shows_a_message_next_to_the_field(
    owner: Client, query: str, field: str
) -> None:
    response = owner.get(f"/orders/?{query}")

    assert response.status_code == 400
    assert field_error(response.content.decode(), f"id_{field}")


def test_stock_search_with_a_nul_shows_a_message_and_a_bad_page_marker_starts_over(owner: Client) -> None:
    response = owner.get("/inventory/?q=%00")
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_q")

    response = owner.get("/inventory/?after=%00")
    assert response.status_code == 200
    assert "TEA-100" in response.content.decode()


@pytest.mark.parametrize("path", ["/inventory/%00/", "/inventory/TEA%00/", "/orders/EM-%00/", "/orders/%00/"])
def test_a_nul_in_a_page_address_is_not_found(owner: Client, path: str) -> None:
    assert owner.get(path).status_code == 404


def test_a_sku_stored_with_a_slash_before_the_rule_keeps_the_inventory_pages_working(owner: Client) -> None:
    """Such a SKU is refused now (tests/api/test_bad_input.py); one already stored must not take
    /inventory/ down for every staff member."""
    product = Product.objects.get(code="mug")
    now = datetime(2026, 11, 24, tzinfo=UTC)
    Variant.objects.create(
        product=product, sku="MUG/2", name="Mug, large", price=Decimal(12), created_at=now, updated_at=now
    )

    listing = owner.get("/inventory/")
    page = owner.get("/inventory/MUG/2/")

    assert listing.status_code == 200
    assert 'href="/inventory/MUG/2/"' in listing.content.decode()
    assert page.status_code == 200
    assert "Mug, large" in page.content.decode()


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("hold", {"hold-reason": "Waiting\x00"}, "id_hold-reason"),
        ("hold", {"hold-reason": "Waiting \u202eroof"}, "id_hold-reason"),
        ("cancel", {"cancel-reason": "No\x1bstock"}, "id_cancel-reason"),
        ("note", {"note-text": "Called\x00"}, "id_note-text"),
        ("verify", {"verify-outcome": "confirmed", "verify-note": "\u2066x"}, "id_verify-note"),
        (
            "record-payment",
            {"record-payment-amount": "1.00", "record-payment-reference": "TRX\x07"},
            "id_record-payment-reference",
        ),
    ],
    ids=["hold-nul", "hold-bidi", "cancel-escape", "note-nul", "verify-bidi", "payment-bell"],
)
def test_order_actions_refuse_control_characters_next_to_the_field(
    owner: Client, api: Client, action: str, data: dict[str, str], field: str
) -> None:
    number = place(api, payment={"method": "bank_transfer", "status": "pending"})
    order = Order.objects.get(number=int(number.removeprefix("EM-")))
    entries = Entry.objects.count()

    response = owner.post(f"/orders/{number}/{action}/", data)

    assert response.status_code == 400
    assert field_error(response.content.decode(), field)
    assert Entry.objects.count() == entries
    order.refresh_from_db()
    assert (order.status, order.amount_paid) == ("placed", Decimal("0.00"))


def test_an_internal_note_keeps_its_tabs_and_line_breaks(owner: Client, api: Client) -> None:
    number = place(api)

    response = owner.post(f"/orders/{number}/note/", {"note-text": "Called twice:\r\n\t- no answer"})

    assert response.status_code == 303
    assert Entry.objects.get(kind=NoteAdded.topic).facts["text"] == "Called twice:\r\n\t- no answer"


def test_a_bulk_hold_with_a_control_character_in_the_reason_changes_nothing(owner: Client, api: Client) -> None:
    number = place(api)

    response = owner.post("/orders/bulk/", {"orders": [number], "action": "hold", "reason": "Roof\x00"}, follow=True)

    assert response.status_code == 200
    assert "control character U+0000" in response.content.decode()
    assert Order.objects.get().status == "placed"


@pytest.mark.parametrize("note", ["Counted\x00", "Counted \u202e"])
def test_a_stock_adjustment_note_with_a_control_character_is_refused(owner: Client, note: str) -> None:
    movements = StockMovement.objects.count()
    data = {"location": "athens", "mode": "delta", "quantity": "2", "reason": "received", "note": note}

    response = owner.post("/inventory/TEA-100/", data)

    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_note")
    assert StockMovement.objects.count() == movements


def test_a_stock_adjustment_past_the_integer_column_is_refused_next_to_the_quantity(owner: Client) -> None:
    StockLevel.objects.filter(variant__sku="TEA-100", location__code="athens").update(on_hand=2_000_000_000)
    data = {"location": "athens", "mode": "delta", "quantity": "1000000000", "reason": "received", "note": ""}

    response = owner.post("/inventory/TEA-100/", data)

    assert response.status_code == 400
    assert "a level holds at most 2147483647" in field_error(response.content.decode(), "id_quantity")
    assert StockLevel.objects.get(variant__sku="TEA-100", location__code="athens").on_hand == 2_000_000_000


@pytest.mark.parametrize("field", ["name", "address_line", "city", "postal_code"])
def test_the_settings_refuse_control_characters_next_to_the_field(owner: Client, field: str) -> None:
    data: dict[str, Any] = {
        "name": "Τσάι του Βουνού",
        "email": "shop@example.gr",
        "address_line": "Ερμού 10",
        "postal_code": "10563",
        "city": "Αθήνα",
        "country": "GR",
        "time_zone": "Europe/Athens",
        "currency": "EUR",
        "languages": ["el"],
        "business_days": ["1", "2", "3", "4", "5"],
        "opens_at": "09:00",
        "closes_at": "17:00",
        "overdue_hours": "4",
        "tone": "formal",
        "form_of_address": "polite",
    }
    data[field] = "Α\x00"

    response = owner.post("/settings/", data)

    assert response.status_code == 400
    assert field_error(response.content.decode(), f"id_{field}")
    assert not ShopSettings.objects.exists()


def test_a_stock_count_by_a_staff_member_with_the_longest_name_is_recorded(make_staff: Any) -> None:
    """A username may have 150 characters; with its "staff:" kind it is longer than the ledger's
    actor column, which PostgreSQL refused with a 500."""
    name = "w" * 150
    staff = make_staff("owner", username=name)
    data = {"location": "athens", "mode": "delta", "quantity": "2", "reason": "received", "note": ""}

    response = staff.post("/inventory/TEA-100/", data)

    assert response.status_code == 302
    movement = StockMovement.objects.order_by("-id").first()
    assert movement is not None
    assert movement.actor == f"staff:{name}"[:150]
