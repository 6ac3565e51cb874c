"""Every write of a return: the request (checked against the law of the customer's country and
the shop's policy), the first scan of the parcel, receiving it, and the refund.

Each write locks the order's row first, so two returns of the same order can never send back
more than was delivered, and a receipt sent three times is one receipt and one refund.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from emporos.catalog.models import FulfillmentMode
from emporos.core import clock, money
from emporos.core import iban as ibans
from emporos.core.actor import Actor
from emporos.core.errors import DomainError, ErrorCollector
from emporos.inventory import services as inventory
from emporos.inventory.models import Location, MovementReason
from emporos.orders import services as orders
from emporos.orders.models import Order, OrderLine, Refund, RefundReason
from emporos.orders.services._write import free_text
from emporos.orders.services.refunds import refund_way
from emporos.orders.states import COLLECTED_BY_THE_SHOP
from emporos.returns import credit, events, exchanges, rules
from emporos.returns.errors import NothingToRefund, ReceivedDifferently, ReturnIdempotencyKeyReused, ReturnNotOpen
from emporos.returns.facts import delivery_facts, local_date, terms_of
from emporos.returns.labels import label
from emporos.returns.models import (
    COUNTING_STATUSES,
    OPEN_STATUSES,
    AutoRefund,
    Channel,
    Condition,
    Exemption,
    Reason,
    Resolution,
    Return,
    ReturnKind,
    ReturnLine,
    ReturnPolicy,
    ReturnStatus,
    ShippingPaidBy,
    SkuExemption,
)
from emporos.returns.policy import current_policy
from emporos.returns.subjects import about_return
from emporos.shipping import selectors as shipping
from emporos.timeline import services as timeline
from emporos.timeline.models import SubjectKind
from emporos.timeline.services import About

MAX_NOTE = 2000


@dataclass(frozen=True)
class LineRequest:
    sku: str
    quantity: int
    reason: str
    condition: str
    exchange_sku: str = ""


@dataclass(frozen=True)
class ReturnResult:
    ret: Return
    created: bool


@dataclass(frozen=True)
class ReceivedLine:
    sku: str
    quantity: int
    condition: str
    restock: bool


@dataclass(frozen=True)
class ReceiveResult:
    ret: Return
    refund: Refund | None
    created: bool  # False: the return had been received already with the same facts


@dataclass
class _Plan:
    """What a request was checked against, read once: the policy, the order's lines and the units
    other returns already send back; and what it decided: the kind and each line to take."""

    policy: ReturnPolicy
    terms: rules.Terms
    order_lines: list[OrderLine]
    already: dict[int, int]
    kind: str = ReturnKind.WITHDRAWAL
    window_ends: dt.date | None = None
    lines: list[tuple[OrderLine, LineRequest]] = field(default_factory=list)


# --- the request ----------------------------------------------------------------------------------


def request_return(
    *,
    order: Order,
    lines: Sequence[LineRequest],
    resolution: str,
    actor: Actor,
    channel: str,
    note: str = "",
    iban: str = "",
    account_holder: str = "",
    withdrawal_statement: bool = False,
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> ReturnResult:
    """Approve a return the rules allow, or refuse it naming the line and the rule (nothing written).

    The kind follows from the reasons and the dates: a defect, damage or a wrong item is a
    conformity claim (two years); otherwise the statutory withdrawal while it runs, then the
    shop's own policy. Each line may send back what was delivered less what other returns
    already send back; a SKU the law exempts (made to measure, unsealed hygiene goods, perishable,
    downloaded content) is refused for a withdrawal with the reason shown.
    """
    if idempotency_key and (existing := _existing(order, idempotency_key, fingerprint)) is not None:
        return ReturnResult(existing, created=False)
    errors = ErrorCollector()
    _check_request(errors, lines, resolution, channel)
    cleaned_note = free_text(errors, "note", note, max_length=MAX_NOTE)
    cleaned_iban, cleaned_holder = _check_bank(errors, order, iban, account_holder)
    errors.raise_if_any()
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().select_related("customer").get(pk=order.pk)
            plan = _plan(errors, locked, lines)
            errors.raise_if_any()
            ret = _create(
                locked,
                plan,
                resolution=resolution,
                channel=channel,
                note=cleaned_note,
                iban=cleaned_iban,
                account_holder=cleaned_holder,
                withdrawal_statement=withdrawal_statement,
                actor=actor,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
            )
            if resolution == Resolution.EXCHANGE:
                # The replacement's stock is reserved now; a refused exchange refuses the return.
                exchange = exchanges.reserve_exchange(ret=ret, actor=actor)
                Return.objects.filter(pk=ret.pk).update(replacement_order=exchange.replacement)
                ret.replacement_order = exchange.replacement
    except IntegrityError:
        # Another request with the same key won the race: answer with its return.
        if idempotency_key and (existing := _existing(order, idempotency_key, fingerprint)) is not None:
            return ReturnResult(existing, created=False)
        raise
    return ReturnResult(ret, created=True)


def _check_request(errors: ErrorCollector, lines: Sequence[LineRequest], resolution: str, channel: str) -> None:
    if resolution not in Resolution.values:
        errors.add("resolution", "invalid_resolution", f"Use one of {', '.join(Resolution.values)}.")
    if channel not in Channel.values:
        errors.add("channel", "invalid_channel", f"Use one of {', '.join(Channel.values)}.")
    if not lines:
        errors.add("lines", "no_lines", "Name at least one line to send back: its SKU and quantity.")
    seen: set[str] = set()
    for index, line in enumerate(lines):
        where = f"lines[{index}]"
        if line.sku in seen:
            errors.add(f"{where}.sku", "duplicate_sku", f"SKU {line.sku} is named twice; give its whole quantity once.")
        seen.add(line.sku)
        if line.quantity < 1:
            errors.add(f"{where}.quantity", "invalid_quantity", "Send back at least 1 unit.")
        if line.reason not in Reason.values:
            errors.add(f"{where}.reason", "invalid_reason", f"Use one of {', '.join(Reason.values)}.")
        if line.condition not in Condition.values:
            errors.add(f"{where}.condition", "invalid_condition", f"Use one of {', '.join(Condition.values)}.")
        if resolution == Resolution.EXCHANGE and not line.exchange_sku:
            errors.add(f"{where}.exchange_sku", "exchange_sku_missing", "Name the SKU the customer wants instead.")


def _check_bank(errors: ErrorCollector, order: Order, iban: str, holder: str) -> tuple[str, str]:
    """Cash-on-delivery and bank-transfer money goes back by bank transfer: to a valid IBAN."""
    if not iban:
        return "", ""
    cleaned = ibans.compact(iban)
    if (problem := ibans.iban_problem(iban)) is not None:
        errors.add("iban", problem.code, problem.message)
    elif not ibans.is_sepa(cleaned) and order.currency == "EUR":
        errors.add(
            "iban", "not_sepa", "This account is outside the SEPA area; give a euro account in the EU, or ask the shop."
        )
    holder_name = free_text(errors, "account_holder", holder or order.customer.name, max_length=70, multiline=False)
    return cleaned, holder_name


def _plan(errors: ErrorCollector, order: Order, requested: Sequence[LineRequest]) -> _Plan:
    """The kind of return the law and the policy allow, and each line's refusal if any."""
    policy = current_policy()
    all_lines = list(order.lines.select_related("variant__product").order_by("id"))
    order_lines = {line.sku: line for line in all_lines}
    facts = delivery_facts(order, all_lines)
    terms = terms_of(order, policy)
    today = local_date(clock.now())
    already = _units_returning(order)
    chosen = rules.choose(
        terms, delivered_on=facts.delivered_on, reasons={line.reason for line in requested}, today=today
    )
    plan = _Plan(policy=policy, terms=terms, order_lines=all_lines, already=already)
    plan.kind, plan.window_ends = chosen.kind or ReturnKind.WITHDRAWAL, chosen.window.ends_on
    if chosen.kind is None:
        refusal = chosen.refusal
        assert refusal is not None
        errors.add("lines", refusal.code, refusal.message)
        return plan
    exemptions = dict(
        SkuExemption.objects.filter(sku__in=[line.sku for line in requested]).values_list("sku", "exemption")
    )
    for index, line in enumerate(requested):
        where = f"lines[{index}]"
        order_line = order_lines.get(line.sku)
        if order_line is None:
            errors.add(f"{where}.sku", "not_in_order", f"Order {order.display_number} has no line of SKU {line.sku}.")
            continue
        returnable = order_line.quantity_delivered - already.get(order_line.pk, 0)
        if order_line.quantity_delivered == 0:
            errors.add(
                f"{where}.sku",
                "not_delivered",
                f"SKU {line.sku} of order {order.display_number} has not been delivered yet; it can be sent back once it arrives.",
            )
            continue
        if line.quantity > returnable:
            errors.add(
                f"{where}.quantity",
                "more_than_returnable",
                f"{returnable} unit(s) of SKU {line.sku} may still be sent back "
                f"({order_line.quantity_delivered} delivered, {already.get(order_line.pk, 0)} in other returns), "
                f"not {line.quantity}.",
            )
            continue
        # A defect sent with a change of mind is still a defect: no exemption refuses it.
        refusal = rules.line_refusal(
            rules.Kind.CONFORMITY if line.reason in rules.CONFORMITY_REASONS else chosen.kind,
            exemptions=_exemptions(order_line, exemptions.get(line.sku)),
            condition=line.condition,
            downloaded=order_line.pk in facts.downloaded,
        )
        if refusal is not None:
            errors.add(f"{where}.sku", refusal.code, f"SKU {line.sku}: {refusal.message}")
            continue
        plan.lines.append((order_line, line))
    return plan


def _exemptions(line: OrderLine, chosen: str | None) -> set[str]:
    """The owner's exemption of the SKU, and digital content's own: the law's, whatever is set."""
    found = {chosen} if chosen else set()
    if line.variant.product.fulfillment_mode in {FulfillmentMode.DIGITAL, FulfillmentMode.MEMBERSHIP}:
        found.add(Exemption.DIGITAL)
    return found


def _units_returning(order: Order) -> dict[int, int]:
    """Units of each order line that returns already send back (open or received)."""
    rows = (
        ReturnLine.objects.filter(ret__order=order, ret__status__in=COUNTING_STATUSES)
        .values("order_line")
        .annotate(units=Sum("quantity"))
    )
    return {row["order_line"]: row["units"] for row in rows}


def _create(
    order: Order,
    plan: _Plan,
    *,
    resolution: str,
    channel: str,
    note: str,
    iban: str,
    account_holder: str,
    withdrawal_statement: bool,
    actor: Actor,
    idempotency_key: str | None,
    fingerprint: str,
) -> Return:
    now = clock.now()
    policy, terms = plan.policy, plan.terms
    reasons = {line.reason for _, line in plan.lines}
    goods = sum((order_line.unit_price * line.quantity for order_line, line in plan.lines), Decimal(0))
    fee = rules.cancellation_fee(terms, rules.Kind(plan.kind), price=goods, currency=order.currency, reasons=reasons)
    sequence = Return.objects.filter(order=order).count() + 1
    ret = Return.objects.create(
        order=order,
        sequence=sequence,
        kind=plan.kind,
        status=ReturnStatus.APPROVED,
        resolution=resolution,
        channel=channel,
        is_withdrawal_statement=withdrawal_statement,
        notice_at=now,
        window_ends=plan.window_ends,
        refund_due=rules.refund_deadline(
            notice_on=local_date(now), goods_received_on=None, first_scan_on=None, today=local_date(now)
        ).refund_due_on,
        fee=money.quantize(fee, order.currency),
        return_shipping_fee=_return_shipping_fee(policy, plan.kind, order.currency),
        shipping_refund=_shipping_refund(order, plan),
        carrier=policy.return_carrier,
        iban=iban,
        account_holder=account_holder,
        note=note,
        actor=str(actor)[:150],
        created_at=now,
        updated_at=now,
        idempotency_key=idempotency_key or None,
        request_fingerprint=fingerprint,
    )
    ReturnLine.objects.bulk_create(
        ReturnLine(
            ret=ret,
            order_line=order_line,
            sku=order_line.sku,
            quantity=line.quantity,
            reason=line.reason,
            condition=line.condition,
            unit_refund=order_line.unit_price,
            exchange_sku=line.exchange_sku,
        )
        for order_line, line in plan.lines
    )
    units = sum(line.quantity for _, line in plan.lines)
    timeline.record(
        event=events.ReturnRequested(
            return_id=ret.pk,
            order_id=order.pk,
            kind=plan.kind,
            resolution=resolution,
            units=units,
            withdrawal_statement=withdrawal_statement,
        ),
        about=about_return(ret),
        actor=actor,
        facts={"number": order.display_number, "sequence": sequence, "skus": [line.sku for _, line in plan.lines]},
    )
    return ret


def _return_shipping_fee(policy: ReturnPolicy, kind: str, currency: str) -> Decimal:
    """What the way back costs the customer: nothing for a conformity claim, else the shop's rule."""
    if kind == ReturnKind.CONFORMITY or policy.return_shipping_paid_by == ShippingPaidBy.SHOP:
        return Decimal("0.00")
    return money.quantize(policy.return_shipping_fee, currency)


def _shipping_refund(order: Order, plan: _Plan) -> Decimal:
    """A withdrawal of every unit of the order gives the outbound shipping back too (up to the
    cheapest standard option; the shop's shipping price is taken as that option)."""
    if plan.kind == ReturnKind.CONFORMITY or order.shipping_price <= 0:
        return Decimal("0.00")
    returning = defaultdict(int, plan.already)
    for order_line, line in plan.lines:
        returning[order_line.pk] += line.quantity
    if not all(returning[line.pk] >= line.quantity for line in plan.order_lines):
        return Decimal("0.00")
    return rules.outbound_shipping_refund(
        full_withdrawal=True,
        shipping_paid=order.shipping_price,
        cheapest_standard=_cheapest_standard(order, plan.order_lines),
    )


def _cheapest_standard(order: Order, lines: list[OrderLine]) -> Decimal:
    """What the cheapest standard (not express) option would have cost this order; what the customer
    paid when the shop's methods no longer quote it (a method retired, a zone changed)."""
    address = order.shipping_address if isinstance(order.shipping_address, dict) else {}
    try:
        offer = shipping.quote(
            currency=order.currency,
            country=str(address.get("country", "")),
            postal_code=str(address.get("postal_code", "")),
            lines=[shipping.QuoteLine(line.sku, line.quantity) for line in lines],
        )
    except DomainError:
        return order.shipping_price
    prices = [option.price for option in offer.options if option.kind != "express"]
    return min(prices) if prices else order.shipping_price


def _existing(order: Order, key: str, fingerprint: str) -> Return | None:
    ret = Return.objects.filter(idempotency_key=key).select_related("order").first()
    if ret is None:
        return None
    if ret.order_id != order.pk or (fingerprint and ret.request_fingerprint != fingerprint):
        raise ReturnIdempotencyKeyReused(
            "This Idempotency-Key was used for another return request; use a new key for a new return."
        )
    return ret


# --- the way back ---------------------------------------------------------------------------------


def record_first_scan(*, ret: Return, carrier: str, at: dt.datetime, actor: Actor) -> bool:
    """The carrier scanned the return parcel: the customer's proof of sending (the refund may then
    be withheld no longer) and, by the shop's rule, the moment the refund goes out. Once only."""
    with transaction.atomic():
        locked = Return.objects.select_for_update(of=("self",)).select_related("order__customer").get(pk=ret.pk)
        if locked.first_scan_at is not None or locked.status != ReturnStatus.APPROVED:
            return False
        Return.objects.filter(pk=locked.pk).update(
            first_scan_at=at, status=ReturnStatus.IN_TRANSIT, updated_at=clock.now()
        )
        locked.first_scan_at, locked.status = at, ReturnStatus.IN_TRANSIT
        timeline.record(
            event=events.ReturnSent(return_id=locked.pk, order_id=locked.order_id, carrier=carrier),
            about=about_return(locked),
            actor=actor,
            facts={"number": locked.order.display_number, "sequence": locked.sequence},
            occurred_at=at,
        )
        policy = current_policy()
        if policy.auto_refund == AutoRefund.ON_FIRST_SCAN and _auto_refunds(policy, locked):
            _refund(locked, _refund_amount(locked, received=False), actor=actor)
    return True


# --- receiving ------------------------------------------------------------------------------------


def receive_return(*, ret: Return, lines: Sequence[ReceivedLine], actor: Actor) -> ReceiveResult:
    """The parcel is back: each line inspected (condition, restock or write off), restocked units
    go through the inventory ledger ("returned") and serve waiting orders first, the order lines
    count what came back, and the refund is issued if the shop's rule says so.

    Receiving a received return again with the same lines answers with the first receipt; with
    other lines it is refused (`received_differently`), never applied twice.
    """
    errors = ErrorCollector()
    if not lines:
        errors.add("lines", "no_lines", "Name the lines that came back: SKU, quantity, condition, restock.")
    errors.raise_if_any()
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=ret.order_id).first()
        locked = (
            Return.objects.select_for_update(of=("self",)).select_related("order__customer", "refund").get(pk=ret.pk)
        )
        ret_lines = {line.sku: line for line in locked.lines.select_related("order_line")}
        if locked.status == ReturnStatus.RECEIVED:
            if _same_receipt(ret_lines, lines):
                return ReceiveResult(locked, locked.refund, created=False)
            raise ReceivedDifferently(
                _("Return %(return)s was received already with other quantities or conditions.")
                % {"return": locked.display_number}
            )
        if locked.status not in OPEN_STATUSES:
            raise ReturnNotOpen(
                _("Return %(return)s is %(status)s; it cannot be received.")
                % {"return": locked.display_number, "status": label("status", locked.status).lower()}
            )
        _check_receipt(errors, locked, ret_lines, lines)
        errors.raise_if_any()
        now = clock.now()
        restock = []
        counts: dict[int, int] = {}
        for item in lines:
            line = ret_lines[item.sku]
            restocked = item.quantity if item.restock else 0
            ReturnLine.objects.filter(pk=line.pk).update(
                received_quantity=item.quantity, received_condition=item.condition, restocked_quantity=restocked
            )
            line.received_quantity, line.received_condition, line.restocked_quantity = (
                item.quantity,
                item.condition,
                restocked,
            )
            if item.quantity:
                counts[line.order_line_id] = item.quantity
            if restocked:
                restock.append(
                    inventory.AdjustmentDraft(
                        sku=item.sku,
                        location=_restock_location(line.order_line),
                        reason=MovementReason.RETURNED,
                        delta=restocked,
                        reference=locked.display_number,
                    )
                )
        if restock:
            orders.receive_stock(drafts=restock, actor=actor)
        if counts:
            orders.record_returned(order=locked.order, quantities=counts, actor=actor)
        Return.objects.filter(pk=locked.pk).update(status=ReturnStatus.RECEIVED, received_at=now, updated_at=now)
        locked.status, locked.received_at = ReturnStatus.RECEIVED, now
        refund = locked.refund
        policy = current_policy()
        refunds_now = locked.resolution == Resolution.REFUND and policy.auto_refund != AutoRefund.NEVER
        if refund is None and refunds_now and _auto_refunds(policy, locked):
            refund = _refund(locked, _refund_amount(locked, received=True), actor=actor)
        elif locked.resolution == Resolution.EXCHANGE:
            refund = exchanges.release_exchange(ret=locked, actor=actor) or refund
        elif locked.resolution == Resolution.STORE_CREDIT and (amount := _refund_amount(locked, received=True)) > 0:
            credit.issue_store_credit(ret=locked, amount=amount, actor=actor)
        units = sum(item.quantity for item in lines)
        timeline.record(
            event=events.ReturnReceived(
                return_id=locked.pk,
                order_id=locked.order_id,
                units=units,
                restocked=sum(item.quantity for item in lines if item.restock),
                refund_id=refund.pk if refund else None,
            ),
            about=about_return(locked),
            actor=actor,
            facts={"number": locked.order.display_number, "sequence": locked.sequence},
        )
    return ReceiveResult(locked, refund, created=True)


def _restock_location(line: OrderLine) -> str:
    """Where a returned unit goes back on the shelf: where it was reserved from, else the shop's
    first active location (the one orders take from first)."""
    if line.reserved_location_id is not None:
        code = (
            Location.objects.filter(pk=line.reserved_location_id, is_active=True).values_list("code", flat=True).first()
        )
        if code:
            return code
    first = Location.objects.filter(is_active=True).order_by("priority", "id").values_list("code", flat=True).first()
    if first is None:
        raise ReturnNotOpen("The shop has no active stock location to put returned goods back into; add one.")
    return first


def _check_receipt(
    errors: ErrorCollector, ret: Return, ret_lines: dict[str, ReturnLine], lines: Sequence[ReceivedLine]
) -> None:
    seen: set[str] = set()
    for index, item in enumerate(lines):
        where = f"lines[{index}]"
        line = ret_lines.get(item.sku)
        if line is None:
            errors.add(
                f"{where}.sku",
                "not_in_return",
                _("Return %(return)s has no line of SKU %(sku)s.") % {"return": ret.display_number, "sku": item.sku},
            )
            continue
        if item.sku in seen:
            errors.add(f"{where}.sku", "duplicate_sku", f"SKU {item.sku} is named twice; give its whole quantity once.")
        seen.add(item.sku)
        if not 0 <= item.quantity <= line.quantity:
            errors.add(
                f"{where}.quantity",
                "more_than_returned",
                ngettext(
                    "Return %(return)s sends back %(count)s unit of SKU %(sku)s: give 0 or %(count)s, not %(given)s.",
                    "Return %(return)s sends back %(count)s units of SKU %(sku)s: give 0 to %(count)s, not %(given)s.",
                    line.quantity,
                )
                % {"return": ret.display_number, "count": line.quantity, "sku": item.sku, "given": item.quantity},
            )
        if item.condition not in Condition.values:
            errors.add(f"{where}.condition", "invalid_condition", f"Use one of {', '.join(Condition.values)}.")


def _same_receipt(ret_lines: dict[str, ReturnLine], lines: Sequence[ReceivedLine]) -> bool:
    named = {item.sku: item for item in lines}
    for sku, line in ret_lines.items():
        item = named.pop(sku, None)
        quantity, condition, restocked = (
            (item.quantity, item.condition, item.quantity if item.restock else 0) if item else (0, "", 0)
        )
        if (line.received_quantity, line.restocked_quantity) != (quantity, restocked):
            return False
        if quantity and line.received_condition != condition:
            return False
    return not named


# --- the refund -----------------------------------------------------------------------------------


def issue_refund(*, ret: Return, actor: Actor, amount: Decimal | None = None) -> Refund:
    """A person issues the return's refund (the shop's rule left it to them, or it needs an IBAN first)."""
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=ret.order_id).first()
        locked = (
            Return.objects.select_for_update(of=("self",)).select_related("order__customer", "refund").get(pk=ret.pk)
        )
        if locked.refund is not None:
            return locked.refund
        if locked.status in (ReturnStatus.REJECTED, ReturnStatus.CANCELLED):
            raise ReturnNotOpen(f"Return {locked.display_number} is {locked.status}; nothing is refunded for it.")
        due = _refund_amount(locked, received=locked.status == ReturnStatus.RECEIVED)
        return _refund(locked, amount if amount is not None else due, actor=actor)


def _auto_refunds(policy: ReturnPolicy, ret: Return) -> bool:
    kinds = policy.auto_refund_kinds
    if kinds and ret.kind not in kinds:
        return False
    # Money taken by the shop itself goes back by bank transfer: it needs the customer's IBAN.
    return not (ret.order.payment_method in COLLECTED_BY_THE_SHOP and not ret.iban)


def _refund_amount(ret: Return, *, received: bool) -> Decimal:
    """The goods (received units, or all units when refunding at the first scan), the outbound
    shipping for a full withdrawal, less the cancellation fee and what the way back costs."""
    lines = list(ret.lines.all())
    goods = sum(
        (line.unit_refund * (line.received_quantity if received else line.quantity) for line in lines), Decimal(0)
    )
    amount = goods + ret.shipping_refund - ret.fee - ret.return_shipping_fee
    return money.quantize(min(max(amount, Decimal(0)), ret.order.refundable), ret.order.currency)


def _refund(ret: Return, amount: Decimal, *, actor: Actor) -> Refund:
    if amount <= 0:
        raise NothingToRefund(f"Nothing is due back for return {ret.display_number}.")
    order = ret.order
    provider = refund_way(order)
    result = orders.record_refund(
        order=order,
        amount=amount,
        reason=RefundReason.RETURNED_GOODS,
        actor=actor,
        reference=ret.display_number,
        idempotency_key=f"return:{ret.public_id}",
        provider=provider,
        iban=ret.iban,
        account_holder=ret.account_holder,
    )
    Return.objects.filter(pk=ret.pk).update(refund=result.refund, updated_at=clock.now())
    ret.refund = result.refund
    timeline.record(
        event=events.ReturnRefunded(
            return_id=ret.pk, order_id=order.pk, refund_id=result.refund.pk, amount=str(result.refund.amount)
        ),
        about=[About(SubjectKind.RETURN, ret.pk)],
        actor=actor,
        facts={"number": order.display_number, "sequence": ret.sequence, "currency": order.currency},
    )
    return result.refund


# --- ending a return without receiving it ---------------------------------------------------------


def reject_return(*, ret: Return, reason: str, actor: Actor) -> Return:
    """Staff refuse a return that is still open (the claim does not hold, the goods are not what
    was approved), with the reason the customer is told. Its units may be asked for again."""
    errors = ErrorCollector()
    cleaned = free_text(errors, "reason", reason, max_length=500)
    if not cleaned:
        errors.add("reason", "required", "Say why the return is refused; the customer reads it.")
    errors.raise_if_any()
    return _end(ret, ReturnStatus.REJECTED, actor=actor, reason=cleaned)


def cancel_return(*, ret: Return, actor: Actor) -> Return:
    """The customer (or staff for them) calls off a return before the parcel comes back."""
    return _end(ret, ReturnStatus.CANCELLED, actor=actor, reason="")


def _end(ret: Return, status: ReturnStatus, *, actor: Actor, reason: str) -> Return:
    with transaction.atomic():
        locked = Return.objects.select_for_update(of=("self",)).select_related("order__customer").get(pk=ret.pk)
        if locked.status not in OPEN_STATUSES:
            raise ReturnNotOpen(f"Return {locked.display_number} is {locked.status}; it cannot be {status} now.")
        now = clock.now()
        Return.objects.filter(pk=locked.pk).update(
            status=status, rejection_reason=reason, closed_at=now, updated_at=now
        )
        locked.status, locked.rejection_reason, locked.closed_at = status, reason, now
        event: events.ReturnRejected | events.ReturnCancelled = (
            events.ReturnRejected(return_id=locked.pk, order_id=locked.order_id)
            if status == ReturnStatus.REJECTED
            else events.ReturnCancelled(return_id=locked.pk, order_id=locked.order_id)
        )
        facts = {"number": locked.order.display_number, "sequence": locked.sequence}
        if reason:
            facts["reason"] = reason
        timeline.record(event=event, about=about_return(locked), actor=actor, facts=facts)
    return locked
