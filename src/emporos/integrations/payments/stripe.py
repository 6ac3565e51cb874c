"""Stripe behind `orders.payment_providers`: refunds, their state, and signed refund webhooks.

Where each shape comes from (tests/integrations/fixtures/README.md lists them per fixture):
- "Create a refund" (https://docs.stripe.com/api/refunds/create): `POST /v1/refunds`, form-encoded,
  with `payment_intent` or `charge`, `amount` in the smallest currency unit, `reason` one of
  duplicate | fraudulent | requested_by_customer, and `metadata[key]=value`.
- "The Refund object" (https://docs.stripe.com/api/refunds/object): `id` (re_...), `amount`,
  `currency` in lower case, `status` pending | requires_action | succeeded | failed | canceled,
  `failure_reason`; "Retrieve a refund": `GET /v1/refunds/{id}`.
- "Errors" (https://docs.stripe.com/api/errors): the HTTP statuses (400, 401, 402, 403, 404, 409,
  424, 429, 5xx) and the body `{"error": {"type", "code", "message", "param", ...}}`.
- "Idempotent requests" (https://docs.stripe.com/api/idempotent_requests): the `Idempotency-Key`
  header; a key reused with other parameters is an `idempotency_error`, and a request still
  running under the same key answers 409 `idempotency_key_in_use`.
- "Versioning" (https://docs.stripe.com/api/versioning): the `Stripe-Version` header.
- "Check the webhook signatures" (https://docs.stripe.com/webhooks#verify-manually): the
  `Stripe-Signature` header `t=<unix time>,v1=<hex>[,v1=...]`, the hex HMAC-SHA256 of
  "<t>.<raw body>" keyed with the endpoint's signing secret, five minutes of tolerance; and "The
  Event object" (https://docs.stripe.com/api/events/object): `id`, `type`, `data.object`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from emporos.core import clock
from emporos.core.config import setting
from emporos.fulfillment.carriers import CarrierError
from emporos.integrations.http import CarrierUnreachable, HttpRequest, HttpResponse, Transport, UrllibTransport
from emporos.integrations.payments import stripe_amounts
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

logger = logging.getLogger(__name__)

NAME = "Stripe"
API_URL = "https://api.stripe.com"
# The API version every request is read and answered in, whatever the account's default is, so
# a change of default in Stripe's dashboard never changes what this adapter receives.
API_VERSION = "2025-04-30.basil"
WEBHOOK_TOLERANCE = dt.timedelta(minutes=5)

STATUS: dict[str, RefundStatus] = {
    "succeeded": RefundStatus.SUCCEEDED,
    "pending": RefundStatus.PENDING,
    "requires_action": RefundStatus.PENDING,  # the customer must give Stripe their bank details first
    "failed": RefundStatus.FAILED,
    "canceled": RefundStatus.CANCELED,
}
# Emporos's reasons (orders.payment_providers.REFUND_REASONS) in Stripe's three words; any other
# reason is left out, as Stripe refuses a value it does not list.
REASONS = {
    "requested_by_customer": "requested_by_customer",
    "returned": "requested_by_customer",
    "damaged": "requested_by_customer",
    "not_delivered": "requested_by_customer",
    "duplicate": "duplicate",
    "fraudulent": "fraudulent",
}
# Events whose `data.object` is a Refund.
REFUND_EVENTS = frozenset({"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"})
# Stripe's metadata limits ("Metadata", https://docs.stripe.com/api/metadata).
METADATA_KEYS, METADATA_KEY_LENGTH, METADATA_VALUE_LENGTH = 50, 40, 500


@dataclass(frozen=True)
class StripeSettings:
    """EMPOROS_STRIPE_* (README, Refunds through Stripe); read when an adapter is built."""

    api_url: str = API_URL
    secret_key: str = ""
    webhook_secret: str = ""

    @classmethod
    def from_settings(cls) -> StripeSettings:
        values: Mapping[str, str] = setting("STRIPE")
        return cls(
            api_url=values["API_URL"].rstrip("/"),
            secret_key=values["SECRET_KEY"],
            webhook_secret=values["WEBHOOK_SECRET"],
        )


def from_settings() -> Stripe:
    """The factory `emporos.integrations` registers as "stripe"."""
    return Stripe(settings=StripeSettings.from_settings(), transport=UrllibTransport())


class Stripe:
    code = "stripe"
    name = NAME

    def __init__(
        self, *, settings: StripeSettings, transport: Transport, now: Callable[[], dt.datetime] = clock.now
    ) -> None:
        self._settings = settings
        self._transport = transport
        self._now = now

    def refund(self, request: RefundRequest) -> ProviderRefund:
        """Refund part or all of a PaymentIntent (pi_...) or Charge (ch_...), once per idempotency key.

        Every check runs before the request leaves: a refund Stripe would refuse, or one whose
        amount Stripe cannot express exactly, is refused here with the reason.
        """
        self._require("EMPOROS_STRIPE_SECRET_KEY", self._settings.secret_key)
        form = refund_form(request)
        if not request.idempotency_key.strip():
            raise PaymentProviderError("A Stripe refund needs an idempotency key, so a retry never pays twice.")
        response = self._send("POST", "/v1/refunds", form=form, idempotency_key=request.idempotency_key)
        if not response.ok:
            raise refusal(response, doing=f"the refund of {request.amount} {request.currency.upper()}")
        return refund_from(response.json())

    def get_refund(self, reference: str) -> ProviderRefund:
        self._require("EMPOROS_STRIPE_SECRET_KEY", self._settings.secret_key)
        if not reference.strip():
            raise PaymentProviderError("Name the Stripe refund (re_...) to look up.")
        response = self._send("GET", f"/v1/refunds/{quote(reference.strip(), safe='')}")
        if not response.ok:
            raise refusal(response, doing=f"looking up refund {reference}")
        return refund_from(response.json())

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[ProviderRefund]:
        """The refund in a refund event, once its `Stripe-Signature` proves Stripe sent it lately.

        The signature covers the raw bytes, so it is checked before anything is parsed. Events about
        anything else answer [] (Stripe sends again whatever is not accepted).
        """
        self._require("EMPOROS_STRIPE_WEBHOOK_SECRET", self._settings.webhook_secret)
        verify_signature(
            header(headers, "Stripe-Signature"), body, secret=self._settings.webhook_secret, now=self._now()
        )
        try:
            event = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise PaymentWebhookRejected("The Stripe webhook body is not JSON.") from None
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise PaymentWebhookRejected("This is not a Stripe event: it has no `type`.")
        if event["type"] not in REFUND_EVENTS:
            return []
        data = event.get("data")
        refund = data.get("object") if isinstance(data, dict) else None
        if not isinstance(refund, dict) or refund.get("object") != "refund":
            raise PaymentWebhookRejected(f"The Stripe {event['type']} event carries no refund.")
        return [refund_from(refund, event_id=str(event.get("id") or ""), error=PaymentWebhookRejected)]

    # --- calls -------------------------------------------------------------------------------------

    @staticmethod
    def _require(variable: str, value: str) -> None:
        if not value:
            raise ProviderNotConfigured(
                f"{NAME} is not set up: set {variable} in the environment (README, Refunds through Stripe) "
                "and restart Emporos."
            )

    def _send(
        self, method: str, path: str, *, form: list[tuple[str, str]] | None = None, idempotency_key: str = ""
    ) -> HttpResponse:
        headers = {
            "Authorization": f"Bearer {self._settings.secret_key}",
            "Stripe-Version": API_VERSION,
            "Accept": "application/json",
        }
        body = None
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form).encode("utf-8")
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        try:
            return self._transport(HttpRequest(method, self._settings.api_url + path, headers, body))
        except CarrierUnreachable as exc:
            raise ProviderUnreachable(f"{NAME} did not answer: {exc.message}") from None
        except CarrierError as exc:
            raise PaymentProviderError(f"{NAME} could not be asked: {exc.message}") from None


def refund_form(request: RefundRequest) -> list[tuple[str, str]]:
    """The form fields of `POST /v1/refunds`, in a fixed order, or PaymentProviderError saying what is wrong."""
    reference = request.payment_reference.strip()
    if reference.startswith("pi_"):
        form = [("payment_intent", reference)]
    elif reference.startswith("ch_") or reference.startswith("py_"):
        form = [("charge", reference)]
    else:
        raise PaymentProviderError(
            f"{reference!r} is not a Stripe payment: give its PaymentIntent (pi_...) or Charge (ch_...)."
        )
    form.append(("amount", str(stripe_amounts.to_minor_units(request.amount, request.currency))))
    if reason := REASONS.get(request.reason):
        form.append(("reason", reason))
    if len(request.metadata) > METADATA_KEYS:
        raise PaymentProviderError(f"Stripe keeps at most {METADATA_KEYS} metadata keys on a refund.")
    for key, value in request.metadata.items():
        if not key or len(key) > METADATA_KEY_LENGTH or "[" in key or "]" in key:
            raise PaymentProviderError(
                f"Stripe metadata keys are 1 to {METADATA_KEY_LENGTH} characters without brackets; {key!r} is not."
            )
        if len(value) > METADATA_VALUE_LENGTH:
            raise PaymentProviderError(f"Stripe metadata values are at most {METADATA_VALUE_LENGTH} characters.")
        form.append((f"metadata[{key}]", value))
    return form


def refund_from(answer: Any, *, event_id: str = "", error: type[Exception] = PaymentProviderError) -> ProviderRefund:
    """A Stripe Refund object in Emporos's words; an unknown status is taken as pending and logged
    (a refund is final only when Stripe says so)."""
    if not isinstance(answer, dict) or not isinstance(answer.get("id"), str):
        raise error(f"{NAME} answered without a refund: {str(answer)[:200]!r}")
    amount, currency = answer.get("amount"), answer.get("currency")
    if not isinstance(amount, int) or isinstance(amount, bool) or not isinstance(currency, str):
        raise error(f"{NAME}'s refund {answer['id']} has no amount or currency.")
    raw_status = answer.get("status") or "pending"
    status = STATUS.get(raw_status)
    if status is None:
        logger.warning(
            "Stripe sent an undocumented refund status %r for %s; taken as pending", raw_status, answer["id"]
        )
        status = RefundStatus.PENDING
    return ProviderRefund(
        reference=answer["id"],
        status=status,
        amount=stripe_amounts.from_minor_units(amount, currency),
        currency=currency.upper(),
        failure_reason=str(answer.get("failure_reason") or ""),
        event_id=event_id,
    )


def refusal(response: HttpResponse, *, doing: str) -> PaymentProviderError:
    """Stripe's error answer as a PaymentProviderError that says whether a retry may help.

    400, 402 and 404 never succeed on a retry; 401 and 403 need another key; a 409 is retried only
    while the first request under the same key is still running (`idempotency_key_in_use`); 424 (a
    bank or network behind Stripe failed), 429 and 5xx may succeed later. Stripe's `Stripe-Should-Retry` header, when sent, has the last word.
    """
    answer = response.json()
    details = answer.get("error") if isinstance(answer, dict) else None
    details = details if isinstance(details, dict) else {}
    message, code = str(details.get("message") or ""), str(details.get("code") or "")
    words = " ".join(part for part in (f"HTTP {response.status}", code) if part)
    text = f"{NAME} refused {doing} ({words})" + (f": {message}" if message else ".")
    status = response.status
    if status in (401, 403):
        text += " Check EMPOROS_STRIPE_SECRET_KEY (a secret or restricted key allowed to write refunds)."
    retryable = status in (424, 429) or status >= 500 or (status == 409 and code == "idempotency_key_in_use")
    advice = response.headers.get("stripe-should-retry", "").strip().lower()
    if advice in ("true", "false"):
        retryable = advice == "true"
    return PaymentProviderError(text, retryable=retryable, provider_message=message, provider_code=code)


def header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), "")


def verify_signature(signature: str, body: bytes, *, secret: str, now: dt.datetime) -> None:
    """Refuse a body whose `Stripe-Signature` is missing, wrong or more than five minutes off.

    Every v1 signature in the header is compared (Stripe sends two while a secret is being rolled),
    each in constant time.
    """
    timestamp, signatures = "", []
    for item in signature.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == "v1" and value:
            signatures.append(value.lower())
    if not timestamp.isdigit() or len(timestamp) > 12 or not signatures:
        raise PaymentWebhookSignatureInvalid(
            "The Stripe webhook has no Stripe-Signature with a time and a v1 signature: it was not sent by Stripe."
        )
    signed = timestamp.encode("ascii") + b"." + body
    expected = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest().encode("ascii")
    matches = [hmac.compare_digest(expected, candidate.encode("utf-8")) for candidate in signatures]
    if not any(matches):
        raise PaymentWebhookSignatureInvalid(
            "The Stripe webhook's signature does not match its body: it was not sent by Stripe, or "
            "EMPOROS_STRIPE_WEBHOOK_SECRET is not this endpoint's signing secret (whsec_...)."
        )
    signed_at = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    if abs(now - signed_at) > WEBHOOK_TOLERANCE:
        raise PaymentWebhookSignatureInvalid(
            f"The Stripe webhook was signed at {signed_at:%Y-%m-%d %H:%M:%S} UTC, more than five minutes "
            "from now: a replay, or this server's clock is wrong."
        )
