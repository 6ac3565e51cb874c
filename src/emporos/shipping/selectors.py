"""Shipping quotes: which methods reach a destination, at what price, and when they arrive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import phonenumbers
from django.db.models import Prefetch

from emporos.catalog.models import Variant
from emporos.core import clock, money
from emporos.core.calendar import WorkingDays
from emporos.core.config import setting
from emporos.core.errors import ErrorCollector
from emporos.core.text import check_code, check_text
from emporos.orders.models import Order
from emporos.shipping.models import DeliveryPromise, Method, PriceBasis, Zone, ZoneArea
from emporos.shipping.promises import Dispatch, Window, delivery_window
from emporos.shop import selectors as shop

MAX_LINES = 200
MAX_QUANTITY = 100_000
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class QuoteLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Option:
    code: str
    name: str
    kind: str
    price: Decimal
    free_over: Decimal | None
    missing_for_free: Decimal
    cash_on_delivery: bool
    cash_on_delivery_fee: Decimal
    delivery: Window


@dataclass(frozen=True)
class Quote:
    currency: str
    subtotal: Decimal
    weight_grams: int
    zone: str | None
    options: list[Option]


def quote(*, currency: str, country: str, postal_code: str, lines: list[QuoteLine]) -> Quote:
    """Every active method of the destination's zone in `currency`, cheapest options first by the
    shop's order, each with its price, what is missing for free shipping and its delivery window.
    A destination no zone serves gets no options. Raises ValidationFailed naming every bad field."""
    variants = _check(currency=currency, country=country, postal_code=postal_code, lines=lines)
    subtotal = sum((variants[line.sku].price * line.quantity for line in lines), ZERO)
    weight = sum(variants[line.sku].weight_grams * line.quantity for line in lines)
    area = _area(country.upper(), postal_code)
    if area is None:
        return Quote(currency, subtotal, weight, None, [])
    methods = (
        Method.objects.filter(zone_id=area.zone_id, currency=currency, is_active=True)
        .prefetch_related("rates")
        .order_by("position", "id")
    )
    shop_dispatch, destination, now = dispatch(), WorkingDays.of(country), clock.now()
    options = []
    for method in methods:
        price = _price(method, subtotal=subtotal, weight=weight)
        if price is None:
            continue  # heavier or dearer than every band of the method
        is_free = method.free_over is not None and subtotal >= method.free_over
        missing = ZERO if method.free_over is None or is_free else method.free_over - subtotal
        window = delivery_window(
            placed_at=now,
            dispatch=shop_dispatch,
            destination=destination,
            transit_min=method.transit_days_min,
            transit_max=method.transit_days_max,
        )
        options.append(
            Option(
                code=method.code,
                name=method.name,
                kind=method.kind,
                price=ZERO if is_free else price,
                free_over=method.free_over,
                missing_for_free=missing,
                cash_on_delivery=method.cash_on_delivery,
                cash_on_delivery_fee=method.cash_on_delivery_fee,
                delivery=window,
            )
        )
    return Quote(currency, subtotal, weight, area.zone.code, options)


@dataclass(frozen=True)
class Promise:
    method: Method
    window: Window


def promise_for(
    *, method_code: str, currency: str, country: str, postal_code: str, placed_at: dt.datetime
) -> Promise | None:
    """The window the method `method_code` promises to a destination for an order placed at
    `placed_at`; None when no active method of that code serves the destination in `currency`."""
    area = _area(country.upper(), postal_code)
    if area is None:
        return None
    method = (
        Method.objects.filter(zone_id=area.zone_id, code=method_code, currency=currency, is_active=True)
        .order_by("id")
        .first()
    )
    if method is None:
        return None
    window = delivery_window(
        placed_at=placed_at,
        dispatch=dispatch(),
        destination=WorkingDays.of(country),
        transit_min=method.transit_days_min,
        transit_max=method.transit_days_max,
    )
    return Promise(method, window)


def _price(method: Method, *, subtotal: Decimal, weight: int) -> Decimal | None:
    measure = Decimal(weight) if method.price_basis == PriceBasis.WEIGHT else subtotal
    bands = sorted(method.rates.all(), key=lambda rate: (rate.up_to is None, rate.up_to or 0))
    for rate in bands:
        if rate.up_to is None or measure <= rate.up_to:
            return rate.price
    return None


def _area(country: str, postal_code: str) -> ZoneArea | None:
    """The most specific area holding the destination: the longest matching postal prefix."""
    compact = postal_code.replace(" ", "").upper()
    areas = ZoneArea.objects.filter(country=country).select_related("zone")
    matching = [area for area in areas if compact.startswith(area.postal_prefix.replace(" ", "").upper())]
    return max(matching, key=lambda area: len(area.postal_prefix), default=None)


def dispatch() -> Dispatch:
    """How the shop dispatches now: its time zone, working days and cut-offs."""
    current = shop.current()
    cutoffs = tuple(sorted(dt.time.fromisoformat(text.strip()) for text in setting("CUTOFF_TIMES")))
    return Dispatch(
        time_zone=shop.time_zone(),
        working_days=WorkingDays.of(current.country or setting("SHOP_COUNTRY"), frozenset(current.business_days)),
        cutoffs=cutoffs,
    )


def _check(*, currency: str, country: str, postal_code: str, lines: list[QuoteLine]) -> dict[str, Variant]:
    errors = ErrorCollector()
    if currency not in money.accepted_currencies():
        errors.add("currency", "unknown_currency", f"Use one of {', '.join(money.accepted_currencies())}.")
    if country.upper() not in phonenumbers.SUPPORTED_REGIONS:
        errors.add("destination.country", "unknown_country", "Give the country as two letters, e.g. GR.")
    check_text(errors, "destination.postal_code", postal_code, max_length=20)
    if not lines:
        errors.add("lines", "required", "Give at least one line (sku and quantity).")
    elif len(lines) > MAX_LINES:
        errors.add("lines", "too_many", f"A quote takes at most {MAX_LINES} lines.")
    skus = {line.sku for line in lines}
    variants = (
        {v.sku: v for v in Variant.objects.filter(sku__in=skus, is_active=True)} if len(lines) <= MAX_LINES else {}
    )
    for index, line in enumerate(lines[:MAX_LINES]):
        before = len(errors.errors)
        check_code(errors, f"lines.{index}.sku", line.sku, max_length=64, what="SKU")
        if len(errors.errors) == before and line.sku not in variants:
            errors.add(f"lines.{index}.sku", "unknown_sku", f"There is no product with SKU {line.sku} for sale.")
        if not 1 <= line.quantity <= MAX_QUANTITY:
            errors.add(f"lines.{index}.quantity", "out_of_range", f"Give a quantity from 1 to {MAX_QUANTITY}.")
    errors.raise_if_any()
    return variants


def promise_of(order: Order) -> DeliveryPromise | None:
    """The delivery window promised to `order`, once the worker has recorded it."""
    return DeliveryPromise.objects.filter(order=order).first()


def zones() -> list[Zone]:
    """Every zone with its areas and its methods (lowest position first), for a settings summary."""
    return list(
        Zone.objects.order_by("name", "id").prefetch_related(
            "areas", Prefetch("methods", queryset=Method.objects.order_by("position", "code", "currency"))
        )
    )


def method_names() -> dict[str, str]:
    """Every configured shipping method's code with its name (the first zone's, by position), in
    that order; inactive methods too, since older orders used them. One query."""
    names: dict[str, str] = {}
    for code, name in Method.objects.order_by("position", "name", "code", "id").values_list("code", "name"):
        names.setdefault(code, name)
    return names
