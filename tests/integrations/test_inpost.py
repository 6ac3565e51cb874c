"""InPost ShipX against its recorded answers: locker and courier labels bought asynchronously, cash on
delivery, cancellation, errors and webhooks. No test reaches the network or waits: every request
meets a FakeTransport and the adapter sleeps through a recorder."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

import pytest

from emporos.fulfillment.carriers import (
    CarrierError,
    CarrierNotConfigured,
    Label,
    Parcel,
    PostalAddress,
    TrackingStatus,
    TrackingUpdate,
    WebhookRejected,
)
from emporos.integrations.carriers.inpost import InPost, InPostSettings
from emporos.integrations.carriers.inpost_statuses import STATUS
from emporos.integrations.http import CarrierUnreachable
from tests.integrations.conftest import (
    POLISH_CUSTOMER,
    POLISH_SHOP,
    SHIPMENT_KEY,
    Exchange,
    FakeTransport,
    answer,
    fixture_bytes,
    fixture_json,
    label_request,
)

API = "https://api-shipx-pl.easypack24.net"
TOKEN = "eyJhbGciOiJSUzI1NiJ9.inpost-organization-token-for-tests"
SETTINGS = InPostSettings(api_url=API, token=TOKEN, organization_id="40123", webhook_secret="inpost-webhook-secret")
AUTHORISED = {"Authorization": f"Bearer {TOKEN}", "Accept-Language": "en_GB"}
LOCKER_TRACKING = "620000149876543210123456"
COURIER_TRACKING = "520000011226800410867712"


def polish(**overrides: Any) -> Any:
    """A parcel of Polish tea to a Warsaw Paczkomat."""
    fields: dict[str, Any] = {
        "reference": "EM-20417/1",
        "sender": POLISH_SHOP,
        "recipient": POLISH_CUSTOMER,
        "pickup_point": "WAW345M",
        "currency": "PLN",
        "declared_value": Decimal("186.00"),
        "description": "Herbata 250 g",
    }
    return label_request(**{**fields, **overrides})


def create(fixture: str, reply: str) -> Exchange:
    return Exchange(
        "POST",
        f"{API}/v1/organizations/40123/shipments",
        answer(201, "inpost", reply),
        headers={**AUTHORISED, "Content-Type": "application/json", "X-Request-ID": SHIPMENT_KEY},
        json=fixture_json("inpost", fixture),
    )


def read(shipment_id: int, reply: str) -> Exchange:
    return Exchange("GET", f"{API}/v1/shipments/{shipment_id}", answer(200, "inpost", reply), headers=AUTHORISED)


def label(shipment_id: int, query: str = "format=pdf&type=A6", fixture: str = "label.pdf") -> Exchange:
    pdf = fixture.endswith(".pdf")
    return Exchange(
        "GET",
        f"{API}/v1/shipments/{shipment_id}/label?{query}",
        answer(200, "inpost", fixture, content_type="application/pdf" if pdf else "application/octet-stream"),
        headers={**AUTHORISED, "Accept": "application/pdf" if pdf else "*/*"},
    )


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def adapter(
    *exchanges: Exchange, settings: InPostSettings = SETTINGS, poll_attempts: int = 10
) -> tuple[InPost, FakeTransport, Sleeps]:
    transport, sleeps = FakeTransport(*exchanges), Sleeps()
    return InPost(settings=settings, transport=transport, sleep=sleeps, poll_attempts=poll_attempts), transport, sleeps


# --- labels ---------------------------------------------------------------------------------------


def test_a_locker_label_waits_for_shipx_to_buy_it_then_returns_the_pdf() -> None:
    inpost, transport, sleeps = adapter(
        create("shipment_locker.request.json", "shipment_locker_created.response.json"),
        read(987654321, "shipment_locker_offers_prepared.response.json"),
        read(987654321, "shipment_locker_confirmed.response.json"),
        label(987654321),
    )

    result = inpost.create_label(polish())

    assert result == Label(
        tracking_number=LOCKER_TRACKING,
        carrier_reference="987654321",
        pdf=fixture_bytes("inpost", "label.pdf"),
        tracking_url=f"https://inpost.pl/sledzenie-przesylek?number={LOCKER_TRACKING}",
    )
    assert sleeps == [1.5, 1.5]
    transport.assert_all_made()


def test_a_courier_parcel_with_cash_on_delivery_is_insured_for_the_cash() -> None:
    inpost, transport, sleeps = adapter(
        create("shipment_courier_cod.request.json", "shipment_courier_created.response.json"),
        read(987654322, "shipment_courier_confirmed.response.json"),
        label(987654322),
    )
    parcel = Parcel(weight_grams=5000, length_mm=400, width_mm=300, height_mm=200)

    result = inpost.create_label(
        polish(
            service="courier", pickup_point="", parcel=parcel, cash_on_delivery=Decimal("129.00"), declared_value=None
        )
    )

    assert (result.tracking_number, result.carrier_reference) == (COURIER_TRACKING, "987654322")
    assert sleeps == [1.5]
    transport.assert_all_made()


def test_a_zpl_label() -> None:
    inpost, transport, _ = adapter(
        create("shipment_locker.request.json", "shipment_locker_confirmed.response.json"),
        label(987654321, query="format=zpl", fixture="label.zpl"),
    )

    result = inpost.create_label(polish(label_format="zpl"))

    assert (result.pdf, result.zpl) == (None, fixture_bytes("inpost", "label.zpl").decode())
    transport.assert_all_made()


def test_a_shipment_never_bought_in_time_is_cancelled_so_a_retry_cannot_buy_two() -> None:
    inpost, transport, sleeps = adapter(
        create("shipment_locker.request.json", "shipment_locker_created.response.json"),
        read(987654321, "shipment_locker_offers_prepared.response.json"),
        read(987654321, "shipment_locker_offers_prepared.response.json"),
        Exchange("DELETE", f"{API}/v1/shipments/987654321", answer(204), headers=AUTHORISED),
        poll_attempts=2,
    )

    with pytest.raises(CarrierError) as failed:
        inpost.create_label(polish())

    assert failed.value.message == (
        "InPost had not bought shipment 987654321 after 3 s (still offers_prepared); "
        "it has been cancelled, nothing was charged: try again."
    )
    assert sleeps == [1.5, 1.5]
    transport.assert_all_made()


def test_a_shipment_bought_while_it_was_being_cancelled_is_labelled() -> None:
    inpost, transport, _ = adapter(
        create("shipment_locker.request.json", "shipment_locker_created.response.json"),
        read(987654321, "shipment_locker_offers_prepared.response.json"),
        Exchange(
            "DELETE",
            f"{API}/v1/shipments/987654321",
            answer(400, "inpost", "error_cancel_invalid_action.response.json"),
        ),
        read(987654321, "shipment_locker_confirmed.response.json"),
        label(987654321),
        poll_attempts=1,
    )

    assert inpost.create_label(polish()).tracking_number == LOCKER_TRACKING
    transport.assert_all_made()


# --- errors ---------------------------------------------------------------------------------------


def test_a_validation_error_names_the_fields_shipx_refused() -> None:
    inpost, transport, _ = adapter(
        Exchange(
            "POST",
            f"{API}/v1/organizations/40123/shipments",
            answer(400, "inpost", "error_validation_failed.response.json"),
            json=fixture_json("inpost", "shipment_locker.request.json"),
        )
    )

    with pytest.raises(CarrierError) as refused:
        inpost.create_label(polish())

    assert refused.value.message == (
        "InPost refused the shipment (HTTP 400 validation_failed There are some validation errors. "
        "Check details object for more info.; receiver.phone: invalid; custom_attributes.target_point: "
        "does_not_exist)."
    )
    transport.assert_all_made()


def test_an_invalid_token_is_reported_once_without_retrying() -> None:
    inpost, transport, _ = adapter(
        Exchange("DELETE", f"{API}/v1/shipments/987654321", answer(401, "inpost", "error_token_invalid.response.json"))
    )

    with pytest.raises(CarrierError) as refused:
        inpost.cancel_label(tracking_number=LOCKER_TRACKING, carrier_reference="987654321")

    assert refused.value.message == (
        "InPost refused the API token during the cancellation (HTTP 401 token_invalid Token is missing or "
        "invalid.); check EMPOROS_INPOST_TOKEN."
    )
    transport.assert_all_made()


def test_a_bought_shipment_cannot_be_cancelled_and_the_error_says_what_to_do() -> None:
    inpost, _, _ = adapter(
        Exchange(
            "DELETE",
            f"{API}/v1/shipments/987654321",
            answer(400, "inpost", "error_cancel_invalid_action.response.json"),
        )
    )

    with pytest.raises(CarrierError) as refused:
        inpost.cancel_label(tracking_number=LOCKER_TRACKING, carrier_reference="987654321")

    assert refused.value.message == (
        "InPost refused the cancellation (HTTP 400 invalid_action Action (cancel) can not be taken on shipment "
        "with status (confirmed). ; action: cancel; shipment_status: confirmed): InPost cancels only shipments "
        "not bought yet; ask InPost to cancel a bought one."
    )


def test_a_shipment_not_yet_bought_is_cancelled() -> None:
    inpost, transport, _ = adapter(
        Exchange("DELETE", f"{API}/v1/shipments/987654321", answer(204), headers=AUTHORISED, json=None)
    )

    inpost.cancel_label(tracking_number="", carrier_reference="987654321")

    transport.assert_all_made()


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        pytest.param(
            answer(502, content_type="text/html"),
            "InPost failed during the cancellation (HTTP 502); try again in a few minutes.",
            id="5xx",
        ),
        pytest.param(
            CarrierUnreachable("Could not reach api-shipx-pl.easypack24.net: [Errno 111] Connection refused."),
            "Could not reach api-shipx-pl.easypack24.net: [Errno 111] Connection refused.",
            id="unreachable",
        ),
    ],
)
def test_a_failing_or_silent_shipx_is_a_carrier_error(reply: Any, message: str) -> None:
    inpost, _, _ = adapter(Exchange("DELETE", f"{API}/v1/shipments/987654321", reply))

    with pytest.raises(CarrierError) as failed:
        inpost.cancel_label(tracking_number=LOCKER_TRACKING, carrier_reference="987654321")

    assert failed.value.message == message


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"signature_required": True}, "InPost cannot collect a signature on delivery", id="signature"),
        pytest.param({"presence_required": True}, "InPost cannot promise hand delivery", id="presence"),
        pytest.param({"pickup_point": ""}, "a locker parcel needs the locker's name", id="no-locker"),
        pytest.param({"service": "pallet"}, "InPost services here are courier, locker; 'pallet'", id="service"),
        pytest.param({"parcel": Parcel(weight_grams=800)}, "Measure the parcel: InPost's locker size", id="no-size"),
        pytest.param(
            {"parcel": Parcel(weight_grams=26_000, length_mm=300, width_mm=200, height_mm=100)},
            "up to 25 kg; this one weighs 26000 g",
            id="too-heavy",
        ),
        pytest.param(
            {"parcel": Parcel(weight_grams=3000, length_mm=700, width_mm=300, height_mm=200)},
            "A 70 x 30 x 20 cm parcel does not fit an InPost locker",
            id="too-big",
        ),
        pytest.param(
            {"service": "courier", "declared_value": None}, "InPost insures every courier parcel", id="uninsured"
        ),
        pytest.param(
            {"service": "courier", "parcel": Parcel(weight_grams=800)},
            "InPost's courier needs its length",
            id="unmeasured",
        ),
        pytest.param(
            {
                "recipient": PostalAddress(
                    name="Anna Kowalska", line1="ul. Długa 5", postal_code="00-238", city="Warszawa", country="PL"
                )
            },
            "give the recipient's phone and e-mail",
            id="no-phone",
        ),
    ],
)
def test_what_inpost_cannot_do_is_refused_before_any_request(overrides: dict[str, Any], message: str) -> None:
    inpost, transport, _ = adapter()

    with pytest.raises(CarrierError, match=message):
        inpost.create_label(polish(**overrides))

    assert transport.requests == []


@pytest.mark.parametrize(
    ("carrier_settings", "call", "missing"),
    [
        pytest.param(InPostSettings(), "create", "EMPOROS_INPOST_TOKEN, EMPOROS_INPOST_ORGANIZATION_ID", id="label"),
        pytest.param(InPostSettings(), "cancel", "EMPOROS_INPOST_TOKEN", id="cancel"),
        pytest.param(InPostSettings(token="t"), "webhook", "EMPOROS_INPOST_WEBHOOK_SECRET", id="webhook"),
    ],
)
def test_without_credentials_a_call_names_what_to_set_and_sends_nothing(
    carrier_settings: InPostSettings, call: str, missing: str
) -> None:
    inpost, transport, _ = adapter(settings=carrier_settings)
    calls = {
        "create": lambda: inpost.create_label(polish()),
        "cancel": lambda: inpost.cancel_label(tracking_number=LOCKER_TRACKING, carrier_reference="987654321"),
        "webhook": lambda: inpost.parse_webhook(
            headers={}, body=fixture_bytes("inpost", "webhook_shipment_confirmed.json")
        ),
    }

    with pytest.raises(CarrierNotConfigured) as refused:
        calls[call]()

    assert refused.value.message == (
        f"InPost is not set up: set {missing} in the environment (README, section Carriers) and restart Emporos."
    )
    assert transport.requests == []


def test_no_price_api_and_a_public_tracking_page() -> None:
    inpost, _, _ = adapter()

    assert inpost.rates(None) == []  # type: ignore[arg-type]
    assert inpost.tracking_url(LOCKER_TRACKING) == f"https://inpost.pl/sledzenie-przesylek?number={LOCKER_TRACKING}"


# --- webhooks -------------------------------------------------------------------------------------

SECRET = {"X-Webhook-Secret": "inpost-webhook-secret"}


def test_a_status_change_becomes_one_tracking_update() -> None:
    inpost, transport, _ = adapter()

    updates = inpost.parse_webhook(headers=SECRET, body=fixture_bytes("inpost", "webhook_status_ready_to_pickup.json"))

    assert updates == [
        TrackingUpdate(
            event_id="987654321:shipment_status_changed:ready_to_pickup:2026-12-03 13:42:17 +0100",
            tracking_number=LOCKER_TRACKING,
            status=TrackingStatus.AVAILABLE_FOR_PICKUP,
            occurred_at=dt.datetime(2026, 12, 3, 12, 42, 17, tzinfo=dt.UTC),
            description="ready_to_pickup",
            raw=fixture_json("inpost", "webhook_status_ready_to_pickup.json"),
            carrier_reference="987654321",
        )
    ]
    assert transport.requests == []


def test_the_confirmation_is_the_label_created() -> None:
    inpost, _, _ = adapter()

    [update] = inpost.parse_webhook(
        headers={"x-webhook-secret": "inpost-webhook-secret"},
        body=fixture_bytes("inpost", "webhook_shipment_confirmed.json"),
    )

    assert (update.status, update.tracking_number, update.occurred_at) == (
        TrackingStatus.LABEL_CREATED,
        LOCKER_TRACKING,
        dt.datetime(2026, 12, 2, 9, 15, 3, tzinfo=dt.UTC),
    )


def test_offers_say_nothing_about_the_parcel() -> None:
    inpost, _, _ = adapter()

    assert inpost.parse_webhook(headers=SECRET, body=fixture_bytes("inpost", "webhook_offers_prepared.json")) == []


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-secret"),
        pytest.param({"X-Webhook-Secret": "guessed"}, id="wrong-secret"),
        pytest.param({"X-Webhook-Secret": "inpost-webhook-secret-and-more"}, id="longer-secret"),
        pytest.param({"X-Webhook-Secret": "ąę"}, id="non-ascii"),
    ],
)
def test_a_webhook_without_the_shops_secret_is_rejected(headers: dict[str, str]) -> None:
    inpost, _, _ = adapter()

    with pytest.raises(WebhookRejected, match="did not carry the shop's secret in X-Webhook-Secret"):
        inpost.parse_webhook(headers=headers, body=fixture_bytes("inpost", "webhook_status_ready_to_pickup.json"))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b'{"event": "shipment_status_changed"}', "lacks `event` or `payload.shipment_id`", id="shape"),
        pytest.param(
            fixture_bytes("inpost", "webhook_status_ready_to_pickup.json").replace(b"40123", b"777"),
            "for organization 777, not 40123",
            id="other-organization",
        ),
        pytest.param(
            fixture_bytes("inpost", "webhook_status_ready_to_pickup.json").replace(
                b"2026-12-03 13:42:17", b"yesterday"
            ),
            "is not a time",
            id="time",
        ),
    ],
)
def test_a_webhook_not_for_this_shop_is_rejected(body: bytes, message: str) -> None:
    inpost, _, _ = adapter()

    with pytest.raises(WebhookRejected, match=message):
        inpost.parse_webhook(headers=SECRET, body=body)


def test_an_undocumented_status_is_taken_as_in_transit_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    inpost, _, _ = adapter()

    with caplog.at_level(logging.WARNING, logger="emporos.integrations.carriers.common"):
        [update] = inpost.parse_webhook(
            headers=SECRET, body=fixture_bytes("inpost", "webhook_status_undocumented.json")
        )

    assert (update.status, update.description) == (TrackingStatus.IN_TRANSIT, "scanned_at_night_hub")
    assert caplog.messages == [
        "InPost sent an undocumented status 'scanned_at_night_hub' for shipment 987654321; recorded as in transit"
    ]


def test_events_arriving_out_of_order_keep_their_own_times() -> None:
    inpost, _, _ = adapter()

    later = inpost.parse_webhook(headers=SECRET, body=fixture_bytes("inpost", "webhook_status_ready_to_pickup.json"))
    earlier = inpost.parse_webhook(
        headers=SECRET, body=fixture_bytes("inpost", "webhook_status_sent_from_source_branch.json")
    )

    assert [(u.status, u.occurred_at) for u in later + earlier] == [
        (TrackingStatus.AVAILABLE_FOR_PICKUP, dt.datetime(2026, 12, 3, 12, 42, 17, tzinfo=dt.UTC)),
        (TrackingStatus.IN_TRANSIT, dt.datetime(2026, 12, 2, 18, 3, 55, tzinfo=dt.UTC)),
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("confirmed", TrackingStatus.LABEL_CREATED),
        ("dispatched_by_sender", TrackingStatus.PICKED_UP),
        ("taken_by_courier", TrackingStatus.PICKED_UP),
        ("adopted_at_sorting_center", TrackingStatus.IN_TRANSIT),
        ("out_for_delivery", TrackingStatus.OUT_FOR_DELIVERY),
        ("avizo", TrackingStatus.DELIVERY_ATTEMPTED),
        ("ready_to_pickup", TrackingStatus.AVAILABLE_FOR_PICKUP),
        ("delivered", TrackingStatus.DELIVERED),
        ("pickup_time_expired", TrackingStatus.EXCEPTION),
        ("undelivered_wrong_address", TrackingStatus.EXCEPTION),
        ("returned_to_sender", TrackingStatus.RETURNED_TO_SENDER),
    ],
)
def test_documented_statuses_map_to_emporos_words(status: str, expected: TrackingStatus) -> None:
    assert STATUS[status] == expected
