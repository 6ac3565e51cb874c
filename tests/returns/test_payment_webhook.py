"""A Stripe webhook settles a refund the provider held as pending; a replay changes nothing; a
forged one is refused."""

from __future__ import annotations

import hashlib
import hmac
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from emporos.orders.models import Refund
from emporos.timeline.models import Entry
from tests.returns.conftest import SOON, ask, delivered, receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
EVENT = (Path(__file__).parents[1] / "integrations" / "fixtures" / "stripe" / "event_refund_updated.json").read_bytes()
SECRET = "whsec_emporos_tests"
STRIPE = {**settings.EMPOROS["STRIPE"], "SECRET_KEY": "sk_test_emporos", "WEBHOOK_SECRET": SECRET}


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    at = int(time.time())
    signature = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={at},v1={signature}"}


def post(body: bytes, headers: dict[str, str], code: str = "stripe") -> object:
    return Client().post(f"/api/v1/payments/{code}/webhook", body, content_type="application/json", headers=headers)


@override_settings(EMPOROS={**settings.EMPOROS, "STRIPE": STRIPE})
def test_a_refund_pending_at_stripe_is_settled_once_by_its_webhook(api: Client) -> None:
    from emporos.core import clock

    number = delivered(api, payment={"method": "card", "status": "paid", "provider": "stripe", "reference": "pi_1"})
    with clock.frozen_at(SOON):
        return_id = ask(
            api, number, {"lines": [{"sku": "TEA-100", "quantity": 1, "reason": "wrong_size", "condition": "unopened"}]}
        ).json()["id"]
    receive(api, return_id, [{"sku": "TEA-100", "quantity": 1, "condition": "unopened", "restock": True}])
    Refund.objects.update(provider_reference="re_3QEmpoPLzvKYlo2C4e5f6g7h")  # as the worker stored it

    first = post(EVENT, signed(EVENT))
    again = post(EVENT, signed(EVENT))
    forged = post(EVENT, signed(EVENT, secret="whsec_someone_else"))
    unknown = post(EVENT, signed(EVENT), code="paypal")

    assert (first.status_code, first.json()) == (200, {"received": 1, "changed": 1})  # type: ignore[attr-defined]
    assert again.json() == {"received": 1, "changed": 0}  # type: ignore[attr-defined]
    assert (forged.status_code, unknown.status_code) == (401, 404)  # type: ignore[attr-defined]
    refund = Refund.objects.get()
    assert (refund.provider_status, refund.status) == ("succeeded", "issued")
    assert refund.settled_at is not None
    assert Entry.objects.filter(kind="orders.refund_settled").count() == 1
