"""Single-use coupons: issued to a customer for a next purchase, redeemed once by an order.

`redeem` is one conditional UPDATE (`... WHERE redeemed_at IS NULL`), run in the transaction of
the order that uses the coupon: of ten orders racing for one code, one redeems it and the other
nine roll back with CouponAlreadyUsed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from emporos.core import clock, money
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.customers.errors import CouponAlreadyUsed
from emporos.customers.events import CouponIssued
from emporos.customers.models import Coupon, CouponKind, Customer
from emporos.timeline import services as timeline
from emporos.timeline.models import SubjectKind
from emporos.timeline.services import About

# Letters and digits that cannot be mistaken for one another when read off a packing slip.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    """A random code of 12 unambiguous characters in three groups (coupons and gift cards)."""
    groups = ["".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)  # e.g. K7QM-2XPA-9RTD: 32^12 codes, never guessed


def issue_coupon(
    *,
    customer: Customer | None,
    kind: str,
    value: Decimal,
    actor: Actor,
    currency: str = "",
    valid_days: int = 90,
) -> Coupon:
    """A new single-use coupon, valid for `valid_days` from now, on the customer's timeline."""
    errors = ErrorCollector()
    if kind not in CouponKind.values:
        errors.add("kind", "invalid", f"Use one of {', '.join(CouponKind.values)}.")
    if value <= 0 or (kind == CouponKind.PERCENT and value > 100):
        errors.add("value", "out_of_range", "Give more than 0 (a percentage at most 100).")
    if kind == CouponKind.AMOUNT and currency not in money.accepted_currencies():
        errors.add("currency", "unknown_currency", f"Use one of {', '.join(money.accepted_currencies())}.")
    if not 1 <= valid_days <= 3660:
        errors.add("valid_days", "out_of_range", "Give from 1 to 3660 days.")
    errors.raise_if_any()
    now = clock.now()
    with transaction.atomic():
        coupon = Coupon.objects.create(
            code=new_code(),
            customer=customer,
            kind=kind,
            value=value,
            currency=currency if kind == CouponKind.AMOUNT else "",
            expires_at=now + dt.timedelta(days=valid_days),
            created_at=now,
        )
        event = CouponIssued(coupon_id=coupon.pk, customer_id=customer.pk if customer else None)
        facts = {
            "code": coupon.code,
            "kind": kind,
            "value": str(value),
            "currency": coupon.currency,
            "expires_on": coupon.expires_at.date().isoformat(),
        }
        about = [About(SubjectKind.CUSTOMER, customer.pk)] if customer else []
        timeline.record(event=event, about=about, actor=actor, facts=facts)
    return coupon


@dataclass(frozen=True)
class Discount:
    coupon: Coupon
    amount: Decimal


def check_coupon(
    errors: ErrorCollector, *, code: str, email: str, currency: str, goods: Decimal, field: str = "coupon_code"
) -> Discount | None:
    """The discount `code` gives an order of `goods` in `currency` by the customer `email`; its
    problems go to `errors`. Whether it is still unused is decided when it is redeemed."""
    coupon = Coupon.objects.select_related("customer").filter(code=code.strip().upper()).first()
    now = clock.now()
    if coupon is None or (coupon.customer is not None and coupon.customer.email != email):
        errors.add(field, "unknown_coupon", "There is no such coupon for this customer; check the code.")
        return None
    if coupon.redeemed_at is not None:
        raise CouponAlreadyUsed(f"The coupon {coupon.code} was used already; each coupon is good for one order.")
    if coupon.expires_at <= now:
        errors.add(field, "coupon_expired", f"The coupon {coupon.code} expired on {coupon.expires_at:%Y-%m-%d}.")
        return None
    if coupon.kind == CouponKind.AMOUNT and coupon.currency != currency:
        errors.add(
            field, "coupon_currency", f"The coupon {coupon.code} is in {coupon.currency}; the order is in {currency}."
        )
        return None
    if coupon.kind == CouponKind.AMOUNT:
        amount = min(coupon.value, goods)
    else:
        amount = money.quantize(goods * coupon.value / 100, currency)
    return Discount(coupon=coupon, amount=amount)


def redeem(*, coupon: Coupon, order_id: int) -> None:
    """Mark the coupon used by `order_id`, once, in the caller's transaction (see the module)."""
    used = Coupon.objects.filter(pk=coupon.pk, redeemed_at__isnull=True).update(
        redeemed_at=clock.now(), redeemed_order_id=order_id
    )
    if used != 1:
        raise CouponAlreadyUsed(f"The coupon {coupon.code} was used already; each coupon is good for one order.")
