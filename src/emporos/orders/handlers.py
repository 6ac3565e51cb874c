"""Reactions of the orders domain to other domains' events."""

from __future__ import annotations

from emporos.catalog.events import ProductsUpserted
from emporos.catalog.models import Product
from emporos.core.actor import Actor
from emporos.orders import events, payment_providers
from emporos.orders.models import ProviderStatus, Refund, RefundStatus
from emporos.orders.services.refunds import fail_refund, settle_refund
from emporos.orders.services.stock import change_expected_date
from emporos.outbox.errors import RecordedFailure
from emporos.outbox.registry import handles


@handles(ProductsUpserted, name="orders.follow_release_dates")
def follow_release_dates(event: ProductsUpserted) -> None:
    """A pre-order's release date moved: the orders waiting for it take the new date (and hear of it)."""
    for product in Product.objects.filter(pk__in=event.product_ids).order_by("pk"):
        change_expected_date(product_id=product.pk, release_on=product.release_on, actor=Actor.system("catalog"))


@handles(events.RefundRecorded, name="orders.send_refund_to_provider")
def send_refund_to_provider(event: events.RefundRecorded) -> None:
    """A refund of money a payment provider took goes back through it, keyed by the refund's id:
    a retry after a worker died mid-call asks again with the same key, and the provider answers
    with the refund it made the first time, so the customer is paid back once."""
    if event.provider in {"manual", "bank_transfer"}:
        return
    refund = Refund.objects.select_for_update().select_related("order").get(pk=event.refund_id)
    if refund.status != RefundStatus.ISSUED or refund.provider_status != ProviderStatus.PENDING:
        return  # settled or failed already
    if refund.provider_reference:
        return  # the provider has it; its webhook or a later check settles it
    actor = Actor.system(refund.provider)
    request = payment_providers.RefundRequest(
        payment_reference=refund.order.payment_reference,
        amount=refund.amount,
        currency=refund.currency,
        idempotency_key=str(refund.public_id),
        reason="returned" if refund.reason == "returned_goods" else "requested_by_customer",
        metadata={"order": refund.order.display_number, "refund": str(refund.public_id), "reference": refund.reference},
    )
    try:
        answer = payment_providers.provider(refund.provider).refund(request)
    except payment_providers.PaymentProviderError as error:
        if error.retryable:
            raise RecordedFailure(str(error), record=lambda: None) from error
        fail_refund(refund=refund, message=str(error), actor=actor)
        return
    if answer.status in {payment_providers.RefundStatus.FAILED, payment_providers.RefundStatus.CANCELED}:
        fail_refund(refund=refund, message=answer.failure_reason or answer.status, actor=actor)
        return
    settle_refund(
        refund=refund,
        provider_reference=answer.reference,
        succeeded=answer.status == payment_providers.RefundStatus.SUCCEEDED,
        actor=actor,
    )
