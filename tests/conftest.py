"""Shared fixtures. The real database, the real API, exact assertions."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from emporos.access.services import create_api_key
from emporos.catalog.services import ProductDraft, VariantDraft, upsert_products
from emporos.core.actor import Actor
from emporos.inventory.models import Location
from emporos.inventory.services import AdjustmentDraft, adjust_stock

STRICT = os.environ.get("EMPOROS_TEST_STRICT", "") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under EMPOROS_TEST_STRICT=1 (CI), a skip is a failure: PostgreSQL and Chromium must be there."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under EMPOROS_TEST_STRICT=1: {report.longrepr}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = os.environ.get("EMPOROS_DATABASE_URL", "").startswith("postgres")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: set EMPOROS_TEST_DATABASE_URL=postgres://... (README)")
            )


ACTOR = Actor.system("tests")


@pytest.fixture
def actor() -> Actor:
    return ACTOR


@pytest.fixture
def default_location(db: None) -> Location:
    """The location a fresh install has ("main", from a data migration). A transactional test's
    flush removes it, so it is put back for the tests that start from a fresh install."""
    location, _ = Location.objects.get_or_create(code="main", defaults={"name": "Main", "priority": 10})
    return location


@pytest.fixture
def locations(db: None) -> dict[str, Location]:
    """Athens and Warsaw. The fresh install's "main" becomes Athens, as a shop owner would rename it."""
    athens = Location.objects.filter(code="main").first() or Location()
    athens.code, athens.name, athens.priority, athens.is_active = "athens", "Athens warehouse", 1, True
    athens.save()
    return {
        loc.code: loc for loc in [athens, Location.objects.create(code="warsaw", name="Warsaw store room", priority=2)]
    }


def make_product(
    code: str,
    skus: list[str],
    *,
    price: str = "19.90",
    mode: str = "physical",
    policy: str = "deny",
    release_on: Any = None,
) -> None:
    upsert_products(
        drafts=[
            ProductDraft(
                code=code,
                name=code.replace("-", " ").title(),
                fulfillment_mode=mode,
                out_of_stock_policy=policy,
                release_on=release_on,
                variants=[VariantDraft(sku=sku, name=f"{code} {sku}", price=Decimal(price)) for sku in skus],
            )
        ]
    )


def stock(sku: str, on_hand: int, location: str = "athens") -> None:
    adjust_stock(drafts=[AdjustmentDraft(sku=sku, location=location, reason="count", on_hand=on_hand)], actor=ACTOR)


@pytest.fixture
def catalog(locations: dict[str, Location]) -> None:
    """Tea (stocked, deny), a mug (backorder), a made-to-order icon, a pre-order book, an e-book."""
    make_product("mountain-tea", ["TEA-100", "TEA-250"], price="19.90")
    make_product("mug", ["MUG-1"], price="12.00", policy="backorder")
    make_product("icon", ["ICON-1"], price="80.00", mode="made_to_order")
    make_product("book", ["BOOK-1"], price="25.00", mode="preorder", release_on="2027-01-15")
    make_product("ebook", ["EBOOK-1"], price="9.99", mode="digital")
    stock("TEA-100", 10)
    stock("TEA-250", 5)
    stock("MUG-1", 1)


@pytest.fixture
def api_key(db: None) -> str:
    return create_api_key(name="storefront").plain_key


@pytest.fixture
def api(api_key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_key}"})


def order_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "web",
        "currency": "EUR",
        "customer": {
            "email": "maria@example.gr",
            "name": "Μαρία Παπαδοπούλου",
            "phone": "+306912345678",
            "language": "el",
        },
        "shipping_address": {
            "name": "Μαρία Παπαδοπούλου",
            "line1": "Ερμού 10",
            "city": "Αθήνα",
            "postal_code": "10563",
            "country": "GR",
            "phone": "+306912345678",
        },
        "shipping_method": "courier-standard",
        "payment": {"method": "card", "status": "paid"},
        "lines": [{"sku": "TEA-100", "quantity": 2, "unit_price": "19.90"}],
        "shipping_price": "3.50",
        "total": "43.30",
    }
    body.update(overrides)
    return body


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Files a test stores (digital goods, labels) go to its own folder, never the working tree."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_shop_settings() -> Iterator[None]:
    """Each test reads the shop's settings from its own database, not a cached copy of another's."""
    from emporos.shop import selectors

    selectors.forget()
    yield
    selectors.forget()


@pytest.fixture(autouse=True)
def _no_remembered_api_keys() -> Iterator[None]:
    """Each test reads API keys from its own database, not from the memory of another test's."""
    from emporos.access import key_cache

    key_cache.forget_all()
    yield
    key_cache.forget_all()


@pytest.fixture(autouse=True)
def _english_until_asked() -> Iterator[None]:
    """Each test starts in English: a page a previous test opened in Greek or Hebrew leaves its
    language active in the thread (Django's LocaleMiddleware does not switch it back)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


STAFF_PASSWORD = "a-long-staff-password-42"


@pytest.fixture
def daytime() -> Iterator[None]:
    """The clock stopped at yesterday 10:00 UTC (midday in Athens, Warsaw and Tel Aviv), outside
    the default quiet hours: for tests that expect a message to go out at once whenever they run."""
    from emporos.core import clock

    yesterday = clock.now().astimezone(dt.UTC) - dt.timedelta(days=1)
    with clock.frozen_at(yesterday.replace(hour=10, minute=0, second=0, microsecond=0)):
        yield


@pytest.fixture
def make_staff(db: None) -> Any:
    """make_staff("warehouse") -> a Client signed in as a new staff member with that role."""
    from emporos.access.services import create_staff

    def make(role: str = "owner", username: str | None = None) -> Client:
        name = username or f"{role}-user"
        create_staff(username=name, email=f"{name}@example.com", password=STAFF_PASSWORD, role=role)
        client = Client()
        client.login(username=name, password=STAFF_PASSWORD)
        return client

    return make


@pytest.fixture
def owner(make_staff: Any) -> Client:
    return make_staff("owner")


def place(api: Client, **overrides: Any) -> str:
    """Place an order through the API (order_body with overrides); return its number."""
    response = api.post(
        "/api/v1/orders",
        order_body(**overrides),
        content_type="application/json",
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.content
    return str(response.json()["number"])


def timeline(subject: Any, *, language: str = "en") -> list[Any]:
    """The timeline of an order (or of a customer) in words, oldest entry first."""
    from emporos.customers.models import Customer
    from emporos.timeline.models import SubjectKind
    from emporos.timeline.selectors import timeline_of

    kind = SubjectKind.CUSTOMER if isinstance(subject, Customer) else SubjectKind.ORDER
    return list(reversed(timeline_of(kind, subject.pk, language=language, time_zone="Europe/Athens")))


def timeline_kinds(subject: Any) -> list[str]:
    return [entry.kind for entry in timeline(subject)]
