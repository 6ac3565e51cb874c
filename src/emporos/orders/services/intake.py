"""Order intake: a storefront's order stored exactly once, its stock reserved, its story begun.

`place_order` checks everything before it writes anything; then one transaction stores the
customer, the order and its lines, the stock reservations with their ledger rows, the first
timeline entry and the `orders.order_placed` event. The same idempotency key with the same
request returns the stored order; with another request it is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import phonenumbers
from django.db import IntegrityError, transaction

from emporos.catalog import selectors as catalog
from emporos.catalog.models import FulfillmentMode, OutOfStockPolicy
from emporos.core import clock, money
from emporos.core.actor import Actor
from emporos.core.contact import InvalidContact, normalize_email, normalize_phone
from emporos.core.errors import ErrorCollector
from emporos.core.text import check_text, text_problem
from emporos.customers import coupons, gift_cards
from emporos.customers.services import CustomerDetails, check_details, customer_row
from emporos.inventory import services as inventory
from emporos.inventory.errors import InsufficientStock
from emporos.inventory.models import Location
from emporos.orders.errors import DuplicateExternalReference, IdempotencyKeyReused
from emporos.orders.models import WAITING_LINE_STATES, LineStockState, Order, OrderLine
from emporos.orders.services import intake_write
from emporos.orders.states import INITIAL_PAYMENT_STATUSES, PaymentMethod, PaymentStatus, is_ready_to_ship, queue_rank
from emporos.shop import selectors as shop
from emporos.shop.models import CUSTOMER_LANGUAGES, ShopSettings

MAX_LINES = 200
_CHANNEL = re.compile(r"[a-z0-9][a-z0-9_.-]{0,31}")  # whole value: fullmatch


@dataclass(frozen=True)
class AddressDraft:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str = ""
    region: str = ""
    phone: str = ""
    company: str = ""
    pickup_point: str = ""  # a parcel locker's or pickup point's id, for locker methods


@dataclass(frozen=True)
class CustomerDraft:
    email: str
    name: str
    phone: str = ""
    language: str = ""


@dataclass(frozen=True)
class LineDraft:
    sku: str
    quantity: int
    unit_price: Decimal
    tax_rate: Decimal = Decimal(0)


@dataclass(frozen=True)
class OrderDraft:
    channel: str
    currency: str
    customer: CustomerDraft
    lines: list[LineDraft]
    payment_method: str
    total: Decimal
    payment_status: str = PaymentStatus.PENDING
    shipping_price: Decimal = Decimal(0)
    gift_wrap_price: Decimal = Decimal(0)
    shipping_address: AddressDraft | None = None
    billing_address: AddressDraft | None = None
    shipping_method: str = ""
    express: bool | None = None
    customer_note: str = ""
    gift_wrap: bool = False
    gift_message: str = ""
    placed_at: dt.datetime | None = None
    external_reference: str | None = None
    coupon_code: str | None = None
    payment_provider: str = ""  # who took the money ("stripe"), so refunds go back the same way
    payment_reference: str = ""  # the provider's id of the payment ("pi_...")
    # Part of the total paid with a gift card (store credit): taken off its balance at intake.
    gift_card_code: str | None = None
    gift_card_amount: Decimal = Decimal(0)


@dataclass(frozen=True)
class IntakeResult:
    order: Order
    created: bool
    lines: list[OrderLine] = field(default_factory=list)


@dataclass
class _Checked:
    customer: CustomerDetails
    variants: dict[str, catalog.ForSale]
    shipping_address: dict[str, str] | None
    billing_address: dict[str, str] | None
    subtotal: Decimal
    tax_total: Decimal
    placed_at: dt.datetime
    shop: ShopSettings  # read once per order
    line_totals: list[Decimal] = field(default_factory=list)
    discount: coupons.Discount | None = None
    gift_card: gift_cards.GiftCardPayment | None = None


def place_order(
    *, draft: OrderDraft, actor: Actor, idempotency_key: str | None = None, fingerprint: str = ""
) -> IntakeResult:
    """Store the order once and reserve its stock; see the module docstring for the contract.

    Raises ValidationFailed naming every bad field, InsufficientStock for a deny-policy line
    without enough stock, or IdempotencyKeyReused; in each case nothing is written.
    """
    checked = _check(draft)
    try:
        with transaction.atomic():
            stored, reservations = _store(
                draft, checked, actor=actor, idempotency_key=idempotency_key, fingerprint=fingerprint
            )
    except (IntegrityError, InsufficientStock):
        # The stock is reserved before the order's row is written, so a repeated request whose
        # first copy took the last units is refused for stock: it is the stored order all the same.
        existing = _find_duplicate(draft, idempotency_key=idempotency_key, fingerprint=fingerprint)
        if existing is None:
            raise
        return IntakeResult(order=existing, created=False)
    written = stored.instances()  # after COMMIT: the reserved rows are not held for it
    for line, reservation in zip(written.lines, reservations, strict=True):
        if line.reserved_location_id is not None and reservation is not None:
            # The location as the reserving statement read it (its code, for the answer), so
            # naming where the units wait costs no query.
            line.reserved_location = Location(pk=reservation.location_id, code=reservation.location_code or "")
    return IntakeResult(order=written.order, created=True, lines=written.lines)


def _find_duplicate(draft: OrderDraft, *, idempotency_key: str | None, fingerprint: str) -> Order | None:
    if idempotency_key:
        existing = Order.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.request_fingerprint != fingerprint:
                raise IdempotencyKeyReused(
                    f"Idempotency-Key {idempotency_key} was used for a different request (order "
                    f"{existing.display_number}); send a new key for a new order."
                )
            return existing
    if draft.external_reference:
        existing = Order.objects.filter(channel=draft.channel, external_reference=draft.external_reference).first()
        if existing is not None:
            if fingerprint and existing.request_fingerprint == fingerprint:
                return existing
            raise DuplicateExternalReference(
                f"Order {draft.external_reference} from channel {draft.channel} is already stored as "
                f"{existing.display_number}."
            )
    return None


def _store(
    draft: OrderDraft, checked: _Checked, *, actor: Actor, idempotency_key: str | None, fingerprint: str
) -> tuple[intake_write.Stored, list[inventory.Reservation | None]]:
    """Reserve the stock, then write everything else in one statement (intake_write), so the
    reserved rows stay locked for that statement and the commit only: what does not depend on
    the reservations is worked out before them."""
    now = clock.now()
    is_express = draft.express if draft.express is not None else "express" in draft.shipping_method.lower()
    ready = is_ready_to_ship(payment_status=draft.payment_status, payment_method=draft.payment_method)
    order = {
        "channel": draft.channel,
        "currency": draft.currency,
        "payment_status": draft.payment_status,
        "payment_method": draft.payment_method,
        "amount_paid": _amount_paid(draft, checked),
        "gift_card_amount": checked.gift_card.amount if checked.gift_card else ZERO,
        "shipping_method": draft.shipping_method,
        "is_express": is_express,
        "shipping_address": checked.shipping_address,
        "billing_address": checked.billing_address,
        "subtotal": checked.subtotal,
        "shipping_price": draft.shipping_price,
        "gift_wrap_price": draft.gift_wrap_price,
        "tax_total": checked.tax_total,
        "total": draft.total,
        "discount_total": checked.discount.amount if checked.discount else ZERO,
        "coupon_code": checked.discount.coupon.code if checked.discount else "",
        "customer_note": draft.customer_note,
        "gift_wrap": draft.gift_wrap,
        "gift_message": draft.gift_message,
        "placed_at": checked.placed_at,
        "created_at": now,
        "updated_at": now,
        "due_by": shop.business_hours(checked.shop).add_working_time(checked.placed_at, checked.shop.overdue_hours),
        "queue_rank": queue_rank(is_overdue=False, is_express=is_express, ready_to_ship=ready),
        "idempotency_key": idempotency_key or None,
        "request_fingerprint": fingerprint,
        "external_reference": draft.external_reference or None,
        "payment_provider": draft.payment_provider,
        "payment_reference": draft.payment_reference,
    }
    facts = {
        "units": sum(line.quantity for line in draft.lines),
        "total": str(money.quantize(draft.total, draft.currency)),
        "currency": draft.currency,
        "payment_method": draft.payment_method,
        "payment_status": draft.payment_status,
        **(
            {"coupon_code": checked.discount.coupon.code, "discount": str(checked.discount.amount)}
            if checked.discount
            else {}
        ),
        **({"gift_card_amount": str(checked.gift_card.amount)} if checked.gift_card else {}),
    }
    customer = customer_row(details=checked.customer, at=now)
    reservations = _reserve(draft, checked)
    lines = _line_rows(draft, checked, reservations)
    order["has_waiting_lines"] = any(
        checked.variants[line.sku].fulfillment_mode in _WAITING_MODES for line in draft.lines
    ) or any(line["stock_state"] in WAITING_LINE_STATES for line in lines)
    stored = intake_write.store_placed_order(
        placed=intake_write.PlacedOrder(
            customer=customer,
            order=order,
            lines=lines,
            reservations=[reservation for reservation in reservations if reservation is not None],
            facts=facts,
        ),
        actor=actor,
    )
    if checked.discount is not None:
        coupons.redeem(coupon=checked.discount.coupon, order_id=stored.order_id)  # once: a second order rolls back
    if checked.gift_card is not None:  # the balance as it is now: a racing order may have spent it
        gift_cards.redeem(
            code=checked.gift_card.gift_card.code,
            amount=checked.gift_card.amount,
            currency=draft.currency,
            order_id=stored.order_id,
        )
    return stored, reservations


def _amount_paid(draft: OrderDraft, checked: _Checked) -> Decimal:
    """Money received at intake: the whole total when the storefront says it is paid, else the
    part taken off a gift card (what a later payment must bring is the rest, `Order.outstanding`)."""
    if draft.payment_status == PaymentStatus.PAID:
        return draft.total
    return checked.gift_card.amount if checked.gift_card else Decimal(0)


_WAITING_MODES = frozenset({FulfillmentMode.PREORDER, FulfillmentMode.MADE_TO_ORDER})


def _reserve(draft: OrderDraft, checked: _Checked) -> list[inventory.Reservation | None]:
    """Each line's reservation (None for a line without stock of its own), lines taken in SKU
    order; InsufficientStock for a deny-policy line that cannot be reserved."""
    stocked = [(index, line) for index, line in enumerate(draft.lines) if checked.variants[line.sku].is_stocked]
    reservations = inventory.reserve_levels(
        requests=[
            inventory.ReservationRequest(
                variant_id=checked.variants[line.sku].variant_id,
                sku=line.sku,
                quantity=line.quantity,
                may_wait=checked.variants[line.sku].out_of_stock_policy != OutOfStockPolicy.DENY,
            )
            for _, line in stocked
        ]
    )
    reserved_by_index = {index: reservation for (index, _), reservation in zip(stocked, reservations, strict=True)}
    return [reserved_by_index.get(index) for index in range(len(draft.lines))]


def _line_rows(
    draft: OrderDraft, checked: _Checked, reservations: list[inventory.Reservation | None]
) -> list[dict[str, Any]]:
    """OrderLine field values, in the draft's order."""
    rows = []
    for index, line in enumerate(draft.lines):
        variant = checked.variants[line.sku]
        reservation = reservations[index]
        location_id = reservation.location_id if reservation is not None else None
        state, available_on = _stock_state(variant, reserved=location_id is not None)
        rows.append(
            {
                "variant_id": variant.variant_id,
                "sku": line.sku,
                "name": variant.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "tax_rate": line.tax_rate.quantize(Decimal("0.01")),
                "line_total": checked.line_totals[index],
                "stock_state": state,
                "reserved_location_id": location_id,
                "available_on": available_on,
            }
        )
    return rows


def _stock_state(product: catalog.ForSale, *, reserved: bool) -> tuple[str, dt.date | None]:
    if product.fulfillment_mode == FulfillmentMode.PREORDER:
        return LineStockState.PREORDER, product.release_on
    if product.fulfillment_mode == FulfillmentMode.MADE_TO_ORDER:
        return LineStockState.MADE_TO_ORDER, None
    if not product.is_stocked:
        return LineStockState.NOT_STOCKED, None
    if reserved:
        return LineStockState.RESERVED, None
    if product.out_of_stock_policy == OutOfStockPolicy.PREORDER:
        return LineStockState.PREORDER, product.release_on
    return LineStockState.BACKORDERED, None


# --- checks: every problem is collected and reported at once; nothing is written ------------------


def _check(draft: OrderDraft) -> _Checked:
    errors = ErrorCollector()
    if not _CHANNEL.fullmatch(draft.channel):
        errors.add("channel", "invalid", "Use 1-32 lower-case letters, digits, dots, dashes, e.g. 'web'.")
    if draft.currency not in money.accepted_currencies():
        errors.add(
            "currency",
            "unknown_currency",
            f"{draft.currency} is not a currency this shop accepts; use one of {', '.join(money.accepted_currencies())}.",
        )
    settings_now = shop.current()  # once: one order, one version of the settings
    customer = _check_customer(draft, errors, default_language=settings_now.languages[0])
    variants = _check_lines(draft, errors)
    discount = _check_coupon(draft, errors, email=customer.email if customer is not None else None)
    subtotal, tax_total, line_totals = _check_amounts(draft, errors, discount=discount.amount if discount else ZERO)
    _check_payment(draft, errors)
    gift_card = _check_gift_card(draft, errors)
    needs_address = any(variant.is_shipped for variant in variants.values())
    shipping_address = _check_address(draft.shipping_address, "shipping_address", errors, required=needs_address)
    billing_address = _check_address(draft.billing_address, "billing_address", errors, required=False)
    placed_at = _check_placed_at(draft, errors)
    for name, value, limit, multiline in (
        ("customer_note", draft.customer_note, 2000, True),
        ("gift_message", draft.gift_message, 500, True),
        ("shipping_method", draft.shipping_method, 64, False),
        ("external_reference", draft.external_reference or "", 100, False),
        ("payment_reference", draft.payment_reference, 100, False),
    ):
        check_text(errors, name, value, max_length=limit, multiline=multiline)
    errors.raise_if_any()
    assert customer is not None
    return _Checked(
        customer=customer,
        variants=variants,
        shipping_address=shipping_address,
        billing_address=billing_address,
        subtotal=subtotal,
        tax_total=tax_total,
        placed_at=placed_at,
        line_totals=line_totals,
        shop=settings_now,
        discount=discount,
        gift_card=gift_card,
    )


def _check_placed_at(draft: OrderDraft, errors: ErrorCollector) -> dt.datetime:
    """When the customer bought: from 2000 on and at most five minutes ahead (clocks drift)."""
    now = clock.now()
    placed_at = draft.placed_at or now
    latest = now + dt.timedelta(minutes=5)
    problem = clock.moment_problem(placed_at, latest=latest)
    if placed_at.tzinfo is None or placed_at.utcoffset() is None:
        errors.add("placed_at", "naive_datetime", "Give placed_at with a time zone, e.g. 2026-11-24T10:00:00Z.")
    elif placed_at > latest:
        errors.add("placed_at", "in_future", "placed_at lies in the future; send the moment the customer bought.")
    elif problem is not None:
        errors.add("placed_at", "too_early", f"{problem} Send the moment the customer bought.")
    return placed_at


def _check_customer(draft: OrderDraft, errors: ErrorCollector, *, default_language: str) -> CustomerDetails | None:
    given = draft.customer
    email = phone = ""
    found = len(errors.errors)
    for name in ("email", "name", "phone", "language"):
        check_text(errors, f"customer.{name}", getattr(given, name), max_length=254)
    if len(errors.errors) > found:
        return None
    try:
        email = normalize_email(given.email)
    except InvalidContact as exc:
        errors.add("customer.email", "invalid_email", str(exc))
    region = draft.shipping_address.country.upper() if draft.shipping_address else None
    if given.phone:
        try:
            phone = normalize_phone(given.phone, region=region)
        except InvalidContact as exc:
            errors.add("customer.phone", "invalid_phone", str(exc))
    if not given.name.strip() or len(given.name) > 200:
        errors.add("customer.name", "required", "Give the customer's name (1 to 200 characters).")
    # Any language Emporos speaks is kept, even one the shop has switched off since: an order is
    # never refused for it (messages fall back to the shop's first language).
    language = given.language or default_language
    if language not in CUSTOMER_LANGUAGES:
        errors.add(
            "customer.language",
            "unknown_language",
            f"{language} is not offered; use one of {', '.join(CUSTOMER_LANGUAGES)}.",
        )
    if len(errors.errors) > found:
        return None
    details = CustomerDetails(email=email, name=given.name.strip(), phone=phone, language=language)
    check_details(errors, details, prefix="customer.")
    return details if len(errors.errors) == found else None


def _check_lines(draft: OrderDraft, errors: ErrorCollector) -> dict[str, catalog.ForSale]:
    if not draft.lines:
        errors.add("lines", "required", "An order needs at least one line.")
        return {}
    if len(draft.lines) > MAX_LINES:
        errors.add("lines", "too_many", f"An order may have at most {MAX_LINES} lines; split it.")
        return {}
    # Only text that could be stored is looked up: PostgreSQL refuses a NUL even in a WHERE clause.
    skus = {line.sku for line in draft.lines if text_problem(line.sku) is None}
    variants = catalog.for_sale(skus)
    for index, line in enumerate(draft.lines):
        where = f"lines.{index}"
        if line.sku not in skus:
            check_text(errors, f"{where}.sku", line.sku, max_length=64)
        elif line.sku not in variants:
            errors.add(f"{where}.sku", "unknown_sku", f"There is no product with SKU {line.sku} for sale.")
        if line.quantity < 1:
            errors.add(f"{where}.quantity", "too_small", f"Quantity must be 1 or more; got {line.quantity}.")
        elif line.quantity > 100_000:
            errors.add(f"{where}.quantity", "too_large", "Quantity must be at most 100000.")
        if (problem := money.amount_problem(line.unit_price, draft.currency)) is not None:
            errors.add(f"{where}.unit_price", "invalid_amount", problem)
        if not (line.tax_rate.is_finite() and Decimal(0) <= line.tax_rate < Decimal(100)):
            errors.add(f"{where}.tax_rate", "invalid", "Give the tax rate in percent, from 0 to under 100, e.g. 24.")
    return variants


def _totals(draft: OrderDraft) -> tuple[Decimal, Decimal, list[Decimal]]:
    line_totals = [line.unit_price * line.quantity for line in draft.lines]
    tax = sum(
        (total * line.tax_rate / (100 + line.tax_rate) for total, line in zip(line_totals, draft.lines, strict=True)),
        Decimal(0),
    )
    return sum(line_totals, Decimal(0)), money.quantize(tax, draft.currency), line_totals


ZERO = Decimal("0.00")


def _check_coupon(draft: OrderDraft, errors: ErrorCollector, *, email: str | None) -> coupons.Discount | None:
    """The coupon's discount on the goods; its problems named at coupon_code. Whether it is still
    unused is decided when the order redeems it, in the order's transaction."""
    if not draft.coupon_code or email is None:
        return None
    before = len(errors.errors)
    check_text(errors, "coupon_code", draft.coupon_code, max_length=32)
    if len(errors.errors) > before:
        return None
    goods = sum((line.unit_price * line.quantity for line in draft.lines), ZERO)
    return coupons.check_coupon(errors, code=draft.coupon_code, email=email, currency=draft.currency, goods=goods)


def _check_gift_card(draft: OrderDraft, errors: ErrorCollector) -> gift_cards.GiftCardPayment | None:
    """The part of the total paid with a gift card; its problems named at gift_card.code or
    gift_card.amount. An order without one costs no statement."""
    if draft.gift_card_code is None:
        if draft.gift_card_amount:
            errors.add(gift_cards.CODE_FIELD, "required", "Give the gift card's code with the amount to pay with it.")
        return None
    if any(error.field == "total" for error in errors.errors):  # nothing sound to weigh the card against
        return None
    return gift_cards.check_gift_card(
        errors,
        code=draft.gift_card_code,
        amount=draft.gift_card_amount,
        currency=draft.currency,
        payable=draft.total,
    )


def _check_amounts(
    draft: OrderDraft, errors: ErrorCollector, *, discount: Decimal
) -> tuple[Decimal, Decimal, list[Decimal]]:
    """The order's amounts, each storable, and the total they add up to: (subtotal, tax, line totals)."""
    for name, amount in (
        ("shipping_price", draft.shipping_price),
        ("gift_wrap_price", draft.gift_wrap_price),
        ("total", draft.total),
    ):
        if (problem := money.amount_problem(amount, draft.currency)) is not None:
            errors.add(name, "invalid_amount", problem)
    if errors.errors:
        return Decimal(0), Decimal(0), []
    subtotal, tax_total, line_totals = _totals(draft)
    for index, line_total in enumerate(line_totals):
        if line_total > money.MAX_AMOUNT:
            errors.add(
                f"lines.{index}", "too_large", f"This line comes to {line_total}; a line is at most {money.MAX_AMOUNT}."
            )
    expected = subtotal + draft.shipping_price + draft.gift_wrap_price - discount
    if not errors.errors and expected != draft.total:
        less = f" less the coupon ({discount})" if discount else ""
        errors.add(
            "total",
            "total_mismatch",
            f"The lines ({subtotal}) plus shipping ({draft.shipping_price}) and gift wrap "
            f"({draft.gift_wrap_price}){less} come to {expected}, not {draft.total}.",
        )
    return subtotal, tax_total, line_totals


def _check_payment(draft: OrderDraft, errors: ErrorCollector) -> None:
    if draft.payment_method not in set(PaymentMethod):
        errors.add("payment.method", "unknown_method", f"Use one of {', '.join(m.value for m in PaymentMethod)}.")
    if draft.payment_status not in INITIAL_PAYMENT_STATUSES:
        errors.add("payment.status", "invalid", "A new order's payment is pending, authorized or paid.")
    elif draft.payment_method == PaymentMethod.CASH_ON_DELIVERY and draft.payment_status != PaymentStatus.PENDING:
        errors.add("payment.status", "invalid", "Cash on delivery stays pending until the courier collects it.")


def _check_address(
    address: AddressDraft | None, where: str, errors: ErrorCollector, *, required: bool
) -> dict[str, str] | None:
    if address is None:
        if required:
            errors.add(
                where, "required", "Physical goods need a shipping address (name, line1, city, postal_code, country)."
            )
        return None
    for name in (
        "name",
        "company",
        "line1",
        "line2",
        "city",
        "region",
        "postal_code",
        "country",
        "phone",
        "pickup_point",
    ):
        value = getattr(address, name)
        if name in {"name", "line1", "city", "postal_code"} and not value.strip():
            errors.add(f"{where}.{name}", "required", f"The address needs {name}.")
        else:
            check_text(errors, f"{where}.{name}", value, max_length=200)
    if any(error.field.startswith(f"{where}.") for error in errors.errors):
        return None
    country = address.country.upper()
    if country not in phonenumbers.SUPPORTED_REGIONS:
        errors.add(f"{where}.country", "unknown_country", "Give the country as an ISO code of two letters, e.g. GR.")
    phone = address.phone
    if phone:
        try:
            phone = normalize_phone(phone, region=country if country in phonenumbers.SUPPORTED_REGIONS else None)
        except InvalidContact as exc:
            errors.add(f"{where}.phone", "invalid_phone", str(exc))
    cleaned = {
        "name": address.name.strip(),
        "company": address.company.strip(),
        "line1": address.line1.strip(),
        "line2": address.line2.strip(),
        "city": address.city.strip(),
        "region": address.region.strip(),
        "postal_code": address.postal_code.strip(),
        "country": country,
        "phone": phone,
        "pickup_point": address.pickup_point.strip(),
    }
    return {key: value for key, value in cleaned.items() if value}
