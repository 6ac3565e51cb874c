"""Shipping endpoints: the quote a storefront asks on every change of a cart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router

from emporos.access.models import Scope
from emporos.api import schemas
from emporos.api.auth import ApiKeyAuth
from emporos.core import money
from emporos.shipping import selectors

router = Router(tags=["shipping"])


def _money(amount: Decimal, currency: str) -> str:
    return str(money.quantize(amount, currency))


@router.post(
    "/shipping/quote",
    auth=ApiKeyAuth(Scope.SHIPPING_READ),
    response={200: schemas.QuoteOut, 422: schemas.Problem},
    summary="Shipping options, prices and delivery dates for a cart",
)
def quote(request: HttpRequest, payload: schemas.QuoteIn) -> Any:
    """Every method that reaches the destination in the cart's currency: its price for this cart
    (by weight or value), how much more ships free, cash on delivery, and the delivery window from
    the shop's cut-offs and both countries' working days. A destination no method serves gets an
    empty list of options."""
    found = selectors.quote(
        currency=payload.currency,
        country=payload.destination.country,
        postal_code=payload.destination.postal_code,
        lines=[selectors.QuoteLine(sku=line.sku, quantity=line.quantity) for line in payload.lines],
    )
    currency = found.currency
    return {
        "currency": currency,
        "subtotal": _money(found.subtotal, currency),
        "weight_grams": found.weight_grams,
        "zone": found.zone,
        "options": [
            {
                "code": option.code,
                "name": option.name,
                "kind": option.kind,
                "price": _money(option.price, currency),
                "free_over": _money(option.free_over, currency) if option.free_over is not None else None,
                "missing_for_free": _money(option.missing_for_free, currency),
                "cash_on_delivery": option.cash_on_delivery,
                "cash_on_delivery_fee": _money(option.cash_on_delivery_fee, currency),
                "delivery": {"earliest": option.delivery.earliest, "latest": option.delivery.latest},
            }
            for option in found.options
        ],
    }
