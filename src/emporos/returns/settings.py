"""The owner's return settings: the shop's own policy on top of the law, and the SKUs the law lets
it refuse a withdrawal of. Each save is checked, stored and announced (`ReturnPolicyChanged`), so
integrations and the timeline learn that the terms customers get have changed."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector, NotFound
from emporos.fulfillment import carriers
from emporos.outbox.services import emit
from emporos.returns.events import ReturnPolicyChanged
from emporos.returns.models import (
    AutoRefund,
    Exemption,
    Reason,
    ReturnKind,
    ReturnPolicy,
    ShippingPaidBy,
    SkuExemption,
)
from emporos.returns.policy import current_policy

MAX_VOLUNTARY_DAYS = 365
MAX_FEE = Decimal("1000")
_FIELDS = (
    "voluntary_days",
    "reasons",
    "auto_refund",
    "auto_refund_kinds",
    "return_shipping_paid_by",
    "return_shipping_fee",
    "return_carrier",
    "customers_informed",
)


class ExemptionNotFound(NotFound):
    code = "exemption_not_found"


def save_policy(
    *,
    voluntary_days: int,
    reasons: Sequence[str],
    auto_refund: str,
    auto_refund_kinds: Sequence[str],
    return_shipping_paid_by: str,
    return_shipping_fee: Decimal,
    return_carrier: str,
    customers_informed: bool,
    actor: Actor,
) -> ReturnPolicy:
    """Check and save the shop's return policy (one row). Reasons keep the order the law's form
    shows them in; the withdrawal "reason" is never offered, since a withdrawal needs none."""
    errors = ErrorCollector()
    if not 0 <= voluntary_days <= MAX_VOLUNTARY_DAYS:
        errors.add("voluntary_days", "out_of_range", f"Give between 0 and {MAX_VOLUNTARY_DAYS} days; 0: the law only.")
    offered = [code for code in Reason.values if code in set(reasons) and code != Reason.WITHDRAWAL]
    unknown = sorted(set(reasons) - set(Reason.values))
    if unknown or not offered:
        errors.add("reasons", "invalid_reasons", "Offer at least one of the reasons listed.")
    if auto_refund not in AutoRefund.values:
        errors.add("auto_refund", "invalid_choice", f"Use one of {', '.join(AutoRefund.values)}.")
    kinds = [kind for kind in ReturnKind.values if kind in set(auto_refund_kinds)]
    if set(auto_refund_kinds) - set(ReturnKind.values):
        errors.add("auto_refund_kinds", "invalid_choice", f"Use any of {', '.join(ReturnKind.values)}.")
    if return_shipping_paid_by not in ShippingPaidBy.values:
        errors.add("return_shipping_paid_by", "invalid_choice", f"Use one of {', '.join(ShippingPaidBy.values)}.")
    if not Decimal(0) <= return_shipping_fee <= MAX_FEE:
        errors.add("return_shipping_fee", "out_of_range", f"Give a fee between 0 and {MAX_FEE}.")
    if return_carrier not in carriers.known():
        errors.add("return_carrier", "invalid_choice", f"Use one of {', '.join(carriers.known())}.")
    errors.raise_if_any()
    fee = (
        return_shipping_fee.quantize(Decimal("0.01"))
        if return_shipping_paid_by == ShippingPaidBy.CUSTOMER
        else Decimal("0.00")
    )
    with transaction.atomic():
        before = current_policy()
        row = ReturnPolicy(
            id=1,
            voluntary_days=voluntary_days,
            reasons=offered,
            auto_refund=auto_refund,
            auto_refund_kinds=kinds,
            return_shipping_paid_by=return_shipping_paid_by,
            return_shipping_fee=fee,
            return_carrier=return_carrier,
            customers_informed=customers_informed,
            updated_at=clock.now(),
            updated_by=str(actor)[:150],
        )
        row.save()
        changed = [name for name in _FIELDS if getattr(before, name) != getattr(row, name)]
        emit(ReturnPolicyChanged(changed=changed))
    return row


def set_exemption(*, sku: str, exemption: str, actor: Actor) -> SkuExemption:
    """Mark `sku` as one the law lets the shop refuse a withdrawal of (set again: the new reason)."""
    errors = ErrorCollector()
    cleaned = sku.strip()
    if not cleaned or len(cleaned) > 64:
        errors.add("sku", "invalid_sku", "Give the SKU as the catalog writes it, up to 64 characters.")
    if exemption not in Exemption.values:
        errors.add("exemption", "invalid_choice", f"Use one of {', '.join(Exemption.values)}.")
    errors.raise_if_any()
    with transaction.atomic():
        row, _created = SkuExemption.objects.update_or_create(
            sku=cleaned, defaults={"exemption": exemption, "created_at": clock.now()}
        )
        emit(ReturnPolicyChanged(changed=["exemptions"]))
    return row


def remove_exemption(*, sku: str, actor: Actor) -> None:
    """The SKU may be withdrawn from like any other again."""
    with transaction.atomic():
        deleted, _ = SkuExemption.objects.filter(sku=sku).delete()
        if not deleted:
            raise ExemptionNotFound(f"SKU {sku} has no exemption.")
        emit(ReturnPolicyChanged(changed=["exemptions"]))
