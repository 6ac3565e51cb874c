"""Products upsert, stock adjustments (absolute and delta), levels and the ledger."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from emporos.catalog.models import Product, Variant
from emporos.inventory.models import StockLevel, StockMovement

pytestmark = pytest.mark.usefixtures("locations")


def post(api: Client, url: str, body: Any) -> Any:
    return api.post(url, data=json.dumps(body), content_type="application/json")


PRODUCTS = {
    "products": [
        {
            "code": "olive-oil",
            "name": "Olive oil",
            "variants": [
                {"sku": "OIL-500", "name": "Olive oil 500 ml", "price": "9.50", "weight_grams": 600},
                {"sku": "OIL-1000", "name": "Olive oil 1 l", "price": "16.00", "weight_grams": 1100},
            ],
        },
        {
            "code": "cookbook",
            "name": "Cookbook",
            "fulfillment_mode": "preorder",
            "release_on": "2027-03-01",
            "out_of_stock_policy": "preorder",
            "variants": [{"sku": "COOK-1", "name": "Cookbook", "price": "30.00"}],
        },
    ]
}


def test_products_are_created_then_updated_by_code_and_sku(api: Client) -> None:
    assert post(api, "/api/v1/products", PRODUCTS).json() == {"created": ["olive-oil", "cookbook"], "updated": []}

    changed = json.loads(json.dumps(PRODUCTS))
    changed["products"][0]["variants"][0]["price"] = "9.90"
    response = post(api, "/api/v1/products", changed)

    assert response.json() == {"created": [], "updated": ["olive-oil", "cookbook"]}
    assert str(Variant.objects.get(sku="OIL-500").price) == "9.90"
    assert Product.objects.get(code="cookbook").release_on.isoformat() == "2027-03-01"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda p: p["products"][1].pop("release_on"), "products.1.release_on"),
        (lambda p: p["products"][0].update(fulfillment_mode="teleport"), "products.0.fulfillment_mode"),
        (lambda p: p["products"][0]["variants"][1].update(sku="OIL-500"), "products.0.variants.1.sku"),
        (lambda p: p["products"][0]["variants"][0].update(price="-1"), "products.0.variants.0.price"),
        (lambda p: p["products"][0].update(colour="green"), "products.0.colour"),
    ],
    ids=["preorder-without-date", "unknown-mode", "duplicate-sku", "negative-price", "unknown-field"],
)
def test_bad_products_are_refused_whole(api: Client, change: Any, field: str) -> None:
    body = json.loads(json.dumps(PRODUCTS))
    change(body)

    response = post(api, "/api/v1/products", body)

    assert response.status_code == 422, response.content
    assert field in [error["field"] for error in response.json()["errors"]]
    assert Product.objects.count() == 0


def test_adjust_by_count_and_by_delta_then_read_levels_and_ledger(api: Client) -> None:
    post(api, "/api/v1/products", PRODUCTS)

    first = post(
        api,
        "/api/v1/stock/adjustments",
        {
            "adjustments": [
                {"sku": "OIL-500", "location": "athens", "on_hand": 12, "reason": "count"},
                {"sku": "OIL-500", "location": "warsaw", "delta": 5, "reason": "received", "reference": "PO-7"},
            ]
        },
    )
    second = post(
        api,
        "/api/v1/stock/adjustments",
        {
            "adjustments": [
                {"sku": "OIL-500", "location": "athens", "delta": -2, "reason": "damaged", "note": "Broken bottles"},
            ]
        },
    )

    assert first.status_code == second.status_code == 200
    assert api.get("/api/v1/stock/OIL-500").json() == {
        "sku": "OIL-500",
        "name": "Olive oil 500 ml",
        "on_hand": 15,
        "reserved": 0,
        "available": 15,
        "locations": [
            {"location": "athens", "on_hand": 10, "reserved": 0, "available": 10},
            {"location": "warsaw", "on_hand": 5, "reserved": 0, "available": 5},
        ],
    }
    ledger = api.get("/api/v1/stock/OIL-500/ledger").json()["movements"]
    assert [(m["location"], m["on_hand_delta"], m["reason"]) for m in ledger] == [
        ("athens", -2, "damaged"),
        ("warsaw", 5, "received"),
        ("athens", 12, "count"),
    ]


@pytest.mark.parametrize(
    ("adjustment", "field"),
    [
        ({"sku": "NOPE", "location": "athens", "delta": 1, "reason": "received"}, "adjustments.0.sku"),
        ({"sku": "OIL-500", "location": "mars", "delta": 1, "reason": "received"}, "adjustments.0.location"),
        ({"sku": "OIL-500", "location": "athens", "reason": "received"}, "adjustments.0"),
        ({"sku": "OIL-500", "location": "athens", "delta": 1, "on_hand": 3, "reason": "count"}, "adjustments.0"),
        ({"sku": "OIL-500", "location": "athens", "delta": 1, "reason": "magic"}, "adjustments.0.reason"),
        ({"sku": "OIL-500", "location": "athens", "delta": -1, "reason": "damaged"}, "adjustments.0.delta"),
    ],
    ids=["unknown-sku", "unknown-location", "neither", "both", "unknown-reason", "below-reserved"],
)
def test_bad_adjustments_change_nothing(api: Client, adjustment: dict[str, Any], field: str) -> None:
    post(api, "/api/v1/products", PRODUCTS)
    movements = StockMovement.objects.count()

    response = post(api, "/api/v1/stock/adjustments", {"adjustments": [adjustment]})

    assert response.status_code == 422, response.content
    assert field in [error["field"] for error in response.json()["errors"]]
    assert StockMovement.objects.count() == movements
    assert sum(StockLevel.objects.values_list("on_hand", flat=True)) == 0


def test_unknown_sku_stock_is_404(api: Client) -> None:
    assert api.get("/api/v1/stock/NOPE").status_code == 404
