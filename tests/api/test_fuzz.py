"""Fuzzing as a test: schemathesis sends generated requests to every operation of the OpenAPI.

Valid and invalid input alike (both generation modes, the explicit examples, the boundary cases of
the coverage phase and random fuzzing), with a key holding every scope and a shop with products,
stock, orders and a dead delivery, so requests reach past authentication and the 404s. Every
answer must be no 5xx, a status the document lists for the operation, of the documented media
type and schema. Part of `make test`, so it runs on SQLite and again on PostgreSQL; the number of
requests is reported at the end of the run ("API fuzzing: N requests ...").

Bounded by EMPOROS_FUZZ_EXAMPLES (random examples per operation; 150 by default, about 4,000
requests in under a minute) to stay within a few minutes on two cores. The seed is fixed, so a
failure repeats; EMPOROS_FUZZ_SEED explores other requests.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from emporos.api.app import api
from emporos.outbox.models import Delivery, DeliveryStatus
from tests.api.conftest import FuzzTally
from tests.conftest import place, stock

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("EMPOROS_FUZZ_EXAMPLES", "150"))
# The same requests in every run, so a failure can be repeated; set another seed to explore.
SEED = int(os.environ.get("EMPOROS_FUZZ_SEED", "20261124"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES,
            "database": "none",
            "no-shrink": True,
            "with-security-parameters": False,
        },
        "phases": {"stateful": {"enabled": False}},
        "suppress-health-check": ["all"],
    }
)


class Shop:
    """What the fuzzer may aim at besides random values: real SKUs, order numbers, a dead delivery."""

    def __init__(self, api: Client) -> None:
        self.numbers = [place(api), place(api, payment={"method": "bank_transfer", "status": "pending"})]
        self.skus = ["TEA-100", "TEA-250", "MUG-1", "BOOK-1", "EBOOK-1"]
        stock("TEA-100", 1_000_000)
        stock("TEA-250", 1_000_000)
        with transaction.atomic():
            delivery = Delivery.objects.order_by("id").first()
            assert delivery is not None
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.DEAD, last_error="boom")
        self.delivery_id = delivery.pk
        self.turn = itertools.count()

    def aim(self, case: Any) -> None:
        """Every other case: a real order number, SKU or delivery instead of a random one, and an
        order body repaired to pass intake, so storage sees the generated names and notes."""
        turn = next(self.turn)
        if turn % 2:
            return
        parameters = case.path_parameters or {}
        if "number" in parameters:
            parameters["number"] = self.numbers[turn // 2 % len(self.numbers)]
        if "sku" in parameters:
            parameters["sku"] = self.skus[turn // 2 % len(self.skus)]
        if "delivery_id" in parameters:
            parameters["delivery_id"] = self.delivery_id
        query = case.query or {}
        for name in ("cursor", "placed_from", "placed_to"):  # rarely valid when random; they hide the rest
            query.pop(name, None)
        body = case.body
        if case.operation.path == "/api/v1/orders" and case.method == "POST" and isinstance(body, dict):
            self._repair_order(body)
            case.headers = {**(case.headers or {}), "Idempotency-Key": f"fuzz-{turn}"}
        if case.operation.path == "/api/v1/stock/adjustments" and isinstance(body, dict):
            for adjustment in body.get("adjustments") or []:
                if isinstance(adjustment, dict):
                    adjustment.update(sku="TEA-250", location="athens")

    def _repair_order(self, body: dict[str, Any]) -> None:
        """Known SKUs, a real e-mail, a country and a total that adds up; generated text kept."""
        lines = body.get("lines")
        customer = body.get("customer")
        if not isinstance(lines, list) or not lines or not isinstance(customer, dict):
            return
        try:
            amounts = [Decimal(line["unit_price"]) * 1 for line in lines]
            extras = Decimal(body.get("shipping_price", "0")) + Decimal(body.get("gift_wrap_price", "0"))
        except (KeyError, TypeError, ArithmeticError, ValueError):
            return
        for index, line in enumerate(lines):
            line.update(sku=self.skus[index % len(self.skus)], quantity=1)
        customer.update(email="fuzz@example.gr", phone="", language="el")
        if not isinstance(body.get("shipping_address"), dict):
            body["shipping_address"] = {"name": "Μαρία", "line1": "Ερμού 10", "city": "Αθήνα", "postal_code": "10563"}
        for address in (body.get("shipping_address"), body.get("billing_address")):
            if isinstance(address, dict):
                address.update(country="GR", phone="")
        body.update(channel="web", currency="EUR", payment={"method": "card", "status": "paid"})
        body.pop("placed_at", None)
        body["total"] = str(sum(amounts, extras))


@pytest.fixture
def shop(api: Client) -> Shop:
    return Shop(api)


# The document as /api/v1/openapi.json serves it (read without a request: collection has no database).
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder)), config=CONFIG
)


APP = get_wsgi_application()


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """Django's WSGI application closes the database connection around each request, and with it
    the test's transaction; Django's test client keeps it open the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@schema.parametrize()
@pytest.mark.usefixtures("catalog")
def test_the_api_answers_every_generated_request_as_documented(
    case: Any, shop: Shop, api_key: str, fuzz_tally: FuzzTally
) -> None:
    """`api_key` holds every scope."""
    shop.aim(case)
    with connection_kept_open():
        response = case.call(headers={"Authorization": f"Bearer {api_key}"}, app=APP)
    fuzz_tally.requests[f"{case.operation.method.upper()} {case.operation.path}"] += 1
    fuzz_tally.statuses[response.status_code] += 1
    case.validate_response(response, checks=CHECKS)
