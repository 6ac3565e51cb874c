"""The payment-provider registry and the built-in `manual` provider (money given back by hand)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from emporos.core.errors import Conflict
from emporos.orders import payment_providers
from emporos.orders.payment_providers import (
    ManualProvider,
    PaymentProviderError,
    PaymentWebhookRejected,
    ProviderNotConfigured,
    ProviderRefund,
    ProviderUnreachable,
    RefundRequest,
    RefundStatus,
    known,
    provider,
)

REQUEST = RefundRequest(
    payment_reference="",
    amount=Decimal("43.30"),
    currency="EUR",
    idempotency_key="2b7c9e4a-51d3-4f0e-8a6b-3c1d2e5f7a90",
    reason="returned",
)


def test_manual_and_stripe_are_known_at_start_up() -> None:
    assert {"manual", "stripe"} <= set(known())
    assert isinstance(provider("manual"), ManualProvider)


def test_a_manual_refund_succeeds_at_once_without_a_reference() -> None:
    refund = provider("manual").refund(REQUEST)

    assert refund == ProviderRefund(
        reference="", status=RefundStatus.SUCCEEDED, amount=Decimal("43.30"), currency="EUR"
    )


def test_a_manual_refund_has_no_state_to_ask_for_and_sends_no_webhooks() -> None:
    manual = provider("manual")

    with pytest.raises(PaymentProviderError, match="no record at a provider") as refused:
        manual.get_refund("")
    assert refused.value.retryable is False
    with pytest.raises(PaymentWebhookRejected, match="no webhooks"):
        manual.parse_webhook(headers={}, body=b"{}")


def test_an_unknown_provider_is_not_configured_and_names_the_known_ones() -> None:
    with pytest.raises(
        ProviderNotConfigured, match=r"Unknown payment provider 'paypal'; use one of .*manual"
    ) as refused:
        provider("paypal")

    assert isinstance(refused.value, Conflict)  # answered 409 by the API, like a carrier not set up
    assert refused.value.code == "payment_provider_not_configured"


def test_a_registered_factory_is_called_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payment_providers, "_FACTORIES", dict(payment_providers._FACTORIES))
    built: list[ManualProvider] = []

    def factory() -> ManualProvider:
        built.append(ManualProvider())
        return built[-1]

    payment_providers.register("counter", factory)

    assert provider("counter") is built[0]
    assert provider("counter") is built[1]
    assert "counter" in known()


def test_errors_carry_the_providers_words_and_whether_to_retry() -> None:
    error = PaymentProviderError("Stripe refused.", provider_message="No such charge", provider_code="resource_missing")
    unreachable = ProviderUnreachable("No answer.")

    assert (error.retryable, error.provider_message, error.provider_code, error.code) == (
        False,
        "No such charge",
        "resource_missing",
        "payment_provider_error",
    )
    assert (unreachable.retryable, unreachable.code, unreachable.message) == (
        True,
        "payment_provider_unreachable",
        "No answer.",
    )
