"""Stripe against its recorded answers: refunds (form, headers, minor units), every error class,
the refund's state, and signed webhooks. No test reaches the network: every request meets a
FakeTransport that checks it exactly."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from decimal import Decimal
from typing import Any

import pytest

from emporos.integrations.http import CarrierUnreachable, HttpResponse
from emporos.integrations.payments import stripe_amounts
from emporos.integrations.payments.stripe import API_VERSION, Stripe, StripeSettings
from emporos.orders.payment_providers import (
    PaymentProviderError,
    PaymentWebhookRejected,
    PaymentWebhookSignatureInvalid,
    ProviderNotConfigured,
    ProviderRefund,
    ProviderUnreachable,
    RefundRequest,
    RefundStatus,
)
from tests.integrations.conftest import Clock, Exchange, FakeTransport, answer, fixture_bytes

API = "https://api.stripe.com"
KEY = "sk_test_emporos_secret_key_for_tests"
WEBHOOK_SECRET = "whsec_emporos_webhook_secret_for_tests"
SETTINGS = StripeSettings(api_url=API, secret_key=KEY, webhook_secret=WEBHOOK_SECRET)
START = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)  # 1796198400
EVENT_KEY = "2b7c9e4a-51d3-4f0e-8a6b-3c1d2e5f7a90"  # the outbox event's uuid
PAYMENT_INTENT = "pi_3QEmpo2eZvKYlo2C1x2y3z4w"
POST_HEADERS = {
    "Authorization": f"Bearer {KEY}",
    "Idempotency-Key": EVENT_KEY,
    "Stripe-Version": API_VERSION,
    "Content-Type": "application/x-www-form-urlencoded",
    "Accept": "application/json",
}
GET_HEADERS = {"Authorization": f"Bearer {KEY}", "Stripe-Version": API_VERSION, "Accept": "application/json"}


def adapter(*exchanges: Exchange, settings: StripeSettings = SETTINGS) -> tuple[Stripe, FakeTransport]:
    transport = FakeTransport(*exchanges)
    return Stripe(settings=settings, transport=transport, now=Clock(START)), transport


def refund_request(**overrides: Any) -> RefundRequest:
    """43.30 EUR back on a card payment, for a returned parcel of order EM-10042."""
    fields: dict[str, Any] = {
        "payment_reference": PAYMENT_INTENT,
        "amount": Decimal("43.30"),
        "currency": "EUR",
        "idempotency_key": EVENT_KEY,
        "reason": "returned",
        "metadata": {"order": "EM-10042", "return": "RT-2031"},
    }
    fields.update(overrides)
    return RefundRequest(**fields)


def create(reply: HttpResponse | Exception, *form: tuple[str, str]) -> Exchange:
    return Exchange("POST", f"{API}/v1/refunds", reply, headers=POST_HEADERS, form=form)


FORM_EUR = (
    ("payment_intent", PAYMENT_INTENT),
    ("amount", "4330"),
    ("reason", "requested_by_customer"),
    ("metadata[order]", "EM-10042"),
    ("metadata[return]", "RT-2031"),
)


# --- refunds ------------------------------------------------------------------------------------------


def test_a_refund_posts_the_form_with_key_version_and_idempotency_key_and_reads_the_refund() -> None:
    stripe, transport = adapter(create(answer(200, "stripe", "refund_succeeded.json"), *FORM_EUR))

    refund = stripe.refund(refund_request())

    assert refund == ProviderRefund(
        reference="re_3QEmpo2eZvKYlo2C0a1b2c3d",
        status=RefundStatus.SUCCEEDED,
        amount=Decimal("43.30"),
        currency="EUR",
    )
    transport.assert_all_made()
    assert transport.requests[0].body == (
        b"payment_intent=pi_3QEmpo2eZvKYlo2C1x2y3z4w&amount=4330&reason=requested_by_customer"
        b"&metadata%5Border%5D=EM-10042&metadata%5Breturn%5D=RT-2031"
    )


def test_a_charge_is_refunded_by_charge_and_a_pending_refund_stays_pending() -> None:
    stripe, transport = adapter(
        create(
            answer(200, "stripe", "refund_pending.json"),
            ("charge", "ch_3QEmpoPLzvKYlo2C8k9l0m1n"),
            ("amount", "12999"),
            ("reason", "requested_by_customer"),
            ("metadata[order]", "EM-10057"),
        )
    )

    refund = stripe.refund(
        refund_request(
            payment_reference="ch_3QEmpoPLzvKYlo2C8k9l0m1n",
            amount=Decimal("129.99"),
            currency="PLN",
            reason="requested_by_customer",
            metadata={"order": "EM-10057"},
        )
    )

    assert refund == ProviderRefund("re_3QEmpoPLzvKYlo2C4e5f6g7h", RefundStatus.PENDING, Decimal("129.99"), "PLN")
    transport.assert_all_made()


@pytest.mark.parametrize(
    ("amount", "currency", "minor", "reply", "expected_amount"),
    [
        pytest.param(Decimal("250.5"), "ILS", "25050", "refund_ils.json", Decimal("250.50"), id="ILS-agorot"),
        pytest.param(Decimal("5000"), "JPY", "5000", "refund_jpy.json", Decimal("5000"), id="JPY-zero-decimal"),
    ],
)
def test_amounts_go_in_the_currencys_minor_units(
    amount: Decimal, currency: str, minor: str, reply: str, expected_amount: Decimal
) -> None:
    stripe, transport = adapter(
        create(
            answer(200, "stripe", reply), ("payment_intent", PAYMENT_INTENT), ("amount", minor), ("reason", "duplicate")
        )
    )

    refund = stripe.refund(refund_request(amount=amount, currency=currency, reason="duplicate", metadata={}))

    assert (refund.amount, refund.currency) == (expected_amount, currency)
    transport.assert_all_made()


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        pytest.param("43.30", "EUR", 4330, id="EUR"),
        pytest.param("0.01", "PLN", 1, id="PLN-grosz"),
        pytest.param("1999", "PLN", 199900, id="PLN-whole"),
        pytest.param("250.50", "ILS", 25050, id="ILS"),
        pytest.param("500", "JPY", 500, id="JPY"),
        pytest.param("12000", "KRW", 12000, id="KRW"),
        pytest.param("5", "ISK", 500, id="ISK-special-case"),
        pytest.param("12.340", "KWD", 12340, id="KWD-three-decimal"),
        pytest.param("1500.00", "HUF", 150000, id="HUF-two-decimal-at-Stripe"),
    ],
)
def test_minor_units_follow_stripes_currency_list(amount: str, currency: str, minor: int) -> None:
    assert stripe_amounts.to_minor_units(Decimal(amount), currency) == minor
    assert stripe_amounts.from_minor_units(minor, currency.lower()) == Decimal(amount)


@pytest.mark.parametrize(
    ("amount", "currency", "words"),
    [
        pytest.param("43.305", "EUR", "EUR amounts with 2 decimal places", id="EUR-tenth-of-a-cent"),
        pytest.param("500.5", "JPY", "JPY amounts with 0 decimal places", id="JPY-fraction"),
        pytest.param("5.50", "ISK", "ISK amounts with 0 decimal places", id="ISK-fraction"),
        pytest.param("12.345", "KWD", "steps of 0.010", id="KWD-last-digit"),
        pytest.param("0", "EUR", "above zero", id="zero"),
        pytest.param("-1", "EUR", "above zero", id="negative"),
    ],
)
def test_an_amount_stripe_cannot_express_is_refused_before_sending(amount: str, currency: str, words: str) -> None:
    stripe, transport = adapter()

    with pytest.raises(PaymentProviderError, match=words) as refused:
        stripe.refund(refund_request(amount=Decimal(amount), currency=currency))

    assert refused.value.retryable is False
    assert transport.requests == []


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        pytest.param({"payment_reference": "seti_123"}, "not a Stripe payment", id="not-a-payment"),
        pytest.param({"payment_reference": ""}, "not a Stripe payment", id="no-payment"),
        pytest.param({"idempotency_key": " "}, "idempotency key", id="no-key"),
        pytest.param({"metadata": {"x" * 41: "1"}}, "metadata keys", id="long-key"),
        pytest.param({"metadata": {"order[0]": "1"}}, "metadata keys", id="bracket-key"),
        pytest.param({"metadata": {"note": "x" * 501}}, "metadata values", id="long-value"),
        pytest.param({"metadata": {f"k{n}": "v" for n in range(51)}}, "50 metadata keys", id="too-many-keys"),
    ],
)
def test_a_request_stripe_would_refuse_is_refused_before_sending(overrides: dict[str, Any], words: str) -> None:
    stripe, transport = adapter()

    with pytest.raises(PaymentProviderError, match=words):
        stripe.refund(refund_request(**overrides))

    assert transport.requests == []


@pytest.mark.parametrize("reason", ["", "changed_mind", "other"])
def test_a_reason_stripe_does_not_list_is_left_out(reason: str) -> None:
    stripe, transport = adapter(
        create(answer(200, "stripe", "refund_succeeded.json"), ("payment_intent", PAYMENT_INTENT), ("amount", "4330"))
    )

    stripe.refund(refund_request(reason=reason, metadata={}))

    transport.assert_all_made()


def test_the_same_event_sends_the_same_idempotency_key_on_every_attempt() -> None:
    """A worker killed after Stripe refunded, then two more deliveries: three identical requests,
    one refund at Stripe (it answers a repeated key with the first answer)."""
    first = create(CarrierUnreachable("api.stripe.com did not answer within 20 s."), *FORM_EUR)
    again = create(answer(200, "stripe", "refund_succeeded.json"), *FORM_EUR)
    stripe, transport = adapter(first, again, again)

    with pytest.raises(ProviderUnreachable):
        stripe.refund(refund_request())
    answers = {stripe.refund(refund_request()), stripe.refund(refund_request())}

    assert [answer.reference for answer in answers] == ["re_3QEmpo2eZvKYlo2C0a1b2c3d"]
    assert {request.headers["Idempotency-Key"] for request in transport.requests} == {EVENT_KEY}
    assert len({request.body for request in transport.requests}) == 1
    transport.assert_all_made()


# --- errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "fixture", "retryable", "code", "message"),
    [
        pytest.param(
            400,
            "error_charge_already_refunded.json",
            False,
            "charge_already_refunded",
            "Charge ch_3QEmpo2eZvKYlo2C1x9y8z7w has already been refunded.",
            id="400-already-refunded",
        ),
        pytest.param(
            400,
            "error_amount_too_large.json",
            False,
            "amount_too_large",
            "Refund amount (€50.00) is greater than unrefunded amount on charge (€43.30)",
            id="400-more-than-left",
        ),
        pytest.param(
            402,
            "error_charge_already_refunded.json",
            False,
            "charge_already_refunded",
            "Charge ch_3QEmpo2eZvKYlo2C1x9y8z7w has already been refunded.",
            id="402-request-failed",
        ),
        pytest.param(
            404,
            "error_resource_missing.json",
            False,
            "resource_missing",
            "No such payment_intent: 'pi_3QEmpoNOzvKYlo2C0000miss'",
            id="404-no-such-payment",
        ),
        pytest.param(
            409,
            "error_idempotency_key_in_use.json",
            True,
            "idempotency_key_in_use",
            "There is currently another in-progress request using this idempotency key. Try again once it has finished.",
            id="409-first-attempt-still-running",
        ),
        pytest.param(
            409,
            "error_idempotency_mismatch.json",
            False,
            "",
            "Keys for idempotent requests can only be used with the same parameters they were first used with. "
            "Try using a key other than '2b7c9e4a-51d3-4f0e-8a6b-3c1d2e5f7a90' if you meant to execute a different request.",
            id="409-same-key-other-amount",
        ),
        pytest.param(
            429,
            "error_rate_limit.json",
            True,
            "rate_limit",
            "Too many requests hit the API too quickly. Retry with an exponential backoff.",
            id="429-rate-limited",
        ),
        pytest.param(424, "error_api_error.json", True, "", "An unknown error occurred", id="424-dependency-failed"),
        pytest.param(500, "error_api_error.json", True, "", "An unknown error occurred", id="500"),
        pytest.param(503, "", True, "", "", id="503-no-body"),
    ],
)
def test_each_stripe_error_says_whether_a_retry_may_help(
    status: int, fixture: str, retryable: bool, code: str, message: str
) -> None:
    stripe, transport = adapter(create(answer(status, "stripe", fixture), *FORM_EUR))

    with pytest.raises(PaymentProviderError) as refused:
        stripe.refund(refund_request())

    error = refused.value
    assert (type(error), error.retryable, error.provider_code, error.provider_message) == (
        PaymentProviderError,
        retryable,
        code,
        message,
    )
    assert error.message.startswith(f"Stripe refused the refund of 43.30 EUR (HTTP {status}")
    assert message in error.message
    transport.assert_all_made()


def test_a_refused_key_names_the_setting() -> None:
    stripe, _ = adapter(create(answer(401, "stripe", "error_authentication.json"), *FORM_EUR))

    with pytest.raises(PaymentProviderError, match="Check EMPOROS_STRIPE_SECRET_KEY") as refused:
        stripe.refund(refund_request())

    assert refused.value.retryable is False
    assert "Invalid API Key provided" in refused.value.provider_message


@pytest.mark.parametrize(("advice", "retryable"), [("false", False), ("true", True)])
def test_stripes_should_retry_header_has_the_last_word(advice: str, retryable: bool) -> None:
    reply = HttpResponse(
        500,
        {"content-type": "application/json", "stripe-should-retry": advice},
        fixture_bytes("stripe", "error_api_error.json"),
    )
    stripe, _ = adapter(create(reply, *FORM_EUR))

    with pytest.raises(PaymentProviderError) as refused:
        stripe.refund(refund_request())

    assert refused.value.retryable is retryable


def test_no_answer_is_unreachable_and_retryable() -> None:
    stripe, _ = adapter(create(CarrierUnreachable("Could not reach api.stripe.com: refused."), *FORM_EUR))

    with pytest.raises(
        ProviderUnreachable, match=r"Stripe did not answer: Could not reach api\.stripe\.com"
    ) as refused:
        stripe.refund(refund_request())

    assert refused.value.retryable is True
    assert refused.value.code == "payment_provider_unreachable"


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda stripe: stripe.refund(refund_request()), id="refund"),
        pytest.param(lambda stripe: stripe.get_refund("re_3QEmpo2eZvKYlo2C0a1b2c3d"), id="get_refund"),
    ],
)
def test_without_a_secret_key_nothing_is_sent(call: Any) -> None:
    stripe, transport = adapter(settings=StripeSettings(api_url=API, webhook_secret=WEBHOOK_SECRET))

    with pytest.raises(ProviderNotConfigured, match="set EMPOROS_STRIPE_SECRET_KEY") as refused:
        call(stripe)

    assert refused.value.retryable is False
    assert transport.requests == []


# --- the refund's state ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "fixture", "expected"),
    [
        pytest.param(
            "re_3QEmpo2eZvKYlo2C0a1b2c3d",
            "refund_failed.json",
            ProviderRefund(
                "re_3QEmpo2eZvKYlo2C0a1b2c3d", RefundStatus.FAILED, Decimal("43.30"), "EUR", "expired_or_canceled_card"
            ),
            id="failed",
        ),
        pytest.param(
            "re_3QEmpoRAzvKYlo2C7g8h9i0j",
            "refund_requires_action.json",
            ProviderRefund("re_3QEmpoRAzvKYlo2C7g8h9i0j", RefundStatus.PENDING, Decimal("19.90"), "EUR"),
            id="requires-action-is-pending",
        ),
    ],
)
def test_get_refund_reads_the_refund_by_its_id(reference: str, fixture: str, expected: ProviderRefund) -> None:
    stripe, transport = adapter(
        Exchange(
            "GET",
            f"{API}/v1/refunds/{reference}",
            answer(200, "stripe", fixture),
            headers=GET_HEADERS,
            absent_headers=("Idempotency-Key", "Content-Type"),
        )
    )

    assert stripe.get_refund(reference) == expected
    transport.assert_all_made()


def test_an_unknown_refund_is_not_found_and_not_retryable() -> None:
    stripe, _ = adapter(
        Exchange("GET", f"{API}/v1/refunds/re_missing", answer(404, "stripe", "error_resource_missing.json"))
    )

    with pytest.raises(PaymentProviderError, match="looking up refund re_missing") as refused:
        stripe.get_refund("re_missing")

    assert refused.value.retryable is False


def test_an_undocumented_status_is_taken_as_pending_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    stripe, _ = adapter(
        Exchange(
            "GET",
            f"{API}/v1/refunds/re_3QEmpoUNzvKYlo2C2w3x4y5z",
            answer(200, "stripe", "refund_undocumented_status.json"),
        )
    )

    with caplog.at_level(logging.WARNING):
        refund = stripe.get_refund("re_3QEmpoUNzvKYlo2C2w3x4y5z")

    assert refund.status == RefundStatus.PENDING
    assert "undocumented refund status 'in_review'" in caplog.text


# --- webhooks -------------------------------------------------------------------------------------------


def signed(body: bytes, *, at: int = 1796198400, secret: str = WEBHOOK_SECRET) -> dict[str, str]:
    signature = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={at},v1={signature}"}


def test_a_signed_refund_update_becomes_a_refund_update() -> None:
    # The signature was computed apart, with `openssl dgst -sha256 -hmac <secret>` over "1796198400.<body>".
    body = fixture_bytes("stripe", "event_refund_updated.json")
    headers = {"stripe-signature": "t=1796198400,v1=5f9d2829728e843466589f750880b1fe90b6605089110a77da79ff48e56649f9"}
    stripe, transport = adapter()

    updates = stripe.parse_webhook(headers=headers, body=body)

    assert updates == [
        ProviderRefund(
            "re_3QEmpoPLzvKYlo2C4e5f6g7h",
            RefundStatus.SUCCEEDED,
            Decimal("129.99"),
            "PLN",
            event_id="evt_3QEmpoPLzvKYlo2C0u1p2d3a",
        )
    ]
    assert transport.requests == []


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param(
            "event_refund_failed.json",
            ProviderRefund(
                "re_3QEmpo2eZvKYlo2C0a1b2c3d",
                RefundStatus.FAILED,
                Decimal("43.30"),
                "EUR",
                "expired_or_canceled_card",
                "evt_3QEmpo2eZvKYlo2C4f5a6i7l",
            ),
            id="refund.failed",
        ),
        pytest.param(
            "event_charge_refund_updated.json",
            ProviderRefund(
                "re_3QEmpoRAzvKYlo2C7g8h9i0j",
                RefundStatus.CANCELED,
                Decimal("19.90"),
                "EUR",
                event_id="evt_3QEmpoRAzvKYlo2C8c9h0r1u",
            ),
            id="charge.refund.updated",
        ),
    ],
)
def test_each_refund_event_is_read(fixture: str, expected: ProviderRefund) -> None:
    body = fixture_bytes("stripe", fixture)
    stripe, _ = adapter()

    assert stripe.parse_webhook(headers=signed(body), body=body) == [expected]


def test_an_event_about_something_else_is_accepted_and_ignored() -> None:
    body = fixture_bytes("stripe", "event_payment_intent_succeeded.json")
    stripe, _ = adapter()

    assert stripe.parse_webhook(headers=signed(body), body=body) == []


def test_a_second_signature_from_a_rolled_secret_is_accepted() -> None:
    body = fixture_bytes("stripe", "event_refund_updated.json")
    old = signed(body, secret="whsec_the_old_secret")["Stripe-Signature"].split(",")[1]
    header = (
        signed(body)["Stripe-Signature"]
        + ","
        + old
        + ",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39"
    )
    stripe, _ = adapter()

    assert len(stripe.parse_webhook(headers={"Stripe-Signature": header}, body=body)) == 1


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        pytest.param({}, "no Stripe-Signature", id="missing"),
        pytest.param({"Stripe-Signature": "t=1796198400"}, "no Stripe-Signature", id="no-v1"),
        pytest.param({"Stripe-Signature": "v1=abc"}, "no Stripe-Signature", id="no-time"),
        pytest.param({"Stripe-Signature": "t=99999999999999999999,v1=ab"}, "no Stripe-Signature", id="absurd-time"),
        pytest.param({"Stripe-Signature": "t=1796198400,v1=" + "0" * 64}, "does not match", id="wrong"),
        pytest.param({"Stripe-Signature": "t=1796198400,v1=ünïcode"}, "does not match", id="not-hex"),
    ],
)
def test_a_webhook_without_a_valid_signature_is_refused(headers: dict[str, str], words: str) -> None:
    body = fixture_bytes("stripe", "event_refund_updated.json")
    stripe, _ = adapter()

    with pytest.raises(PaymentWebhookSignatureInvalid, match=words):
        stripe.parse_webhook(headers=headers, body=body)


@pytest.mark.parametrize(
    ("secret", "body_change"),
    [
        pytest.param("whsec_someone_else", b"", id="other-secret"),
        pytest.param(WEBHOOK_SECRET, b" ", id="body-changed-after-signing"),
    ],
)
def test_a_signature_of_another_secret_or_body_is_refused(secret: str, body_change: bytes) -> None:
    body = fixture_bytes("stripe", "event_refund_updated.json")
    stripe, _ = adapter()

    with pytest.raises(PaymentWebhookSignatureInvalid, match="does not match"):
        stripe.parse_webhook(headers=signed(body, secret=secret), body=body + body_change)


@pytest.mark.parametrize(
    ("offset_seconds", "accepted"),
    [
        pytest.param(-300, True, id="five-minutes-old"),
        pytest.param(-301, False, id="too-old"),
        pytest.param(300, True, id="five-minutes-ahead"),
        pytest.param(301, False, id="too-far-ahead"),
    ],
)
def test_a_signature_is_good_for_five_minutes(offset_seconds: int, accepted: bool) -> None:
    body = fixture_bytes("stripe", "event_refund_updated.json")
    headers = signed(body, at=1796198400 + offset_seconds)
    stripe, _ = adapter()

    if accepted:
        assert len(stripe.parse_webhook(headers=headers, body=body)) == 1
    else:
        with pytest.raises(PaymentWebhookSignatureInvalid, match="more than five minutes from now"):
            stripe.parse_webhook(headers=headers, body=body)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        pytest.param(b"not json", "not JSON", id="not-json"),
        pytest.param(b"[]", "no `type`", id="not-an-event"),
        pytest.param(b'{"id": "evt_1", "type": "refund.updated", "data": {}}', "carries no refund", id="no-refund"),
        pytest.param(
            b'{"id": "evt_1", "type": "refund.updated", "data": {"object": {"object": "refund", "id": "re_1"}}}',
            "no amount or currency",
            id="refund-without-amount",
        ),
    ],
)
def test_a_signed_body_that_is_not_a_refund_event_is_rejected(body: bytes, words: str) -> None:
    stripe, _ = adapter()

    with pytest.raises(PaymentWebhookRejected, match=words):
        stripe.parse_webhook(headers=signed(body), body=body)


def test_without_a_webhook_secret_no_webhook_is_believed() -> None:
    body = fixture_bytes("stripe", "event_refund_updated.json")
    stripe, _ = adapter(settings=StripeSettings(api_url=API, secret_key=KEY))

    with pytest.raises(ProviderNotConfigured, match="EMPOROS_STRIPE_WEBHOOK_SECRET"):
        stripe.parse_webhook(headers=signed(body), body=body)
