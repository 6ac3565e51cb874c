"""BOX NOW's customer returns against their recorded answers: the request names the customer and
the shop's return destination, the label is fetched for the parcel BOX NOW answers with, and
InPost (whose ShipX documents no return call) sells none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from emporos.fulfillment import carriers
from emporos.fulfillment.carriers import CarrierError, CarrierNotConfigured, CarrierUnavailable, Label, Parcel
from emporos.integrations.carriers.boxnow import BoxNow, BoxNowSettings
from emporos.integrations.carriers.inpost import InPost, InPostSettings
from emporos.integrations.carriers.tokens import TokenCache
from tests.integrations.conftest import (
    GREEK_CUSTOMER,
    GREEK_SHOP,
    Exchange,
    FakeTransport,
    answer,
    fixture_bytes,
    fixture_json,
    label_request,
)
from tests.integrations.test_boxnow import API, SETTINGS, bearer, sign_in

RETURN_KEY = "5a0f7c3e-1b2d-4e6f-8a9b-0c1d2e3f4a5b"
RETURN_SETTINGS = BoxNowSettings(**{**SETTINGS.__dict__, "return_destination_id": "4"})


def return_request(**overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "reference": "EM-10001-R1",
        "idempotency_key": RETURN_KEY,
        "sender": GREEK_CUSTOMER,
        "recipient": GREEK_SHOP,
        "parcel": Parcel(weight_grams=250),
        "pickup_point": "",
        "declared_value": Decimal("19.90"),
        "description": "EM-10001-R1",
    }
    return label_request(**{**fields, **overrides})


def expected_body(key: str = RETURN_KEY) -> Any:
    body = fixture_json("boxnow", "customer_return.request.json")
    body["parcels"][0]["id"] = key
    return body


def customer_return(reply: Any = None) -> Exchange:
    return Exchange(
        "POST",
        f"{API}/api/v1/delivery-requests:customerReturns",
        reply or answer(200, "boxnow", "customer_return.response.json"),
        headers={**bearer(), "Content-Type": "application/json"},
        json=expected_body(),
    )


def return_label_pdf() -> Exchange:
    return Exchange(
        "GET",
        f"{API}/api/v1/parcels/9219709377/label.pdf",
        answer(200, "boxnow", "label.pdf", content_type="application/pdf"),
        headers={**bearer(), "Accept": "application/pdf"},
    )


def boxnow(*exchanges: Exchange, settings: BoxNowSettings = RETURN_SETTINGS) -> tuple[BoxNow, FakeTransport]:
    transport = FakeTransport(*exchanges)
    return BoxNow(settings=settings, transport=transport, tokens=TokenCache()), transport


def test_a_customer_return_is_requested_and_its_label_fetched() -> None:
    adapter, transport = boxnow(sign_in(), customer_return(), return_label_pdf())
    label = adapter.create_return_label(return_request())
    assert label == Label(
        tracking_number="9219709377",
        carrier_reference="9219709377",
        pdf=fixture_bytes("boxnow", "label.pdf"),
        tracking_url="https://t.boxnow.gr/?track=9219709377",
    )
    transport.assert_all_made()


def test_boxnow_sells_return_labels_and_inpost_does_not() -> None:
    assert carriers.supports_returns(boxnow()[0])
    assert not carriers.supports_returns(InPost(settings=InPostSettings(), transport=FakeTransport()))


@pytest.mark.parametrize(
    ("configured", "missing"),
    [
        pytest.param(SETTINGS, "EMPOROS_BOXNOW_RETURN_DESTINATION_ID", id="no-destination"),
        pytest.param(
            BoxNowSettings(),
            "EMPOROS_BOXNOW_CLIENT_ID, EMPOROS_BOXNOW_CLIENT_SECRET, EMPOROS_BOXNOW_RETURN_DESTINATION_ID",
            id="nothing",
        ),
    ],
)
def test_a_return_without_its_settings_is_refused_before_anything_leaves(
    configured: BoxNowSettings, missing: str
) -> None:
    adapter, transport = boxnow(settings=configured)
    with pytest.raises(CarrierNotConfigured, match=missing):
        adapter.create_return_label(return_request())
    assert transport.requests == []


def test_a_customer_without_phone_is_refused_before_anything_leaves() -> None:
    adapter, transport = boxnow(sign_in())
    customer = GREEK_CUSTOMER.__class__(**{**GREEK_CUSTOMER.__dict__, "phone": ""})
    with pytest.raises(CarrierError, match="drop-off code by SMS and e-mail") as refused:
        adapter.create_return_label(return_request(sender=customer))
    assert not refused.value.retryable
    assert transport.requests == []


def test_boxnow_failing_on_its_side_is_worth_trying_again() -> None:
    failing = answer(503)
    adapter, _ = boxnow(sign_in(), customer_return(failing))
    with pytest.raises(CarrierUnavailable, match="BOX NOW failed during the return request") as failed:
        adapter.create_return_label(return_request())
    assert failed.value.retryable
