"""Exchanges: the customer sends lines back and gets other variants of the same products.

`reserve_exchange` places the replacement as an order of its own (channel "exchange", same
customer and shipping address, the exchange SKUs at their catalog price) through the ordinary
intake, so its stock is reserved at once and a deny-policy SKU without stock is refused. The
value of the returned lines pays for it: that part is put on a gift card opened and spent in the
same transaction, so the replacement records it as `gift_card_amount` and a dearer replacement is
left with the difference outstanding (payment pending). The replacement is held until the return
is received, unless the customer is trusted (`is_trusted`).

`release_exchange`, once the return is received, releases the hold and refunds the difference
when the returned goods cost more than the replacement.

The replacement order is found by its idempotency key (`exchange:<return's public id>`), so
placing it twice places it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from emporos.catalog.models import Variant
from emporos.core import money
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.customers.gift_cards import open_gift_card
from emporos.customers.models import Customer
from emporos.orders import services as orders
from emporos.orders.models import Order, Refund, RefundReason
from emporos.orders.services import intake
from emporos.orders.services.refunds import refund_way
from emporos.orders.states import OrderStatus, PaymentMethod, PaymentStatus
from emporos.returns import events
from emporos.returns.errors import ReturnNotOpen, ReturnNotReceived, WrongResolution
from emporos.returns.models import OPEN_STATUSES, Resolution, Return, ReturnLine, ReturnStatus
from emporos.returns.subjects import about_return
from emporos.timeline import services as timeline

CHANNEL = "exchange"
# Money the shop took itself goes back by bank transfer (as for a return's refund).


@dataclass(frozen=True)
class ExchangeResult:
    replacement: Order
    created: bool  # False: the replacement had been placed already
    held: bool


def replacement_key(ret: Return) -> str:
    """The replacement order's idempotency key: one replacement per return."""
    return f"exchange:{ret.public_id}"


def hold_reason(ret: Return) -> str:
    return f"waiting for the return {ret.display_number}"


def is_trusted(customer: Customer) -> bool:
    """A customer with at least EMPOROS_TRUSTED_CUSTOMER_ORDERS completed orders and no rejected
    return gets a replacement before the returned goods are back."""
    needed = settings.EMPOROS["TRUSTED_CUSTOMER_ORDERS"]
    completed = Order.objects.filter(customer=customer, status=OrderStatus.COMPLETED).count()
    if completed < needed:
        return False
    return not Return.objects.filter(order__customer=customer, status=ReturnStatus.REJECTED).exists()


def reserve_exchange(*, ret: Return, actor: Actor) -> ExchangeResult:
    """Place the exchange's replacement order and reserve its stock (see the module).

    Raises WrongResolution for a return that is not an exchange, ReturnNotOpen for one rejected
    or cancelled, ValidationFailed naming `lines[i].exchange_sku` for a SKU that is not a variant
    of the returned line's product (`exchange_other_product`), and the intake's InsufficientStock
    for a SKU without stock; in each case nothing is written.
    """
    with transaction.atomic():
        locked = Return.objects.select_for_update(of=("self",)).select_related("order__customer").get(pk=ret.pk)
        if locked.resolution != Resolution.EXCHANGE:
            raise WrongResolution(f"Return {locked.display_number} asks for {locked.resolution}, not an exchange.")
        existing = Order.objects.filter(idempotency_key=replacement_key(locked)).first()
        if existing is not None:
            return ExchangeResult(existing, created=False, held=existing.status == OrderStatus.ON_HOLD)
        if locked.status not in (*OPEN_STATUSES, ReturnStatus.RECEIVED):
            raise ReturnNotOpen(f"Return {locked.display_number} is {locked.status}; nothing is exchanged for it.")
        lines = list(locked.lines.select_related("order_line__variant").order_by("id"))
        variants = _exchange_variants(lines)
        draft = _draft(locked, lines, variants)
        result = orders.place_order(draft=draft, actor=actor, idempotency_key=replacement_key(locked))
        replacement = result.order
        held = locked.status != ReturnStatus.RECEIVED and not is_trusted(locked.order.customer)
        if held:
            orders.hold_order(order=replacement, reason=hold_reason(locked), actor=actor)
        timeline.record(
            event=events.ExchangePlaced(
                return_id=locked.pk, order_id=locked.order_id, replacement_order_id=replacement.pk, held=held
            ),
            about=about_return(locked),
            actor=actor,
            facts={
                "number": locked.order.display_number,
                "sequence": locked.sequence,
                "replacement": replacement.display_number,
            },
        )
    return ExchangeResult(replacement, created=True, held=held)


def _exchange_variants(lines: list[ReturnLine]) -> dict[str, Variant]:
    """The exchange SKUs, each a variant for sale of the returned line's product."""
    errors = ErrorCollector()
    wanted = {line.exchange_sku for line in lines}
    variants = {v.sku: v for v in Variant.objects.filter(sku__in=wanted, is_active=True)}
    for index, line in enumerate(lines):
        where = f"lines[{index}].exchange_sku"
        variant = variants.get(line.exchange_sku)
        if not line.exchange_sku:
            errors.add(where, "exchange_sku_missing", "Name the SKU the customer wants instead.")
        elif variant is None:
            errors.add(where, "unknown_sku", f"There is no product with SKU {line.exchange_sku} for sale.")
        elif variant.product_id != line.order_line.variant.product_id:
            errors.add(
                where,
                "exchange_other_product",
                f"SKU {line.exchange_sku} is another product than {line.sku}; exchange for a variant of the "
                "same product (another size or colour), or ask for a refund.",
            )
    errors.raise_if_any()
    return variants


def _draft(ret: Return, lines: list[ReturnLine], variants: dict[str, Variant]) -> intake.OrderDraft:
    """The replacement: the exchange SKUs at their catalog price, paid by the returned lines' value."""
    order = ret.order
    customer = order.customer
    line_drafts = [
        intake.LineDraft(
            sku=line.exchange_sku,
            quantity=line.quantity,
            unit_price=variants[line.exchange_sku].price,
            tax_rate=line.order_line.tax_rate,
        )
        for line in lines
    ]
    total = sum((draft.unit_price * draft.quantity for draft in line_drafts), Decimal(0))
    covered = min(returned_value(lines, received=False), total)
    paid_in_full = covered == total
    card = None
    if covered > 0:
        card = open_gift_card(
            amount=covered, currency=order.currency, customer=customer, source=f"exchange {ret.display_number}"
        )
    return intake.OrderDraft(
        channel=CHANNEL,
        currency=order.currency,
        customer=intake.CustomerDraft(
            email=customer.email, name=customer.name, phone=customer.phone, language=customer.language
        ),
        lines=line_drafts,
        payment_method=PaymentMethod.GIFT_CARD if paid_in_full else order.payment_method,
        payment_status=PaymentStatus.PAID if paid_in_full else PaymentStatus.PENDING,
        total=total,
        shipping_address=intake.AddressDraft(**order.shipping_address) if order.shipping_address else None,
        shipping_method=order.shipping_method,
        gift_card_code=card.code if card else None,
        gift_card_amount=covered if card else Decimal(0),
    )


def returned_value(lines: list[ReturnLine], *, received: bool) -> Decimal:
    """What the returned lines were bought for (their units asked for, or those that came back)."""
    return sum(
        (line.unit_refund * (line.received_quantity if received else line.quantity) for line in lines), Decimal(0)
    )


def release_exchange(*, ret: Return, actor: Actor) -> Refund | None:
    """The return is received: its replacement is released from the hold (when it was held) and,
    when the returned goods cost more than the replacement, the difference is refunded on the
    original order (once: the refund is keyed by the return). Returns that refund, or None.

    Raises ReturnNotReceived before the return is received.
    """
    with transaction.atomic():
        original = Order.objects.select_for_update().get(pk=ret.order_id)
        locked = Return.objects.select_for_update().get(pk=ret.pk)
        if locked.resolution != Resolution.EXCHANGE:
            raise WrongResolution(f"Return {original.display_number}-R{locked.sequence} is not an exchange.")
        if locked.status != ReturnStatus.RECEIVED:
            raise ReturnNotReceived(
                f"Return {original.display_number}-R{locked.sequence} is {locked.status}; "
                "the replacement is released once it is received."
            )
        locked.order = original
        replacement = Order.objects.filter(idempotency_key=replacement_key(locked)).first()
        if replacement is None:
            return None
        if replacement.status == OrderStatus.ON_HOLD and replacement.hold_reason == hold_reason(locked):
            orders.release_order(order=replacement, actor=actor)
        return _refund_difference(locked, replacement, actor=actor)


def _refund_difference(ret: Return, replacement: Order, *, actor: Actor) -> Refund | None:
    lines = list(ret.lines.all())
    difference = money.quantize(
        returned_value(lines, received=True) - replacement.gift_card_amount, replacement.currency
    )
    difference = min(difference, ret.order.refundable)
    if difference <= 0:
        return None
    order = ret.order
    provider = refund_way(order)
    return orders.record_refund(
        order=order,
        amount=difference,
        reason=RefundReason.RETURNED_GOODS,
        actor=actor,
        reference=ret.display_number,
        idempotency_key=f"exchange-difference:{ret.public_id}",
        provider=provider,
        iban=ret.iban,
        account_holder=ret.account_holder,
    ).refund
