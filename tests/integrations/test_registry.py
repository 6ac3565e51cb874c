"""The carriers and payment providers are registered at start-up and built from EMPOROS_* settings when asked for."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from emporos.fulfillment.carriers import CarrierNotConfigured, carrier, known
from emporos.integrations.carriers.boxnow import BoxNow, BoxNowSettings
from emporos.integrations.carriers.inpost import InPost, InPostSettings
from emporos.integrations.http import HttpRequest, UrllibTransport
from emporos.integrations.payments.stripe import Stripe, StripeSettings
from emporos.orders.payment_providers import ProviderNotConfigured, RefundRequest, provider
from tests.integrations.conftest import label_request

BOXNOW_SETTINGS = {
    "API_URL": "https://api-production.boxnow.gr/",
    "CLIENT_ID": "client",
    "CLIENT_SECRET": "secret",
    "PARTNER_ID": "318",
    "ORIGIN_ID": "2",
    "WEBHOOK_SECRET": "hook",
}
INPOST_SETTINGS = {
    "API_URL": "https://sandbox-api-shipx-pl.easypack24.net",
    "TOKEN": "token",
    "ORGANIZATION_ID": "40123",
    "WEBHOOK_SECRET": "hook",
}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: UrllibTransport, request: HttpRequest) -> Any:
        raise AssertionError(f"a test tried to reach {request.url}")

    monkeypatch.setattr(UrllibTransport, "__call__", refuse)


def test_both_carriers_are_known() -> None:
    assert {"boxnow", "inpost"} <= set(known())


def test_each_adapter_reads_its_settings_when_it_is_built(settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "BOXNOW": BOXNOW_SETTINGS, "INPOST": INPOST_SETTINGS}

    boxnow, inpost = carrier("boxnow"), carrier("inpost")

    assert isinstance(boxnow, BoxNow)
    assert boxnow._settings == BoxNowSettings(
        api_url="https://api-production.boxnow.gr",
        client_id="client",
        client_secret="secret",
        partner_id="318",
        origin_id="2",
        webhook_secret="hook",
    )
    assert isinstance(inpost, InPost)
    assert inpost._settings == InPostSettings(
        api_url="https://sandbox-api-shipx-pl.easypack24.net",
        token="token",
        organization_id="40123",
        webhook_secret="hook",
    )


def test_the_defaults_point_at_boxnows_test_system_and_inposts_production() -> None:
    assert BoxNowSettings.from_settings().api_url == "https://api-stage.boxnow.gr"
    assert InPostSettings.from_settings().api_url == "https://api-shipx-pl.easypack24.net"


@pytest.mark.parametrize("code", ["boxnow", "inpost"])
@pytest.mark.usefixtures("no_network")
def test_an_adapter_without_credentials_is_built_but_refuses_to_call_out(settings: Any, code: str) -> None:
    settings.EMPOROS = {
        **settings.EMPOROS,
        "BOXNOW": {**BOXNOW_SETTINGS, "CLIENT_ID": "", "CLIENT_SECRET": ""},
        "INPOST": {**INPOST_SETTINGS, "TOKEN": ""},
    }
    adapter = carrier(code)

    with pytest.raises(CarrierNotConfigured, match=f"EMPOROS_{code.upper()}_"):
        adapter.create_label(label_request())


STRIPE_SETTINGS = {
    "API_URL": "https://stripe-mock.example.com/",
    "SECRET_KEY": "sk_test_x",
    "WEBHOOK_SECRET": "whsec_x",
}


def test_stripe_reads_its_settings_when_it_is_built(settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "STRIPE": STRIPE_SETTINGS}

    adapter = provider("stripe")

    assert isinstance(adapter, Stripe)
    assert adapter._settings == StripeSettings(
        api_url="https://stripe-mock.example.com", secret_key="sk_test_x", webhook_secret="whsec_x"
    )


def test_stripe_defaults_to_its_api_without_credentials() -> None:
    assert StripeSettings.from_settings() == StripeSettings(api_url="https://api.stripe.com")


@pytest.mark.usefixtures("no_network")
def test_stripe_without_a_key_is_built_but_refuses_to_call_out(settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "STRIPE": {**STRIPE_SETTINGS, "SECRET_KEY": ""}}
    request = RefundRequest(
        payment_reference="pi_3QEmpo2eZvKYlo2C1x2y3z4w",
        amount=Decimal("43.30"),
        currency="EUR",
        idempotency_key="2b7c9e4a-51d3-4f0e-8a6b-3c1d2e5f7a90",
    )

    with pytest.raises(ProviderNotConfigured, match="EMPOROS_STRIPE_SECRET_KEY"):
        provider("stripe").refund(request)
