"""Gift cards: a balance in one currency, spent on orders; store credit for a return is one.

`redeem` takes the amount off with one conditional UPDATE (`balance = balance - x WHERE balance
>= x AND currency = ...`), run in the transaction of the order that spends it: of ten orders
racing for the last of a balance, as many go through as the balance covers and the others roll
back with `gift_card_balance_too_low`. A code is bearer value: whoever holds it may spend it (the
customer it was issued to is kept for the record and the customer's timeline).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from emporos.core import clock, money
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector, FieldError, ValidationFailed
from emporos.core.text import check_text
from emporos.customers.coupons import new_code
from emporos.customers.events import GiftCardIssued
from emporos.customers.models import Customer, GiftCard, GiftCardRedemption
from emporos.timeline import services as timeline
from emporos.timeline.models import SubjectKind
from emporos.timeline.services import About

MAX_SOURCE = 100
CODE_FIELD = "gift_card.code"
AMOUNT_FIELD = "gift_card.amount"


def open_gift_card(*, amount: Decimal, currency: str, customer: Customer | None, source: str) -> GiftCard:
    """A new gift card, without a timeline entry: for a caller that records its own (store credit
    for a return says so on the return). Raises ValidationFailed for a bad amount or currency."""
    errors = ErrorCollector()
    if currency not in money.accepted_currencies():
        errors.add("currency", "unknown_currency", f"Use one of {', '.join(money.accepted_currencies())}.")
    elif (problem := money.amount_problem(amount, currency)) is not None or amount <= 0:
        errors.add("amount", "invalid_amount", problem or "Give an amount of more than 0.")
    check_text(errors, "source", source, max_length=MAX_SOURCE)
    errors.raise_if_any()
    return GiftCard.objects.create(
        code=new_code(),
        currency=currency,
        initial=amount,
        balance=amount,
        customer=customer,
        source=source,
        created_at=clock.now(),
    )


def issue_gift_card(
    *, amount: Decimal, currency: str, customer: Customer | None, source: str, actor: Actor
) -> GiftCard:
    """A new gift card worth `amount`, on the customer's timeline (when it is issued to one)."""
    with transaction.atomic():
        card = open_gift_card(amount=amount, currency=currency, customer=customer, source=source)
        timeline.record(
            event=GiftCardIssued(gift_card_id=card.pk, customer_id=customer.pk if customer else None),
            about=[About(SubjectKind.CUSTOMER, customer.pk)] if customer else [],
            actor=actor,
            facts={"code": card.code, "amount": str(card.initial), "currency": currency, "source": source},
        )
    return card


@dataclass(frozen=True)
class GiftCardPayment:
    gift_card: GiftCard
    amount: Decimal


def check_gift_card(
    errors: ErrorCollector, *, code: str, amount: Decimal, currency: str, payable: Decimal
) -> GiftCardPayment | None:
    """What an order of `payable` in `currency` may take off the card `code`; its problems go to
    `errors` at gift_card.code and gift_card.amount. Whether the balance still covers it is decided
    again when it is redeemed, in the order's transaction."""
    before = len(errors.errors)
    check_text(errors, CODE_FIELD, code, max_length=32)
    if (problem := money.amount_problem(amount, currency)) is not None or amount <= 0:
        errors.add(AMOUNT_FIELD, "invalid_amount", problem or "Give the amount to pay with the gift card, above 0.")
    if len(errors.errors) > before:
        return None
    card = GiftCard.objects.filter(code=code.strip().upper()).first()
    if card is None:
        errors.add(CODE_FIELD, "gift_card_not_found", "There is no gift card with this code; check the code.")
        return None
    if card.currency != currency:
        errors.add(
            CODE_FIELD, "gift_card_currency", f"The gift card is in {card.currency}; the order is in {currency}."
        )
    elif amount > card.balance:
        errors.add(AMOUNT_FIELD, "gift_card_balance_too_low", _too_low(card.balance, currency))
    elif amount > payable:
        errors.add(AMOUNT_FIELD, "more_than_total", f"The order comes to {payable}; pay at most that with the card.")
    return GiftCardPayment(card, amount) if len(errors.errors) == before else None


def redeem(*, code: str, amount: Decimal, currency: str, order_id: int) -> None:
    """Take `amount` off the card for `order_id`, in the caller's transaction (see the module).

    Raises ValidationFailed (`gift_card_balance_too_low` at gift_card.amount) when the balance no
    longer covers it: the caller's transaction then rolls back whole."""
    normalized = code.strip().upper()
    spent = GiftCard.objects.filter(code=normalized, currency=currency, balance__gte=amount).update(
        balance=F("balance") - amount
    )
    if spent != 1:
        left = GiftCard.objects.filter(code=normalized).values_list("balance", flat=True).first() or Decimal(0)
        raise ValidationFailed([FieldError(AMOUNT_FIELD, "gift_card_balance_too_low", _too_low(left, currency))])
    GiftCardRedemption.objects.create(
        gift_card_id=GiftCard.objects.filter(code=normalized).values_list("pk", flat=True).get(),
        order_id=order_id,
        amount=amount,
        created_at=clock.now(),
    )


def _too_low(balance: Decimal, currency: str) -> str:
    return f"The gift card has {money.quantize(balance, currency)} {currency} left; pay at most that with it."
