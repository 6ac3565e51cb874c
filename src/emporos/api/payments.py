"""Payment providers' own webhooks: a refund paid back or refused at the provider."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from ninja import Router

from emporos.api.problems import problem
from emporos.core.actor import Actor
from emporos.orders import payment_providers
from emporos.orders.services.refunds import apply_provider_update

router = Router(tags=["payments"])


@router.post("/payments/{code}/webhook", auth=None, include_in_schema=False)
def payment_webhook(request: HttpRequest, code: str) -> HttpResponse:
    """A provider's webhook (Stripe: refund.updated, refund.failed...): the adapter checks the
    signature and reads the refunds; each moves its refund on once, so a replay changes nothing.
    Answers 200 with the counts; 401 when the signature does not verify, 400 when the body is not
    the provider's, 404 for a provider Emporos does not know."""
    if code == "manual" or code not in payment_providers.known():
        return problem(404, "unknown_provider", "Unknown payment provider", f"There is no provider {code[:40]!r}.")
    try:
        updates = payment_providers.provider(code).parse_webhook(
            headers=dict(request.headers.items()), body=request.body
        )
    except payment_providers.PaymentWebhookSignatureInvalid as refusal:
        return problem(401, refusal.code, "Webhook signature does not verify", refusal.message)
    except payment_providers.PaymentWebhookRejected as refusal:
        return problem(400, refusal.code, "Not a webhook of this provider", refusal.message)
    except payment_providers.ProviderNotConfigured as refusal:
        return problem(409, refusal.code, "Provider not configured", refusal.message)
    actor = Actor.system(f"{code} webhook")
    changed = sum(apply_provider_update(provider=code, update=update, actor=actor) for update in updates)
    body = {"received": len(updates), "changed": changed}
    return HttpResponse(json.dumps(body), content_type="application/json")
