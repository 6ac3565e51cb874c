"""Money given back to a customer: a refund recorded by staff, the payment status derived from the amounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from emporos.core import clock, money
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.orders import events
from emporos.orders.errors import NothingToRefund, RefundIdempotencyKeyReused
from emporos.orders.models import Order, ProviderStatus, Refund, RefundReason, RefundStatus
from emporos.orders.payment_providers import ProviderRefund
from emporos.orders.payment_providers import RefundStatus as ProviderRefundStatus
from emporos.orders.services._write import MONEY, compare_and_set, free_text, rank, rank_in_database, record
from emporos.orders.states import COLLECTED_BY_THE_SHOP, REFUNDABLE_PAYMENT_STATUSES, derive_refund_status

MAX_NOTE = 500
MAX_REFERENCE = 100
MANUAL = "manual"
BANK_TRANSFER = "bank_transfer"


def refund_way(order: Order) -> str:
    """How money goes back: through the provider that took it, by bank transfer when the shop
    collected it itself (cash on delivery, bank transfer), else by hand."""
    if order.payment_provider:
        return order.payment_provider
    return BANK_TRANSFER if order.payment_method in COLLECTED_BY_THE_SHOP else MANUAL


def _provider_status(provider: str) -> ProviderStatus:
    if provider == MANUAL:
        return ProviderStatus.SUCCEEDED
    return ProviderStatus.DUE if provider == BANK_TRANSFER else ProviderStatus.PENDING


@dataclass(frozen=True)
class RefundResult:
    refund: Refund
    order: Order
    created: bool


def record_refund(
    *,
    order: Order,
    amount: Decimal,
    reason: str,
    actor: Actor,
    reference: str = "",
    note: str = "",
    idempotency_key: str | None = None,
    fingerprint: str = "",
    provider: str = MANUAL,
    iban: str = "",
    account_holder: str = "",
) -> RefundResult:
    """Record money given back: more than 0, at most what was received less what went back already.

    The order's row is locked while the amounts are checked and written, so two refunds racing
    for the same money give back at most what was paid (the check constraint holds it too). The
    same idempotency key with the same request returns the first refund (`created` False).

    `provider` says how the money goes back: "manual" (the shop did it already: recorded as paid
    back), "bank_transfer" (due, to the `iban`, until exported in a SEPA file) or a payment
    provider's code ("stripe"): then the worker sends it, keyed by the refund's id, so the
    customer is paid back once however often it is retried.
    """
    if idempotency_key:
        existing = _existing(order, idempotency_key, fingerprint)
        if existing is not None:
            return RefundResult(existing, Order.objects.get(pk=order.pk), created=False)
    errors = ErrorCollector()
    if reason not in RefundReason.values:
        errors.add("reason", "invalid_reason", f"Use one of {', '.join(RefundReason.values)}.")
    cleaned_note = free_text(errors, "note", note, max_length=MAX_NOTE)
    cleaned_reference = free_text(errors, "reference", reference, max_length=MAX_REFERENCE, multiline=False)
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            _check_amount(errors, locked, amount)
            errors.raise_if_any()
            refunded = locked.amount_refunded + amount
            target = derive_refund_status(amount_paid=locked.amount_paid, amount_refunded=refunded)
            compare_and_set(
                locked,
                checked=MONEY,
                amount_refunded=refunded,
                payment_status=target,
                queue_rank=rank_in_database(locked, payment_status=target),
            )
            locked.queue_rank = rank(locked, payment_status=target)
            refund = Refund.objects.create(
                order=locked,
                amount=amount,
                currency=locked.currency,
                reason=reason,
                note=cleaned_note,
                reference=cleaned_reference,
                actor=str(actor)[:150],
                created_at=clock.now(),
                idempotency_key=idempotency_key or None,
                request_fingerprint=fingerprint,
                provider=provider,
                provider_status=_provider_status(provider),
                settled_at=clock.now() if provider == MANUAL else None,
                iban=iban,
                account_holder=account_holder[:70],
            )
            record(
                locked,
                events.RefundRecorded(
                    order_id=locked.pk,
                    refund_id=refund.pk,
                    amount=str(amount),
                    payment_status=target,
                    provider=provider,
                ),
                actor=actor,
                currency=locked.currency,
                reason=reason,
                reference=cleaned_reference,
                note=cleaned_note,
            )
    except IntegrityError:
        # Another request with the same key won the race: answer with its refund.
        if idempotency_key and (existing := _existing(order, idempotency_key, fingerprint)) is not None:
            return RefundResult(existing, Order.objects.get(pk=order.pk), created=False)
        raise
    return RefundResult(refund, locked, created=True)


def _check_amount(errors: ErrorCollector, order: Order, amount: Decimal) -> None:
    if order.payment_status not in REFUNDABLE_PAYMENT_STATUSES or order.refundable <= 0:
        raise NothingToRefund(
            f"Order {order.display_number} has no money received left to give back (its payment is "
            f"{order.payment_status.replace('_', ' ')})."
        )
    refundable = money.quantize(order.refundable, order.currency)
    if not amount.is_finite() or amount <= 0 or not money.has_valid_precision(amount, order.currency):
        errors.add("amount", "invalid_amount", f'Give the amount to give back, more than 0, e.g. "{refundable}".')
    elif amount > refundable:
        errors.add(
            "amount",
            "too_much",
            f"At most {refundable} {order.currency} can be refunded: {order.amount_paid} received, "
            f"{order.amount_refunded} given back already.",
        )


def _existing(order: Order, key: str, fingerprint: str) -> Refund | None:
    refund = Refund.objects.filter(idempotency_key=key).first()
    if refund is None:
        return None
    if refund.order_id != order.pk or (fingerprint and refund.request_fingerprint != fingerprint):
        raise RefundIdempotencyKeyReused(
            "This Idempotency-Key was used for another refund request; use a new key for a new refund."
        )
    return refund


def settle_refund(*, refund: Refund, provider_reference: str, succeeded: bool, actor: Actor) -> None:
    """The provider took the refund (`succeeded`: paid back; else still pending there), in the
    caller's transaction. Settling twice changes nothing."""
    changes: dict[str, object] = {"provider_reference": provider_reference[:100]}
    if succeeded:
        changes |= {"provider_status": ProviderStatus.SUCCEEDED, "settled_at": clock.now()}
    updated = Refund.objects.filter(pk=refund.pk, provider_status=ProviderStatus.PENDING).update(**changes)
    if updated and succeeded:
        order = Order.objects.get(pk=refund.order_id)
        record(
            order,
            events.RefundSettled(order_id=order.pk, refund_id=refund.pk, provider=refund.provider),
            actor=actor,
            amount=str(refund.amount),
            currency=refund.currency,
            provider_reference=provider_reference,
        )


def mark_bank_refunds_exported(*, refund_ids: list[int], file_id: str, actor: Actor) -> int:
    """Bank refunds put in the SEPA file `file_id` are paid back from the shop's side: each due
    one is marked exported in that file and settled, with its timeline entry, in the caller's
    transaction. A refund exported already is left alone (never in two files); the count of
    refunds marked is returned."""
    marked = 0
    for refund in Refund.objects.filter(pk__in=refund_ids).select_related("order").order_by("pk"):
        updated = Refund.objects.filter(pk=refund.pk, provider_status=ProviderStatus.DUE, exported_in="").update(
            provider_status=ProviderStatus.SUCCEEDED,
            settled_at=clock.now(),
            exported_in=file_id,
            provider_reference=file_id,
        )
        if not updated:
            continue
        marked += 1
        record(
            refund.order,
            events.RefundSettled(order_id=refund.order_id, refund_id=refund.pk, provider=refund.provider),
            actor=actor,
            amount=str(refund.amount),
            currency=refund.currency,
            provider_reference=file_id,
        )
    return marked


def fail_refund(*, refund: Refund, message: str, actor: Actor) -> None:
    """The provider refused the refund: it is marked failed, its amount no longer counts as given
    back (the payment status follows), and the order's timeline says so, for a person to act."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=refund.order_id)
        if not Refund.objects.filter(pk=refund.pk, status=RefundStatus.ISSUED).update(
            status=RefundStatus.FAILED, provider_status=ProviderStatus.FAILED, provider_message=message[:500]
        ):
            return
        refunded = locked.amount_refunded - refund.amount
        target = derive_refund_status(amount_paid=locked.amount_paid, amount_refunded=refunded)
        compare_and_set(locked, checked=MONEY, amount_refunded=refunded, payment_status=target)
        record(
            locked,
            events.RefundFailed(
                order_id=locked.pk,
                refund_id=refund.pk,
                amount=str(refund.amount),
                payment_status=target,
                provider=refund.provider,
            ),
            actor=actor,
            currency=locked.currency,
            message=message[:500],
        )


def apply_provider_update(*, provider: str, update: ProviderRefund, actor: Actor) -> bool:
    """A provider's word on a refund it holds (its webhook, a later check): paid back settles it,
    refused or cancelled fails it. Matched by the provider's reference; an unknown one, or news
    that changes nothing (a replay, an older state), is ignored. True when it changed something."""
    refund = Refund.objects.filter(provider=provider, provider_reference=update.reference).first()
    if refund is None or not update.reference:
        return False
    if update.status == ProviderRefundStatus.SUCCEEDED and refund.provider_status == ProviderStatus.PENDING:
        with transaction.atomic():
            settle_refund(refund=refund, provider_reference=update.reference, succeeded=True, actor=actor)
        return True
    if update.status in {ProviderRefundStatus.FAILED, ProviderRefundStatus.CANCELED} and refund.status == "issued":
        fail_refund(refund=refund, message=update.failure_reason or str(update.status), actor=actor)
        return True
    return False
