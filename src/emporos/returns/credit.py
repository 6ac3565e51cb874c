"""Store credit for a received return: the customer gets a gift card worth the return's value
instead of the money back. Issued once per return: a second call answers with the same card."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from emporos.core.actor import Actor
from emporos.customers.gift_cards import open_gift_card
from emporos.customers.models import GiftCard
from emporos.orders.models import Order
from emporos.returns import events
from emporos.returns.errors import ReturnNotReceived, WrongResolution
from emporos.returns.models import Resolution, Return, ReturnStatus
from emporos.returns.subjects import about_return
from emporos.timeline import services as timeline


def credit_source(ret: Return) -> str:
    """The gift card's source, which is also how the return's card is found again."""
    return f"return {ret.display_number}"


def issue_store_credit(*, ret: Return, amount: Decimal, actor: Actor) -> GiftCard:
    """A gift card worth `amount` for the customer of a received store-credit return, on the
    return's, the order's and the customer's timeline (one entry).

    Raises WrongResolution for a return that asks for something else, ReturnNotReceived before
    the goods are back, ValidationFailed for an amount that is not above 0.
    """
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=ret.order_id).first()
        locked = Return.objects.select_for_update(of=("self",)).select_related("order__customer").get(pk=ret.pk)
        if locked.resolution != Resolution.STORE_CREDIT:
            raise WrongResolution(f"Return {locked.display_number} asks for {locked.resolution}, not store credit.")
        if locked.status != ReturnStatus.RECEIVED:
            raise ReturnNotReceived(
                f"Return {locked.display_number} is {locked.status}; store credit is given once it is received."
            )
        source = credit_source(locked)
        existing = GiftCard.objects.filter(source=source).first()
        if existing is not None:
            return existing
        order = locked.order
        card = open_gift_card(amount=amount, currency=order.currency, customer=order.customer, source=source)
        timeline.record(
            event=events.StoreCreditIssued(
                return_id=locked.pk, order_id=order.pk, gift_card_id=card.pk, amount=str(card.initial)
            ),
            about=about_return(locked),
            actor=actor,
            facts={
                "number": order.display_number,
                "sequence": locked.sequence,
                "code": card.code,
                "currency": order.currency,
            },
        )
    return card
