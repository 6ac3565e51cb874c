"""The payment-provider interface: what Emporos asks of a provider to give money back, and the
registry of adapters.

An adapter turns these calls into a provider's API (Stripe: `emporos.integrations.payments`) or
answers them itself (`manual`: money the shop gives back by hand, by bank transfer or in cash).
Adapters are pure translators: they never touch the database; the orders services store what
they answer. Each is built by a factory from the environment (`EMPOROS_<PROVIDER>_*`), so tests and
the demo never need credentials, and a live client without credentials refuses with
ProviderNotConfigured before anything leaves.

A refund must happen once however often it is asked for: the caller passes a key that stays the
same for every attempt (the outbox event's uuid), and an adapter sends it where the provider takes
one, so a retry after a lost answer returns the first refund instead of paying twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from emporos.core.errors import Conflict, DomainError


class RefundStatus(StrEnum):
    """Every provider's refund states map onto these."""

    SUCCEEDED = "succeeded"  # the money is on its way back; nothing more will happen
    PENDING = "pending"  # accepted, not final yet (or waiting for the customer to act)
    FAILED = "failed"  # the provider could not return it (a closed card); the money is back with the shop
    CANCELED = "canceled"  # withdrawn before it went out


@dataclass(frozen=True)
class RefundRequest:
    """Give back `amount` (in `currency`, as Emporos stores it) of the payment the provider knows
    as `payment_reference`. `idempotency_key` is the same for every attempt of one refund (the
    outbox event's uuid); `reason` is one of REFUND_REASONS or empty; `metadata` is shown beside
    the refund in the provider's dashboard (the order number, the return's number)."""

    payment_reference: str
    amount: Decimal
    currency: str  # ISO 4217, upper case
    idempotency_key: str
    reason: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)


# Why money goes back, in Emporos's words; each adapter maps them onto its provider's own.
REFUND_REASONS = ("requested_by_customer", "returned", "duplicate", "fraudulent", "damaged", "not_delivered")


@dataclass(frozen=True)
class ProviderRefund:
    """A refund as the provider sees it. `reference` is the provider's id of it ("" for manual);
    `event_id` names the webhook event it came from (unique per provider), "" otherwise."""

    reference: str
    status: RefundStatus
    amount: Decimal
    currency: str  # ISO 4217, upper case
    failure_reason: str = ""
    event_id: str = ""


class PaymentProviderError(DomainError):
    """The provider refused or failed. `provider_message` is the provider's own words,
    `provider_code` its error code, and `retryable` says whether the same request may succeed later
    (a timeout, a rate limit, the provider's own fault) or never will (a refund larger than what is
    left, an unknown payment)."""

    code = "payment_provider_error"

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = False,
        provider_message: str = "",
        provider_code: str = "",
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.retryable = retryable
        self.provider_message = provider_message
        self.provider_code = provider_code


class ProviderNotConfigured(PaymentProviderError, Conflict):
    """No such provider, or its credentials are not set: nothing was sent."""

    code = "payment_provider_not_configured"


class ProviderUnreachable(PaymentProviderError):
    """No answer came back (timeout, refused connection, broken TLS): a retry may succeed, and the
    idempotency key makes it safe."""

    code = "payment_provider_unreachable"

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


class PaymentWebhookRejected(DomainError):
    """A webhook that is not the provider's shape (or not signed right: PaymentWebhookSignatureInvalid)."""

    code = "payment_webhook_rejected"


class PaymentWebhookSignatureInvalid(PaymentWebhookRejected):
    """A webhook whose signature does not verify, or is too old: not (or no longer) the provider's."""

    code = "payment_webhook_signature_invalid"


class PaymentProvider(Protocol):
    code: str
    name: str

    def refund(self, request: RefundRequest) -> ProviderRefund:
        """Give the money back once per idempotency key; raises PaymentProviderError."""
        ...

    def get_refund(self, reference: str) -> ProviderRefund:
        """The refund's state now, by the provider's reference."""
        ...

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[ProviderRefund]:
        """The refund updates a verified webhook carries ([] for events about anything else);
        raises PaymentWebhookRejected when it is not the provider's."""
        ...


class ManualProvider:
    """Money the shop gives back by hand (a bank transfer, cash at the counter): recording it is
    the refund, so it succeeds at once and has no reference."""

    code = "manual"
    name = "Manual"

    def refund(self, request: RefundRequest) -> ProviderRefund:
        return ProviderRefund(
            reference="", status=RefundStatus.SUCCEEDED, amount=request.amount, currency=request.currency
        )

    def get_refund(self, reference: str) -> ProviderRefund:
        raise PaymentProviderError("A manual refund has no record at a provider; its state is what the shop recorded.")

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[ProviderRefund]:
        raise PaymentWebhookRejected("Manual refunds send no webhooks.")


_FACTORIES: dict[str, Callable[[], PaymentProvider]] = {}


def register(code: str, factory: Callable[[], PaymentProvider]) -> None:
    """Make a provider known by its code (called from an app's ready())."""
    _FACTORIES[code] = factory


def known() -> list[str]:
    return sorted(_FACTORIES)


def provider(code: str) -> PaymentProvider:
    """The adapter for `code`, built now (so settings changed in tests are honoured)."""
    try:
        factory = _FACTORIES[code]
    except KeyError:
        raise ProviderNotConfigured(
            f"Unknown payment provider {code!r}; use one of {', '.join(known()) or 'none'}."
        ) from None
    return factory()
