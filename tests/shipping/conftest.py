"""A shop that ships across Greece (free from 50 EUR, cash on delivery, a locker) and to Crete."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from emporos.catalog.models import Variant
from emporos.shipping.models import Method, Rate, Zone, ZoneArea
from tests.conftest import make_product


def method(zone: Zone, code: str, *, rates: list[tuple[str | None, str]], **fields: Any) -> Method:
    made = Method.objects.create(zone=zone, code=code, name=code.replace("-", " ").title(), currency="EUR", **fields)
    Rate.objects.bulk_create(
        [Rate(method=made, up_to=Decimal(up_to) if up_to else None, price=Decimal(price)) for up_to, price in rates]
    )
    return made


@pytest.fixture
def greece(catalog: None) -> None:
    make_product("tea-mountain", ["TEA-MOUNTAIN-100"], price="19.90")
    Variant.objects.filter(sku="TEA-MOUNTAIN-100").update(weight_grams=120)
    Variant.objects.filter(sku="TEA-100").update(weight_grams=5000)
    greece = Zone.objects.create(code="greece", name="Greece")
    ZoneArea.objects.create(zone=greece, country="GR")
    method(
        greece,
        "courier-standard",
        kind="home",
        free_over=Decimal("50.00"),
        cash_on_delivery=True,
        cash_on_delivery_fee=Decimal("2.00"),
        rates=[("2000", "3.50"), ("10000", "6.00")],
        position=1,
    )
    method(greece, "boxnow-locker", kind="locker", price_basis="value", rates=[(None, "2.90")], position=2)
    islands = Zone.objects.create(code="crete", name="Crete")
    ZoneArea.objects.create(zone=islands, country="GR", postal_prefix="7")
    method(islands, "courier-standard", kind="home", rates=[(None, "5.50")], transit_days_min=2, transit_days_max=4)
