"""BOX NOW against its recorded answers: token, locker labels, cash on delivery, cancellation,
errors and signed webhooks. No test reaches the network: every request meets a FakeTransport."""

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
    TrackingStatus,
    TrackingUpdate,
    WebhookRejected,
)
from emporos.integrations.carriers.boxnow import EVENT_STATUS, BoxNow, BoxNowSettings
from emporos.integrations.carriers.tokens import TokenCache
from emporos.integrations.http import CarrierUnreachable, HttpResponse
from tests.integrations.conftest import (
    Clock,
    Exchange,
    FakeTransport,
    answer,
    fixture_bytes,
    fixture_json,
    label_request,
)

API = "https://api-stage.boxnow.gr"
START = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)
SETTINGS = BoxNowSettings(
    api_url=API,
    client_id="7b1f0c52-4e1a-4c0d-9f3e-emporos-test",
    client_secret="boxnow-client-secret-for-tests",
    origin_id="2",
    webhook_secret="boxnow-webhook-secret-for-tests",
)
FIRST_TOKEN = fixture_json("boxnow", "auth_session.response.json")["access_token"]
SECOND_TOKEN = fixture_json("boxnow", "auth_session_renewed.response.json")["access_token"]


def sign_in(reply: str = "auth_session.response.json") -> Exchange:
    return Exchange(
        "POST",
        f"{API}/api/v1/auth-sessions",
        answer(200, "boxnow", reply),
        headers={"Content-Type": "application/json"},
        absent_headers=("Authorization",),
        json=fixture_json("boxnow", "auth_session.request.json"),
    )


def bearer(token: str = FIRST_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def label_pdf(token: str = FIRST_TOKEN) -> Exchange:
    return Exchange(
        "GET",
        f"{API}/api/v1/parcels/9219709201/label.pdf",
        answer(200, "boxnow", "label.pdf", content_type="application/pdf"),
        headers={**bearer(token), "Accept": "application/pdf"},
    )


def cancel(reply: Any = None, token: str = FIRST_TOKEN) -> Exchange:
    return Exchange("POST", f"{API}/api/v1/parcels/9219709201:cancel", reply or answer(200), headers=bearer(token))


def adapter(
    *exchanges: Exchange, settings: BoxNowSettings = SETTINGS, clock: Clock | None = None
) -> tuple[BoxNow, FakeTransport]:
    transport = FakeTransport(*exchanges)
    return BoxNow(settings=settings, transport=transport, tokens=TokenCache(), now=clock or Clock(START)), transport


EXPECTED_LABEL = Label(
    tracking_number="9219709201",
    carrier_reference="9219709201",
    pdf=fixture_bytes("boxnow", "label.pdf"),
    tracking_url="https://t.boxnow.gr/?track=9219709201",
)


# --- labels ---------------------------------------------------------------------------------------


def test_a_locker_label_signs_in_requests_delivery_and_returns_the_pdf() -> None:
    boxnow, transport = adapter(
        sign_in(),
        Exchange(
            "POST",
            f"{API}/api/v1/delivery-requests",
            answer(200, "boxnow", "delivery_request.response.json"),
            headers={**bearer(), "Content-Type": "application/json", "Accept": "application/json"},
            absent_headers=("X-PartnerID",),
            json=fixture_json("boxnow", "delivery_request_locker.request.json"),
        ),
        label_pdf(),
    )

    label = boxnow.create_label(label_request())

    assert label == EXPECTED_LABEL
    transport.assert_all_made()


def test_a_shipping_method_may_leave_the_service_unnamed() -> None:
    boxnow, transport = adapter(
        sign_in(),
        Exchange(
            "POST",
            f"{API}/api/v1/delivery-requests",
            answer(200, "boxnow", "delivery_request.response.json"),
            json=fixture_json("boxnow", "delivery_request_locker.request.json"),
        ),
        label_pdf(),
    )

    assert boxnow.create_label(label_request(service="")) == EXPECTED_LABEL
    transport.assert_all_made()


def test_cash_on_delivery_is_collected_by_boxnow() -> None:
    boxnow, transport = adapter(
        sign_in(),
        Exchange(
            "POST",
            f"{API}/api/v1/delivery-requests",
            answer(200, "boxnow", "delivery_request.response.json"),
            headers=bearer(),
            json=fixture_json("boxnow", "delivery_request_locker_cod.request.json"),
        ),
        label_pdf(),
    )

    label = boxnow.create_label(label_request(cash_on_delivery=Decimal("43.30"), declared_value=None))

    assert label == EXPECTED_LABEL
    transport.assert_all_made()


def test_a_zpl_label_for_a_thermal_printer_and_the_partner_header_when_set() -> None:
    settings = BoxNowSettings(**{**SETTINGS.__dict__, "partner_id": "318"})
    delivery = fixture_json("boxnow", "delivery_request_locker.request.json")
    boxnow, transport = adapter(
        sign_in(),
        Exchange(
            "POST",
            f"{API}/api/v1/delivery-requests",
            answer(200, "boxnow", "delivery_request.response.json"),
            headers={**bearer(), "X-PartnerID": "318"},
            json=delivery,
        ),
        Exchange(
            "GET",
            f"{API}/api/v1/parcels/9219709201/label.zpl",
            answer(200, "boxnow", "label.zpl", content_type="x-application/zpl"),
            headers={**bearer(), "Accept": "x-application/zpl", "X-PartnerID": "318"},
        ),
        settings=settings,
    )

    label = boxnow.create_label(label_request(label_format="zpl"))

    assert label == Label(
        tracking_number="9219709201",
        carrier_reference="9219709201",
        zpl=fixture_bytes("boxnow", "label.zpl").decode(),
        tracking_url="https://t.boxnow.gr/?track=9219709201",
    )
    transport.assert_all_made()


def test_a_retry_after_a_lost_answer_finds_the_parcel_it_already_requested() -> None:
    boxnow, transport = adapter(
        sign_in(),
        Exchange(
            "POST",
            f"{API}/api/v1/delivery-requests",
            answer(400, "boxnow", "error_P410.response.json"),
            json=fixture_json("boxnow", "delivery_request_locker.request.json"),
        ),
        Exchange(
            "GET",
            f"{API}/api/v1/parcels?orderNumber=EM-10042%2F1",
            answer(200, "boxnow", "parcels_by_order_number.response.json"),
            headers=bearer(),
        ),
        label_pdf(),
    )

    assert boxnow.create_label(label_request()) == EXPECTED_LABEL
    transport.assert_all_made()


def test_an_order_number_used_by_another_shipment_is_refused_with_boxnows_words() -> None:
    another_shipment = "9a0b4c1d-0000-4000-8000-000000000002"
    delivery = fixture_json("boxnow", "delivery_request_locker.request.json")
    delivery["items"][0]["id"] = another_shipment
    boxnow, transport = adapter(
        sign_in(),
        Exchange(
            "POST", f"{API}/api/v1/delivery-requests", answer(400, "boxnow", "error_P410.response.json"), json=delivery
        ),
        Exchange(
            "GET",
            f"{API}/api/v1/parcels?orderNumber=EM-10042%2F1",
            answer(200, "boxnow", "parcels_by_order_number.response.json"),
        ),
    )

    with pytest.raises(CarrierError) as refused:
        boxnow.create_label(label_request(idempotency_key=another_shipment))

    assert refused.value.message == (
        "BOX NOW refused the delivery request (HTTP 400 P410 Order number conflict): "
        "BOX NOW already has a delivery request with this order number."
    )
    transport.assert_all_made()


# --- the token ------------------------------------------------------------------------------------


def test_the_token_is_reused_until_shortly_before_it_expires() -> None:
    clock = Clock(START)
    boxnow, transport = adapter(
        sign_in(),
        cancel(),
        cancel(),
        Exchange(
            "POST",
            f"{API}/api/v1/auth-sessions",
            answer(200, "boxnow", "auth_session_renewed.response.json"),
            json=fixture_json("boxnow", "auth_session.request.json"),
        ),
        cancel(token=SECOND_TOKEN),
        clock=clock,
    )

    boxnow.cancel_label(tracking_number="9219709201", carrier_reference="9219709201")
    clock.advance(minutes=58)  # two minutes left of the hour: still good
    boxnow.cancel_label(tracking_number="9219709201", carrier_reference="9219709201")
    clock.advance(seconds=61)  # under a minute left: renewed before use
    boxnow.cancel_label(tracking_number="9219709201", carrier_reference="9219709201")

    transport.assert_all_made()


def test_an_answer_401_renews_the_token_once_and_retries() -> None:
    boxnow, transport = adapter(
        sign_in(),
        cancel(reply=answer(401)),
        Exchange(
            "POST",
            f"{API}/api/v1/auth-sessions",
            answer(200, "boxnow", "auth_session_renewed.response.json"),
            json=fixture_json("boxnow", "auth_session.request.json"),
        ),
        cancel(token=SECOND_TOKEN),
    )

    boxnow.cancel_label(tracking_number="9219709201", carrier_reference="9219709201")

    transport.assert_all_made()


def test_a_second_401_is_not_retried_again() -> None:
    boxnow, transport = adapter(
        sign_in(),
        cancel(reply=answer(401)),
        Exchange(
            "POST",
            f"{API}/api/v1/auth-sessions",
            answer(200, "boxnow", "auth_session_renewed.response.json"),
            json=fixture_json("boxnow", "auth_session.request.json"),
        ),
        cancel(reply=answer(401), token=SECOND_TOKEN),
    )

    with pytest.raises(CarrierError, match="refused even a fresh access token during the cancellation"):
        boxnow.cancel_label(tracking_number="9219709201", carrier_reference="9219709201")
    transport.assert_all_made()


def test_refused_credentials_name_the_settings_to_check() -> None:
    boxnow, transport = adapter(
        Exchange(
            "POST",
            f"{API}/api/v1/auth-sessions",
            answer(401, "boxnow", "auth_session_refused.response.json"),
            json=fixture_json("boxnow", "auth_session.request.json"),
        )
    )

    with pytest.raises(CarrierError) as refused:
        boxnow.cancel_label(tracking_number="9219709201", carrier_reference="9219709201")

    assert refused.value.message == (
        "BOX NOW refused the client credentials (HTTP 401 P400 Invalid client credentials); check "
        "EMPOROS_BOXNOW_CLIENT_ID and EMPOROS_BOXNOW_CLIENT_SECRET."
    )
    transport.assert_all_made()


# --- errors ---------------------------------------------------------------------------------------


def test_a_4xx_carries_boxnows_code_message_and_what_to_do() -> None:
    boxnow, _ = adapter(
        sign_in(),
        Exchange(
            "POST",
            f"{API}/api/v1/delivery-requests",
            answer(400, "boxnow", "error_P402.response.json"),
            json=fixture_json("boxnow", "delivery_request_locker.request.json"),
        ),
    )

    with pytest.raises(CarrierError) as refused:
        boxnow.create_label(label_request())

    assert refused.value.message == (
        "BOX NOW refused the delivery request (HTTP 400 P402 Invalid request destination location reference): "
        "the locker id is not one of BOX NOW's lockers; let the customer choose the locker again."
    )


def test_a_cancellation_boxnow_cannot_make_says_why() -> None:
    boxnow, _ = adapter(sign_in(), cancel(reply=answer(400, "boxnow", "error_P420.response.json")))

    with pytest.raises(CarrierError) as refused:
        boxnow.cancel_label(tracking_number="9219709201", carrier_reference="9219709201")

    assert refused.value.message == (
        "BOX NOW refused the cancellation (HTTP 400 P420 Parcel not ready for cancel): "
        "BOX NOW cancels only parcels that are new and not yet on their way."
    )


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        pytest.param(
            answer(503, content_type="text/html"),
            "BOX NOW failed during the cancellation (HTTP 503); try again in a few minutes.",
            id="5xx",
        ),
        pytest.param(
            CarrierUnreachable("api-stage.boxnow.gr did not answer within 20 s; try again in a few minutes."),
            "api-stage.boxnow.gr did not answer within 20 s; try again in a few minutes.",
            id="timeout",
        ),
    ],
)
def test_a_failing_or_silent_boxnow_is_a_carrier_error(reply: Any, message: str) -> None:
    boxnow, transport = adapter(sign_in(), cancel(reply=reply))

    with pytest.raises(CarrierError) as failed:
        boxnow.cancel_label(tracking_number="9219709201", carrier_reference="9219709201")

    assert failed.value.message == message
    transport.assert_all_made()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"signature_required": True}, "BOX NOW cannot collect a signature on delivery", id="signature"),
        pytest.param({"presence_required": True}, "BOX NOW cannot promise hand delivery", id="presence"),
        pytest.param({"pickup_point": ""}, "a locker parcel needs its locker id", id="no-locker"),
        pytest.param({"service": "courier"}, "BOX NOW delivers to lockers only", id="courier"),
        pytest.param({"currency": "PLN"}, "BOX NOW takes amounts in euros; this parcel's are in PLN", id="zloty"),
        pytest.param({"cash_on_delivery": Decimal("5000.01")}, "at most 5000 EUR on delivery", id="cod-too-high"),
        pytest.param({"cash_on_delivery": Decimal(0)}, "must be above zero", id="cod-zero"),
        pytest.param({"label_format": "png"}, "Labels come as pdf or zpl", id="png"),
        pytest.param(
            {"parcel": Parcel(weight_grams=9000, length_mm=700, width_mm=300, height_mm=200)},
            "A 70 x 30 x 20 cm parcel does not fit a BOX NOW locker",
            id="too-big",
        ),
        pytest.param({"parcel": Parcel(weight_grams=0)}, "Weigh the parcel first", id="no-weight"),
    ],
)
def test_what_boxnow_cannot_do_is_refused_before_any_request(overrides: dict[str, Any], message: str) -> None:
    boxnow, transport = adapter()

    with pytest.raises(CarrierError, match=message):
        boxnow.create_label(label_request(**overrides))

    assert transport.requests == []


def test_a_recipient_without_phone_is_refused_before_any_request() -> None:
    boxnow, transport = adapter()
    recipient = label_request().recipient.__class__(**{**label_request().recipient.__dict__, "phone": ""})

    with pytest.raises(CarrierError, match="give the recipient's phone and e-mail"):
        boxnow.create_label(label_request(recipient=recipient))
    assert transport.requests == []


@pytest.mark.parametrize(
    ("carrier_settings", "call", "missing"),
    [
        pytest.param(
            BoxNowSettings(),
            "create",
            "EMPOROS_BOXNOW_CLIENT_ID, EMPOROS_BOXNOW_CLIENT_SECRET, EMPOROS_BOXNOW_ORIGIN_ID",
            id="label",
        ),
        pytest.param(
            BoxNowSettings(client_id="x", client_secret="y"), "create", "EMPOROS_BOXNOW_ORIGIN_ID", id="label-no-origin"
        ),
        pytest.param(BoxNowSettings(), "cancel", "EMPOROS_BOXNOW_CLIENT_ID, EMPOROS_BOXNOW_CLIENT_SECRET", id="cancel"),
        pytest.param(BoxNowSettings(), "webhook", "EMPOROS_BOXNOW_WEBHOOK_SECRET", id="webhook"),
    ],
)
def test_without_credentials_a_call_names_what_to_set_and_sends_nothing(
    carrier_settings: BoxNowSettings, call: str, missing: str
) -> None:
    boxnow, transport = adapter(settings=carrier_settings)

    calls = {
        "create": lambda: boxnow.create_label(label_request()),
        "cancel": lambda: boxnow.cancel_label(tracking_number="9219709201", carrier_reference="9219709201"),
        "webhook": lambda: boxnow.parse_webhook(headers={}, body=fixture_bytes("boxnow", "webhook_in_depot.json")),
    }

    with pytest.raises(CarrierNotConfigured) as refused:
        calls[call]()

    assert refused.value.message == (
        f"BOX NOW is not set up: set {missing} in the environment (README, section Carriers) and restart Emporos."
    )
    assert transport.requests == []


def test_no_price_api_and_a_public_tracking_page() -> None:
    boxnow, _ = adapter()

    assert boxnow.tracking_url("9219709201") == "https://t.boxnow.gr/?track=9219709201"
    assert (boxnow.code, boxnow.name, boxnow.prints_labels) == ("boxnow", "BOX NOW", True)


# --- webhooks -------------------------------------------------------------------------------------


def test_a_signed_webhook_becomes_one_tracking_update() -> None:
    boxnow, transport = adapter()
    body = fixture_bytes("boxnow", "webhook_final_destination.json")
    recorded = fixture_json("boxnow", "webhook_final_destination.json")["data"]

    updates = boxnow.parse_webhook(headers={"Content-Type": "application/json"}, body=body)

    assert updates == [
        TrackingUpdate(
            event_id="c2a3f7a0-5b1d-4d8e-9e61-0f7d2b6f4a11",
            tracking_number="9219709201",
            status=TrackingStatus.AVAILABLE_FOR_PICKUP,
            occurred_at=dt.datetime(2026, 12, 3, 9, 41, 12, 503000, tzinfo=dt.UTC),
            location="BOX NOW Σύνταγμα (Ερμού 2) 10563",
            description="final-destination",
            raw={key: value for key, value in recorded.items() if key != "customer"},
            carrier_reference="9219709201",
            pickup_code="482913",
        )
    ]
    assert "customer" in recorded
    assert transport.requests == []


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda body: body.replace(b'"final-destination"', b'"delivered"'), id="changed-data"),
        pytest.param(lambda body: body.replace(b'"cf5cce81', b'"00000000'), id="changed-signature"),
        pytest.param(lambda body: body.replace(b'    "parcelPin": "482913",\n', b""), id="removed-field"),
    ],
)
def test_a_webhook_whose_signature_does_not_match_is_rejected(tamper: Any) -> None:
    boxnow, _ = adapter()
    body = tamper(fixture_bytes("boxnow", "webhook_final_destination.json"))
    assert body != fixture_bytes("boxnow", "webhook_final_destination.json")

    with pytest.raises(WebhookRejected, match="signature does not match its data"):
        boxnow.parse_webhook(headers={}, body=body)


def test_a_webhook_signed_with_another_secret_is_rejected() -> None:
    settings = BoxNowSettings(**{**SETTINGS.__dict__, "webhook_secret": "someone-elses-secret"})
    boxnow, _ = adapter(settings=settings)

    with pytest.raises(WebhookRejected, match="EMPOROS_BOXNOW_WEBHOOK_SECRET is not the secret BOX NOW gave you"):
        boxnow.parse_webhook(headers={}, body=fixture_bytes("boxnow", "webhook_final_destination.json"))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b"<html>502</html>", "body is not JSON", id="html"),
        pytest.param(b"[1, 2]", "not a JSON object", id="array"),
        pytest.param(b'{"data": {"event": "new"}}', "lacks `data` or `datasignature`", id="unsigned"),
        pytest.param(b"\xff\xfe{}", "not UTF-8", id="binary"),
    ],
)
def test_a_body_that_is_not_a_boxnow_event_is_rejected(body: bytes, message: str) -> None:
    boxnow, _ = adapter()

    with pytest.raises(WebhookRejected, match=message):
        boxnow.parse_webhook(headers={}, body=body)


def test_an_undocumented_event_is_taken_as_in_transit_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    boxnow, _ = adapter()

    with caplog.at_level(logging.WARNING, logger="emporos.integrations.carriers.common"):
        [update] = boxnow.parse_webhook(headers={}, body=fixture_bytes("boxnow", "webhook_unknown_event.json"))

    assert (update.status, update.description) == (TrackingStatus.IN_TRANSIT, "sorted-at-hub")
    assert caplog.messages == [
        "BOX NOW sent an undocumented status 'sorted-at-hub' for 9219709201; recorded as in transit"
    ]


def test_events_arriving_out_of_order_keep_their_own_times() -> None:
    boxnow, _ = adapter()

    later = boxnow.parse_webhook(headers={}, body=fixture_bytes("boxnow", "webhook_final_destination.json"))
    earlier = boxnow.parse_webhook(headers={}, body=fixture_bytes("boxnow", "webhook_in_depot.json"))

    assert [(u.status, u.occurred_at) for u in later + earlier] == [
        (TrackingStatus.AVAILABLE_FOR_PICKUP, dt.datetime(2026, 12, 3, 9, 41, 12, 503000, tzinfo=dt.UTC)),
        (TrackingStatus.IN_TRANSIT, dt.datetime(2026, 12, 2, 18, 20, 44, tzinfo=dt.UTC)),
    ]


def test_every_documented_event_has_a_status() -> None:
    documented = {
        "new", "delivered", "expired", "returned", "in-depot", "final-destination", "canceled",
        "accepted-for-return", "missing", "accepted-to-locker", "lost",
    }  # fmt: skip

    assert set(EVENT_STATUS) == documented


@pytest.mark.parametrize(
    ("label_format", "body", "message"),
    [
        pytest.param("pdf", b"<html>Maintenance</html>", "a label for parcel 9219709201 that is not a PDF", id="pdf"),
        pytest.param("zpl", b"^XA^FD\xff\xfe^XZ", "a ZPL label for 9219709201 that is not UTF-8 text", id="zpl"),
    ],
)
def test_a_label_that_is_not_what_was_asked_for_is_refused(label_format: str, body: bytes, message: str) -> None:
    boxnow, _ = adapter(
        sign_in(),
        Exchange(
            "POST",
            f"{API}/api/v1/delivery-requests",
            answer(200, "boxnow", "delivery_request.response.json"),
            json=fixture_json("boxnow", "delivery_request_locker.request.json"),
        ),
        Exchange("GET", f"{API}/api/v1/parcels/9219709201/label.{label_format}", HttpResponse(200, {}, body)),
    )

    with pytest.raises(CarrierError, match=message):
        boxnow.create_label(label_request(label_format=label_format))
