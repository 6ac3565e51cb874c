"""A fresh install takes stock over the API: one default location, GET/POST /api/v1/locations, and
adjustments that may leave the location out while the shop has only one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_api_key
from emporos.core.errors import ValidationFailed
from emporos.inventory import services
from emporos.inventory.errors import LocationCodeTaken
from emporos.inventory.models import Location, StockLevel, StockMovement
from tests.conftest import ACTOR, make_product, order_body, place

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_emporos_migrate_leaves_one_default_location(tmp_path: Path) -> None:
    """On a new SQLite file, as a newcomer runs it."""
    database = tmp_path / "fresh.sqlite3"
    environment = {**os.environ, "EMPOROS_DATABASE_URL": f"sqlite:///{database}", "EMPOROS_VAR_DIR": str(tmp_path)}
    subprocess.run(
        [Path(sys.executable).parent / "emporos", "migrate"], env=environment, check=True, capture_output=True
    )
    rows = subprocess.run(
        [sys.executable, "-c", _READ_LOCATIONS, str(database)],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert rows == "[('main', 'Main', 10, 1)]"


_READ_LOCATIONS = (
    "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("
    "'SELECT code, name, priority, is_active FROM inventory_location').fetchall())"
)


@pytest.fixture
def fresh(default_location: Location) -> Client:
    """A fresh install: the default location and nothing else, a key with the inventory scopes."""
    Location.objects.exclude(pk=default_location.pk).delete()
    key = create_api_key(name="storefront").plain_key
    make_product("mountain-tea", ["TEA-100"])
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_a_fresh_install_counts_stock_over_the_api_without_naming_the_location(fresh: Client) -> None:
    assert fresh.get("/api/v1/locations").json() == [
        {"code": "main", "name": "Main", "priority": 10, "is_active": True}
    ]

    response = post(
        fresh, "/api/v1/stock/adjustments", {"adjustments": [{"sku": "TEA-100", "reason": "count", "on_hand": 12}]}
    )

    assert response.status_code == 200, response.content
    assert response.json() == [{"sku": "TEA-100", "location": "main", "on_hand": 12, "reserved": 0, "delta": 12}]
    assert StockLevel.objects.get(variant__sku="TEA-100", location__code="main").on_hand == 12


def test_with_two_active_locations_the_location_must_be_named(fresh: Client) -> None:
    assert post(fresh, "/api/v1/locations", {"code": "warsaw", "name": "Warsaw 3PL", "priority": 2}).status_code == 201
    movements = StockMovement.objects.count()

    response = post(
        fresh, "/api/v1/stock/adjustments", {"adjustments": [{"sku": "TEA-100", "reason": "count", "on_hand": 3}]}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "adjustments.0.location",
            "code": "required",
            "message": "The shop has more than one active location; name one of warsaw, main.",
        }
    ]
    assert StockMovement.objects.count() == movements


def test_an_inactive_second_location_leaves_one_to_default_to(fresh: Client) -> None:
    post(fresh, "/api/v1/locations", {"code": "old-shop", "name": "Old shop", "is_active": False})

    response = post(
        fresh, "/api/v1/stock/adjustments", {"adjustments": [{"sku": "TEA-100", "reason": "count", "on_hand": 3}]}
    )

    assert response.json()[0]["location"] == "main"


def test_without_an_active_location_the_adjustment_says_to_add_one(fresh: Client) -> None:
    Location.objects.update(is_active=False)

    response = post(
        fresh, "/api/v1/stock/adjustments", {"adjustments": [{"sku": "TEA-100", "reason": "count", "on_hand": 3}]}
    )

    assert response.status_code == 422
    assert "POST /api/v1/locations" in response.json()["errors"][0]["message"]


def test_post_location_creates_once_and_a_retry_is_the_same_location(fresh: Client) -> None:
    body = {"code": "thessaloniki", "name": "Thessaloniki store room", "priority": 2}

    created = post(fresh, "/api/v1/locations", body)
    again = post(fresh, "/api/v1/locations", body)

    assert (created.status_code, again.status_code) == (201, 200)
    assert created.json() == again.json() == {**body, "is_active": True}
    assert Location.objects.filter(code="thessaloniki").count() == 1
    assert [row["code"] for row in fresh.get("/api/v1/locations").json()] == ["thessaloniki", "main"]


def test_post_location_with_a_taken_code_is_409(fresh: Client) -> None:
    response = post(fresh, "/api/v1/locations", {"code": "main", "name": "Athens warehouse"})

    assert response.status_code == 409
    assert response.json()["code"] == "location_code_taken"
    assert Location.objects.get(code="main").name == "Main"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "a/b", "name": "A"}, "code"),
        ({"code": "a" * 51, "name": "A"}, "code"),
        ({"code": "back", "name": ""}, "name"),
        ({"code": "back", "name": "x" * 201}, "name"),
        ({"code": "back", "name": "Back", "priority": -1}, "priority"),
        ({"code": "back", "name": "Back", "priority": 40000}, "priority"),
        ({"code": "back", "name": "Back", "priority": "1"}, "priority"),
        ({"code": "back", "name": "Back", "is_active": "yes"}, "is_active"),
        ({"code": "back", "name": "Back", "colour": "red"}, "colour"),
    ],
)
def test_post_location_validates_every_field(fresh: Client, body: dict[str, Any], field: str) -> None:
    response = post(fresh, "/api/v1/locations", body)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert Location.objects.count() == 1


def test_locations_need_the_inventory_scopes(default_location: Location) -> None:
    key = create_api_key(name="orders only", scopes=["orders:read"]).plain_key
    client = Client(headers={"Authorization": f"Bearer {key}"})

    assert client.get("/api/v1/locations").status_code == 403
    assert post(client, "/api/v1/locations", {"code": "x", "name": "X"}).status_code == 403
    assert Client().get("/api/v1/locations").status_code == 401


def test_the_service_refuses_a_taken_code_and_bad_fields_like_the_api(default_location: Location) -> None:
    with pytest.raises(LocationCodeTaken):
        services.add_location(code="main", name="Elsewhere", actor=ACTOR)
    with pytest.raises(ValidationFailed) as raised:
        services.add_location(code="bad code", name="Back\u202eroom", priority=-5, actor=ACTOR)
    assert [error.field for error in raised.value.errors] == ["code", "name", "priority"]


def test_the_service_defaults_a_left_out_location_too(default_location: Location) -> None:
    Location.objects.exclude(pk=default_location.pk).delete()
    make_product("mug", ["MUG-1"])

    (result,) = services.adjust_stock(
        drafts=[services.AdjustmentDraft(sku="MUG-1", location=None, reason="received", delta=4)], actor=ACTOR
    )

    assert (result.location, result.on_hand) == ("main", 4)


def test_an_order_shows_a_location_code_changed_since_without_a_restart(api: Client, catalog: None) -> None:
    """No per-process cache of location codes: a code edited in the admin shows at once."""
    number = place(api)
    assert api.get(f"/api/v1/orders/{number}").json()["lines"][0]["location"] == "athens"

    Location.objects.filter(code="athens").update(code="athens-central")

    assert api.get(f"/api/v1/orders/{number}").json()["lines"][0]["location"] == "athens-central"
    response = api.post(
        "/api/v1/orders",
        data=json.dumps(order_body()),
        content_type="application/json",
        headers={"Idempotency-Key": "2"},
    )
    assert response.json()["lines"][0]["location"] == "athens-central"
